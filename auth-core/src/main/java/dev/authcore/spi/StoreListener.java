package dev.authcore.spi;

import dev.authcore.model.TokenId;

/**
 * Told by a {@link TokenStore} what changed, so caches can drop it at once. Calls may come from any
 * thread; implementations must be fast and must not throw.
 *
 * <p>Subscribed with {@link TokenStore#addListener}; closing the {@link ListenerRegistration} it
 * returns unsubscribes.
 */
public interface StoreListener {
  /** The token with this id was deleted. */
  void tokenDeleted(TokenId id);

  /**
   * The token with this id changed in a way a cached copy must not survive: its secret was rotated.
   * The default treats it as {@link #tokenDeleted}, which drops a cached copy too; a listener that
   * tells the two apart overrides it.
   */
  default void tokenChanged(TokenId id) {
    tokenDeleted(id);
  }

  /** The corp's settings or permissions changed. */
  void corpChanged(String corp);
}
