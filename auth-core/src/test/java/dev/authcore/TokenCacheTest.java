package dev.authcore;

import static dev.authcore.Deployment.ANN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.TokenId;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import dev.authcore.store.InMemoryTokenStore;
import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What reaches the store: cache hits and remembered unknown ids do not. */
class TokenCacheTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  private final ControllableTokenStore store = new ControllableTokenStore(true);
  private final Deployment d = new Deployment(store, b -> b);

  @AfterEach
  void close() {
    d.close();
  }

  @Test
  void verify_sameTokenManyTimes_oneStoreRead() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    int before = store.finds.get();
    for (int i = 0; i < 100; i++) {
      assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
          .isTrue();
    }
    assertThat(store.finds.get() - before).isEqualTo(1);
  }

  @Test
  void verify_wrongSecretsForKnownId_hashComparedEveryTimeWithoutStoreReads() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    d.verifier().verify(ANN, token.revealPlaintext(), CLIENT);
    int before = store.finds.get();
    Random random = new Random(5);
    for (int i = 0; i < 50; i++) {
      String forged = d.core.format.mint(token.id(), random);
      assertThat(Deployment.reasonOf(d.verifier().verify(ANN, forged, CLIENT)))
          .isEqualTo(RejectionReason.INVALID);
    }
    assertThat(store.finds.get()).isEqualTo(before);
    // The cache holds the record, not a verdict: the right secret still verifies.
    assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
        .isTrue();
  }

  @Test
  void verify_sameUnknownIdRepeated_oneStoreRead() {
    String unknown = d.core.format.mint(TokenId.fromLong(4242), new Random(1));
    for (int i = 0; i < 100; i++) {
      assertThat(Deployment.reasonOf(d.verifier().verify(ANN, unknown, CLIENT)))
          .isEqualTo(RejectionReason.UNKNOWN);
    }
    assertThat(store.finds.get()).isEqualTo(1);
  }

  @Test
  void forgetToken_idRememberedMissing_readAgainAtOnce() {
    InMemoryTokenStore backing = new InMemoryTokenStore();
    InstantSource clock = InstantSource.fixed(Deployment.START);
    TokenCache cache =
        new TokenCache(
            backing,
            d.users,
            clock,
            new SecretHasher(SecretHashing.sha256()),
            new TokenCache.Limits(30_000, 5_000, 100, 100, 100, 0, 16),
            Runnable::run,
            new StoreOutage(clock, new AuditPublisher(java.util.List.of(), clock), Duration.ZERO),
            new Counters());
    TokenId id = TokenId.fromLong(99);
    long now = clock.millis();
    assertThat(lookUp(cache, id, now)).isNull();
    TokenRecord record =
        TokenRecord.issued(
            id,
            "acme",
            ANN,
            "ci",
            Deployment.START,
            null,
            SecretHash.of(SecretHash.Algorithm.SHA256, null, new byte[32]));
    assertThat(backing.insert(record, 5)).isEqualTo(TokenStore.InsertOutcome.INSERTED);
    assertThat(lookUp(cache, id, now)).as("still remembered missing").isNull();
    cache.forgetToken(id);
    assertThat(lookUp(cache, id, now)).as("read again").isNotNull();
  }

  /** The token as a verification finds it: in the cache, else in the store; null if missing. */
  private static @Nullable CachedToken lookUp(TokenCache cache, TokenId id, long now) {
    @Nullable TokenEntry entry = cache.cachedToken(id, now, Scratch.get());
    if (entry == null) {
      entry = cache.loadUncached(id, now);
    }
    return entry instanceof CachedToken token ? token : null;
  }

  @Test
  @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void delete_whileALoadHoldsAStaleRecord_neitherWaitsNorIsUndone() throws Exception {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    String text = token.revealPlaintext();
    ControllableTokenStore.Hold hold = store.holdNextFind(token.id());
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      Future<Verification> inFlight = caller.submit(() -> d.verifier().verify(ANN, text, CLIENT));
      assertThat(hold.awaitReached(10)).as("the load read the record and is held").isTrue();

      // Returns while the load that read the record is still held: nothing waits for it.
      d.issuer().delete(ANN, token.id());
      // A verification after the delete reads the store itself instead of joining that load.
      assertThat(Deployment.reasonOf(d.verifier().verify(ANN, text, CLIENT)))
          .isEqualTo(RejectionReason.UNKNOWN);

      hold.release();
      inFlight.get(); // started before the delete returned: either answer is allowed
      // The held load finished with the stale record and did not put it back.
      assertThat(Deployment.reasonOf(d.verifier().verify(ANN, text, CLIENT)))
          .isEqualTo(RejectionReason.UNKNOWN);
    } finally {
      hold.release();
      caller.shutdownNow();
    }
  }

  @Test
  void verify_malformedFlood_noStoreRead() {
    Random random = new Random(2);
    for (int i = 0; i < 200; i++) {
      String good = d.core.format.mint(TokenId.random(random), random);
      String bad =
          good.substring(0, 20) + (good.charAt(20) == 'x' ? 'y' : 'x') + good.substring(21);
      assertThat(Deployment.reasonOf(d.verifier().verify(ANN, bad, CLIENT)))
          .isEqualTo(RejectionReason.MALFORMED);
    }
    assertThat(store.finds.get()).isZero();
  }

  @Test
  void builder_cacheBounds_validated() {
    assertThatThrownBy(() -> AuthCore.builder().cacheBound(Duration.ofMillis(999)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 second to 1 hour");
    assertThatThrownBy(() -> AuthCore.builder().cacheBound(Duration.ofHours(1).plusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuthCore.builder().unknownIdBound(Duration.ofMillis(99)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuthCore.builder().maxCachedTokens(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuthCore.builder().usageFlushInterval(Duration.ofMillis(99)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuthCore.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("user directory");
    try (AuthCore defaults = AuthCore.builder().users(d.users).build()) {
      assertThat(defaults.cacheBound()).isEqualTo(Duration.ofSeconds(30));
    }
  }

  /*
   * The cache bound is measured on the deployment's clock. A store that does not tell this node of
   * changes (another node's change without notifications) is read again once an entry is as old as
   * the bound: not a millisecond before, not later.
   */

  @Test
  void verify_tokenDeletedUnheard_servedUntilTheCacheBound_thenUnknown() {
    ControllableTokenStore unheard = new ControllableTokenStore(false);
    try (Deployment quiet = new Deployment(unheard, b -> b.cacheBound(Duration.ofSeconds(10)))) {
      IssuedToken token = quiet.issuer().issue(ANN, "ci");
      assertThat(quiet.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
          .isTrue();
      assertThat(unheard.delete(token.id())).isPresent();

      quiet.clock.advance(Duration.ofMillis(9_999));
      assertThat(quiet.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
          .as("9.999 s after the load: still cached")
          .isTrue();
      quiet.clock.advance(Duration.ofMillis(1));
      assertThat(Deployment.reasonOf(quiet.verifier().verify(ANN, token.revealPlaintext(), CLIENT)))
          .as("10 s after the load: read again")
          .isEqualTo(RejectionReason.UNKNOWN);
    }
  }

  @Test
  void verify_corpRestrictedUnheard_appliesAtTheCacheBound() {
    ControllableTokenStore unheard = new ControllableTokenStore(false);
    try (Deployment quiet = new Deployment(unheard, b -> b.cacheBound(Duration.ofSeconds(10)))) {
      IssuedToken token = quiet.issuer().issue(ANN, "ci");
      assertThat(quiet.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
          .isTrue();
      TokenSettings before = unheard.settings("acme");
      assertThat(unheard.replaceSettings("acme", before, before.withRestricted(true))).isTrue();

      quiet.clock.advance(Duration.ofMillis(9_999));
      assertThat(quiet.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
          .isTrue();
      quiet.clock.advance(Duration.ofMillis(1));
      assertThat(Deployment.reasonOf(quiet.verifier().verify(ANN, token.revealPlaintext(), CLIENT)))
          .isEqualTo(RejectionReason.DISABLED);
    }
  }

  @Test
  void verify_unknownId_rememberedForTheUnknownIdBound_thenAskedAgain() {
    ControllableTokenStore counted = new ControllableTokenStore(true);
    try (Deployment quiet =
        new Deployment(counted, b -> b.unknownIdBound(Duration.ofMillis(500)))) {
      String unknown = quiet.core.format.mint(TokenId.fromLong(77), new Random(3));
      quiet.verifier().verify(ANN, unknown, CLIENT);
      assertThat(counted.finds.get()).isEqualTo(1);
      quiet.clock.advance(Duration.ofMillis(499));
      quiet.verifier().verify(ANN, unknown, CLIENT);
      assertThat(counted.finds.get()).isEqualTo(1);
      quiet.clock.advance(Duration.ofMillis(1));
      assertThat(Deployment.reasonOf(quiet.verifier().verify(ANN, unknown, CLIENT)))
          .isEqualTo(RejectionReason.UNKNOWN);
      assertThat(counted.finds.get()).isEqualTo(2);
    }
  }

  @Test
  void verify_idMissingThenStoredUnheard_verifiesOnceTheUnknownIdBoundPasses() {
    ControllableTokenStore unheard = new ControllableTokenStore(false);
    try (Deployment quiet =
        new Deployment(unheard, b -> b.unknownIdBound(Duration.ofMillis(500)))) {
      TokenId id = TokenId.fromLong(78);
      String token = quiet.core.format.mint(id, new Random(4));
      assertThat(Deployment.reasonOf(quiet.verifier().verify(ANN, token, CLIENT)))
          .isEqualTo(RejectionReason.UNKNOWN);
      SecretHash hash =
          new SecretHasher(SecretHashing.sha256())
              .hashForStorage(token, quiet.core.format.secretStart(), TokenFormat.SECRET_LENGTH);
      TokenRecord record = TokenRecord.issued(id, "acme", ANN, "ci", Deployment.START, null, hash);
      // Stored as another node would store it, without telling this one.
      assertThat(unheard.delegate.insert(record, 5)).isEqualTo(TokenStore.InsertOutcome.INSERTED);

      quiet.clock.advance(Duration.ofMillis(499));
      assertThat(Deployment.reasonOf(quiet.verifier().verify(ANN, token, CLIENT)))
          .as("still remembered missing")
          .isEqualTo(RejectionReason.UNKNOWN);
      quiet.clock.advance(Duration.ofMillis(1));
      assertThat(quiet.verifier().verify(ANN, token, CLIENT).isAuthenticated())
          .as("read again at the unknown-id bound, and found")
          .isTrue();
    }
  }

  /*
   * Unknown ids share the token cache (so that a lookup costs the same whether the id exists or
   * not). A flood of ids each seen once must not push out the tokens in use meanwhile.
   */

  @Test
  void verify_floodOfUnknownIds_tokensInUseStayCached() {
    ControllableTokenStore counted = new ControllableTokenStore(true);
    try (Deployment small =
        new Deployment(counted, b -> b.maxCachedTokens(50).maxCachedUnknownIds(50))) {
      List<String> users = new ArrayList<>();
      List<String> inUse = new ArrayList<>();
      for (String user : List.of(ANN, Deployment.BOB)) {
        for (int i = 0; i < 3; i++) {
          users.add(user);
          inUse.add(small.issuer().issue(user, "t" + i).revealPlaintext());
        }
      }
      Random random = new Random(6);
      int findsBefore = 0;
      int flood = 0;
      for (int round = 0; round < 400; round++) {
        for (int t = 0; t < inUse.size(); t++) {
          assertThat(small.verifier().verify(users.get(t), inUse.get(t), CLIENT).isAuthenticated())
              .isTrue();
        }
        if (round == 20) {
          findsBefore = counted.finds.get(); // each token in use has been read once by now
          flood = 0;
        }
        for (int i = 0; i < 10; i++) {
          String unknown = small.core.format.mint(TokenId.random(random), random);
          assertThat(Deployment.reasonOf(small.verifier().verify(ANN, unknown, CLIENT)))
              .isEqualTo(RejectionReason.UNKNOWN);
          flood++;
        }
      }
      assertThat(flood).isEqualTo(3_800);
      assertThat(counted.finds.get() - findsBefore)
          .as("store reads once the tokens in use were cached: only the flood's own")
          .isEqualTo(flood);
    }
  }

  @Test
  void verify_moreUnknownIdsThanRemembered_oldestForgottenFirst() {
    ControllableTokenStore counted = new ControllableTokenStore(true);
    try (Deployment small = new Deployment(counted, b -> b.maxCachedUnknownIds(3))) {
      List<String> unknown = new ArrayList<>();
      Random random = new Random(7);
      for (int i = 0; i < 4; i++) {
        unknown.add(small.core.format.mint(TokenId.random(random), random));
        small.verifier().verify(ANN, unknown.get(i), CLIENT);
      }
      assertThat(counted.finds.get()).isEqualTo(4);
      assertThat(Deployment.reasonOf(small.verifier().verify(ANN, unknown.get(3), CLIENT)))
          .isEqualTo(RejectionReason.UNKNOWN);
      assertThat(counted.finds.get()).as("the newest three are remembered").isEqualTo(4);
      assertThat(Deployment.reasonOf(small.verifier().verify(ANN, unknown.get(0), CLIENT)))
          .isEqualTo(RejectionReason.UNKNOWN);
      assertThat(counted.finds.get()).as("the oldest was forgotten, so read again").isEqualTo(5);
      small.verifier().verify(ANN, unknown.get(1), CLIENT);
      assertThat(counted.finds.get())
          .as("remembering the first again forgot the second")
          .isEqualTo(6);
    }
  }

  @Test
  void verify_clockSetBack_entriesLoadedInTheFutureReadAgain() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    d.clock.advance(Duration.ofHours(1));
    assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
        .isTrue();
    int loaded = store.finds.get();
    // Set back an hour: the entry now looks an hour younger than zero. Trusting it would let a
    // clock step stretch the cache bound by the size of the step.
    d.clock.set(d.clock.instant().minus(Duration.ofHours(1)));
    assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
        .isTrue();
    assertThat(store.finds.get()).isEqualTo(loaded + 1);
    assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
        .isTrue();
    assertThat(store.finds.get()).as("read once, then cached again").isEqualTo(loaded + 1);
  }
}
