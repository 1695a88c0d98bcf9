package dev.authcore;

import static dev.authcore.Deployment.ANN;
import static dev.authcore.Deployment.BOB;
import static dev.authcore.Deployment.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.NullPointerTester;
import dev.authcore.AuthHealth.Status;
import dev.authcore.HungStoreTest.HungStore;
import dev.authcore.model.Role;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.spi.FeedStatus;
import dev.authcore.testkit.ForwardingTokenStore;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * {@link AuthCore#health()} on a hand-moved clock: the status rules of {@link AuthHealth} as the
 * store fails, hangs and comes back, as the feed disconnects and as the usage queue fills; and the
 * value's own checks.
 */
class AuthHealthTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
  private static final Duration GRACE = Duration.ofSeconds(60);

  /** The controllable store, whose feed status the test sets. */
  private static final class FeedStore extends ForwardingTokenStore {
    volatile FeedStatus feed = FeedStatus.NONE;

    FeedStore(ControllableTokenStore inner) {
      super(inner);
    }

    @Override
    public FeedStatus feedStatus() {
      return feed;
    }
  }

  private final ControllableTokenStore store = new ControllableTokenStore(true);
  private final FeedStore feedStore = new FeedStore(store);
  private final ManualExecutor refreshes = new ManualExecutor();
  private Deployment d = deployment(b -> b);

  private Deployment deployment(UnaryOperator<AuthCore.Builder> more) {
    return new Deployment(
        feedStore,
        b ->
            more.apply(b.cacheBound(Duration.ofSeconds(10)).outageGrace(GRACE))
                .refreshExecutor(refreshes));
  }

  @AfterEach
  void close() {
    store.failing.set(false);
    d.close();
  }

  private AuthHealth health() {
    return d.core.health();
  }

  /** A miss on a failing store: the read fails and the deployment enters outage mode. */
  private void failARead() {
    IssuedToken cold = d.issuer().issue(BOB, "cold-" + d.clock.millis());
    store.failing.set(true);
    assertThatThrownBy(() -> d.verifier().verify(BOB, cold.revealPlaintext(), CLIENT))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void healthyDeployment_up_withTheFactsBehindIt() {
    AuthHealth fresh = health();
    assertThat(fresh.status()).isEqualTo(Status.UP);
    assertThat(fresh.problems()).isEmpty();
    assertThat(fresh.checkedAt()).isEqualTo(START);
    assertThat(fresh.store()).isEqualTo(new AuthHealth.Store(true, null, null, null, GRACE));
    assertThat(fresh.feed()).isEqualTo(FeedStatus.NONE);
    assertThat(fresh.usage())
        .isEqualTo(new AuthHealth.Usage(0, UsageRecorder.capacityFor(100_000), 0, null));

    d.clock.advance(Duration.ofSeconds(5));
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
        .isTrue();
    d.core.flushUsage();
    AuthHealth later = health();
    assertThat(later.status()).isEqualTo(Status.UP);
    assertThat(later.store().lastSuccess()).isEqualTo(START.plusSeconds(5));
    assertThat(later.store().lastFailure()).isNull();
    assertThat(later.usage().lastFlush()).isEqualTo(START.plusSeconds(5));
    assertThat(later.usage().queued()).isZero();
  }

  @Test
  void readFails_degradedWithinGrace_downOnceGraceRunsOut_upWhenAStoreCallAnswers() {
    failARead();
    AuthHealth outage = health();
    assertThat(outage.status()).isEqualTo(Status.DEGRADED);
    assertThat(outage.store().reachable()).isFalse();
    assertThat(outage.store().outageSince()).isEqualTo(START);
    assertThat(outage.store().lastFailure()).isEqualTo(START);
    assertThat(outage.problems())
        .singleElement()
        .asString()
        .contains("outage mode since " + START)
        .contains("served up to PT1M past the cache bound");

    d.clock.advance(GRACE.minusMillis(1));
    assertThat(health().status()).isEqualTo(Status.DEGRADED);
    d.clock.advance(Duration.ofMillis(1)); // since + grace: it has run out
    AuthHealth down = health();
    assertThat(down.status()).isEqualTo(Status.DOWN);
    assertThat(down.checkedAt()).isEqualTo(START.plus(GRACE));
    assertThat(down.problems()).singleElement().asString().contains("longer than the outage grace");

    store.failing.set(false);
    d.clock.advance(Duration.ofSeconds(1));
    d.issuer().issue(ANN, "back"); // any call that answers ends outage mode
    AuthHealth back = health();
    assertThat(back.status()).isEqualTo(Status.UP);
    assertThat(back.store())
        .isEqualTo(
            new AuthHealth.Store(true, START.plus(GRACE).plusSeconds(1), START, null, GRACE));
    assertThat(d.events(AuditEvent.OutageEnded.class))
        .containsExactly(new AuditEvent.OutageEnded(START.plus(GRACE).plusSeconds(1), START));
  }

  @Test
  void noOutageGrace_readFails_downAtOnce() {
    d.close();
    d = deployment(b -> b.outageGrace(Duration.ZERO));
    failARead();
    AuthHealth down = health();
    assertThat(down.status()).isEqualTo(Status.DOWN);
    assertThat(down.problems()).singleElement().asString().contains("outage grace is zero");
  }

  @Test
  void writeFails_degradedWithoutOutageMode_upOnTheNextAnswer() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
        .isTrue();
    store.failing.set(true);
    d.clock.advance(Duration.ofSeconds(2));
    assertThatThrownBy(d.core::flushUsage).isInstanceOf(StoreUnavailableException.class);
    AuthHealth failed = health();
    assertThat(failed.status()).isEqualTo(Status.DEGRADED);
    assertThat(failed.store().reachable()).isFalse();
    assertThat(failed.store().outageSince()).isNull();
    assertThat(failed.store().lastFailure()).isEqualTo(START.plusSeconds(2));
    assertThat(failed.problems()).singleElement().asString().contains("other than a cache read");

    store.failing.set(false);
    d.core.flushUsage();
    assertThat(health().status()).isEqualTo(Status.UP);
    assertThat(health().store().reachable()).isTrue();
  }

  @Test
  void feedDisconnected_degraded_noFeedOrConnected_up() {
    feedStore.feed = FeedStatus.disconnected(2, Duration.ofSeconds(40));
    AuthHealth lost = health();
    assertThat(lost.status()).isEqualTo(Status.DEGRADED);
    assertThat(lost.feed()).isEqualTo(FeedStatus.disconnected(2, Duration.ofSeconds(40)));
    assertThat(lost.problems())
        .singleElement()
        .asString()
        .contains("change feed is disconnected (caught up PT40S ago)");

    feedStore.feed = FeedStatus.connected(3, Duration.ofMillis(20));
    assertThat(health().status()).isEqualTo(Status.UP);
    feedStore.feed = FeedStatus.NONE;
    assertThat(health().status()).isEqualTo(Status.UP);
  }

  @Test
  void usageQueueOverHalfFullAndDropping_degraded_untilWritten() {
    d.close();
    // The usage queue holds max(maxCachedTokens, 10,000) tokens: fill it past the brim.
    d = deployment(b -> b.maxTokensPerUser(100).maxCachedTokens(UsageRecorder.MIN_CAPACITY));
    List<IssuedToken> tokens = new ArrayList<>();
    List<String> owners = new ArrayList<>();
    for (int u = 0; u <= UsageRecorder.MIN_CAPACITY / 100; u++) {
      String user = "user" + u + "@acme.example";
      d.users.add("acme", user, Role.USER);
      for (int t = 0; t < 100; t++) {
        tokens.add(d.issuer().issue(user, "t" + t));
        owners.add(user);
      }
    }
    for (int i = 0; i < tokens.size(); i++) {
      d.verifier().verify(owners.get(i), tokens.get(i).revealPlaintext(), CLIENT);
    }
    AuthHealth full = health();
    assertThat(full.status()).isEqualTo(Status.DEGRADED);
    assertThat(full.usage().queued()).isEqualTo(UsageRecorder.MIN_CAPACITY);
    assertThat(full.usage().capacity()).isEqualTo(UsageRecorder.MIN_CAPACITY);
    assertThat(full.usage().droppedSinceLastFlush())
        .isEqualTo(tokens.size() - UsageRecorder.MIN_CAPACITY);
    assertThat(full.problems()).hasSize(2);
    assertThat(full.problems().get(0)).contains("100 token uses were not queued");
    assertThat(full.problems().get(1)).contains("more than half full: 10000 of 10000");

    d.core.flushUsage();
    AuthHealth written = health();
    assertThat(written.status()).isEqualTo(Status.UP);
    assertThat(written.usage().droppedSinceLastFlush()).isZero();
    assertThat(d.core.stats().usage().droppedCount()).as("the counter keeps them").isEqualTo(100);
  }

  @Test
  void closed_down() {
    d.close();
    AuthHealth closed = health();
    assertThat(closed.status()).isEqualTo(Status.DOWN);
    assertThat(closed.problems()).containsExactly("the deployment is closed");
  }

  @Test
  @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
  void storeHangs_healthAnswersAtOnceWithoutCallingIt() throws Exception {
    HungStore hung = new HungStore();
    Deployment onHung = new Deployment(hung, b -> b);
    try {
      IssuedToken token = onHung.issuer().issue(ANN, "ci");
      assertThat(onHung.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
          .isTrue();
      hung.hang();
      String thread = Thread.currentThread().getName();
      // Neither call reaches the store: no thread of this test ever waits in the hung store (and
      // the class's timeout fails the test if one did).
      for (int i = 0; i < 100; i++) {
        AuthHealth health = onHung.core.health();
        onHung.core.stats();
        assertThat(health.status()).isEqualTo(Status.UP);
        assertThat(hung.waiting(thread)).isZero();
      }
    } finally {
      hung.answer(); // first: closing writes the queued use
      onHung.close();
    }
  }

  // ---- the value ------------------------------------------------------------------------------

  private static final AuthHealth.Store STORE =
      new AuthHealth.Store(true, null, null, null, Duration.ZERO);
  private static final AuthHealth.Usage USAGE = new AuthHealth.Usage(0, 10, 0, null);

  @Test
  void value_statusAndProblemsAgree() {
    Instant at = START;
    assertThat(new AuthHealth(Status.UP, at, List.of(), STORE, FeedStatus.NONE, USAGE).problems())
        .isEmpty();
    assertThatThrownBy(
            () -> new AuthHealth(Status.UP, at, List.of("x"), STORE, FeedStatus.NONE, USAGE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("status UP with 1 problems: UP has none, DEGRADED and DOWN at least one");
    assertThatThrownBy(
            () -> new AuthHealth(Status.DOWN, at, List.of(), STORE, FeedStatus.NONE, USAGE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("status DOWN with 0 problems");
    List<String> problems = new ArrayList<>(List.of("a"));
    AuthHealth degraded =
        new AuthHealth(Status.DEGRADED, at, problems, STORE, FeedStatus.NONE, USAGE);
    problems.add("b");
    assertThat(degraded.problems()).as("a copy").containsExactly("a");
  }

  @Test
  void value_badFigures_refusedSayingWhich() {
    assertThatThrownBy(() -> new AuthHealth.Usage(-1, 10, 0, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queued must not be negative, got -1");
    assertThatThrownBy(() -> new AuthHealth.Usage(0, 0, 0, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity must be at least 1, got 0");
    assertThatThrownBy(() -> new AuthHealth.Usage(0, 10, -5, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("droppedSinceLastFlush must not be negative, got -5");
    assertThatThrownBy(() -> new AuthHealth.Store(true, null, null, null, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("outageGrace must not be negative, got PT-1S");
  }

  @Test
  void value_nulls_refusedWhereNotMeant() {
    NullPointerTester tester =
        new NullPointerTester()
            .setDefault(Instant.class, START)
            .setDefault(Duration.class, Duration.ZERO)
            .setDefault(List.class, List.of())
            .setDefault(Status.class, Status.UP)
            .setDefault(AuthHealth.Store.class, STORE)
            .setDefault(AuthHealth.Usage.class, USAGE)
            .setDefault(FeedStatus.class, FeedStatus.NONE);
    tester.testAllPublicConstructors(AuthHealth.class);
    tester.testAllPublicConstructors(AuthHealth.Store.class);
    tester.testAllPublicConstructors(AuthHealth.Usage.class);
  }
}
