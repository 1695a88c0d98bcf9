package dev.authcore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What every entry of {@link TokenCache} carries: when it was read from the store, and whether a
 * background refresh of it is under way (so a hot entry is refreshed once, not once per hit).
 */
abstract class CacheEntry {
  private static final VarHandle REFRESHING;

  static {
    try {
      REFRESHING =
          MethodHandles.lookup().findVarHandle(CacheEntry.class, "refreshing", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * When the entry was read from the store, by the deployment's clock: the start of its cache
   * bound.
   */
  final long loadedMillis;

  @SuppressWarnings("UnusedVariable") // accessed through REFRESHING
  private volatile boolean refreshing;

  CacheEntry(long loadedMillis) {
    this.loadedMillis = loadedMillis;
  }

  /** Claims the entry's refresh; false if one is already under way. */
  final boolean startRefresh() {
    return !(boolean) REFRESHING.getOpaque(this) && REFRESHING.compareAndSet(this, false, true);
  }

  /** Ends the entry's refresh, whatever its outcome: a later hit may start another. */
  final void endRefresh() {
    REFRESHING.setVolatile(this, false);
  }
}
