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

/**
 * Records successful verifications in memory and writes them to the store in batches, so the
 * request path never waits for a write.
 *
 * <p>Per use, the request path does a few plain reads and at most one write on the token's cache
 * entry; a token joins the queue only when it goes from clean to dirty, so the queue holds each
 * token at most once and is bounded by the number of tokens used since the last flush (at most the
 * token cache's size plus tokens evicted in the meantime).
 */
final class UsageRecorder {
  private static final System.Logger LOG = System.getLogger(UsageRecorder.class.getName());

  /** Updates per store call. */
  static final int BATCH_SIZE = 500;

  private final TokenStore store;
  private final ConcurrentLinkedQueue<CachedToken> dirty = new ConcurrentLinkedQueue<>();

  UsageRecorder(TokenStore store) {
    this.store = store;
  }

  /**
   * Notes a use; returns whether {@code client} is a new address for the token (the caller then
   * publishes an event).
   */
  boolean record(CachedToken token, long now, InetAddress client) {
    if (token.markUsed(now)) {
      dirty.add(token);
    }
    return !token.isNewestAddress(client) && token.pushAddress(ClientAddresses.normalize(client));
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
          dirty.add(failed);
        }
      }
      throw e;
    }
  }

  /** Flushes, reporting rather than throwing a store failure: for the periodic flush. */
  void flushQuietly() {
    try {
      flush();
    } catch (StoreUnavailableException e) {
      LOG.log(Level.WARNING, "writing token usage failed; it stays queued for the next flush", e);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "writing token usage failed unexpectedly; it stays queued", e);
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
