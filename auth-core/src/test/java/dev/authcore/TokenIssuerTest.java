package dev.authcore;

import static dev.authcore.Deployment.ANN;
import static dev.authcore.Deployment.BOB;
import static dev.authcore.Deployment.OLGA;
import static dev.authcore.Deployment.OTTO;
import static dev.authcore.Deployment.ZED;
import static dev.authcore.Deployment.reasonOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.NullPointerTester;
import dev.authcore.model.AuthCoreException;
import dev.authcore.model.ConflictException;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.NotFoundException;
import dev.authcore.model.PermissionDeniedException;
import dev.authcore.model.TokenId;
import dev.authcore.model.TokenLimitExceededException;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.TokenRecord;
import dev.authcore.store.InMemoryTokenStore;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenIssuerTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  /** What a token of this deployment looks like anywhere in a text. */
  private static final Pattern ANY_TOKEN = Pattern.compile("acme_[0-9A-Za-z]{49}");

  private final Deployment d = new Deployment();

  @AfterEach
  void close() {
    d.close();
  }

  private static void assertNoTokenIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContainPattern(ANY_TOKEN);
      assertThat(t.toString()).doesNotContainPattern(ANY_TOKEN);
    }
  }

  private boolean verifies(IssuedToken token, String email) {
    return d.verifier().verify(email, token.revealPlaintext(), CLIENT).isAuthenticated();
  }

  @Test
  void everyMethod_nullWhereNotAllowed_nullPointerExceptionAndNothingStored() {
    new NullPointerTester()
        .setDefault(String.class, ANN)
        .setDefault(TokenId.class, TokenId.fromLong(1))
        .testAllPublicInstanceMethods(d.issuer());
    assertThat(d.store.listByOwner("acme", ANN)).isEmpty();
    assertThat(d.events).isEmpty();
  }

  // ---- issuing -------------------------------------------------------------------------------

  @Test
  void issue_wellFormed_storesHashAndReturnsPlaintextOnce() {
    IssuedToken token = d.issuer().issue(ANN, "  deploy bot ");
    assertThat(token.name()).isEqualTo("deploy bot");
    assertThat(token.ownerEmail()).isEqualTo(ANN);
    assertThat(token.corp()).isEqualTo("acme");
    assertThat(token.created()).isEqualTo(Deployment.START);
    assertThat(token.expiresAt()).isNull();
    assertThat(token.revealPlaintext()).matches(ANY_TOKEN).contains(token.id().toString());
    assertThat(token.toString()).doesNotContainPattern(ANY_TOKEN).contains("redacted");

    TokenRecord stored = d.store.find(token.id()).orElseThrow();
    assertThat(stored.name()).isEqualTo("deploy bot");
    assertThat(stored.ownerEmail()).isEqualTo(ANN);
    String secret = token.revealPlaintext().substring(16, 48);
    assertThat(stored.hash().toByteArray())
        .isEqualTo(Independent.sha256(Independent.ascii(secret)));
    assertThat(stored.toString()).doesNotContain(secret).doesNotContainPattern(ANY_TOKEN);
    assertThat(verifies(token, ANN)).isTrue();

    assertThat(d.events(AuditEvent.TokenCreated.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.tokenId()).isEqualTo(token.id());
              assertThat(e.actor()).isEqualTo(ANN);
              assertThat(e.tokenName()).isEqualTo("deploy bot");
              assertThat(e.toString()).doesNotContain(secret);
            });
  }

  @Test
  void issue_manyTokens_distinctRandomIdsAndSecrets() {
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String user = "user" + i + "@example.com";
      d.users.add("acme", user, dev.authcore.model.Role.USER);
      IssuedToken t = d.issuer().issue(user, "t");
      seen.add(t.revealPlaintext().substring(5, 48));
    }
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(seen.stream().map(s -> s.substring(0, 11))).doesNotHaveDuplicates();
  }

  @Test
  void issue_nameTakenIgnoringCase_refusedWithoutPlaintextInMessage() {
    d.issuer().issue(ANN, "Deploy");
    for (String clash : List.of("deploy", "DEPLOY", " dEpLoY ")) {
      assertThatThrownBy(() -> d.issuer().issue(ANN, clash))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("already has a token named")
          .satisfies(TokenIssuerTest::assertNoTokenIn);
    }
    assertThat(d.store.listByOwner("acme", ANN)).hasSize(1);
    // Other users may use the same name.
    assertThat(d.issuer().issue(BOB, "deploy").name()).isEqualTo("deploy");
    assertThat(d.issuer().issue("ANN@example.com", "other").ownerEmail())
        .isEqualTo("ann@example.com");
  }

  @Test
  void issue_badName_refusedBeforeAnythingIsStored() {
    assertThatThrownBy(() -> d.issuer().issue(ANN, "ci\u202eevil"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("U+202E")
        .hasMessageContaining("position 3");
    assertThatThrownBy(() -> d.issuer().issue(ANN, "   "))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> d.issuer().issue(ANN, "n".repeat(65)))
        .isInstanceOf(InvalidInputException.class);
    assertThat(d.store.listByOwner("acme", ANN)).isEmpty();
    assertThat(d.events).isEmpty();
  }

  @Test
  void issue_unknownOrMalformedActor_refused() {
    assertThatThrownBy(() -> d.issuer().issue("nobody@example.com", "ci"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("unknown user");
    assertThatThrownBy(() -> d.issuer().issue("ann@example.com\r\nX: y", "ci"))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\r", "\n"));
  }

  // ---- lifetime ------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(longs = {1, 30, 365, 3650})
  void issue_lifetimeWithinBounds_expiresAtCreatedPlusLifetime(long days) {
    IssuedToken token = d.issuer().issue(ANN, "t", Duration.ofDays(days));
    assertThat(token.expiresAt()).isEqualTo(Deployment.START.plus(Duration.ofDays(days)));
    assertThat(d.store.find(token.id()).orElseThrow().expiresAt()).isEqualTo(token.expiresAt());
    d.clock.advance(Duration.ofDays(days).minusMillis(1));
    assertThat(verifies(token, ANN)).isTrue();
    d.clock.advance(Duration.ofMillis(1)); // expires at created + lifetime: equal means expired
    assertThat(reasonOf(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT)))
        .isEqualTo(RejectionReason.EXPIRED);
  }

  @Test
  void issue_lifetimeOutOfBounds_refused() {
    for (Duration bad :
        List.of(
            Duration.ZERO,
            Duration.ofDays(-1),
            Duration.ofDays(1).minusMillis(1),
            Duration.ofDays(3650).plusMillis(1),
            Duration.ofDays(1).plusNanos(1))) {
      assertThatThrownBy(() -> d.issuer().issue(ANN, "t", bad))
          .as("%s", bad)
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("token lifetime");
    }
    assertThat(d.store.listByOwner("acme", ANN)).isEmpty();
  }

  @Test
  void issue_lifetimeAndCorpPolicy_earlierExpiryWins() {
    TokenSettings defaults = TokenSettings.defaults();
    assertThat(
            d.store.replaceSettings("acme", defaults, defaults.withExpiry(ExpiryPolicy.days(30))))
        .isTrue();
    IssuedToken longLived = d.issuer().issue(ANN, "long", Duration.ofDays(90));
    IssuedToken shortLived = d.issuer().issue(ANN, "short", Duration.ofDays(10));
    d.clock.advance(Duration.ofDays(10));
    assertThat(reasonOf(d.verifier().verify(ANN, shortLived.revealPlaintext(), CLIENT)))
        .isEqualTo(RejectionReason.EXPIRED);
    assertThat(verifies(longLived, ANN)).isTrue();
    d.clock.advance(Duration.ofDays(20));
    assertThat(reasonOf(d.verifier().verify(ANN, longLived.revealPlaintext(), CLIENT)))
        .isEqualTo(RejectionReason.EXPIRED);
  }

  // ---- the limit -----------------------------------------------------------------------------

  @Test
  void issue_sixthToken_refusedWithDefaultLimitOfFive() {
    List<IssuedToken> tokens = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tokens.add(d.issuer().issue(ANN, "t" + i));
    }
    assertThatThrownBy(() -> d.issuer().issue(ANN, "t5"))
        .isInstanceOf(TokenLimitExceededException.class)
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("5 tokens")
        .satisfies(e -> assertThat(((TokenLimitExceededException) e).limit()).isEqualTo(5))
        .satisfies(TokenIssuerTest::assertNoTokenIn);
    assertThat(d.store.listByOwner("acme", ANN)).hasSize(5);
    assertThat(d.issuer().issue(BOB, "t0")).isNotNull(); // per user, not per corp

    d.issuer().delete(ANN, tokens.get(0).id());
    assertThat(d.issuer().issue(ANN, "t5").name()).isEqualTo("t5");
  }

  @Test
  void issue_expiredTokensStillCount() {
    for (int i = 0; i < 5; i++) {
      d.issuer().issue(ANN, "t" + i, Duration.ofDays(1));
    }
    d.clock.advance(Duration.ofDays(2));
    assertThatThrownBy(() -> d.issuer().issue(ANN, "t5"))
        .isInstanceOf(TokenLimitExceededException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 100})
  void issue_configuredLimit_enforced(int limit) {
    try (Deployment custom =
        new Deployment(new InMemoryTokenStore(), b -> b.maxTokensPerUser(limit))) {
      for (int i = 0; i < limit; i++) {
        custom.issuer().issue(ANN, "t" + i);
      }
      assertThatThrownBy(() -> custom.issuer().issue(ANN, "extra"))
          .isInstanceOf(TokenLimitExceededException.class)
          .satisfies(e -> assertThat(((TokenLimitExceededException) e).limit()).isEqualTo(limit));
      assertThat(custom.store.listByOwner("acme", ANN)).hasSize(limit);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0, 101})
  void builder_limitOutOfRange_refused(int limit) {
    assertThatThrownBy(() -> AuthCore.builder().maxTokensPerUser(limit))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 100, got " + limit);
  }

  @Test
  void issue_thousandConcurrentForOneUser_exactlyFiveAndOthersUnaffected() throws Exception {
    int calls = 1_000;
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      CountDownLatch ready = new CountDownLatch(32);
      CountDownLatch go = new CountDownLatch(1);
      AtomicInteger issued = new AtomicInteger();
      AtomicInteger limited = new AtomicInteger();
      ConcurrentHashMap<Class<?>, Throwable> unexpected = new ConcurrentHashMap<>();
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        String name = "t" + i;
        boolean warmUp = i < 32;
        futures.add(
            pool.submit(
                () -> {
                  if (warmUp) {
                    ready.countDown(); // each of the 32 threads parks here until all are ready
                  }
                  go.await();
                  try {
                    d.issuer().issue(ANN, name);
                    issued.incrementAndGet();
                  } catch (TokenLimitExceededException e) {
                    limited.incrementAndGet();
                  } catch (RuntimeException e) {
                    unexpected.putIfAbsent(e.getClass(), e);
                  }
                  return null;
                }));
      }
      // Meanwhile another user of the corp issues too.
      assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      IssuedToken bobs = d.issuer().issue(BOB, "bob's");
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertThat(unexpected).isEmpty();
      assertThat(issued.get()).isEqualTo(5);
      assertThat(limited.get()).isEqualTo(calls - 5);
      assertThat(d.store.listByOwner("acme", ANN)).hasSize(5);
      assertThat(d.events(AuditEvent.TokenCreated.class)).hasSize(6);
      assertThat(d.store.listByOwner("acme", BOB)).hasSize(1);
      assertThat(verifies(bobs, BOB)).isTrue();
      for (int i = 1; i < 5; i++) {
        d.issuer().issue(BOB, "more" + i);
      }
      assertThat(d.store.listByOwner("acme", BOB)).hasSize(5);
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  // ---- restricted corps ----------------------------------------------------------------------

  private void restrictAcme() {
    TokenSettings before = d.store.settings("acme");
    assertThat(d.store.replaceSettings("acme", before, before.withRestricted(true))).isTrue();
  }

  @Test
  void issue_restrictedCorpWithoutPermission_permissionDenied() {
    restrictAcme();
    for (String actor : List.of(ANN, OLGA)) { // owners need the permission too
      assertThatThrownBy(() -> d.issuer().issue(actor, "ci"))
          .isInstanceOf(PermissionDeniedException.class)
          .isInstanceOf(AuthCoreException.class)
          .hasMessageContaining(actor)
          .hasMessageContaining("permission");
    }
    assertThat(d.store.listByOwner("acme", ANN)).isEmpty();
    assertThat(d.events).isEmpty();
    // Another corp is not affected.
    assertThat(d.issuer().issue(ZED, "ci")).isNotNull();
  }

  @Test
  void issue_restrictedCorpWithPermission_issued() {
    restrictAcme();
    d.store.setPermission("acme", "ANN@example.com", true);
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(verifies(token, ANN)).isTrue();
    d.store.setPermission("acme", ANN, false);
    assertThatThrownBy(() -> d.issuer().issue(ANN, "ci2"))
        .isInstanceOf(PermissionDeniedException.class);
  }

  // ---- deleting ------------------------------------------------------------------------------

  @Test
  void delete_ownToken_deletedAndNoLongerVerifies() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(verifies(token, ANN)).isTrue(); // now cached
    d.issuer().delete("Ann@Example.com", token.id());
    assertThat(d.store.find(token.id())).isEmpty();
    assertThat(reasonOf(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT)))
        .isEqualTo(RejectionReason.UNKNOWN);
    assertThat(d.events(AuditEvent.TokenDeleted.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.tokenId()).isEqualTo(token.id());
              assertThat(e.actor()).isEqualTo("ann@example.com");
              assertThat(e.tokenOwner()).isEqualTo(ANN);
              assertThat(e.tokenName()).isEqualTo("ci");
            });
  }

  @Test
  void delete_ownerDeletesAnyTokenOfCorp() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(verifies(token, ANN)).isTrue();
    d.issuer().delete(OLGA, token.id());
    assertThat(d.store.find(token.id())).isEmpty();
    assertThat(verifies(token, ANN)).isFalse();
    assertThat(d.events(AuditEvent.TokenDeleted.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.actor()).isEqualTo(OLGA);
              assertThat(e.tokenOwner()).isEqualTo(ANN);
            });
  }

  @Test
  void delete_otherUsersToken_permissionDeniedAndNothingChanged() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(verifies(token, ANN)).isTrue();
    int eventsBefore = d.events.size();
    assertThatThrownBy(() -> d.issuer().delete(BOB, token.id()))
        .isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining(BOB)
        .hasMessageContaining(token.id().toString())
        .satisfies(TokenIssuerTest::assertNoTokenIn);
    assertThat(d.store.find(token.id())).isPresent();
    assertThat(verifies(token, ANN)).isTrue();
    assertThat(d.events.size()).isEqualTo(eventsBefore); // no deletion, no new address
    assertThat(d.events(AuditEvent.TokenDeleted.class)).isEmpty();
  }

  @Test
  void delete_otherCorpsToken_noSuchElementEvenForItsOwnerRoleAndNothingChanged() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    for (String outsider : List.of(ZED, OTTO)) {
      assertThatThrownBy(() -> d.issuer().delete(outsider, token.id()))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining(token.id().toString())
          .hasMessageContaining("globex");
    }
    assertThat(d.store.find(token.id())).isPresent();
    assertThat(verifies(token, ANN)).isTrue();
    assertThat(d.events(AuditEvent.TokenDeleted.class)).isEmpty();
  }

  @Test
  void delete_unknownIdOrUnknownActor_refused() {
    assertThatThrownBy(() -> d.issuer().delete(ANN, TokenId.fromLong(12345)))
        .isInstanceOf(NotFoundException.class);
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThatThrownBy(() -> d.issuer().delete("nobody@example.com", token.id()))
        .isInstanceOf(NotFoundException.class);
    d.issuer().delete(ANN, token.id());
    assertThatThrownBy(() -> d.issuer().delete(ANN, token.id()))
        .isInstanceOf(NotFoundException.class);
    assertThat(d.events(AuditEvent.TokenDeleted.class)).hasSize(1);
  }
}
