package dev.authcore;

import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.policy.PermissionGrant;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.EndedGrant;
import dev.authcore.spi.ListPosition;
import dev.authcore.spi.ListenerRegistration;
import dev.authcore.spi.StoreListener;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.UsageUpdate;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.testkit.ForwardingTokenStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A store that forwards to an {@link InMemoryTokenStore} and lets a test interfere: hold one {@code
 * find} after it has read the record ({@link #holdNextFind}), make every call fail ({@link
 * #failing}), count {@code find} calls and open listener registrations, and keep listeners from
 * being told of changes.
 */
final class ControllableTokenStore extends ForwardingTokenStore {
  /** One held {@code find}: it has read the store and waits for {@link #release()}. */
  static final class Hold {
    final TokenId id;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    Hold(TokenId id) {
      this.id = id;
    }

    /** Waits until a {@code find} for the id has read the record and is held. */
    boolean awaitReached(long seconds) throws InterruptedException {
      return reached.await(seconds, TimeUnit.SECONDS);
    }

    void release() {
      released.countDown();
    }
  }

  /** The store every call goes to, for a test to read or change behind the interference. */
  final InMemoryTokenStore delegate;

  final AtomicBoolean failing = new AtomicBoolean();
  final AtomicInteger finds = new AtomicInteger();

  /** Listener registrations handed out and not yet closed. */
  final AtomicInteger openRegistrations = new AtomicInteger();

  private final AtomicReference<@Nullable Hold> hold = new AtomicReference<>();
  private final boolean tellListeners;

  ControllableTokenStore(boolean tellListeners) {
    this(new InMemoryTokenStore(), tellListeners);
  }

  private ControllableTokenStore(InMemoryTokenStore delegate, boolean tellListeners) {
    super(delegate);
    this.delegate = delegate;
    this.tellListeners = tellListeners;
  }

  /** The next {@code find} of {@code id} reads the record, then waits until released. */
  Hold holdNextFind(TokenId id) {
    Hold h = new Hold(id);
    hold.set(h);
    return h;
  }

  private void maybeFail(String operation) {
    if (failing.get()) {
      throw new StoreUnavailableException("test store is down: " + operation);
    }
  }

  @Override
  public Optional<TokenRecord> find(TokenId id) {
    finds.incrementAndGet();
    maybeFail("find");
    Optional<TokenRecord> found = super.find(id);
    Hold h = hold.get();
    if (h != null && h.id.equals(id) && hold.compareAndSet(h, null)) {
      h.reached.countDown();
      try {
        if (!h.released.await(30, TimeUnit.SECONDS)) {
          throw new StoreUnavailableException("test hold was never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException("interrupted while held", e);
      }
    }
    return found;
  }

  @Override
  public InsertOutcome insert(TokenRecord token, int maxPerOwner) {
    maybeFail("insert");
    return super.insert(token, maxPerOwner);
  }

  @Override
  public Optional<TokenRecord> delete(TokenId id) {
    maybeFail("delete");
    return super.delete(id);
  }

  @Override
  public List<TokenRecord> listByOwner(String corp, String ownerEmail) {
    maybeFail("listByOwner");
    return super.listByOwner(corp, ownerEmail);
  }

  @Override
  public List<TokenRecord> listCorp(
      String corp, @Nullable String ownerEmail, @Nullable ListPosition after, int limit) {
    maybeFail("listCorp");
    return super.listCorp(corp, ownerEmail, after, limit);
  }

  @Override
  public TokenSettings settings(String corp) {
    maybeFail("settings");
    return super.settings(corp);
  }

  @Override
  public boolean replaceSettings(String corp, TokenSettings expected, TokenSettings updated) {
    maybeFail("replaceSettings");
    return super.replaceSettings(corp, expected, updated);
  }

  @Override
  public Set<String> permittedUsers(String corp) {
    maybeFail("permittedUsers");
    return super.permittedUsers(corp);
  }

  @Override
  public List<PermissionGrant> permissionGrants(String corp) {
    maybeFail("permissionGrants");
    return super.permissionGrants(corp);
  }

  @Override
  public Optional<PermissionGrant> grantPermission(
      String corp, String email, @Nullable Instant until) {
    maybeFail("grantPermission");
    return super.grantPermission(corp, email, until);
  }

  @Override
  public List<EndedGrant> claimEndedGrants(Instant now, int limit) {
    maybeFail("claimEndedGrants");
    return super.claimEndedGrants(now, limit);
  }

  @Override
  public boolean setPermission(String corp, String email, boolean permitted) {
    maybeFail("setPermission");
    return super.setPermission(corp, email, permitted);
  }

  @Override
  public void recordUsage(List<UsageUpdate> batch) {
    maybeFail("recordUsage");
    super.recordUsage(batch);
  }

  /**
   * Subscribes the listener to the delegate unless listeners are kept uninformed; either way the
   * registration is counted in {@link #openRegistrations} until closed.
   */
  @Override
  public ListenerRegistration addListener(StoreListener listener) {
    ListenerRegistration inner = tellListeners ? super.addListener(listener) : () -> {};
    openRegistrations.incrementAndGet();
    AtomicBoolean open = new AtomicBoolean(true);
    return () -> {
      if (open.getAndSet(false)) {
        openRegistrations.decrementAndGet();
        inner.close();
      }
    };
  }
}
