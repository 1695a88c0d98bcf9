package dev.authcore;

import dev.authcore.model.StoreUnavailableException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.jspecify.annotations.Nullable;

/**
 * Whether the deployment is in outage mode: a store read by its cache failed with {@link
 * StoreUnavailableException} and no store call has succeeded since. The cache reports its reads'
 * failures here, and the deployment's {@link MonitoredStore} every call that answered (a read, a
 * usage write, an issuer or console call: the store answers again); each change of mode is
 * published once ({@link AuditEvent.OutageStarted}, {@link AuditEvent.OutageEnded}) and logged.
 *
 * <p>Thread-safe. {@link #active()} is one volatile read; changes of mode take a lock so that the
 * two events of an outage are published in order, never twice.
 */
final class StoreOutage {
  private static final System.Logger LOG = System.getLogger(StoreOutage.class.getName());

  /** {@link #since} when no outage is under way. */
  private static final long NONE = Long.MIN_VALUE;

  private final InstantSource clock;
  private final AuditPublisher audit;
  private final Duration grace;
  private final Object lock = new Object();

  /** When outage mode started, by the deployment's clock; {@link #NONE} outside outage mode. */
  private volatile long since = NONE;

  StoreOutage(InstantSource clock, AuditPublisher audit, Duration grace) {
    this.clock = clock;
    this.audit = audit;
    this.grace = grace;
  }

  /** Whether the deployment is in outage mode. */
  boolean active() {
    return since != NONE;
  }

  /** When outage mode began, or {@code null} outside outage mode. */
  @Nullable Instant since() {
    long started = since;
    return started == NONE ? null : Instant.ofEpochMilli(started);
  }

  /** The deployment's outage grace. */
  Duration grace() {
    return grace;
  }

  /** A store read failed: starts outage mode unless it is on. */
  void readFailed(StoreUnavailableException failure) {
    if (since != NONE) {
      return;
    }
    synchronized (lock) {
      if (since != NONE) {
        return;
      }
      long now = clock.millis();
      since = now;
      LOG.log(
          Level.WARNING,
          "the token store cannot be reached; serving cached tokens and corp settings for up to "
              + grace
              + " past the cache bound, failing the rest (outage mode)",
          failure);
      audit.outageStarted(Instant.ofEpochMilli(now), grace);
    }
  }

  /** A store call answered: ends outage mode if it is on. */
  void storeAnswered() {
    if (since == NONE) {
      return;
    }
    synchronized (lock) {
      long started = since;
      if (started == NONE) {
        return;
      }
      since = NONE;
      long now = clock.millis();
      LOG.log(
          Level.INFO,
          "the token store answers again; outage mode, on since "
              + Instant.ofEpochMilli(started)
              + ", ended");
      audit.outageEnded(Instant.ofEpochMilli(now), Instant.ofEpochMilli(started));
    }
  }
}
