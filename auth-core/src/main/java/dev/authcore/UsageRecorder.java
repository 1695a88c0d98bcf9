package dev.authcore;

import dev.authcore.model.StoreUnavailableException;
import dev.authcore.net.ClientAddresses;
import dev.authcore.spi.TokenStore;
import dev.authcore.spi.UsageUpdate;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

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
 */
final class UsageRecorder {
  private static final System.Logger LOG = System.getLogger(UsageRecorder.class.getName());

  /** Updates per store call. */
  static final int BATCH_SIZE = 500;

  /** The least queue capacity, whatever the token cache's size. */
  static final int MIN_CAPACITY = 10_000;

  private final TokenStore store;
  private final int capacity;
  private final ConcurrentLinkedQueue<CachedToken> dirty = new ConcurrentLinkedQueue<>();

  /** Tokens in {@link #dirty}: the queue's own size() walks it. */
  private final AtomicInteger queued = new AtomicInteger();

  /** Uses not queued because the queue was full, since the deployment started. */
  private final LongAdder dropped = new LongAdder();

  /** {@link #dropped} when it was last logged; guarded by this. */
  private long droppedLogged;

  /**
   * @param capacity most tokens queued at once, at least 1
   */
  UsageRecorder(TokenStore store, int capacity) {
    this.store = store;
    this.capacity = capacity;
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

  /**
   * Writes all queued use to the store. On a store failure the use stays queued for the next flush,
   * and the failure is rethrown.
   *
   * @throws StoreUnavailableException if the store failed
   */
  synchronized void flush() {
    List<CachedToken> taken = new ArrayList<>();
    List<UsageUpdate> batch = new ArrayList<>(BATCH_SIZE);
    CachedToken token;
    try {
      while ((token = dirty.poll()) != null) {
        queued.decrementAndGet();
        token.clearDirty();
        taken.add(token);
        long last = token.lastUsedMillis();
        if (last != 0) {
          batch.add(new UsageUpdate(token.id, Instant.ofEpochMilli(last), texts(token)));
        }
        if (batch.size() == BATCH_SIZE) {
          store.recordUsage(List.copyOf(batch));
          batch.clear();
          taken.clear();
        }
      }
      if (!batch.isEmpty()) {
        store.recordUsage(List.copyOf(batch));
      }
    } catch (RuntimeException e) {
      for (CachedToken failed : taken) {
        if (failed.markUsed(0)) {
          enqueue(failed);
        }
      }
      throw e;
    }
  }

  /** Flushes, reporting rather than throwing a store failure: for the periodic flush. */
  void flushQuietly() {
    logDropped();
    try {
      flush();
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
