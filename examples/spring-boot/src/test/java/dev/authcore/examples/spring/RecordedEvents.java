package dev.authcore.examples.spring;

import dev.authcore.AuditEvent;
import dev.authcore.AuditListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An audit listener bean that keeps every event, so tests can see what auth-core recorded; the
 * application subscribes every {@link AuditListener} bean to the deployment.
 */
class RecordedEvents implements AuditListener {
  private final ConcurrentLinkedQueue<AuditEvent> events = new ConcurrentLinkedQueue<>();

  @Override
  public void onEvent(AuditEvent event) {
    events.add(event);
  }

  List<AuditEvent> all() {
    return new ArrayList<>(events);
  }

  void clear() {
    events.clear();
  }

  /** The latest rejection; fails if none was recorded. */
  AuditEvent.TokenRejected lastRejection() {
    List<AuditEvent> all = all();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i) instanceof AuditEvent.TokenRejected rejected) {
        return rejected;
      }
    }
    throw new AssertionError("no rejection was audited: " + all);
  }
}
