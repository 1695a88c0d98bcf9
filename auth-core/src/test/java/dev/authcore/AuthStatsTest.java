package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import dev.authcore.spi.FeedStatus;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stats value: derived figures, deltas, checks, equality and its one-line text. */
class AuthStatsTest {
  private static final AuthStats.CacheCounts TOKENS =
      new AuthStats.CacheCounts(90, 10, 9, 1, Duration.ofMillis(20));
  private static final AuthStats.CacheCounts CORPS =
      new AuthStats.CacheCounts(60, 2, 2, 0, Duration.ofMillis(4));
  private static final AuthStats.UsageCounts USAGE = new AuthStats.UsageCounts(3, 40, 1, 2, 5);

  private static Map<RejectionReason, Long> rejections(long each) {
    Map<RejectionReason, Long> m = new EnumMap<>(RejectionReason.class);
    for (RejectionReason reason : RejectionReason.values()) {
      m.put(reason, each);
    }
    return m;
  }

  private static AuthStats stats(long authenticated, long rejectedEach, FeedStatus feed) {
    return new AuthStats(
        authenticated, rejections(rejectedEach), 1, TOKENS, CORPS, 1, 2, USAGE, feed);
  }

  @Test
  void derivedFigures_addUp() {
    AuthStats stats = stats(100, 2, FeedStatus.NONE);
    assertThat(stats.rejectionCount(RejectionReason.EXPIRED)).isEqualTo(2);
    assertThat(stats.rejectionCount()).isEqualTo(2L * RejectionReason.values().length);
    assertThat(stats.verificationCount()).isEqualTo(100 + 2L * RejectionReason.values().length + 1);
    assertThat(TOKENS.requestCount()).isEqualTo(100);
    assertThat(TOKENS.loadCount()).isEqualTo(10);
    assertThat(TOKENS.hitRate()).isEqualTo(0.9);
    assertThat(new AuthStats.CacheCounts(0, 0, 0, 0, Duration.ZERO).hitRate())
        .as("no lookup yet")
        .isEqualTo(1.0);
  }

  @Test
  void minus_countersSubtracted_gaugesFromTheLaterSnapshot() {
    AuthStats earlier =
        new AuthStats(
            10,
            rejections(1),
            0,
            new AuthStats.CacheCounts(5, 5, 5, 0, Duration.ofMillis(5)),
            new AuthStats.CacheCounts(1, 1, 1, 0, Duration.ofMillis(1)),
            0,
            1,
            new AuthStats.UsageCounts(1, 10, 0, 1, 9),
            FeedStatus.connected(1, Duration.ofSeconds(9)));
    AuthStats later = stats(100, 2, FeedStatus.disconnected(3, Duration.ofSeconds(4)));

    AuthStats delta = later.minus(earlier);
    assertThat(delta.authenticatedCount()).isEqualTo(90);
    assertThat(delta.rejectionCounts()).isEqualTo(rejections(1));
    assertThat(delta.failedCount()).isEqualTo(1);
    assertThat(delta.tokenCache())
        .isEqualTo(new AuthStats.CacheCounts(85, 5, 4, 1, Duration.ofMillis(15)));
    assertThat(delta.corpCache())
        .isEqualTo(new AuthStats.CacheCounts(59, 1, 1, 0, Duration.ofMillis(3)));
    assertThat(delta.loadRefusedCount()).isEqualTo(1);
    assertThat(delta.storeFailureCount()).isEqualTo(1);
    assertThat(delta.usage())
        .as("queued is a gauge: the later one's")
        .isEqualTo(new AuthStats.UsageCounts(2, 30, 1, 1, 5));
    assertThat(delta.feed())
        .as("reconnects subtracted; state and lag the later one's")
        .isEqualTo(FeedStatus.disconnected(2, Duration.ofSeconds(4)));
  }

  @Test
  void minus_inTheWrongOrder_neverNegative() {
    AuthStats small = stats(1, 0, FeedStatus.connected(0, Duration.ZERO));
    AuthStats large = stats(5, 3, FeedStatus.connected(4, Duration.ZERO));
    AuthStats delta = small.minus(large);
    assertThat(delta.authenticatedCount()).isZero();
    assertThat(delta.rejectionCount()).isZero();
    assertThat(delta.feed().reconnects()).isZero();
    assertThat(TOKENS.minus(new AuthStats.CacheCounts(99, 99, 99, 99, Duration.ofHours(1))))
        .isEqualTo(new AuthStats.CacheCounts(0, 0, 0, 0, Duration.ZERO));
    assertThat(small.minus(small).verificationCount()).isZero();
  }

  @Test
  void minus_storeWithoutFeed_staysNone() {
    AuthStats none = stats(1, 0, FeedStatus.NONE);
    assertThat(none.minus(stats(0, 0, FeedStatus.connected(3, Duration.ZERO))).feed())
        .isEqualTo(FeedStatus.NONE);
  }

  @Test
  void rejectionCounts_copiedAndEveryReasonRequired() {
    Map<RejectionReason, Long> given = new HashMap<>(rejections(1));
    AuthStats stats = new AuthStats(0, given, 0, TOKENS, CORPS, 0, 0, USAGE, FeedStatus.NONE);
    given.put(RejectionReason.UNKNOWN, 99L);
    assertThat(stats.rejectionCount(RejectionReason.UNKNOWN)).as("a copy").isEqualTo(1);
    assertThatThrownBy(() -> stats.rejectionCounts().put(RejectionReason.UNKNOWN, 5L))
        .isInstanceOf(UnsupportedOperationException.class);

    given.remove(RejectionReason.DISABLED);
    assertThatThrownBy(
            () -> new AuthStats(0, given, 0, TOKENS, CORPS, 0, 0, USAGE, FeedStatus.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rejectionCounts must hold every reason; DISABLED is missing");
  }

  @Test
  void negativeCounts_refusedNamingTheField() {
    assertThatThrownBy(() -> stats(-1, 0, FeedStatus.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("authenticatedCount must not be negative, got -1");
    assertThatThrownBy(() -> stats(0, -2, FeedStatus.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rejectionCounts[MALFORMED] must not be negative, got -2");
    assertThatThrownBy(() -> new AuthStats.CacheCounts(1, -1, 0, 0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("missCount must not be negative, got -1");
    assertThatThrownBy(() -> new AuthStats.CacheCounts(0, 0, 0, 0, Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("totalLoadTime must not be negative, got PT-0.000000001S");
    assertThatThrownBy(() -> new AuthStats.UsageCounts(0, 0, 0, 0, -3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queued must not be negative, got -3");
  }

  @Test
  void equality_byEveryFigure() {
    new EqualsTester()
        .addEqualityGroup(stats(1, 0, FeedStatus.NONE), stats(1, 0, FeedStatus.NONE))
        .addEqualityGroup(stats(2, 0, FeedStatus.NONE))
        .addEqualityGroup(stats(1, 1, FeedStatus.NONE))
        .addEqualityGroup(stats(1, 0, FeedStatus.connected(0, Duration.ZERO)))
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(TOKENS, new AuthStats.CacheCounts(90, 10, 9, 1, Duration.ofMillis(20)))
        .addEqualityGroup(CORPS)
        .testEquals();
    new EqualsTester()
        .addEqualityGroup(USAGE, new AuthStats.UsageCounts(3, 40, 1, 2, 5))
        .addEqualityGroup(new AuthStats.UsageCounts(3, 40, 1, 2, 6))
        .testEquals();
  }

  @Test
  void nulls_refused() {
    NullPointerTester tester =
        new NullPointerTester()
            .setDefault(Map.class, rejections(0))
            .setDefault(AuthStats.CacheCounts.class, TOKENS)
            .setDefault(AuthStats.UsageCounts.class, USAGE)
            .setDefault(FeedStatus.class, FeedStatus.NONE)
            .setDefault(Duration.class, Duration.ZERO);
    tester.testAllPublicConstructors(AuthStats.class);
    tester.testAllPublicInstanceMethods(stats(1, 1, FeedStatus.NONE));
    tester.testAllPublicConstructors(AuthStats.CacheCounts.class);
    tester.testAllPublicInstanceMethods(TOKENS);
    tester.testAllPublicInstanceMethods(USAGE);
  }

  @Test
  void toString_oneLineWithEveryFigure() {
    assertThat(stats(100, 1, FeedStatus.disconnected(2, Duration.ofSeconds(3))))
        .hasToString(
            "AuthStats{authenticated=100, rejected=6 {MALFORMED=1, UNKNOWN=1, INVALID=1,"
                + " EXPIRED=1, DISABLED=1, IP_NOT_ALLOWED=1}, failed=1, tokenCache={hits=90,"
                + " misses=10, loads=9, loadFailures=1, loadTime=PT0.02S}, corpCache={hits=60,"
                + " misses=2, loads=2, loadFailures=0, loadTime=PT0.004S}, loadsRefused=1,"
                + " storeFailures=2, usage={batches=3, updates=40, writeFailures=1, dropped=2,"
                + " queued=5}, feed=DISCONNECTED (reconnects=2, lag=PT3S)}");
    assertThat(stats(0, 0, FeedStatus.NONE).toString()).endsWith(", feed=NONE}");
  }
}
