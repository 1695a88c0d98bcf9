package dev.authcore;

import static com.google.common.base.Preconditions.checkArgument;

import dev.authcore.spi.FeedStatus;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A deployment's counters at one moment, from {@link AuthCore#stats()}: what it answered, how its
 * caches did, how often the store failed it, and how its usage writer and the store's change feed
 * are doing. In the manner of Caffeine's {@code CacheStats}: an immutable snapshot of counters that
 * only grow while the deployment lives, so a scraper takes deltas with {@link #minus}; a few
 * figures are gauges (the usage queue's length, the feed's state and lag), marked as such.
 *
 * <p><b>Verifications.</b> Every call of {@code verify} or {@code verifyWithAddressText} that
 * returns or throws after its arguments were accepted (a null client address throws before and is
 * not counted) is counted once: {@link #authenticatedCount}, {@link
 * #rejectionCount(RejectionReason) rejectionCount(reason)}, or {@link #failedCount} when it threw
 * instead of answering.
 *
 * <p><b>What is counted and what is derived.</b> Keeping count costs a verification one {@link
 * java.util.concurrent.atomic.LongAdder} increment, its outcome, and nothing else on a cache hit.
 * The caches' hits are therefore not counted but derived: a verification past the format check
 * looks its token up once, and one past the secret and owner checks looks its corp's settings up
 * once, so the lookups follow from the outcomes, and hits are lookups minus misses, which are
 * counted on the slow path. The counters are read one after another, not atomically, while
 * verifications go on: a derived hit count may lag by the verifications finishing at that instant
 * (it never runs ahead, and is never negative).
 *
 * <p>Thread-safe and immutable. The JSON form (Jackson's defaults) is the record's components.
 *
 * @param authenticatedCount verifications that answered {@link Verification.Authenticated}
 * @param rejectionCounts verifications that answered {@link Verification.Rejected}, by reason;
 *     every reason is present (0 when never seen)
 * @param failedCount verifications that threw instead of answering: {@link
 *     dev.authcore.model.StoreUnavailableException} because the token or the corp's settings had to
 *     be read and the store failed or {@code maxConcurrentLoads} reads were under way (or, from a
 *     faulty store, another runtime exception)
 * @param tokenCache the token cache: lookups by token id (ids remembered as unknown included)
 * @param corpCache the corp cache: lookups of a corp's settings and permitted users
 * @param loadRefusedCount store reads not attempted because {@code maxConcurrentLoads} reads were
 *     already under way on request threads (each also counted as a miss, and as a failed
 *     verification)
 * @param storeFailureCount store calls of any kind by this deployment that threw {@link
 *     dev.authcore.model.StoreUnavailableException}: cache loads and background refreshes, usage
 *     writes, and the issuer's and console's reads and writes
 * @param usage the usage writer's counts
 * @param feed the store's change feed as the store reports it ({@link FeedStatus#NONE} when it does
 *     not); its reconnects are a counter, its state and lag gauges
 */
public record AuthStats(
    long authenticatedCount,
    Map<RejectionReason, Long> rejectionCounts,
    long failedCount,
    CacheCounts tokenCache,
    CacheCounts corpCache,
    long loadRefusedCount,
    long storeFailureCount,
    UsageCounts usage,
    FeedStatus feed) {

  /**
   * Checks the fields and copies the rejection counts.
   *
   * @throws NullPointerException if a field or a rejection count is null
   * @throws IllegalArgumentException if a count is negative or a rejection reason is missing
   */
  public AuthStats {
    checkCount("authenticatedCount", authenticatedCount);
    checkCount("failedCount", failedCount);
    checkCount("loadRefusedCount", loadRefusedCount);
    checkCount("storeFailureCount", storeFailureCount);
    Objects.requireNonNull(rejectionCounts, "rejectionCounts");
    Objects.requireNonNull(tokenCache, "tokenCache");
    Objects.requireNonNull(corpCache, "corpCache");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(feed, "feed");
    EnumMap<RejectionReason, Long> copy = new EnumMap<>(RejectionReason.class);
    for (RejectionReason reason : RejectionReason.values()) {
      checkArgument(
          rejectionCounts.containsKey(reason),
          "rejectionCounts must hold every reason; %s is missing",
          reason);
      Long count = Objects.requireNonNull(rejectionCounts.get(reason), reason.name());
      checkCount("rejectionCounts[" + reason + "]", count);
      copy.put(reason, count);
    }
    checkArgument(
        rejectionCounts.size() == copy.size(),
        "rejectionCounts holds keys that are not rejection reasons: %s",
        rejectionCounts.keySet());
    rejectionCounts = Collections.unmodifiableMap(copy);
  }

  /** Verifications rejected for {@code reason}. */
  public long rejectionCount(RejectionReason reason) {
    Long count = rejectionCounts.get(Objects.requireNonNull(reason, "reason"));
    return count == null ? 0 : count;
  }

  /** Verifications rejected, for any reason. */
  public long rejectionCount() {
    long total = 0;
    for (long count : rejectionCounts.values()) {
      total += count;
    }
    return total;
  }

  /** Every verification counted: authenticated, rejected and failed. Derived. */
  public long verificationCount() {
    return authenticatedCount + rejectionCount() + failedCount;
  }

  /**
   * The counters' growth since {@code earlier} (taken from the same deployment before this): every
   * counter is this one's minus {@code earlier}'s, at least 0; the gauges (usage queued, feed state
   * and lag) are this snapshot's.
   *
   * @throws NullPointerException if {@code earlier} is null
   */
  public AuthStats minus(AuthStats earlier) {
    Objects.requireNonNull(earlier, "earlier");
    EnumMap<RejectionReason, Long> rejections = new EnumMap<>(RejectionReason.class);
    for (RejectionReason reason : RejectionReason.values()) {
      rejections.put(reason, less(rejectionCount(reason), earlier.rejectionCount(reason)));
    }
    return new AuthStats(
        less(authenticatedCount, earlier.authenticatedCount),
        rejections,
        less(failedCount, earlier.failedCount),
        tokenCache.minus(earlier.tokenCache),
        corpCache.minus(earlier.corpCache),
        less(loadRefusedCount, earlier.loadRefusedCount),
        less(storeFailureCount, earlier.storeFailureCount),
        usage.minus(earlier.usage),
        new FeedStatus(
            feed.state(),
            feed.state() == FeedStatus.State.NONE
                ? 0
                : less(feed.reconnects(), earlier.feed.reconnects()),
            feed.lag()));
  }

  /** One line with every figure, e.g. for a log. */
  @Override
  public String toString() {
    StringBuilder s =
        new StringBuilder("AuthStats{authenticated=")
            .append(authenticatedCount)
            .append(", rejected=")
            .append(rejectionCount())
            .append(' ')
            .append(rejectionCounts)
            .append(", failed=")
            .append(failedCount)
            .append(", tokenCache=")
            .append(tokenCache)
            .append(", corpCache=")
            .append(corpCache)
            .append(", loadsRefused=")
            .append(loadRefusedCount)
            .append(", storeFailures=")
            .append(storeFailureCount)
            .append(", usage=")
            .append(usage)
            .append(", feed=")
            .append(feed.state());
    if (feed.state() != FeedStatus.State.NONE) {
      s.append(" (reconnects=").append(feed.reconnects()).append(", lag=").append(feed.lag());
      s.append(')');
    }
    return s.append('}').toString();
  }

  /**
   * One cache's counters, as Caffeine counts them: a lookup is a hit or a miss, and a miss or a
   * background refresh is a load that succeeds or fails.
   *
   * @param hitCount lookups answered from memory without waiting for the store: fresh entries,
   *     entries served while a background refresh reads them again, entries served within the
   *     outage grace, and (token cache) ids remembered as unknown. Derived: lookups minus misses
   * @param missCount lookups that needed a store read on the request's thread (not cached, or past
   *     the cache bound), whether the read succeeded, failed or was refused by {@code
   *     maxConcurrentLoads}
   * @param loadSuccessCount store reads of an entry that answered, found or not, on request threads
   *     and in background refreshes (two calls of the store for a corp, counted as one load)
   * @param loadFailureCount store reads of an entry that threw
   * @param totalLoadTime time spent in those reads, successful or not, measured with {@link
   *     System#nanoTime()} (an elapsed time, so not the deployment's clock)
   */
  public record CacheCounts(
      long hitCount,
      long missCount,
      long loadSuccessCount,
      long loadFailureCount,
      Duration totalLoadTime) {

    /**
     * Checks the fields.
     *
     * @throws NullPointerException if {@code totalLoadTime} is null
     * @throws IllegalArgumentException if a count or the time is negative
     */
    public CacheCounts {
      checkCount("hitCount", hitCount);
      checkCount("missCount", missCount);
      checkCount("loadSuccessCount", loadSuccessCount);
      checkCount("loadFailureCount", loadFailureCount);
      Objects.requireNonNull(totalLoadTime, "totalLoadTime");
      checkArgument(
          !totalLoadTime.isNegative(), "totalLoadTime must not be negative, got %s", totalLoadTime);
    }

    /** Lookups: hits plus misses. Derived. */
    public long requestCount() {
      return hitCount + missCount;
    }

    /** Hits per lookup, from 0 to 1; 1 when there was no lookup (as Caffeine has it). Derived. */
    public double hitRate() {
      long requests = requestCount();
      return requests == 0 ? 1.0 : (double) hitCount / requests;
    }

    /** Loads: successful plus failed. Derived. */
    public long loadCount() {
      return loadSuccessCount + loadFailureCount;
    }

    /** Each counter's growth since {@code earlier}, at least 0. */
    public CacheCounts minus(CacheCounts earlier) {
      Objects.requireNonNull(earlier, "earlier");
      Duration time = totalLoadTime.minus(earlier.totalLoadTime);
      return new CacheCounts(
          less(hitCount, earlier.hitCount),
          less(missCount, earlier.missCount),
          less(loadSuccessCount, earlier.loadSuccessCount),
          less(loadFailureCount, earlier.loadFailureCount),
          time.isNegative() ? Duration.ZERO : time);
    }

    @Override
    public String toString() {
      return "{hits="
          + hitCount
          + ", misses="
          + missCount
          + ", loads="
          + loadSuccessCount
          + ", loadFailures="
          + loadFailureCount
          + ", loadTime="
          + totalLoadTime
          + "}";
    }
  }

  /**
   * The usage writer's counters, and the length of its queue.
   *
   * @param batchCount batches of usage updates the store accepted ({@code TokenStore.recordUsage}
   *     calls that returned)
   * @param updateCount usage updates in those batches (one per token and write)
   * @param writeFailureCount {@code recordUsage} calls that threw; their updates stay queued
   * @param droppedCount uses not queued because the queue was full (each token's latest use is
   *     queued again with its next use)
   * @param queued tokens waiting to be written now: a gauge, not a counter
   */
  public record UsageCounts(
      long batchCount, long updateCount, long writeFailureCount, long droppedCount, long queued) {

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if a count is negative
     */
    public UsageCounts {
      checkCount("batchCount", batchCount);
      checkCount("updateCount", updateCount);
      checkCount("writeFailureCount", writeFailureCount);
      checkCount("droppedCount", droppedCount);
      checkCount("queued", queued);
    }

    /** Each counter's growth since {@code earlier}, at least 0; {@code queued} is this one's. */
    public UsageCounts minus(UsageCounts earlier) {
      Objects.requireNonNull(earlier, "earlier");
      return new UsageCounts(
          less(batchCount, earlier.batchCount),
          less(updateCount, earlier.updateCount),
          less(writeFailureCount, earlier.writeFailureCount),
          less(droppedCount, earlier.droppedCount),
          queued);
    }

    @Override
    public String toString() {
      return "{batches="
          + batchCount
          + ", updates="
          + updateCount
          + ", writeFailures="
          + writeFailureCount
          + ", dropped="
          + droppedCount
          + ", queued="
          + queued
          + "}";
    }
  }

  private static void checkCount(String name, long count) {
    checkArgument(count >= 0, "%s must not be negative, got %s", name, count);
  }

  /** {@code a - b}, at least 0: a delta of counters taken in the wrong order is not negative. */
  private static long less(long a, long b) {
    return Math.max(0, a - b);
  }
}
