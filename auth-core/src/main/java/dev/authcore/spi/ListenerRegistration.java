package dev.authcore.spi;

/**
 * A {@link StoreListener}'s subscription to a {@link TokenStore}, returned by {@link
 * TokenStore#addListener}. Closing it unsubscribes the listener, so a store shared by several
 * deployments (or outliving one) does not keep every listener it was ever given.
 *
 * <p>Implementations are thread-safe; {@link #close()} is idempotent and never throws.
 */
@FunctionalInterface
public interface ListenerRegistration extends AutoCloseable {
  /**
   * Removes the listener from the store. Afterwards the store stops calling it; a change the store
   * is announcing on another thread at that moment may still reach it once. Closing again does
   * nothing.
   */
  @Override
  void close();
}
