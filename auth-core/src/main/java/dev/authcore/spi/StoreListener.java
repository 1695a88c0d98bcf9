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

  /** The corp's settings or permissions changed. */
  void corpChanged(String corp);
}
