package dev.authcore.examples.spring;

import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.policy.ExpiryNotice;
import dev.authcore.policy.PermissionGrant;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.BlockedTally;
import dev.authcore.spi.EndedGrant;
import dev.authcore.spi.FeedStatus;
import dev.authcore.spi.ListPosition;
import dev.authcore.spi.ListenerRegistration;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.StoreListener;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import dev.authcore.spi.UsageUpdate;
import dev.authcore.store.jdbc.PostgresTokenStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The application's PostgreSQL store behind a switch a test turns: answering, failing every call
 * with {@link StoreUnavailableException}, or holding every call until released (a database that
 * hangs). It counts the calls that would reach the database; {@link #feedStatus} and {@link
 * #addListener} answer from the store's memory and go straight through, uncounted.
 */
final class ControlledStore implements TokenStore {
  /** Puts the controlled store in front of the application's store, for the deployment. */
  @TestConfiguration(proxyBeanMethods = false)
  static class InFront {
    @Bean
    @Primary
    ControlledStore controlledStore(PostgresTokenStore store) {
      return new ControlledStore(store);
    }
  }

  private final TokenStore delegate;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger held = new AtomicInteger();
  private volatile boolean failing;
  private volatile @Nullable CountDownLatch hang;

  ControlledStore(TokenStore delegate) {
    this.delegate = delegate;
  }

  /** Every call fails from now on, until {@link #answer}. */
  void fail() {
    failing = true;
  }

  /** Every call waits from now on, until {@link #answer}. */
  void hang() {
    hang = new CountDownLatch(1);
  }

  /** Calls go to the database again; those held go on. */
  void answer() {
    failing = false;
    CountDownLatch released = hang;
    hang = null;
    if (released != null) {
      released.countDown();
    }
  }

  /** Calls made so far that would reach the database. */
  int calls() {
    return calls.get();
  }

  /** Calls waiting now for {@link #answer}. */
  int held() {
    return held.get();
  }

  private <T> T call(Supplier<T> call) {
    calls.incrementAndGet();
    if (failing) {
      throw new StoreUnavailableException("the controlled store fails");
    }
    CountDownLatch latch = hang;
    if (latch != null) {
      held.incrementAndGet();
      try {
        latch.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException("interrupted while the controlled store hung", e);
      } finally {
        held.decrementAndGet();
      }
    }
    return call.get();
  }

  @Override
  public InsertOutcome insert(TokenRecord token, int maxPerOwner) {
    return call(() -> delegate.insert(token, maxPerOwner));
  }

  @Override
  public Optional<TokenRecord> find(TokenId id) {
    return call(() -> delegate.find(id));
  }

  @Override
  public Optional<TokenRecord> delete(TokenId id) {
    return call(() -> delegate.delete(id));
  }

  @Override
  public Optional<TokenRecord> setAllowedIps(TokenId id, @Nullable String allowedIps) {
    return call(() -> delegate.setAllowedIps(id, allowedIps));
  }

  @Override
  public List<TokenRecord> listByOwner(String corp, String ownerEmail) {
    return call(() -> delegate.listByOwner(corp, ownerEmail));
  }

  @Override
  public List<TokenRecord> listCorp(
      String corp, @Nullable String ownerEmail, @Nullable ListPosition after, int limit) {
    return call(() -> delegate.listCorp(corp, ownerEmail, after, limit));
  }

  @Override
  public Optional<TokenRecord> rotateSecret(
      TokenId id,
      SecretHash expected,
      SecretHash replacement,
      Instant rotated,
      @Nullable Instant previousValidUntil) {
    return call(
        () -> delegate.rotateSecret(id, expected, replacement, rotated, previousValidUntil));
  }

  @Override
  public List<String> corpsWithTokens(@Nullable String after, int limit) {
    return call(() -> delegate.corpsWithTokens(after, limit));
  }

  @Override
  public boolean recordNotice(TokenId id, ExpiryNotice notice) {
    return call(() -> delegate.recordNotice(id, notice));
  }

  @Override
  public TokenSettings settings(String corp) {
    return call(() -> delegate.settings(corp));
  }

  @Override
  public boolean replaceSettings(String corp, TokenSettings expected, TokenSettings updated) {
    return call(() -> delegate.replaceSettings(corp, expected, updated));
  }

  @Override
  public Set<String> permittedUsers(String corp) {
    return call(() -> delegate.permittedUsers(corp));
  }

  @Override
  public boolean setPermission(String corp, String email, boolean permitted) {
    return call(() -> delegate.setPermission(corp, email, permitted));
  }

  @Override
  public List<PermissionGrant> permissionGrants(String corp) {
    return call(() -> delegate.permissionGrants(corp));
  }

  @Override
  public Optional<PermissionGrant> grantPermission(
      String corp, String email, @Nullable Instant until) {
    return call(() -> delegate.grantPermission(corp, email, until));
  }

  @Override
  public List<EndedGrant> claimEndedGrants(Instant now, int limit) {
    return call(() -> delegate.claimEndedGrants(now, limit));
  }

  @Override
  public void recordUsage(List<UsageUpdate> batch) {
    call(
        () -> {
          delegate.recordUsage(batch);
          return batch;
        });
  }

  @Override
  public void recordBlocked(List<BlockedTally> batch) {
    call(
        () -> {
          delegate.recordBlocked(batch);
          return batch;
        });
  }

  @Override
  public Map<TokenId, BlockedTally> blocked(String corp, Instant since) {
    return call(() -> delegate.blocked(corp, since));
  }

  @Override
  public ListenerRegistration addListener(StoreListener listener) {
    return delegate.addListener(listener);
  }

  @Override
  public FeedStatus feedStatus() {
    return delegate.feedStatus();
  }
}
