package dev.authcore;

import dev.authcore.model.StoreUnavailableException;
import dev.authcore.net.ClientAddresses;
import dev.authcore.spi.BlockedTally;
import dev.authcore.spi.TokenStore;
import dev.authcore.spi.UsageUpdate;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Records successful verifications in memory and writes them to the store in batches, so the
 * request path never waits for a write.
 *
 * <p>Per use, the request path does a few plain reads and at most one write on the token's cache
 * entry; a token joins the queue only when it goes from clean to dirty, so the queue holds each
 * token at most once. It is also bounded in size: when it is full (the store is slow or down and
 * flushes keep failing), a token is not queued, the request goes on without waiting, and the drop
 * is counted and logged by the next flush; the token's dirty mark is cleared so that its next use
 * queues it again, with its latest use, which it keeps meanwhile.
 *
 * <p><b>Flushes share their work.</b> One write of the queue (a <i>round</i>) runs at a time. A
 * flush that arrives while a round is still taking tokens from the queue joins that round: the
 * round takes everything queued before the flush arrived. One that arrives after the running round
 * has emptied the queue waits for it and then runs, or joins, the round after it, shared by every
 * flush that arrived meanwhile. So {@code N} callers at once cost at most two rounds, never {@code
 * N} one after another; and when the running round fails, the round queued behind it is not tried:
 * its callers fail with it at once, rather than each waiting for the same store to fail again.
 *
 * <p>Thread-safe.
 */
final class UsageRecorder {
  private static final System.Logger LOG = System.getLogger(UsageRecorder.class.getName());

  /** Updates per store call. */
  static final int BATCH_SIZE = 500;

  /** The least queue capacity, whatever the token cache's size. */
  static final int MIN_CAPACITY = 10_000;

  /**
   * The longest a flush waits for a round another caller runs. Rounds are bounded by the store's
   * own timeout (3 s for the PostgreSQL store), so this only ends the wait of a caller behind a
   * store that never times out.
   */
  static final Duration MAX_WAIT = Duration.ofSeconds(10);

  /** {@link #lastFlushMillis} before the first successful round. */
  private static final long NEVER = Long.MIN_VALUE;

  private final TokenStore store;
  private final int capacity;
  private final InstantSource clock;
  private final StoreOutage outage;

  /** Asks the cache to probe the store in the background (see {@link TokenCache#probe()}). */
  private final Runnable probe;

  private final ConcurrentLinkedQueue<CachedToken> dirty = new ConcurrentLinkedQueue<>();

  /** Requests staged allow lists would have refused, written after each round's usage. */
  private final StagedReports staged = new StagedReports();

  /** Tokens in {@link #dirty}: the queue's own size() walks it. */
  private final AtomicInteger queued = new AtomicInteger();

  /** Uses not queued because the queue was full, since the deployment started. */
  private final LongAdder dropped = new LongAdder();

  private final LongAdder batches = new LongAdder();
  private final LongAdder updates = new LongAdder();
  private final LongAdder writeFailures = new LongAdder();

  /** When the last round succeeded, by the deployment's clock; {@link #NEVER} before. */
  private volatile long lastFlushMillis = NEVER;

  /** {@link #dropped} when the last successful round began. */
  private volatile long droppedAtLastFlush;

  /** {@link #dropped} when it was last logged; guarded by this. */
  private long droppedLogged;

  private final ReentrantLock lock = new ReentrantLock();

  /** Signalled whenever a round ends. */
  private final Condition roundEnded = lock.newCondition();

  /** The round writing now, or null; guarded by {@link #lock}. */
  private @Nullable Round running;

  /**
   * The round that runs after {@link #running}, for the flushes that arrived once it had emptied
   * the queue; null when none waits. Guarded by {@link #lock}.
   */
  private @Nullable Round next;

  /** One write of the queue, shared by the flushes that joined it. Guarded by {@link #lock}. */
  private static final class Round {
    /** The round found the queue empty: a use recorded from now on is not in it. */
    boolean drained;

    boolean finished;
    @Nullable RuntimeException failure;
  }

  /**
   * @param capacity most tokens queued at once, at least 1
   * @param clock the deployment's clock, for the last successful write's instant
   * @param outage the deployment's outage mode, in which {@link #flush} fails fast
   * @param probe started when {@link #flush} fails fast, so the outage's end is found
   */
  UsageRecorder(
      TokenStore store, int capacity, InstantSource clock, StoreOutage outage, Runnable probe) {
    this.store = store;
    this.capacity = capacity;
    this.clock = clock;
    this.outage = outage;
    this.probe = probe;
  }

  /** The queue capacity for a token cache of {@code maxCachedTokens}. */
  static int capacityFor(long maxCachedTokens) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_CAPACITY, maxCachedTokens));
  }

  /**
   * Notes a use; returns whether {@code client} is a new address for the token (the caller then
   * publishes an event).
   */
  boolean record(CachedToken token, long now, InetAddress client) {
    if (token.markUsed(now)) {
      enqueue(token);
    }
    return !token.isNewestAddress(client) && token.pushAddress(ClientAddresses.normalize(client));
  }

  /**
   * Counts an accepted request of {@code token} that the corp's staged allow list would refuse
   * (written with the next usage batch); returns whether an {@link AuditEvent.WouldBeBlocked} event
   * is due (see {@link StagedReports}).
   */
  boolean wouldBeBlocked(CachedToken token, long stagedSinceMillis, long now, InetAddress client) {
    return staged.refused(token, stagedSinceMillis, now, client);
  }

  /** Queues a token just marked dirty, or drops it (and clears the mark) if the queue is full. */
  private void enqueue(CachedToken token) {
    if (queued.incrementAndGet() <= capacity) {
      dirty.add(token);
    } else {
      queued.decrementAndGet();
      token.clearDirty();
      dropped.increment();
    }
  }

  /** Uses not queued because the queue was full, since the deployment started. */
  long dropped() {
    return dropped.sum();
  }

  /** Tokens waiting to be written. */
  int queued() {
    return queued.get();
  }

  /** The writer's counters, for {@link AuthStats}. */
  AuthStats.UsageCounts counts() {
    return new AuthStats.UsageCounts(
        batches.sum(), updates.sum(), writeFailures.sum(), dropped.sum(), queued.get());
  }

  /** How the writer keeps up, for {@link AuthHealth}. */
  AuthHealth.Usage health() {
    long last = lastFlushMillis;
    return new AuthHealth.Usage(
        queued.get(),
        capacity,
        Math.max(0, dropped.sum() - droppedAtLastFlush),
        last == NEVER ? null : Instant.ofEpochMilli(last));
  }

  /**
   * Returns once every use recorded before the call has been written to the store, or throws; the
   * caller's own thread may do the writing, or another flush's (see the class description). A use
   * not written stays queued for the next flush.
   *
   * <p>In outage mode, if any use is queued or being written, it throws at once without calling the
   * store, and asks the cache to probe the store in the background; the periodic writer (or a later
   * call, once a store call has succeeded) writes it. With nothing to write it returns.
   *
   * @throws StoreUnavailableException if the deployment is in outage mode, if the write failed (the
   *     round this call joined, or the round running when it arrived), or if another caller's round
   *     did not end within {@link #MAX_WAIT}
   */
  void flush() {
    @Nullable Instant outageSince = outage.since();
    if (outageSince != null && (queued.get() > 0 || writing())) {
      probe.run();
      throw new StoreUnavailableException(
          "token usage was not written: the deployment is in outage mode since "
              + outageSince
              + " (a store read failed and no store call has answered since), so no write is"
              + " attempted now; the usage stays queued for the periodic writer");
    }
    writeAllRecordedBefore();
  }

  private boolean writing() {
    lock.lock();
    try {
      return running != null;
    } finally {
      lock.unlock();
    }
  }

  /** Runs or joins the round that writes every use recorded before this call. */
  private void writeAllRecordedBefore() {
    long deadline = System.nanoTime() + MAX_WAIT.toNanos();
    Round mine;
    boolean lead = false;
    lock.lock();
    try {
      Round current = running;
      if (current != null && !current.drained) {
        mine = current; // it has yet to find the queue empty: it takes what is queued now
      } else {
        Round waiting = next;
        if (waiting == null) {
          waiting = new Round();
          next = waiting;
        }
        mine = waiting;
      }
      while (!mine.finished) {
        if (running == null) {
          // The round before ended without failing this one (which is therefore still next).
          running = mine;
          next = null;
          lead = true;
          break;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new StoreUnavailableException(
              "token usage was not written: the write under way has not ended within "
                  + MAX_WAIT.toSeconds()
                  + " s, so the store does not answer; the usage stays queued");
        }
        try {
          roundEnded.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StoreUnavailableException(
              "interrupted while waiting for the token usage write under way; the usage stays"
                  + " queued",
              e);
        }
      }
    } finally {
      lock.unlock();
    }
    if (lead) {
      run(mine);
      return;
    }
    RuntimeException failure = mine.failure;
    if (failure != null) {
      throw new StoreUnavailableException(
          "token usage was not written: the write this call waited for failed ("
              + failure.getMessage()
              + "); the usage stays queued",
          failure);
    }
  }

  /** Runs a round on this thread, then wakes the flushes that wait for it, whatever happened. */
  private void run(Round round) {
    long droppedBefore = dropped.sum();
    boolean written = false;
    @Nullable RuntimeException failure = null;
    try {
      drainAndWrite(round);
      written = true;
      droppedAtLastFlush = droppedBefore;
      lastFlushMillis = clock.millis();
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    } finally {
      if (!written && failure == null) { // an Error: the callers waiting still need an answer
        failure = new StoreUnavailableException("writing token usage ended with an error");
      }
      end(round, written ? null : failure);
    }
  }

  private void end(Round round, @Nullable RuntimeException failure) {
    lock.lock();
    try {
      round.finished = true;
      round.failure = failure;
      running = null;
      Round waiting = next;
      if (failure != null && waiting != null) {
        // Its callers arrived while this round was failing: they fail with it, not after it.
        waiting.finished = true;
        waiting.failure = failure;
        next = null;
      }
      roundEnded.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes every queued token and writes the use in batches. On a store failure the use not written
   * goes back to the queue, and the failure is rethrown.
   */
  private void drainAndWrite(Round round) {
    List<CachedToken> taken = new ArrayList<>();
    List<UsageUpdate> batch = new ArrayList<>(BATCH_SIZE);
    try {
      while (true) {
        @Nullable CachedToken token = dirty.poll();
        if (token == null) {
          lock.lock();
          try {
            // Again under the lock: a flush that saw this round not yet drained joined it, and
            // what was queued before it arrived is taken by this poll at the latest.
            token = dirty.poll();
            if (token == null) {
              round.drained = true;
            }
          } finally {
            lock.unlock();
          }
          if (token == null) {
            break;
          }
        }
        queued.decrementAndGet();
        token.clearDirty();
        taken.add(token);
        long last = token.lastUsedMillis();
        if (last != 0) {
          batch.add(new UsageUpdate(token.id, Instant.ofEpochMilli(last), texts(token)));
        }
        if (batch.size() == BATCH_SIZE) {
          write(batch);
          batch.clear();
          taken.clear();
        }
      }
      if (!batch.isEmpty()) {
        write(batch);
      }
      writeBlocked();
    } catch (RuntimeException e) {
      for (CachedToken failed : taken) {
        if (failed.markUsed(0)) {
          enqueue(failed);
        }
      }
      throw e;
    }
  }

  /** Writes the counts of requests staged allow lists would have refused, after the usage. */
  private void writeBlocked() {
    List<BlockedTally> tallies = staged.take(clock.millis());
    for (int from = 0; from < tallies.size(); from += BATCH_SIZE) {
      List<BlockedTally> batch =
          List.copyOf(tallies.subList(from, Math.min(tallies.size(), from + BATCH_SIZE)));
      try {
        store.recordBlocked(batch);
      } catch (RuntimeException e) {
        writeFailures.increment();
        staged.restore(tallies.subList(from, tallies.size()));
        throw e;
      }
    }
  }

  private void write(List<UsageUpdate> batch) {
    try {
      store.recordUsage(List.copyOf(batch));
    } catch (RuntimeException e) {
      writeFailures.increment();
      throw e;
    }
    batches.increment();
    updates.add(batch.size());
  }

  /**
   * Writes what is queued like {@link #flush}, even in outage mode (a write that succeeds ends it),
   * reporting rather than throwing a store failure: for the periodic writer and for closing.
   */
  void flushQuietly() {
    logDropped();
    try {
      writeAllRecordedBefore();
    } catch (StoreUnavailableException e) {
      LOG.log(Level.WARNING, "writing token usage failed; it stays queued for the next flush", e);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "writing token usage failed unexpectedly; it stays queued", e);
    }
  }

  /** Logs the uses dropped since the last report, if any. */
  private synchronized void logDropped() {
    long total = dropped.sum();
    if (total > droppedLogged) {
      LOG.log(
          Level.WARNING,
          (total - droppedLogged)
              + " token uses were not queued for writing because the usage queue ("
              + capacity
              + " tokens) was full; each is queued again with the token's next use");
      droppedLogged = total;
    }
  }

  private static List<String> texts(CachedToken token) {
    InetAddress[] recent = token.recentAddresses();
    List<String> out = new ArrayList<>(recent.length);
    for (InetAddress address : recent) {
      out.add(ClientAddresses.format(address));
    }
    return out;
  }
}
