package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.net.ClientAddresses;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.UsageUpdate;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.testkit.ForwardingTokenStore;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How recorded use reaches the store: in batches, each token once, kept queued on failure. */
class UsageRecorderTest {
  private static final InetAddress CLIENT = ClientAddresses.parse("192.0.2.1");
  private static final long USED_AT = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();

  /** An in-memory store that remembers the size of every usage batch and can be made to fail. */
  private static final class BatchCountingStore extends ForwardingTokenStore {
    final InMemoryTokenStore delegate;
    final List<Integer> batchSizes = new ArrayList<>();
    int failAtCall = -1;

    BatchCountingStore() {
      this(new InMemoryTokenStore());
    }

    private BatchCountingStore(InMemoryTokenStore delegate) {
      super(delegate);
      this.delegate = delegate;
    }

    @Override
    public void recordUsage(List<UsageUpdate> batch) {
      if (batchSizes.size() == failAtCall) {
        failAtCall = -1;
        throw new StoreUnavailableException("store down");
      }
      batchSizes.add(batch.size());
      super.recordUsage(batch);
    }
  }

  private final BatchCountingStore store = new BatchCountingStore();
  private final InstantSource clock = InstantSource.fixed(Instant.parse("2026-03-02T00:00:00Z"));
  private final StoreOutage outage =
      new StoreOutage(clock, new AuditPublisher(List.of(), clock), Duration.ZERO);
  private final AtomicInteger probes = new AtomicInteger();
  private final UsageRecorder recorder = recorder(UsageRecorder.MIN_CAPACITY);

  private UsageRecorder recorder(int capacity) {
    return new UsageRecorder(store, capacity, clock, outage, probes::incrementAndGet);
  }

  private List<CachedToken> usedTokens(int count) {
    return usedTokens(count, recorder);
  }

  private List<CachedToken> usedTokens(int count, UsageRecorder recorder) {
    List<CachedToken> tokens = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TokenRecord record =
          new TokenRecord(
              TokenId.fromLong(i + 1),
              "acme",
              "user" + i + "@example.com",
              "t",
              Instant.parse("2026-01-01T00:00:00Z"),
              null,
              SecretHash.of(SecretHash.Algorithm.SHA256, null, new byte[32]),
              null,
              List.of());
      store.delegate.insert(record, 5);
      CachedToken token = new CachedToken(record, null, new InetAddress[0], 0);
      recorder.record(token, USED_AT, CLIENT);
      tokens.add(token);
    }
    return tokens;
  }

  private void assertAllWritten(List<CachedToken> tokens) {
    for (CachedToken token : tokens) {
      TokenRecord stored = store.find(token.id).orElseThrow();
      assertThat(stored.lastUsed()).isEqualTo(Instant.ofEpochMilli(USED_AT));
      assertThat(stored.recentIps()).containsExactly("192.0.2.1");
    }
  }

  @Test
  void flush_moreThanOneBatch_writesEveryUseInFullBatchesThenTheRest() {
    List<CachedToken> tokens = usedTokens(UsageRecorder.BATCH_SIZE + 1);

    recorder.flush();

    assertThat(store.batchSizes).containsExactly(UsageRecorder.BATCH_SIZE, 1);
    assertAllWritten(tokens);
  }

  @Test
  void flush_nothingUsed_writesNothing() {
    recorder.flush();
    assertThat(store.batchSizes).isEmpty();
  }

  @Test
  void flush_secondBatchFails_onlyItsTokensStayQueued() {
    List<CachedToken> tokens = usedTokens(UsageRecorder.BATCH_SIZE + 1);
    store.failAtCall = 1;

    assertThatThrownBy(recorder::flush).isInstanceOf(StoreUnavailableException.class);
    recorder.flush();

    assertThat(store.batchSizes).containsExactly(UsageRecorder.BATCH_SIZE, 1);
    assertAllWritten(tokens);
  }

  @Test
  void flushQuietly_storeDown_keepsTheUseForTheNextFlush() {
    List<CachedToken> tokens = usedTokens(1);
    store.failAtCall = 0;

    recorder.flushQuietly();
    recorder.flush();

    assertThat(store.batchSizes).containsExactly(1);
    assertAllWritten(tokens);
  }

  @Test
  void record_queueFull_dropsAndCounts_thenQueuesTheTokenAgainWithItsLatestUse() {
    UsageRecorder small = recorder(3);
    List<CachedToken> tokens = usedTokens(5, small); // the store is slow: nothing flushed yet

    assertThat(small.queued()).isEqualTo(3);
    assertThat(small.dropped()).isEqualTo(2);
    small.flush();
    assertThat(store.batchSizes).containsExactly(3);
    assertThat(store.find(tokens.get(4).id).orElseThrow().lastUsed()).isNull();

    // The dropped tokens' next use queues them again, with that latest use.
    long later = USED_AT + 60_000;
    for (CachedToken token : tokens.subList(3, 5)) {
      small.record(token, later, CLIENT);
    }
    small.flush();
    for (CachedToken token : tokens.subList(3, 5)) {
      assertThat(store.find(token.id).orElseThrow().lastUsed())
          .isEqualTo(Instant.ofEpochMilli(later));
    }
    assertThat(small.queued()).isZero();
    assertThat(small.dropped()).isEqualTo(2);
  }

  @Test
  void flush_failsWhileMoreUseArrives_requeueKeepsTheBound() {
    UsageRecorder small = recorder(2);
    List<CachedToken> first = usedTokens(2, small);
    store.failAtCall = 0;
    assertThatThrownBy(small::flush).isInstanceOf(StoreUnavailableException.class);
    assertThat(small.queued()).isEqualTo(2);
    usedTokens(1, small); // a third token: no room
    assertThat(small.queued()).isEqualTo(2);
    assertThat(small.dropped()).isEqualTo(1);
    small.flush();
    assertAllWritten(first);
  }

  @Test
  void capacityFor_atLeastTheMinimum_elseTheCacheSize() {
    assertThat(UsageRecorder.capacityFor(1)).isEqualTo(UsageRecorder.MIN_CAPACITY);
    assertThat(UsageRecorder.capacityFor(250_000)).isEqualTo(250_000);
    assertThat(UsageRecorder.capacityFor(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void counts_batchesAndUpdatesWritten_failedWritesCounted() {
    usedTokens(UsageRecorder.BATCH_SIZE + 1);
    store.failAtCall = 1;
    assertThatThrownBy(recorder::flush).isInstanceOf(StoreUnavailableException.class);
    assertThat(recorder.counts())
        .isEqualTo(new AuthStats.UsageCounts(1, UsageRecorder.BATCH_SIZE, 1, 0, 1));
    recorder.flush();
    assertThat(recorder.counts())
        .isEqualTo(new AuthStats.UsageCounts(2, UsageRecorder.BATCH_SIZE + 1, 1, 0, 0));
  }

  @Test
  void health_lastSuccessfulFlushAndTheUsesDroppedSinceIt() {
    UsageRecorder small = recorder(3);
    usedTokens(5, small);
    assertThat(small.health()).isEqualTo(new AuthHealth.Usage(3, 3, 2, null));
    store.failAtCall = 0;
    assertThatThrownBy(small::flush).isInstanceOf(StoreUnavailableException.class);
    assertThat(small.health().lastFlush()).as("a failed write is no flush").isNull();
    assertThat(small.health().droppedSinceLastFlush()).isEqualTo(2);
    small.flush();
    assertThat(small.health()).isEqualTo(new AuthHealth.Usage(0, 3, 0, clock.instant()));
    assertThat(small.dropped()).as("the counter keeps them").isEqualTo(2);
  }

  @Test
  void flush_outageMode_throwsAtOnceWithoutWriting_andAsksForAProbe() {
    List<CachedToken> tokens = usedTokens(1);
    outage.readFailed(new StoreUnavailableException("test: a read failed"));

    assertThatThrownBy(recorder::flush)
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("outage mode since " + clock.instant());
    assertThat(store.batchSizes).isEmpty();
    assertThat(probes.get()).isEqualTo(1);
    assertThat(recorder.queued()).isEqualTo(1);

    recorder.flushQuietly(); // the periodic writer still tries: a write that answers ends it
    assertThat(store.batchSizes).containsExactly(1);
    assertAllWritten(tokens);
  }

  @Test
  void flush_outageModeNothingToWrite_returns() {
    outage.readFailed(new StoreUnavailableException("test: a read failed"));
    recorder.flush();
    assertThat(store.batchSizes).isEmpty();
    assertThat(probes.get()).isZero();
  }
}
