package dev.authcore;

/**
 * Receives {@link AuditEvent}s, for shipping to a SIEM or a log.
 *
 * <p>Listeners are called synchronously on the thread that caused the event, rejections included (a
 * verification's caller thread). They must be fast and must not block: hand events to an
 * asynchronous appender or queue. A listener that throws is reported through {@link System.Logger}
 * and does not affect the operation or the other listeners.
 */
@FunctionalInterface
public interface AuditListener {
  /** Called once per event. */
  void onEvent(AuditEvent event);
}
