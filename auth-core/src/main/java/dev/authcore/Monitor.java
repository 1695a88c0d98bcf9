package dev.authcore;

import dev.authcore.spi.FeedStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Puts together what {@link AuthCore#stats()} and {@link AuthCore#health()} report from what the
 * deployment's parts already know, and decides the health status by the rules written on {@link
 * AuthHealth}. Never calls the store: {@link MonitoredStore} noted how its calls went, and the
 * store's feed status is answered from memory by contract.
 *
 * <p>Thread-safe: it only reads the parts' thread-safe state.
 */
final class Monitor {
  private final InstantSource clock;
  private final Counters counters;
  private final MonitoredStore store;
  private final StoreOutage outage;
  private final UsageRecorder usage;

  Monitor(
      InstantSource clock,
      Counters counters,
      MonitoredStore store,
      StoreOutage outage,
      UsageRecorder usage) {
    this.clock = clock;
    this.counters = counters;
    this.store = store;
    this.outage = outage;
    this.usage = usage;
  }

  AuthStats stats() {
    return counters.snapshot(usage.counts(), store.feedStatus());
  }

  AuthHealth health(boolean closed) {
    Instant now = Instant.ofEpochMilli(clock.millis()); // the deployment's resolution
    @Nullable Instant since = outage.since();
    Duration grace = outage.grace();
    boolean lastCallFailed = store.lastCallFailed();
    @Nullable Instant lastFailure = store.lastFailure();
    AuthHealth.Store storeHealth =
        new AuthHealth.Store(
            since == null && !lastCallFailed, store.lastSuccess(), lastFailure, since, grace);
    FeedStatus feed = store.feedStatus();
    AuthHealth.Usage usageHealth = usage.health();

    List<String> down = new ArrayList<>();
    List<String> degraded = new ArrayList<>();
    if (closed) {
      down.add("the deployment is closed");
    }
    if (since != null) {
      Instant graceEnd = since.plus(grace);
      if (grace.isZero()) {
        down.add(
            "the store cannot be reached (outage mode since "
                + since
                + ") and the outage grace is zero: what is not cached within the cache bound fails");
      } else if (!now.isBefore(graceEnd)) {
        down.add(
            "the store cannot be reached (outage mode since "
                + since
                + ") for longer than the outage grace of "
                + grace
                + ": what is not cached within the cache bound fails");
      } else {
        degraded.add(
            "the store cannot be reached (outage mode since "
                + since
                + "): cached tokens and corp settings are served up to "
                + grace
                + " past the cache bound, until "
                + graceEnd
                + " at the latest");
      }
    } else if (lastCallFailed) {
      degraded.add(
          "the store's last answer was a failure"
              + (lastFailure == null ? "" : " (at " + lastFailure + ")")
              + " of a call other than a cache read (a usage write, an issuer or console call);"
              + " outage mode starts only when a read fails");
    }
    if (feed.state() == FeedStatus.State.DISCONNECTED) {
      degraded.add(
          "the store's change feed is disconnected (caught up "
              + feed.lag()
              + " ago): other nodes' deletions and policy changes reach this node only with the"
              + " cache bound");
    }
    if (usageHealth.droppedSinceLastFlush() > 0) {
      degraded.add(
          usageHealth.droppedSinceLastFlush()
              + " token uses were not queued (the usage queue was full) since the last successful"
              + " usage write began");
    }
    if (usageHealth.queued() * 2 > usageHealth.capacity()) {
      degraded.add(
          "the usage queue is more than half full: "
              + usageHealth.queued()
              + " of "
              + usageHealth.capacity()
              + " tokens wait to be written");
    }
    AuthHealth.Status status =
        !down.isEmpty()
            ? AuthHealth.Status.DOWN
            : degraded.isEmpty() ? AuthHealth.Status.UP : AuthHealth.Status.DEGRADED;
    List<String> problems = new ArrayList<>(down);
    problems.addAll(degraded);
    return new AuthHealth(status, now, problems, storeHealth, feed, usageHealth);
  }
}
