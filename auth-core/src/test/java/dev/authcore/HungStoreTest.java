package dev.authcore;

import static dev.authcore.Deployment.ANN;
import static dev.authcore.Deployment.BOB;
import static dev.authcore.Deployment.OLGA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.ListenerRegistration;
import dev.authcore.spi.StoreListener;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.UsageUpdate;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.testkit.ForwardingTokenStore;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * A store that stops answering (every read and usage write blocks until the test lets it go or the
 * store's timeout of {@value #STORE_TIMEOUT_SECONDS} s passes, as a database behind a partition
 * does): cached tokens keep verifying without waiting, past the cache bound too once the deployment
 * is in outage mode, misses beyond {@code maxConcurrentLoads} fail at once and the others when the
 * store's timeout passes, and everything works again once the store answers, with no restart.
 *
 * <p>The only time guard is each test's {@link Timeout}, in a separate thread: a verification that
 * waits for the hung store is the failure.
 */
class HungStoreTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
  static final int STORE_TIMEOUT_SECONDS = 5;

  /**
   * Forwards to memory until {@link #hang()}; then every call waits until {@link #answer()}, or
   * fails with {@link StoreUnavailableException} after the store's timeout.
   */
  static final class HungStore extends ForwardingTokenStore {
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final java.util.Map<String, AtomicInteger> waiting =
        new java.util.concurrent.ConcurrentHashMap<>();

    /** Calls held now from threads whose name starts with {@code prefix}. */
    int waiting(String prefix) {
      int n = 0;
      for (var e : waiting.entrySet()) {
        if (e.getKey().startsWith(prefix)) {
          n += e.getValue().get();
        }
      }
      return n;
    }

    HungStore() {
      super(new InMemoryTokenStore());
    }

    void hang() {
      gate = new CountDownLatch(1);
    }

    void answer() {
      gate.countDown();
    }

    private void await() {
      CountDownLatch current = gate;
      if (current.getCount() == 0) {
        return;
      }
      AtomicInteger mine =
          waiting.computeIfAbsent(Thread.currentThread().getName(), k -> new AtomicInteger());
      mine.incrementAndGet();
      try {
        if (!current.await(STORE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          throw new StoreUnavailableException("test store: no answer within its timeout");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException("test store: interrupted", e);
      } finally {
        mine.decrementAndGet();
      }
    }

    /** The listener the deployment subscribed, to tell it of changes as a change feed does. */
    volatile @Nullable StoreListener listener;

    @Override
    public ListenerRegistration addListener(StoreListener listener) {
      this.listener = listener;
      return super.addListener(listener);
    }

    StoreListener listener() {
      return Objects.requireNonNull(listener, "the deployment subscribed no listener");
    }

    @Override
    public Optional<TokenRecord> find(TokenId id) {
      await();
      return super.find(id);
    }

    @Override
    public TokenSettings settings(String corp) {
      await();
      return super.settings(corp);
    }

    @Override
    public Set<String> permittedUsers(String corp) {
      await();
      return super.permittedUsers(corp);
    }

    @Override
    public void recordUsage(List<UsageUpdate> batch) {
      await();
      super.recordUsage(batch);
    }
  }

  /** Two ids with equal hash codes: they share a bin in every hash table, whatever its size. */
  private static final TokenId ONE = TokenId.fromLong(0x1234_5678_9abc_def0L);

  private static final TokenId TWIN = TokenId.fromLong(0x1234_5678_9abc_def0L ^ 0x1_0000_0001L);

  private final HungStore store = new HungStore();
  private Deployment d = deployment(Duration.ZERO);
  private final AtomicInteger callerThreads = new AtomicInteger();
  private final ExecutorService callers =
      Executors.newFixedThreadPool(
          4, r -> new Thread(r, "caller-" + callerThreads.incrementAndGet()));

  private Deployment deployment(Duration usageFlushInterval) {
    return new Deployment(
        store,
        b ->
            b.cacheBound(Duration.ofSeconds(10))
                .maxConcurrentLoads(2)
                .usageFlushInterval(usageFlushInterval));
  }

  @AfterEach
  void close() {
    store.answer();
    callers.shutdownNow();
    d.close();
  }

  private boolean authenticated(IssuedToken token, String user) {
    return d.verifier().verify(user, token.revealPlaintext(), CLIENT).isAuthenticated();
  }

  /**
   * Waits (within the test's timeout) until {@code n} calls from threads named {@code prefix…} are
   * held by the hung store.
   */
  private void awaitWaiting(String prefix, int n) throws InterruptedException {
    while (store.waiting(prefix) < n) {
      Thread.sleep(5);
    }
  }

  @Test
  @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
  void storeHangs_cachedKeepVerifying_missesFailFast_thenAllRecover() throws Exception {
    IssuedToken hot = d.issuer().issue(ANN, "hot");
    IssuedToken coldBob = d.issuer().issue(BOB, "cold");
    IssuedToken coldOlga = d.issuer().issue(OLGA, "cold");
    IssuedToken coldAnn = d.issuer().issue(ANN, "cold");
    assertThat(authenticated(hot, ANN)).isTrue();

    d.clock.advance(Duration.ofSeconds(8)); // the next use starts a background refresh...
    store.hang(); // ...which meets a store that does not answer
    assertThat(authenticated(hot, ANN)).isTrue();
    awaitWaiting("auth-core-cache-refresh-", 1);

    // Two misses take both load permits and wait for the store, on their own threads.
    List<Future<Boolean>> held = new ArrayList<>();
    held.add(callers.submit(() -> authenticated(coldBob, BOB)));
    held.add(callers.submit(() -> authenticated(coldOlga, OLGA)));
    awaitWaiting("caller-", 2);
    // A third miss is not attempted: it fails at once instead of joining them.
    assertThatThrownBy(() -> d.verifier().verify(ANN, coldAnn.revealPlaintext(), CLIENT))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("maxConcurrentLoads")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(coldAnn.revealPlaintext()));
    // The cached token keeps verifying while every store call hangs.
    for (int i = 0; i < 10_000; i++) {
      assertThat(authenticated(hot, ANN)).isTrue();
    }
    // The held misses fail closed once the store's timeout passes: a 503, not a hung request.
    for (Future<Boolean> call : held) {
      assertThatThrownBy(call::get).hasCauseInstanceOf(StoreUnavailableException.class);
    }
    while (d.events(AuditEvent.OutageStarted.class).isEmpty()) {
      Thread.sleep(5); // the refresh's timeout ends at about the same time
    }

    // Past the bound, in outage mode: served, without a store read on this thread.
    d.clock.advance(Duration.ofSeconds(4)); // 12 s after the load
    for (int i = 0; i < 10_000; i++) {
      assertThat(authenticated(hot, ANN)).isTrue();
    }

    store.answer();
    assertThat(authenticated(coldBob, BOB)).isTrue();
    assertThat(authenticated(coldOlga, OLGA)).isTrue();
    assertThat(authenticated(coldAnn, ANN)).isTrue();
    assertThat(authenticated(hot, ANN)).isTrue();
    IssuedToken after = d.issuer().issue(BOB, "after");
    assertThat(authenticated(after, BOB)).isTrue();
    // The first successful read ends outage mode; it may be the background probe's, on its own
    // thread, so the event is awaited (bounded) rather than expected at this instant.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (d.events(AuditEvent.OutageEnded.class).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(d.events(AuditEvent.OutageStarted.class)).hasSize(1);
    assertThat(d.events(AuditEvent.OutageEnded.class)).hasSize(1);
  }

  @Test
  @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
  void storeHangs_usageWriterHeld_requestsDoNotWait() throws Exception {
    d.close();
    d = deployment(Duration.ofMillis(100));
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(authenticated(token, ANN)).isTrue();
    store.hang();
    awaitWaiting("auth-core-usage-flush", 1); // the periodic writer is held writing the use
    for (int i = 0; i < 10_000; i++) {
      assertThat(authenticated(token, ANN)).isTrue();
      d.clock.advance(Duration.ofMillis(1)); // each use is a new last use to record
    }
    store.answer();
    d.core.flushUsage();
    assertThat(store.find(token.id()).orElseThrow().lastUsed())
        .isEqualTo(d.clock.instant().minusMillis(1));
  }

  @Test
  @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
  void storeHangs_missesOnIdsSharingAHashBin_readSideBySide() throws Exception {
    assertThat(ONE.hashCode()).isEqualTo(TWIN.hashCode());
    Random random = new Random(13);
    String one = d.core.format.mint(ONE, random);
    String twin = d.core.format.mint(TWIN, random);
    store.hang();
    Future<Verification> first = callers.submit(() -> d.verifier().verify(ANN, one, CLIENT));
    Future<Verification> second = callers.submit(() -> d.verifier().verify(ANN, twin, CLIENT));
    // Both wait in the store at once: neither read waits behind the other's for a lock.
    awaitWaiting("caller-", 2);
    store.answer();
    assertThat(Deployment.reasonOf(first.get())).isEqualTo(RejectionReason.UNKNOWN);
    assertThat(Deployment.reasonOf(second.get())).isEqualTo(RejectionReason.UNKNOWN);
  }

  @Test
  @Timeout(value = 30, threadMode = ThreadMode.SEPARATE_THREAD)
  void storeHangs_changeFeedForgets_doNotWaitForReadsInFlight() throws Exception {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(authenticated(token, ANN)).isTrue(); // token and corp settings cached
    String corp = "acme";
    String corpTwin = sameHashCode(corp);
    store.listener().corpChanged(corp); // the next use reads the corp's settings again
    store.hang();
    Future<Boolean> cornered = callers.submit(() -> authenticated(token, ANN));
    Future<Verification> missing =
        callers.submit(
            () -> d.verifier().verify(ANN, d.core.format.mint(ONE, new Random(3)), CLIENT));
    awaitWaiting("caller-", 2); // a corp read and a token read, both held by the store

    // The feed's thread tells of changes to keys sharing their hash bins: it must not wait.
    store.listener().tokenDeleted(TWIN);
    store.listener().corpChanged(corpTwin);
    assertThat(store.waiting("caller-")).as("both reads still held").isEqualTo(2);

    store.answer();
    assertThat(cornered.get()).isTrue();
    assertThat(Deployment.reasonOf(missing.get())).isEqualTo(RejectionReason.UNKNOWN);
  }

  /** A different string with the same {@code hashCode}: two adjacent characters traded for two. */
  private static String sameHashCode(String s) {
    char[] chars = s.toCharArray();
    chars[0] = (char) (chars[0] + 1);
    chars[1] = (char) (chars[1] - 31);
    String twin = new String(chars);
    assertThat(twin).isNotEqualTo(s);
    assertThat(twin.hashCode()).isEqualTo(s.hashCode());
    return twin;
  }
}
