package dev.authcore;

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
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The deployment's store as every part of it sees it: the caller's store, with each call's outcome
 * noted on the way back, so that stats and health know how the store answers without ever calling
 * it themselves. A call that returns ends outage mode (the store answers again, whatever the call
 * was); one that throws {@link StoreUnavailableException} is counted and timed. Outage mode starts
 * only when a read by the cache fails, as {@link TokenCache} decides.
 *
 * <p>Adds one clock read and two volatile writes per store call, none on a cache hit (which calls
 * no store). {@link #addListener} and {@link #feedStatus} go straight through: they do not reach
 * the back end. Thread-safe as the store it wraps.
 */
final class MonitoredStore implements TokenStore {
  /** {@link #lastSuccessMillis} and {@link #lastFailureMillis} before the first such call. */
  private static final long NEVER = Long.MIN_VALUE;

  private final TokenStore delegate;
  private final InstantSource clock;
  private final Counters counters;
  private final StoreOutage outage;

  private volatile long lastSuccessMillis = NEVER;
  private volatile long lastFailureMillis = NEVER;
  private volatile boolean lastCallFailed;

  MonitoredStore(TokenStore delegate, InstantSource clock, Counters counters, StoreOutage outage) {
    this.delegate = delegate;
    this.clock = clock;
    this.counters = counters;
    this.outage = outage;
  }

  /** When a call last returned, or {@code null}. */
  @Nullable Instant lastSuccess() {
    return instant(lastSuccessMillis);
  }

  /** When a call last threw {@link StoreUnavailableException}, or {@code null}. */
  @Nullable Instant lastFailure() {
    return instant(lastFailureMillis);
  }

  /** Whether the call that finished last threw {@link StoreUnavailableException}. */
  boolean lastCallFailed() {
    return lastCallFailed;
  }

  private static @Nullable Instant instant(long millis) {
    return millis == NEVER ? null : Instant.ofEpochMilli(millis);
  }

  private <T> T call(Supplier<T> call) {
    T result;
    try {
      result = call.get();
    } catch (StoreUnavailableException e) {
      counters.storeFailed();
      lastFailureMillis = clock.millis();
      lastCallFailed = true;
      throw e;
    }
    lastSuccessMillis = clock.millis();
    lastCallFailed = false;
    outage.storeAnswered();
    return result;
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
  public List<String> corpsWithTokens(@Nullable String after, int limit) {
    return call(() -> delegate.corpsWithTokens(after, limit));
  }

  @Override
  public boolean recordNotice(TokenId id, ExpiryNotice notice) {
    return call(() -> delegate.recordNotice(id, notice));
  }

  @Override
  public ListenerRegistration addListener(StoreListener listener) {
    return delegate.addListener(listener);
  }

  @Override
  public FeedStatus feedStatus() {
    return delegate.feedStatus();
  }

  /** The caller's store's own description: this wrapper is not the caller's concern. */
  @Override
  public String toString() {
    return delegate.toString();
  }
}
