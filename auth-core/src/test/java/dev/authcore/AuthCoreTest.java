package dev.authcore;

import static dev.authcore.Deployment.ANN;
import static dev.authcore.Deployment.BOB;
import static dev.authcore.Deployment.OLGA;
import static dev.authcore.Deployment.reasonOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.console.ChangeOptions;
import dev.authcore.console.TokenConsole;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.ListenerRegistration;
import dev.authcore.spi.StoreListener;
import dev.authcore.spi.TokenRecord;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.testkit.ForwardingTokenStore;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The deployment as an assembler: the parts it wires see each other's changes at once, also over a
 * store that never tells its listeners anything, it holds one store subscription and gives it back
 * on close, and it offers no public way around the parts.
 */
class AuthCoreTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  /**
   * Restricting with no owner permitted is what these tests need; the guard is tested elsewhere.
   */
  private static final ChangeOptions LOCKOUT_CONFIRMED =
      ChangeOptions.guarded().withLockoutConfirmed(true);

  /** A store that does not notify its listeners: only the deployment's own evictions can help. */
  private final ControllableTokenStore silent = new ControllableTokenStore(false);

  @Test
  void issuerDelete_silentStore_cachedTokenEvictedAtOnce() {
    try (Deployment d = new Deployment(silent, b -> b.cacheBound(Duration.ofHours(1)))) {
      IssuedToken token = d.issuer().issue(ANN, "ci");
      assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
          .as("loaded into the cache")
          .isTrue();
      d.issuer().delete(ANN, token.id());
      assertThat(reasonOf(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT)))
          .as("no clock moved, no listener told: the delete itself evicted it")
          .isEqualTo(RejectionReason.UNKNOWN);
    }
  }

  /**
   * An id looked up (and remembered as unknown) just before a token with that id is stored: the
   * issuer forgets the miss, so the new token verifies at once rather than after the unknown-id
   * bound. The store asks for the id itself, from inside {@code insert}, since the id is drawn
   * there; it tells no listener, so only the issuer's own eviction can help.
   */
  @Test
  void issue_idRememberedUnknownJustBefore_newTokenVerifiesAtOnce() {
    LookupBeforeInsert store = new LookupBeforeInsert();
    try (Deployment d = new Deployment(store, b -> b.unknownIdBound(Duration.ofMinutes(1)))) {
      store.deployment = d;
      IssuedToken token = d.issuer().issue(ANN, "ci");
      assertThat(store.lookedUp)
          .as("the id was looked up, and missing, before the insert")
          .containsExactly(RejectionReason.UNKNOWN);
      assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
          .as("no clock moved: the insert itself made the issuer forget the miss")
          .isTrue();
    }
  }

  /** Verifies a token of each id about to be inserted, so the deployment remembers it missing. */
  private static final class LookupBeforeInsert extends ForwardingTokenStore {
    volatile @Nullable Deployment deployment;
    final List<RejectionReason> lookedUp = Collections.synchronizedList(new ArrayList<>());

    LookupBeforeInsert() {
      super(new InMemoryTokenStore());
    }

    @Override
    public InsertOutcome insert(TokenRecord token, int maxPerOwner) {
      Deployment d = Objects.requireNonNull(deployment, "deployment");
      String sameId = d.core.format.mint(token.id(), new SplittableRandom(7));
      lookedUp.add(reasonOf(d.verifier().verify(token.ownerEmail(), sameId, CLIENT)));
      return super.insert(token, maxPerOwner);
    }

    @Override
    public ListenerRegistration addListener(StoreListener listener) {
      return () -> {};
    }
  }

  @Test
  void consoleDelete_silentStore_cachedTokenEvictedAtOnce() {
    try (Deployment d = new Deployment(silent, b -> b.cacheBound(Duration.ofHours(1)))) {
      IssuedToken token = d.issuer().issue(BOB, "ci");
      assertThat(d.verifier().verify(BOB, token.revealPlaintext(), CLIENT).isAuthenticated())
          .isTrue();
      TokenConsole.of(d.core).delete(OLGA, token.id());
      assertThat(reasonOf(d.verifier().verify(BOB, token.revealPlaintext(), CLIENT)))
          .isEqualTo(RejectionReason.UNKNOWN);
    }
  }

  @Test
  void settingsChange_silentStore_corpStateDroppedAtOnce() {
    try (Deployment d = new Deployment(silent, b -> b.cacheBound(Duration.ofHours(1)))) {
      IssuedToken token = d.issuer().issue(ANN, "ci");
      assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
          .as("corp state loaded into the cache")
          .isTrue();
      TokenConsole.of(d.core)
          .updateSettings(OLGA, TokenSettings.defaults().withRestricted(true), LOCKOUT_CONFIRMED);
      assertThat(reasonOf(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT)))
          .as("the console dropped the corp's state where it made the change")
          .isEqualTo(RejectionReason.DISABLED);
    }
  }

  @Test
  void permissionChange_silentStore_corpStateDroppedAtOnce() {
    try (Deployment d = new Deployment(silent, b -> b.cacheBound(Duration.ofHours(1)))) {
      TokenConsole console = TokenConsole.of(d.core);
      IssuedToken token = d.issuer().issue(ANN, "ci");
      console.updateSettings(
          OLGA, TokenSettings.defaults().withRestricted(true), LOCKOUT_CONFIRMED);
      assertThat(reasonOf(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT)))
          .isEqualTo(RejectionReason.DISABLED);
      console.setPermission(OLGA, ANN, true);
      assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
          .as("granted: applies at once")
          .isTrue();
      console.setPermission(OLGA, ANN, false);
      assertThat(reasonOf(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT)))
          .as("revoked: applies at once")
          .isEqualTo(RejectionReason.DISABLED);
    }
  }

  @Test
  void close_givesBackTheStoreSubscription_sharedStoreKeepsOnlyLiveDeployments() {
    ControllableTokenStore shared = new ControllableTokenStore(true);
    Deployment first = new Deployment(shared, b -> b);
    Deployment second = new Deployment(shared, b -> b);
    assertThat(shared.openRegistrations.get()).isEqualTo(2);
    first.close();
    assertThat(shared.openRegistrations.get()).isEqualTo(1);
    first.close(); // idempotent
    assertThat(shared.openRegistrations.get()).isEqualTo(1);
    second.close();
    assertThat(shared.openRegistrations.get()).isZero();
  }

  @Test
  void close_deploymentStillHeardUntilClosed_thenNoLonger() {
    InMemoryTokenStore shared = new InMemoryTokenStore();
    Deployment reader = new Deployment(shared, b -> b.cacheBound(Duration.ofHours(1)));
    try (Deployment writer = new Deployment(shared, b -> b)) {
      IssuedToken token = writer.issuer().issue(ANN, "ci");
      assertThat(reader.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
          .isTrue();
      writer.issuer().delete(ANN, token.id());
      assertThat(reasonOf(reader.verifier().verify(ANN, token.revealPlaintext(), CLIENT)))
          .as("the reader heard the writer's delete through the store")
          .isEqualTo(RejectionReason.UNKNOWN);

      IssuedToken next = writer.issuer().issue(ANN, "ci");
      assertThat(reader.verifier().verify(ANN, next.revealPlaintext(), CLIENT).isAuthenticated())
          .isTrue();
      reader.close();
      writer.issuer().delete(ANN, next.id());
      assertThat(reader.verifier().verify(ANN, next.revealPlaintext(), CLIENT).isAuthenticated())
          .as("closed: no longer subscribed, so its cache keeps the token until its bound")
          .isTrue();
    }
  }

  @Test
  void close_writesTheUsageStillQueued() {
    InMemoryTokenStore store = new InMemoryTokenStore();
    Deployment d = new Deployment(store, b -> b); // usage is flushed by hand only
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
        .isTrue();
    assertThat(store.find(token.id()).orElseThrow().lastUsed()).isNull();
    d.close();
    assertThat(store.find(token.id()).orElseThrow().lastUsed()).isEqualTo(Deployment.START);
  }

  @Test
  void auditListener_throws_loggedAndSkipped_othersStillHearAndTheOperationSucceeds() {
    List<AuditEvent> heard = Collections.synchronizedList(new ArrayList<>());
    try (Deployment d =
        new Deployment(
            new InMemoryTokenStore(),
            b ->
                b.auditListener(
                        e -> {
                          throw new IllegalStateException("listener down");
                        })
                    .auditListener(heard::add))) {
      IssuedToken token = d.issuer().issue(ANN, "ci");
      assertThat(d.verifier().verify(BOB, token.revealPlaintext(), CLIENT).isAuthenticated())
          .isFalse();
      d.issuer().delete(ANN, token.id());
      assertThat(heard)
          .extracting(e -> e.getClass().getSimpleName())
          .containsExactly("TokenCreated", "TokenRejected", "TokenDeleted");
      assertThat(d.events).hasSize(3);
    }
  }

  @Test
  void publicMethods_onlyAssemblyAndTheParts_noWayAroundTheRules() {
    List<String> methods =
        Arrays.stream(AuthCore.class.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic())
            .map(Method::getName)
            .sorted()
            .toList();
    assertThat(methods)
        .containsExactly(
            "builder",
            "cacheBound",
            "close",
            "flushUsage",
            "health",
            "issuer",
            "stats",
            "sweepExpiryNotices",
            "verifier");
  }

  @Test
  void builderStoreNull_throwsAndNeverFallsBackToMemory() {
    AuthCore.Builder builder = AuthCore.builder();
    assertThatThrownBy(() -> builder.store(nullStore()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("store is null");
  }

  @SuppressWarnings("NullAway") // a caller without null checking may pass one
  private static dev.authcore.spi.TokenStore nullStore() {
    return null;
  }
}
