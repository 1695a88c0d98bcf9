package dev.authcore.examples.spring;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import dev.authcore.AsyncAuditListener;
import dev.authcore.AuthCore;
import dev.authcore.AuthStats;
import dev.authcore.AuthStats.CacheCounts;
import dev.authcore.RejectionReason;
import dev.authcore.spi.FeedStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * auth-core's counters from {@link AuthCore#stats()} as Micrometer meters (Prometheus names in
 * brackets):
 *
 * <ul>
 *   <li>{@code authcore.verifications{outcome=authenticated|rejected|failed}} ({@code
 *       authcore_verifications_total}); {@code failed} is a verification that threw because the
 *       store was needed and could not answer (the filter's 503)
 *   <li>{@code authcore.rejections{reason}}, one per {@link RejectionReason} by its name
 *   <li>{@code authcore.cache.hits}, {@code authcore.cache.misses}, {@code
 *       authcore.cache.loads{result=success|failure}} and {@code authcore.cache.load.time} (seconds
 *       spent loading, {@code authcore_cache_load_time_seconds_total}), each with {@code
 *       cache=tokens|corps}; {@code authcore.cache.loads.refused}: reads not attempted because
 *       {@code maxConcurrentLoads} were under way
 *   <li>{@code authcore.store.failures}: store calls of any kind that failed
 *   <li>{@code authcore.usage.batches}, {@code .updates}, {@code .write.failures}, {@code .dropped}
 *       counters and the gauge {@code authcore.usage.queued}
 *   <li>{@code authcore.feed.reconnects}, the gauge {@code authcore.feed.state{state}} (1 for the
 *       change feed's current {@link FeedStatus.State}, 0 for the others) and {@code
 *       authcore.feed.lag} (seconds)
 *   <li>{@code authcore.audit.dropped}: audit events the audit queue refused
 * </ul>
 *
 * <p>Each meter calls {@code stats()} when it is read. That sums a few dozen counters and never
 * calls the store, so it is cheaper than keeping a snapshot per scrape; the figures of one scrape
 * are read one after another, as auth-core's own counters are.
 */
final class AuthCoreMetrics implements MeterBinder {
  private final AuthCore core;
  private final AsyncAuditListener auditLog;

  AuthCoreMetrics(AuthCore core, AsyncAuditListener auditLog) {
    this.core = Objects.requireNonNull(core, "core");
    this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    count(
        registry, "authcore.verifications", outcome("authenticated"), s -> s.authenticatedCount());
    count(registry, "authcore.verifications", outcome("rejected"), s -> s.rejectionCount());
    count(registry, "authcore.verifications", outcome("failed"), s -> s.failedCount());
    for (RejectionReason reason : RejectionReason.values()) {
      Tags tags = Tags.of("reason", reason.name());
      count(registry, "authcore.rejections", tags, s -> s.rejectionCount(reason));
    }
    cache(registry, Tags.of("cache", "tokens"), AuthStats::tokenCache);
    cache(registry, Tags.of("cache", "corps"), AuthStats::corpCache);
    count(registry, "authcore.cache.loads.refused", Tags.empty(), s -> s.loadRefusedCount());
    count(registry, "authcore.store.failures", Tags.empty(), s -> s.storeFailureCount());
    count(registry, "authcore.usage.batches", Tags.empty(), s -> s.usage().batchCount());
    count(registry, "authcore.usage.updates", Tags.empty(), s -> s.usage().updateCount());
    count(
        registry,
        "authcore.usage.write.failures",
        Tags.empty(),
        s -> s.usage().writeFailureCount());
    count(registry, "authcore.usage.dropped", Tags.empty(), s -> s.usage().droppedCount());
    Gauge.builder("authcore.usage.queued", core, c -> c.stats().usage().queued())
        .register(registry);
    count(registry, "authcore.feed.reconnects", Tags.empty(), s -> s.feed().reconnects());
    for (FeedStatus.State state : FeedStatus.State.values()) {
      Gauge.builder("authcore.feed.state", core, c -> c.stats().feed().state() == state ? 1 : 0)
          .tags("state", state.name())
          .register(registry);
    }
    TimeGauge.builder(
            "authcore.feed.lag", core, MILLISECONDS, c -> c.stats().feed().lag().toMillis())
        .register(registry);
    FunctionCounter.builder("authcore.audit.dropped", auditLog, AsyncAuditListener::dropped)
        .register(registry);
  }

  private void cache(MeterRegistry registry, Tags cache, Function<AuthStats, CacheCounts> of) {
    count(registry, "authcore.cache.hits", cache, s -> of.apply(s).hitCount());
    count(registry, "authcore.cache.misses", cache, s -> of.apply(s).missCount());
    Tags success = cache.and("result", "success");
    count(registry, "authcore.cache.loads", success, s -> of.apply(s).loadSuccessCount());
    Tags failure = cache.and("result", "failure");
    count(registry, "authcore.cache.loads", failure, s -> of.apply(s).loadFailureCount());
    FunctionCounter.builder(
            "authcore.cache.load.time",
            core,
            c -> of.apply(c.stats()).totalLoadTime().toNanos() / 1e9)
        .baseUnit("seconds")
        .tags(cache)
        .register(registry);
  }

  private static Tags outcome(String outcome) {
    return Tags.of("outcome", outcome);
  }

  /** Registers a counter of one figure of {@code stats()}. */
  private void count(
      MeterRegistry registry, String name, Tags tags, ToDoubleFunction<AuthStats> figure) {
    FunctionCounter.builder(name, core, c -> figure.applyAsDouble(c.stats()))
        .tags(tags)
        .register(registry);
  }
}
