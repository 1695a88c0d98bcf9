package dev.authcore.benchmarks;

import dev.authcore.model.TokenId;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import dev.authcore.testkit.ForwardingTokenStore;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TokenStore} that forwards to another and counts {@link #find} calls, so a benchmark can
 * check that a path it measures never reaches the store. Thread-safe as its delegate is.
 */
final class CountingTokenStore extends ForwardingTokenStore {
  private final AtomicLong finds = new AtomicLong();

  CountingTokenStore(TokenStore delegate) {
    super(delegate);
  }

  /** How many times {@link #find} was called so far. */
  long finds() {
    return finds.get();
  }

  @Override
  public Optional<TokenRecord> find(TokenId id) {
    finds.incrementAndGet();
    return super.find(id);
  }

  @Override
  public String toString() {
    return "CountingTokenStore[" + finds() + " finds, " + delegate() + "]";
  }
}
