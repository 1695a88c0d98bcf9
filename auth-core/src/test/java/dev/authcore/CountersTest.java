package dev.authcore;

import static dev.authcore.Deployment.ANN;
import static dev.authcore.Deployment.BOB;
import static dev.authcore.Deployment.OLGA;
import static dev.authcore.Deployment.ZED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.console.TokenConsole;
import dev.authcore.model.Role;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.FeedStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link AuthCore#stats()} counts, through a deployment: each counter moves exactly when it
 * should and by exactly one, and the derived cache hits follow the outcomes.
 */
class CountersTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
  private static final Duration BOUND = Duration.ofSeconds(10);

  private final ManualExecutor refreshes = new ManualExecutor();
  private final ControllableTokenStore store = new ControllableTokenStore(true);
  private Deployment d = deployment(b -> b);

  private Deployment deployment(UnaryOperator<AuthCore.Builder> more) {
    return new Deployment(store, b -> more.apply(b.cacheBound(BOUND).refreshExecutor(refreshes)));
  }

  @AfterEach
  void close() {
    store.failing.set(false);
    d.close();
  }

  private Verification verify(IssuedToken token, String user) {
    return d.verifier().verify(user, token.revealPlaintext(), CLIENT);
  }

  /** The stats' growth over {@code action}. */
  private AuthStats delta(Runnable action) {
    AuthStats before = d.core.stats();
    action.run();
    return d.core.stats().minus(before);
  }

  private static void assertOnlyRejection(AuthStats delta, RejectionReason reason) {
    assertThat(delta.rejectionCount(reason)).as("rejected %s", reason).isEqualTo(1);
    assertThat(delta.rejectionCount()).as("rejections in all").isEqualTo(1);
    assertThat(delta.authenticatedCount()).isZero();
    assertThat(delta.failedCount()).isZero();
    assertThat(delta.verificationCount()).isEqualTo(1);
  }

  private void changeSettings(UnaryOperator<TokenSettings> change) {
    TokenSettings current = store.settings("acme");
    assertThat(store.replaceSettings("acme", current, change.apply(current))).isTrue();
  }

  @Test
  void newDeployment_everyCounterZero_feedAsTheStoreReportsIt() {
    AuthStats stats = d.core.stats();
    assertThat(stats.verificationCount()).isZero();
    assertThat(stats.rejectionCounts()).hasSize(RejectionReason.values().length).containsValue(0L);
    assertThat(stats.tokenCache()).isEqualTo(new AuthStats.CacheCounts(0, 0, 0, 0, Duration.ZERO));
    assertThat(stats.corpCache()).isEqualTo(new AuthStats.CacheCounts(0, 0, 0, 0, Duration.ZERO));
    assertThat(stats.tokenCache().hitRate()).isEqualTo(1.0);
    assertThat(stats.loadRefusedCount()).isZero();
    assertThat(stats.storeFailureCount()).isZero();
    assertThat(stats.usage()).isEqualTo(new AuthStats.UsageCounts(0, 0, 0, 0, 0));
    assertThat(stats.feed()).isEqualTo(FeedStatus.connected(0, Duration.ZERO));
  }

  @Test
  void firstUse_missesAndLoadsBothCaches_secondUse_hitsBoth() {
    IssuedToken token = d.issuer().issue(ANN, "ci");

    AuthStats first = delta(() -> assertThat(verify(token, ANN).isAuthenticated()).isTrue());
    assertThat(first.authenticatedCount()).isEqualTo(1);
    for (AuthStats.CacheCounts cache : List.of(first.tokenCache(), first.corpCache())) {
      assertThat(cache.hitCount()).isZero();
      assertThat(cache.missCount()).isEqualTo(1);
      assertThat(cache.loadSuccessCount()).isEqualTo(1);
      assertThat(cache.loadFailureCount()).isZero();
      assertThat(cache.totalLoadTime()).isPositive();
    }

    AuthStats second = delta(() -> assertThat(verify(token, ANN).isAuthenticated()).isTrue());
    assertThat(second.authenticatedCount()).isEqualTo(1);
    assertThat(second.tokenCache()).isEqualTo(new AuthStats.CacheCounts(1, 0, 0, 0, Duration.ZERO));
    assertThat(second.corpCache()).isEqualTo(new AuthStats.CacheCounts(1, 0, 0, 0, Duration.ZERO));
    assertThat(d.core.stats().tokenCache().hitRate()).isEqualTo(0.5);
  }

  @Test
  void malformed_countedWithoutALookup() {
    AuthStats delta =
        delta(
            () -> {
              d.verifier().verify(ANN, "acme_garbage", CLIENT);
              d.verifier().verify(null, null, CLIENT);
            });
    assertThat(delta.rejectionCount(RejectionReason.MALFORMED)).isEqualTo(2);
    assertThat(delta.rejectionCount()).isEqualTo(2);
    assertThat(delta.tokenCache().requestCount()).isZero();
    assertThat(delta.corpCache().requestCount()).isZero();
  }

  @Test
  void malformedPeerAddress_countedMalformed() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    AuthStats delta =
        delta(() -> d.verifier().verifyWithAddressText(ANN, token.revealPlaintext(), "10.0.0.01"));
    assertOnlyRejection(delta, RejectionReason.MALFORMED);
    assertThat(delta.tokenCache().requestCount()).isZero();
  }

  @Test
  void unknownId_missAndLoadThenRememberedAsAHit() {
    String unknown = d.core.format.mint(TokenId.fromLong(4242), new Random(1));
    AuthStats first = delta(() -> d.verifier().verify(ANN, unknown, CLIENT));
    assertOnlyRejection(first, RejectionReason.UNKNOWN);
    assertThat(first.tokenCache().missCount()).isEqualTo(1);
    assertThat(first.tokenCache().loadSuccessCount()).as("found nothing: a success").isEqualTo(1);
    assertThat(first.corpCache().requestCount()).isZero();

    AuthStats second = delta(() -> d.verifier().verify(ANN, unknown, CLIENT));
    assertOnlyRejection(second, RejectionReason.UNKNOWN);
    assertThat(second.tokenCache()).isEqualTo(new AuthStats.CacheCounts(1, 0, 0, 0, Duration.ZERO));
  }

  @Test
  void invalid_wrongUserOrSecret_tokenLookedUpCorpNot() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    verify(token, ANN);
    AuthStats wrongUser = delta(() -> verify(token, BOB));
    assertOnlyRejection(wrongUser, RejectionReason.INVALID);
    assertThat(wrongUser.tokenCache().hitCount()).isEqualTo(1);
    assertThat(wrongUser.corpCache().requestCount()).isZero();

    String plaintext = token.revealPlaintext();
    String wrongSecret = d.core.format.mint(token.id(), new Random(7));
    assertThat(wrongSecret).isNotEqualTo(plaintext);
    assertOnlyRejection(
        delta(() -> d.verifier().verify(ANN, wrongSecret, CLIENT)), RejectionReason.INVALID);
  }

  @Test
  void policyRejections_eachCountsItsReason_afterACorpLookup() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    verify(token, ANN);

    changeSettings(s -> s.withRestricted(true));
    AuthStats disabled = delta(() -> verify(token, ANN));
    assertOnlyRejection(disabled, RejectionReason.DISABLED);
    assertThat(disabled.corpCache().missCount()).as("the change dropped the corp").isEqualTo(1);

    changeSettings(s -> s.withRestricted(false).withAllowedIps(IpAllowList.parse("192.0.2.0/24")));
    AuthStats blocked = delta(() -> verify(token, ANN));
    assertOnlyRejection(blocked, RejectionReason.IP_NOT_ALLOWED);
    assertThat(blocked.tokenCache().hitCount()).isEqualTo(1);

    changeSettings(s -> s.withAllowedIps(IpAllowList.empty()).withExpiry(ExpiryPolicy.days(30)));
    d.clock.advance(Duration.ofDays(30));
    AuthStats expired = delta(() -> verify(token, ANN));
    assertOnlyRejection(expired, RejectionReason.EXPIRED);
    assertThat(expired.corpCache().requestCount()).isEqualTo(1);
  }

  @Test
  void tokenLoadFails_failedMissLoadFailureAndStoreFailure_noRejection() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    store.failing.set(true);
    AuthStats delta =
        delta(
            () ->
                assertThatThrownBy(() -> verify(token, ANN))
                    .isInstanceOf(StoreUnavailableException.class));
    assertThat(delta.failedCount()).isEqualTo(1);
    assertThat(delta.authenticatedCount()).isZero();
    assertThat(delta.rejectionCount()).isZero();
    assertThat(delta.tokenCache().hitCount()).isZero();
    assertThat(delta.tokenCache().missCount()).isEqualTo(1);
    assertThat(delta.tokenCache().loadSuccessCount()).isZero();
    assertThat(delta.tokenCache().loadFailureCount()).isEqualTo(1);
    assertThat(delta.corpCache().requestCount()).isZero();
    assertThat(delta.storeFailureCount()).isEqualTo(1);
    assertThat(delta.loadRefusedCount()).isZero();
  }

  @Test
  void corpLoadFails_tokenHitStillDerived_corpMissAndLoadFailure() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    verify(token, ANN);
    changeSettings(s -> s.withRestricted(false)); // the store tells the cache: corp dropped
    AuthStats start = d.core.stats();
    store.failing.set(true);
    assertThatThrownBy(() -> verify(token, ANN)).isInstanceOf(StoreUnavailableException.class);
    AuthStats failed = d.core.stats().minus(start);
    assertThat(failed.failedCount()).isEqualTo(1);
    assertThat(failed.tokenCache()).isEqualTo(new AuthStats.CacheCounts(1, 0, 0, 0, Duration.ZERO));
    assertThat(failed.corpCache().hitCount()).isZero();
    assertThat(failed.corpCache().missCount()).isEqualTo(1);
    assertThat(failed.corpCache().loadFailureCount()).isEqualTo(1);
    assertThat(failed.storeFailureCount())
        .as("settings() failed; permittedUsers() not reached")
        .isEqualTo(1);

    // The failed lookup counts among the corp's lookups: a load and a hit after it add up.
    store.failing.set(false);
    assertThat(verify(token, ANN).isAuthenticated()).isTrue(); // a miss, loaded
    assertThat(verify(token, ANN).isAuthenticated()).isTrue(); // a hit
    AuthStats.CacheCounts corp = d.core.stats().minus(start).corpCache();
    assertThat(corp.hitCount()).isEqualTo(1);
    assertThat(corp.missCount()).isEqualTo(2);
    assertThat(corp.loadFailureCount()).isEqualTo(1);
    assertThat(corp.loadSuccessCount()).isEqualTo(1);
  }

  @Test
  void maxConcurrentLoadsReached_refusedLoadCountedAsAMissAndAFailure_notAStoreFailure()
      throws Exception {
    d.close();
    d = deployment(b -> b.maxConcurrentLoads(1));
    IssuedToken held = d.issuer().issue(ANN, "held");
    IssuedToken refused = d.issuer().issue(BOB, "refused");
    ControllableTokenStore.Hold hold = store.holdNextFind(held.id());
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Future<Verification> holding = other.submit(() -> verify(held, ANN));
      assertThat(hold.awaitReached(10)).isTrue();
      AuthStats delta =
          delta(
              () ->
                  assertThatThrownBy(() -> verify(refused, BOB))
                      .isInstanceOf(StoreUnavailableException.class)
                      .hasMessageContaining("maxConcurrentLoads"));
      assertThat(delta.loadRefusedCount()).isEqualTo(1);
      assertThat(delta.failedCount()).isEqualTo(1);
      assertThat(delta.tokenCache().missCount()).isEqualTo(1);
      assertThat(delta.tokenCache().loadCount()).as("the held load has not ended").isZero();
      assertThat(delta.storeFailureCount()).isZero();
      hold.release();
      assertThat(holding.get(10, TimeUnit.SECONDS).isAuthenticated()).isTrue();
    } finally {
      hold.release();
      other.shutdownNow();
    }
  }

  @Test
  void storeFailures_everyKindOfCallCounted() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    verify(token, ANN); // cached, and a use queued
    store.failing.set(true);

    assertThat(
            delta(
                    () ->
                        assertThatThrownBy(() -> d.issuer().issue(ANN, "ci2"))
                            .isInstanceOf(StoreUnavailableException.class))
                .storeFailureCount())
        .as("issuer")
        .isEqualTo(1);
    assertThat(
            delta(
                    () ->
                        assertThatThrownBy(() -> TokenConsole.of(d.core).listOwn(ANN))
                            .isInstanceOf(StoreUnavailableException.class))
                .storeFailureCount())
        .as("console")
        .isEqualTo(1);
    AuthStats write =
        delta(
            () ->
                assertThatThrownBy(d.core::flushUsage)
                    .isInstanceOf(StoreUnavailableException.class));
    assertThat(write.storeFailureCount()).as("usage write").isEqualTo(1);
    assertThat(write.usage().writeFailureCount()).isEqualTo(1);
    assertThat(write.usage().batchCount()).isZero();

    d.clock.advance(BOUND.multipliedBy(3).dividedBy(4)); // a use now refreshes in the background
    AuthStats refresh =
        delta(
            () -> {
              assertThat(verify(token, ANN).isAuthenticated()).isTrue();
              assertThat(refreshes.runPending()).isEqualTo(2);
            });
    assertThat(refresh.storeFailureCount()).as("token and corp refreshes").isEqualTo(2);
    assertThat(refresh.tokenCache().loadFailureCount()).isEqualTo(1);
    assertThat(refresh.corpCache().loadFailureCount()).isEqualTo(1);
    assertThat(refresh.tokenCache().missCount()).as("served while refreshed: hits").isZero();
    assertThat(refresh.tokenCache().hitCount()).isEqualTo(1);
    assertThat(refresh.authenticatedCount()).isEqualTo(1);
  }

  @Test
  void usageWrites_batchesAndUpdatesCounted_queueIsAGauge() {
    IssuedToken ann = d.issuer().issue(ANN, "ci");
    IssuedToken olga = d.issuer().issue(OLGA, "ci");
    verify(ann, ANN);
    verify(olga, OLGA);
    verify(ann, ANN); // the same token: queued once
    assertThat(d.core.stats().usage().queued()).isEqualTo(2);

    AuthStats flushed = delta(d.core::flushUsage);
    assertThat(flushed.usage()).isEqualTo(new AuthStats.UsageCounts(1, 2, 0, 0, 0));
    AuthStats nothing = delta(d.core::flushUsage);
    assertThat(nothing.usage()).isEqualTo(new AuthStats.UsageCounts(0, 0, 0, 0, 0));
  }

  @Test
  void usageQueueFull_eachUseNotQueuedCountedDropped() {
    d.close();
    // The usage queue holds max(maxCachedTokens, 10,000) tokens.
    d = deployment(b -> b.maxTokensPerUser(100).maxCachedTokens(UsageRecorder.MIN_CAPACITY));
    int users = UsageRecorder.MIN_CAPACITY / 100 + 1; // one user's tokens more than the queue holds
    List<IssuedToken> tokens = new ArrayList<>();
    List<String> owners = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      String user = "user" + u + "@acme.example";
      d.users.add("acme", user, Role.USER);
      for (int t = 0; t < 100; t++) {
        tokens.add(d.issuer().issue(user, "t" + t));
        owners.add(user);
      }
    }
    AuthStats delta =
        delta(
            () -> {
              for (int i = 0; i < tokens.size(); i++) {
                assertThat(verify(tokens.get(i), owners.get(i)).isAuthenticated()).isTrue();
              }
            });
    assertThat(delta.usage().droppedCount()).isEqualTo(tokens.size() - UsageRecorder.MIN_CAPACITY);
    assertThat(delta.usage().queued()).isEqualTo(UsageRecorder.MIN_CAPACITY);
    assertThat(delta.authenticatedCount()).isEqualTo(tokens.size());
  }

  @Test
  void concurrentVerifications_countsAddUp_hitsAreLookupsLessMisses() throws Exception {
    List<IssuedToken> tokens = new ArrayList<>();
    for (String user : List.of(ANN, BOB, OLGA)) {
      tokens.add(d.issuer().issue(user, "ci"));
    }
    IssuedToken other = d.issuer().issue(ZED, "ci");
    List<String> users = List.of(ANN, BOB, OLGA);
    int threads = 4;
    int perThread = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        runs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    int k = i % 4;
                    if (k == 3) {
                      d.verifier().verify(ANN, other.revealPlaintext(), CLIENT); // INVALID
                    } else {
                      verify(tokens.get(k), users.get(k));
                    }
                  }
                }));
      }
      for (Future<?> run : runs) {
        run.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    AuthStats stats = d.core.stats();
    long total = (long) threads * perThread;
    assertThat(stats.verificationCount()).isEqualTo(total);
    assertThat(stats.rejectionCount(RejectionReason.INVALID)).isEqualTo(total / 4);
    assertThat(stats.authenticatedCount()).isEqualTo(total - total / 4);
    assertThat(stats.tokenCache().requestCount()).isEqualTo(total);
    // A miss per token and thread at most (threads missing together share one load).
    assertThat(stats.tokenCache().missCount()).isBetween(4L, 4L * threads);
    assertThat(stats.tokenCache().loadCount()).isBetween(4L, 4L * threads);
    assertThat(stats.tokenCache().hitCount())
        .isEqualTo(stats.tokenCache().requestCount() - stats.tokenCache().missCount());
    assertThat(stats.corpCache().requestCount()).isEqualTo(stats.authenticatedCount());
  }
}
