package dev.authcore.benchmarks;

import dev.authcore.model.TokenId;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.ListPosition;
import dev.authcore.spi.ListenerRegistration;
import dev.authcore.spi.StoreListener;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import dev.authcore.spi.UsageUpdate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenStore} that forwards to another and counts {@link #find} calls, so a benchmark can
 * check that a path it measures never reaches the store. Thread-safe as its delegate is.
 */
final class CountingTokenStore implements TokenStore {
  private final TokenStore delegate;
  private final AtomicLong finds = new AtomicLong();

  CountingTokenStore(TokenStore delegate) {
    this.delegate = delegate;
  }

  /** How many times {@link #find} was called so far. */
  long finds() {
    return finds.get();
  }

  @Override
  public InsertOutcome insert(TokenRecord token, int maxPerOwner) {
    return delegate.insert(token, maxPerOwner);
  }

  @Override
  public Optional<TokenRecord> find(TokenId id) {
    finds.incrementAndGet();
    return delegate.find(id);
  }

  @Override
  public Optional<TokenRecord> delete(TokenId id) {
    return delegate.delete(id);
  }

  @Override
  public List<TokenRecord> listByOwner(String corp, String ownerEmail) {
    return delegate.listByOwner(corp, ownerEmail);
  }

  @Override
  public List<TokenRecord> listCorp(
      String corp, @Nullable String ownerEmail, @Nullable ListPosition after, int limit) {
    return delegate.listCorp(corp, ownerEmail, after, limit);
  }

  @Override
  public TokenSettings settings(String corp) {
    return delegate.settings(corp);
  }

  @Override
  public boolean replaceSettings(String corp, TokenSettings expected, TokenSettings updated) {
    return delegate.replaceSettings(corp, expected, updated);
  }

  @Override
  public Set<String> permittedUsers(String corp) {
    return delegate.permittedUsers(corp);
  }

  @Override
  public boolean setPermission(String corp, String email, boolean permitted) {
    return delegate.setPermission(corp, email, permitted);
  }

  @Override
  public void recordUsage(List<UsageUpdate> batch) {
    delegate.recordUsage(batch);
  }

  @Override
  public ListenerRegistration addListener(StoreListener listener) {
    return delegate.addListener(listener);
  }

  @Override
  public String toString() {
    return "CountingTokenStore[" + finds() + " finds, " + delegate + "]";
  }
}
