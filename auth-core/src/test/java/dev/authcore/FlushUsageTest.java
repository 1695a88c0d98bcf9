package dev.authcore;

import static dev.authcore.Deployment.ANN;
import static dev.authcore.Deployment.BOB;
import static dev.authcore.Deployment.OLGA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.HungStoreTest.HungStore;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.spi.UsageUpdate;
import dev.authcore.testkit.ForwardingTokenStore;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * {@code flushUsage()} from many threads while the store's usage write hangs, as the reference
 * gateway's listings call it during a database freeze: the callers share one write and finish in
 * about one store timeout together, never one timeout after another; in outage mode a call fails at
 * once without calling the store; and each call returns only once the uses recorded before it are
 * written.
 */
class FlushUsageTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
  private static final int CALLERS = 4;

  /** A hung store, counting the usage batches it was asked to write (held ones included). */
  private static final class CountingStore extends ForwardingTokenStore {
    final HungStore hung;
    final AtomicInteger usageCalls = new AtomicInteger();

    CountingStore(HungStore hung) {
      super(hung);
      this.hung = hung;
    }

    @Override
    public void recordUsage(List<UsageUpdate> batch) {
      usageCalls.incrementAndGet();
      super.recordUsage(batch);
    }
  }

  private final CountingStore store = new CountingStore(new HungStore());
  private final Deployment d = new Deployment(store, b -> b);
  private final AtomicInteger threads = new AtomicInteger();
  private final ExecutorService callers =
      Executors.newFixedThreadPool(
          CALLERS + 1, r -> new Thread(r, "caller-" + threads.incrementAndGet()));

  @AfterEach
  void close() {
    store.hung.answer();
    callers.shutdownNow();
    d.close();
  }

  private void use(IssuedToken token, String user) {
    assertThat(d.verifier().verify(user, token.revealPlaintext(), CLIENT).isAuthenticated())
        .isTrue();
  }

  private void awaitHeldWrites(int n) throws InterruptedException {
    while (store.hung.waiting("caller-") < n) {
      Thread.sleep(5);
    }
  }

  @Test
  @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
  void concurrentFlushes_storeHangs_allFailInAboutOneStoreTimeout() throws Exception {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    use(token, ANN);
    store.hung.hang();
    List<Future<?>> calls = new ArrayList<>();
    calls.add(callers.submit(d.core::flushUsage));
    awaitHeldWrites(1); // the first caller writes and waits for the store
    for (int i = 1; i < CALLERS; i++) {
      calls.add(callers.submit(d.core::flushUsage));
    }
    for (Future<?> call : calls) {
      assertThatThrownBy(call::get)
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(StoreUnavailableException.class);
    }
    // One store timeout for all of them: every caller failed with the one write the store was
    // asked for. Callers one after another would each have written the use, still queued after
    // the failure, and taken a timeout each.
    assertThat(store.usageCalls.get()).as("usage writes attempted").isEqualTo(1);

    store.hung.answer(); // the use stayed queued: written by the next flush
    d.core.flushUsage();
    assertThat(store.find(token.id()).orElseThrow().lastUsed()).isEqualTo(Deployment.START);
  }

  @Test
  @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
  void flushUnderWay_laterCallersShareOneWrite_eachReturnsWithItsUsesWritten() throws Exception {
    IssuedToken first = d.issuer().issue(ANN, "first");
    IssuedToken second = d.issuer().issue(BOB, "second");
    use(first, ANN);
    use(second, BOB); // both cached now
    d.core.flushUsage();
    d.clock.advance(Duration.ofSeconds(1));
    use(first, ANN);
    store.hung.hang();
    Future<?> writing = callers.submit(d.core::flushUsage);
    awaitHeldWrites(1); // it has taken the queue (the first token) and waits for the store
    d.clock.advance(Duration.ofSeconds(1));
    use(second, BOB); // recorded after the write under way took the queue
    List<Future<?>> later = new ArrayList<>();
    for (int i = 0; i < CALLERS; i++) {
      later.add(callers.submit(d.core::flushUsage));
    }
    Thread.sleep(200); // let them arrive: none may start a write of its own meanwhile
    assertThat(store.hung.waiting("caller-")).as("writes held").isEqualTo(1);

    store.hung.answer();
    writing.get(10, TimeUnit.SECONDS);
    for (Future<?> call : later) {
      call.get(10, TimeUnit.SECONDS);
    }
    assertThat(store.usageCalls.get())
        .as("the first flush, the write under way, then one for all the others")
        .isEqualTo(3);
    assertThat(store.find(first.id()).orElseThrow().lastUsed())
        .isEqualTo(Deployment.START.plusSeconds(1));
    assertThat(store.find(second.id()).orElseThrow().lastUsed())
        .isEqualTo(Deployment.START.plusSeconds(2));
  }

  @Test
  @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
  void outageMode_flushFailsAtOnceWithoutCallingTheStore_thenWritesOnceTheStoreAnswers()
      throws Exception {
    IssuedToken hot = d.issuer().issue(ANN, "hot");
    IssuedToken cold = d.issuer().issue(OLGA, "cold");
    use(hot, ANN); // queued for writing
    store.hung.hang();
    // A miss waits for the store's timeout, fails, and puts the deployment in outage mode.
    assertThatThrownBy(() -> d.verifier().verify(OLGA, cold.revealPlaintext(), CLIENT))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(d.events(AuditEvent.OutageStarted.class)).hasSize(1);

    int attempted = store.usageCalls.get();
    // "outage mode" is the refusal thrown before any store call or wait, so none of these waited.
    for (int i = 0; i < CALLERS; i++) {
      assertThatThrownBy(d.core::flushUsage)
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("outage mode");
    }
    assertThat(store.usageCalls.get()).as("no write attempted").isEqualTo(attempted);

    store.hung.answer();
    // The probe the failed calls started (or the next one, a second of the clock later) reads the
    // store, and its success ends outage mode.
    while (true) {
      try {
        d.core.flushUsage();
        break;
      } catch (StoreUnavailableException e) {
        d.clock.advance(Duration.ofSeconds(1));
        Thread.sleep(20);
      }
    }
    assertThat(d.events(AuditEvent.OutageEnded.class)).hasSize(1);
    assertThat(store.find(hot.id()).orElseThrow().lastUsed()).isNotNull();
  }

  @Test
  void outageMode_nothingQueued_returns() {
    ControllableTokenStore failing = new ControllableTokenStore(true);
    try (Deployment down = new Deployment(failing, b -> b)) {
      IssuedToken cold = down.issuer().issue(ANN, "cold");
      failing.failing.set(true);
      assertThatThrownBy(() -> down.verifier().verify(ANN, cold.revealPlaintext(), CLIENT))
          .isInstanceOf(StoreUnavailableException.class);
      assertThat(down.events(AuditEvent.OutageStarted.class)).hasSize(1);
      down.core.flushUsage(); // nothing recorded: nothing to write, nothing to refuse
      failing.failing.set(false);
    }
  }
}
