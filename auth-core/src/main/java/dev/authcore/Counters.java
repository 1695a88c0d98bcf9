package dev.authcore;

import dev.authcore.spi.FeedStatus;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters behind {@link AuthStats}: written by the verifier, the cache and the deployment's
 * store wrapper, read only when someone asks for stats.
 *
 * <p>The request path pays for one counter per verification, its outcome: a {@link LongAdder}
 * increment, which takes no lock, allocates nothing once warm and spreads contended updates over
 * cells. Cache hits are not counted: they are what is left of the lookups (derived from the
 * outcomes) once the misses (counted on the slow path only) are taken away.
 *
 * <p>Thread-safe.
 */
final class Counters {
  private final LongAdder authenticated = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final LongAdder unknown = new LongAdder();
  private final LongAdder invalid = new LongAdder();
  private final LongAdder expired = new LongAdder();
  private final LongAdder disabled = new LongAdder();
  private final LongAdder ipNotAllowed = new LongAdder();

  /** Verifications that threw instead of answering. */
  private final LongAdder failed = new LongAdder();

  /** Those of {@link #failed} that threw while looking up the corp's settings. */
  private final LongAdder failedAtCorp = new LongAdder();

  final Cache tokens = new Cache();
  final Cache corps = new Cache();
  private final LongAdder loadsRefused = new LongAdder();
  private final LongAdder storeFailures = new LongAdder();

  /** The counts of one cache. */
  static final class Cache {
    private final LongAdder misses = new LongAdder();
    private final LongAdder loadSuccesses = new LongAdder();
    private final LongAdder loadFailures = new LongAdder();
    private final LongAdder loadNanos = new LongAdder();

    /** A lookup on a request thread that needed a store read (made, failed or refused). */
    void missed() {
      misses.increment();
    }

    /** A store read of an entry answered (found or not) after {@code nanos}. */
    void loaded(long nanos) {
      loadSuccesses.increment();
      loadNanos.add(nanos);
    }

    /** A store read of an entry threw after {@code nanos}. */
    void loadFailed(long nanos) {
      loadFailures.increment();
      loadNanos.add(nanos);
    }

    /** A snapshot, with {@code lookups} (derived by the caller) giving the hits. */
    AuthStats.CacheCounts snapshot(long lookups, long missCount) {
      return new AuthStats.CacheCounts(
          Math.max(0, lookups - missCount),
          missCount,
          loadSuccesses.sum(),
          loadFailures.sum(),
          Duration.ofNanos(loadNanos.sum()));
    }
  }

  /** The hit path's one counter update. */
  void authenticated() {
    authenticated.increment();
  }

  void rejected(RejectionReason reason) {
    rejections(reason).increment();
  }

  private LongAdder rejections(RejectionReason reason) {
    return switch (reason) {
      case MALFORMED -> malformed;
      case UNKNOWN -> unknown;
      case INVALID -> invalid;
      case EXPIRED -> expired;
      case DISABLED -> disabled;
      case IP_NOT_ALLOWED -> ipNotAllowed;
    };
  }

  /** A verification threw instead of answering. */
  void failed() {
    failed.increment();
  }

  /** A verification threw looking up the corp's settings (and is also counted as failed). */
  void failedAtCorp() {
    failedAtCorp.increment();
  }

  /** A load not attempted because {@code maxConcurrentLoads} loads were under way. */
  void loadRefused() {
    loadsRefused.increment();
  }

  /** A store call the deployment made threw {@code StoreUnavailableException}. */
  void storeFailed() {
    storeFailures.increment();
  }

  /**
   * The counters now, with the usage writer's and the store's feed's own figures. The outcomes are
   * read before the misses subtracted from them: a verification counts its miss before its outcome,
   * so one finishing while this runs can make a hit count lag by one, never run ahead.
   */
  AuthStats snapshot(AuthStats.UsageCounts usage, FeedStatus feed) {
    long corpFailures = failedAtCorp.sum();
    long failures = failed.sum();
    long authenticatedCount = authenticated.sum();
    Map<RejectionReason, Long> rejected = new EnumMap<>(RejectionReason.class);
    for (RejectionReason reason : RejectionReason.values()) {
      rejected.put(reason, rejections(reason).sum());
    }
    long tokenMisses = tokens.misses.sum();
    long corpMisses = corps.misses.sum();
    // Every verification that got past the format check looked the token up once; every one that
    // got past the secret and owner checks looked the corp up once (see TokenVerifier.verify).
    long afterCorp =
        authenticatedCount
            + rejected.getOrDefault(RejectionReason.EXPIRED, 0L)
            + rejected.getOrDefault(RejectionReason.DISABLED, 0L)
            + rejected.getOrDefault(RejectionReason.IP_NOT_ALLOWED, 0L);
    long tokenLookups =
        afterCorp
            + rejected.getOrDefault(RejectionReason.UNKNOWN, 0L)
            + rejected.getOrDefault(RejectionReason.INVALID, 0L)
            + failures;
    long corpLookups = afterCorp + corpFailures;
    return new AuthStats(
        authenticatedCount,
        rejected,
        failures,
        tokens.snapshot(tokenLookups, tokenMisses),
        corps.snapshot(corpLookups, corpMisses),
        loadsRefused.sum(),
        storeFailures.sum(),
        usage,
        feed);
  }
}
