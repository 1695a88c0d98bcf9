package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.NullPointerTester;
import dev.authcore.model.TokenId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link AsyncAuditListener}: order, drops when full, surviving failures, draining on close. */
@Timeout(60)
class AsyncAuditListenerTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  private static AuditEvent event(int n) {
    return new AuditEvent.TokenCreated(
        Instant.EPOCH.plusMillis(n), "acme", "ann@acme.test", TokenId.fromLong(n), "t" + n, null);
  }

  private static int number(AuditEvent e) {
    return (int) ((AuditEvent.TokenCreated) e).tokenId().asLong();
  }

  @Test
  void delivers_inOrder_onOneDaemonThread() throws Exception {
    List<Integer> seen = new CopyOnWriteArrayList<>();
    List<Thread> threads = new CopyOnWriteArrayList<>();
    CountDownLatch all = new CountDownLatch(1000);
    AsyncAuditListener async =
        AsyncAuditListener.wrap(
            e -> {
              seen.add(number(e));
              threads.add(Thread.currentThread());
              all.countDown();
            },
            1000,
            LONG);
    for (int i = 0; i < 1000; i++) {
      async.onEvent(event(i));
    }
    assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
    async.close(); // the counters are final once the thread has stopped
    assertThat(async.dropped()).isZero();
    assertThat(async.delivered()).isEqualTo(1000);
    assertThat(seen).hasSize(1000).isSorted();
    assertThat(threads.stream().distinct().toList())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.isDaemon()).isTrue();
              assertThat(t.getName()).isEqualTo("auth-core-audit");
              assertThat(t).isNotSameAs(Thread.currentThread());
            });
  }

  @Test
  void blockedDelegate_neverBlocksTheCaller_dropsAndCountsWhenFull() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> seen = new CopyOnWriteArrayList<>();
    AsyncAuditListener async =
        AsyncAuditListener.wrap(
            e -> {
              entered.countDown();
              awaitQuietly(release);
              seen.add(number(e));
            },
            3,
            LONG);
    async.onEvent(event(0)); // taken by the thread, which then blocks in the delegate
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    for (int i = 1; i <= 10; i++) {
      async.onEvent(event(i)); // 1..3 fill the queue, 4..10 are dropped
    }
    assertThat(async.queued()).isEqualTo(3);
    assertThat(async.dropped()).isEqualTo(7);
    release.countDown();
    async.close();
    assertThat(seen).containsExactly(0, 1, 2, 3);
    assertThat(async.dropped()).isEqualTo(7);
    assertThat(async.delivered()).isEqualTo(4);
  }

  @Test
  void failingDelegate_doesNotStopTheThread() throws Exception {
    CountDownLatch all = new CountDownLatch(6);
    List<Integer> seen = new CopyOnWriteArrayList<>();
    AsyncAuditListener async =
        AsyncAuditListener.wrap(
            e -> {
              all.countDown();
              if (number(e) % 2 == 0) {
                throw new IllegalStateException("listener broke on " + number(e));
              }
              if (number(e) == 3) {
                throw new AssertionError("an Error too");
              }
              seen.add(number(e));
            },
            10,
            LONG);
    for (int i = 0; i < 6; i++) {
      async.onEvent(event(i));
    }
    assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
    async.close();
    assertThat(async.failures()).isEqualTo(4);
    assertThat(async.delivered()).isEqualTo(6);
    assertThat(seen).containsExactly(1, 5);
  }

  @Test
  void close_drainsWhatIsQueued_thenDropsLaterEvents() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> seen = new CopyOnWriteArrayList<>();
    AsyncAuditListener async =
        AsyncAuditListener.wrap(
            e -> {
              entered.countDown();
              awaitQuietly(release);
              seen.add(number(e));
            },
            100,
            LONG);
    for (int i = 0; i < 50; i++) {
      async.onEvent(event(i));
    }
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    async.close(); // returns once all 50 are delivered: the drain timeout is 30 s
    assertThat(seen).hasSize(50).isSorted();
    async.onEvent(event(99));
    assertThat(async.dropped()).isEqualTo(1);
    async.close(); // idempotent
    assertThat(seen).hasSize(50);
  }

  @Test
  void close_withAStuckDelegate_givesUpAfterTheBound_andCountsTheRest() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    AsyncAuditListener async =
        AsyncAuditListener.wrap(
            e -> {
              entered.countDown();
              try {
                new CountDownLatch(1).await(); // stuck until interrupted
              } catch (InterruptedException stop) {
                interrupted.countDown();
              }
            },
            10,
            Duration.ZERO);
    for (int i = 0; i < 5; i++) {
      async.onEvent(event(i));
    }
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    async.close();
    assertThat(interrupted.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(async.dropped()).isEqualTo(4); // the first was being delivered
    assertThat(async.queued()).isZero();
  }

  @Test
  void awaitDelivered_returnsOnceWhatWasQueuedIsHandedOver_falseWhileTheDelegateIsStuck()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> seen = new CopyOnWriteArrayList<>();
    AsyncAuditListener async =
        AsyncAuditListener.wrap(
            e -> {
              if (number(e) == 3) {
                awaitQuietly(release);
              }
              seen.add(number(e));
            },
            100,
            LONG);
    try {
      for (int i = 0; i < 3; i++) {
        async.onEvent(event(i));
      }
      assertThat(async.awaitDelivered(LONG)).isTrue();
      assertThat(seen).containsExactly(0, 1, 2); // all written when it returns, none later
      async.onEvent(event(3));
      async.onEvent(event(4));
      assertThat(async.awaitDelivered(Duration.ofMillis(50))).isFalse(); // 3 is stuck
      assertThat(seen).containsExactly(0, 1, 2);
      release.countDown();
      assertThat(async.awaitDelivered(LONG)).isTrue();
      assertThat(seen).containsExactly(0, 1, 2, 3, 4);
      assertThat(async.awaitDelivered(Duration.ZERO)).isTrue(); // nothing queued: at once
      assertThatThrownBy(() -> async.awaitDelivered(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("timeout must not be negative, got PT-0.001S");
    } finally {
      release.countDown();
      async.close();
    }
  }

  /** A delegate that writes to a buffer and shows only what it has flushed. */
  private static final class BufferedSink implements AuditListener, java.io.Flushable {
    final List<Integer> buffered = new CopyOnWriteArrayList<>();
    final List<Integer> flushed = new CopyOnWriteArrayList<>();
    final List<Integer> flushSizes = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void onEvent(AuditEvent event) {
      if (number(event) == 0) {
        awaitQuietly(release); // holds the thread while the test queues the rest
      }
      buffered.add(number(event));
    }

    @Override
    public synchronized void flush() {
      flushSizes.add(buffered.size() - flushed.size());
      flushed.addAll(buffered.subList(flushed.size(), buffered.size()));
    }
  }

  @Test
  void flushableDelegate_flushedWhenTheQueueRunsEmpty_onceForABatch() throws Exception {
    BufferedSink sink = new BufferedSink();
    AsyncAuditListener async = AsyncAuditListener.wrap(sink, 100, LONG);
    try {
      for (int i = 0; i < 50; i++) {
        async.onEvent(event(i)); // 0 holds the thread; 1..49 wait in the queue
      }
      assertThat(async.awaitDelivered(Duration.ofMillis(100))).isFalse();
      sink.release.countDown();
      assertThat(async.awaitDelivered(LONG)).isTrue(); // handed over and flushed
      assertThat(sink.flushed).hasSize(50).isSorted();
      assertThat(sink.flushSizes).containsExactly(50); // one flush for the whole batch
      async.onEvent(event(50));
      assertThat(async.awaitDelivered(LONG)).isTrue();
      assertThat(sink.flushed).hasSize(51);
      assertThat(sink.flushSizes).containsExactly(50, 1); // alone: flushed at once
    } finally {
      sink.release.countDown();
      async.close();
    }
  }

  @Test
  void wrap_refusesBadArguments() {
    AuditListener sink = e -> {};
    assertThatThrownBy(() -> AsyncAuditListener.wrap(sink, 0, LONG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity must be between 1 and 1000000 events, got 0");
    assertThatThrownBy(() -> AsyncAuditListener.wrap(sink, 1_000_001, LONG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 1000001");
    assertThatThrownBy(() -> AsyncAuditListener.wrap(sink, 1, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("drainTimeout must be between zero and one hour, got PT-0.001S");
    assertThatThrownBy(() -> AsyncAuditListener.wrap(sink, 1, Duration.ofHours(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT2H");
    try (AsyncAuditListener once = AsyncAuditListener.wrap(sink, 1, LONG)) {
      assertThatThrownBy(() -> AsyncAuditListener.wrap(once, 1, LONG))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("already an AsyncAuditListener");
    }
  }

  @Test
  void publicMethods_refuseNull() {
    new NullPointerTester()
        .setDefault(Duration.class, LONG)
        .setDefault(int.class, 1)
        .testAllPublicStaticMethods(AsyncAuditListener.class);
    try (AsyncAuditListener async = AsyncAuditListener.wrap(e -> {}, 1, LONG)) {
      new NullPointerTester().testAllPublicInstanceMethods(async);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
