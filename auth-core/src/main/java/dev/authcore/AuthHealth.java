package dev.authcore;

import static com.google.common.base.Preconditions.checkArgument;

import dev.authcore.spi.FeedStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a health endpoint serves about a deployment, from {@link AuthCore#health()}: an overall
 * {@link Status}, the problems behind it in words, and the facts they were decided from (the
 * store's last answers, the change feed, the usage writer). Computed from what the deployment
 * already knows, without calling the store, so a health check answers at once even while the
 * database hangs. Instants are read from the deployment's clock.
 *
 * <p><b>Status rules</b>, the first that applies:
 *
 * <ol>
 *   <li>{@link Status#DOWN}: the deployment is closed; or it is in outage mode (a store read failed
 *       and no store call has succeeded since) and the outage grace is zero or has run out ({@code
 *       now >= outageSince + outageGrace}): tokens not read within the cache bound fail closed.
 *   <li>{@link Status#DEGRADED}: in outage mode within the grace (cached entries are served past
 *       their bound); or the last store call failed without a read failing (a usage write, or an
 *       issuer or console call); or the store reports its change feed disconnected (other nodes'
 *       deletions and policy changes arrive only with the cache bound); or the usage writer dropped
 *       uses since its last successful write, or its queue is more than half full.
 *   <li>{@link Status#UP} otherwise. A store that reports no feed ({@link FeedStatus#NONE}) counts
 *       as fine.
 * </ol>
 *
 * <p><b>As a readiness check.</b> Leaving outage mode takes a store call that succeeds: the cache's
 * probe (made while requests come, and by the periodic usage writer), a usage write, or any issuer
 * or console call. A node taken out of rotation on {@code DOWN} with the periodic writer disabled
 * ({@code usageFlushInterval(Duration.ZERO)}) and no other calls stays {@code DOWN} after the store
 * comes back; prefer alerting on {@code DOWN} to routing on it.
 *
 * <p>Immutable. The JSON form (Jackson's defaults) is the record's components, absent instants as
 * {@code null}.
 *
 * @param status the overall status
 * @param checkedAt when it was computed, by the deployment's clock
 * @param problems what makes the status less than {@code UP}, in words, one per problem (no secret,
 *     no store message); empty exactly when the status is {@code UP}
 * @param store what the deployment knows of its store
 * @param feed the store's change feed, as the store reports it
 * @param usage the usage writer
 */
public record AuthHealth(
    Status status,
    Instant checkedAt,
    List<String> problems,
    Store store,
    FeedStatus feed,
    Usage usage) {

  /** The overall status, in the words health endpoints use. */
  public enum Status {
    /** Everything works as configured. */
    UP,
    /** Requests are answered, some from older data or with usage at risk: see the problems. */
    DEGRADED,
    /** Requests whose token or corp settings are not cached fail; or the deployment is closed. */
    DOWN
  }

  /**
   * Checks the fields and copies the problems.
   *
   * @throws NullPointerException if a field or a problem is null
   * @throws IllegalArgumentException if the status is {@code UP} with problems, or not {@code UP}
   *     without one
   */
  public AuthHealth {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(checkedAt, "checkedAt");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(feed, "feed");
    Objects.requireNonNull(usage, "usage");
    problems = List.copyOf(problems);
    checkArgument(
        (status == Status.UP) == problems.isEmpty(),
        "status %s with %s problems: UP has none, DEGRADED and DOWN at least one",
        status,
        problems.size());
  }

  /**
   * What the deployment knows of its store: when a call last succeeded and last failed, and whether
   * it is in outage mode. Calls of every kind count (cache loads and refreshes, usage writes,
   * issuer and console calls); reads the cache did not attempt because {@code maxConcurrentLoads}
   * reads were under way do not.
   *
   * @param reachable whether the last store call answered and the deployment is not in outage mode
   *     (also true before the first call)
   * @param lastSuccess when a store call last returned, or {@code null} if none has
   * @param lastFailure when a store call last threw {@code StoreUnavailableException}, or {@code
   *     null} if none has
   * @param outageSince when outage mode began, or {@code null} outside outage mode
   * @param outageGrace the deployment's outage grace ({@link Duration#ZERO} when disabled)
   */
  public record Store(
      boolean reachable,
      @Nullable Instant lastSuccess,
      @Nullable Instant lastFailure,
      @Nullable Instant outageSince,
      Duration outageGrace) {

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if {@code outageGrace} is null
     * @throws IllegalArgumentException if {@code outageGrace} is negative
     */
    public Store {
      Objects.requireNonNull(outageGrace, "outageGrace");
      checkArgument(
          !outageGrace.isNegative(), "outageGrace must not be negative, got %s", outageGrace);
    }
  }

  /**
   * Whether the usage writer keeps up.
   *
   * @param queued tokens waiting to be written
   * @param capacity most tokens the queue holds; a use beyond it is dropped
   * @param droppedSinceLastFlush uses dropped (queue full) since the last successful write began
   * @param lastFlush when a write of the queue last succeeded (an empty queue counts), or {@code
   *     null} if none has
   */
  public record Usage(
      long queued, long capacity, long droppedSinceLastFlush, @Nullable Instant lastFlush) {

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if a count is negative or the capacity below 1
     */
    public Usage {
      checkArgument(queued >= 0, "queued must not be negative, got %s", queued);
      checkArgument(capacity >= 1, "capacity must be at least 1, got %s", capacity);
      checkArgument(
          droppedSinceLastFlush >= 0,
          "droppedSinceLastFlush must not be negative, got %s",
          droppedSinceLastFlush);
    }
  }
}
