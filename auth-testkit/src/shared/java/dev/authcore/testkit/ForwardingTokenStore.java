package dev.authcore.testkit;

import static java.util.Objects.requireNonNull;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenStore} that forwards every call to another store, for tests that watch or disturb a
 * few calls and leave the rest alone: extend it and override only those.
 *
 * <pre>{@code
 * class FailingFinds extends ForwardingTokenStore {
 *   volatile boolean down;
 *
 *   FailingFinds() {
 *     super(new InMemoryTokenStore());
 *   }
 *
 *   @Override
 *   public Optional<TokenRecord> find(TokenId id) {
 *     if (down) {
 *       throw new StoreUnavailableException("test: the store is down");
 *     }
 *     return super.find(id);
 *   }
 * }
 * }</pre>
 *
 * <p>Each method calls the same method of {@link #delegate()} with the same arguments and returns
 * its result; nothing is added, cached or checked, so the store keeps its delegate's contract
 * (atomicity, thread safety, failures) until a subclass changes a method. A new method of {@link
 * TokenStore} is added here, so subclasses keep compiling and forward it too.
 */
@NullMarked
public abstract class ForwardingTokenStore implements TokenStore {
  private final TokenStore delegate;

  /**
   * @param delegate the store every call goes to
   */
  protected ForwardingTokenStore(TokenStore delegate) {
    this.delegate = requireNonNull(delegate, "delegate");
  }

  /** The store every call goes to. */
  protected final TokenStore delegate() {
    return delegate;
  }

  @Override
  public InsertOutcome insert(TokenRecord token, int maxPerOwner) {
    return delegate.insert(token, maxPerOwner);
  }

  @Override
  public Optional<TokenRecord> find(TokenId id) {
    return delegate.find(id);
  }

  @Override
  public Optional<TokenRecord> delete(TokenId id) {
    return delegate.delete(id);
  }

  @Override
  public Optional<TokenRecord> rotateSecret(
      TokenId id,
      SecretHash expected,
      SecretHash replacement,
      Instant rotated,
      @Nullable Instant previousValidUntil) {
    return delegate.rotateSecret(id, expected, replacement, rotated, previousValidUntil);
  }

  @Override
  public Optional<TokenRecord> setAllowedIps(TokenId id, @Nullable String allowedIps) {
    return delegate.setAllowedIps(id, allowedIps);
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
  public List<PermissionGrant> permissionGrants(String corp) {
    return delegate.permissionGrants(corp);
  }

  @Override
  public Optional<PermissionGrant> grantPermission(
      String corp, String email, @Nullable Instant until) {
    return delegate.grantPermission(corp, email, until);
  }

  @Override
  public List<EndedGrant> claimEndedGrants(Instant now, int limit) {
    return delegate.claimEndedGrants(now, limit);
  }

  @Override
  public void recordUsage(List<UsageUpdate> batch) {
    delegate.recordUsage(batch);
  }

  @Override
  public void recordBlocked(List<BlockedTally> batch) {
    delegate.recordBlocked(batch);
  }

  @Override
  public Map<TokenId, BlockedTally> blocked(String corp, Instant since) {
    return delegate.blocked(corp, since);
  }

  @Override
  public List<String> corpsWithTokens(@Nullable String after, int limit) {
    return delegate.corpsWithTokens(after, limit);
  }

  @Override
  public boolean recordNotice(TokenId id, ExpiryNotice notice) {
    return delegate.recordNotice(id, notice);
  }

  /**
   * Subscribes {@code listener} to the delegate's changes. Override it to keep listeners from
   * hearing of changes (a store that cannot notify).
   */
  @Override
  public ListenerRegistration addListener(StoreListener listener) {
    return delegate.addListener(listener);
  }

  /** The delegate's feed status. */
  @Override
  public FeedStatus feedStatus() {
    return delegate.feedStatus();
  }

  /** The subclass's simple name and the delegate, e.g. {@code GatedStore[InMemoryTokenStore…]}. */
  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + delegate + "]";
  }
}
