package dev.authcore;

import static dev.authcore.Deployment.ANN;
import static dev.authcore.Deployment.BOB;
import static dev.authcore.Deployment.OLGA;
import static dev.authcore.Deployment.OTTO;
import static dev.authcore.Deployment.reasonOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.console.TokenConsole;
import dev.authcore.console.TokenQuery;
import dev.authcore.console.TokenRow;
import dev.authcore.model.ConflictException;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.NotFoundException;
import dev.authcore.model.PermissionDeniedException;
import dev.authcore.model.TokenId;
import dev.authcore.model.TokenLimitExceededException;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.TokenRecord;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.testkit.ForwardingTokenStore;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenIssuer#rotate}: the token is kept, the new secret is shown once, the previous secret
 * works until the grace period's end and never after, at most two secrets at once, the same access
 * rules as deleting, events, listings, and no secret anywhere but the answer.
 */
class TokenRotationTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
  private static final Pattern ANY_TOKEN = Pattern.compile("acme_[0-9A-Za-z]{49}");
  private static final Duration HOUR = Duration.ofHours(1);

  private final Deployment d = new Deployment();

  @AfterEach
  void close() {
    d.close();
  }

  private Verification verify(String email, String plaintext) {
    return d.verifier().verify(email, plaintext, CLIENT);
  }

  private boolean verifies(String email, String plaintext) {
    return verify(email, plaintext).isAuthenticated();
  }

  // ---- what is kept, what changes ------------------------------------------------------------

  @Test
  void rotate_keepsIdNameCreatorCreationAndExpiry_returnsNewPlaintextOnce() {
    IssuedToken old = d.issuer().issue(ANN, "deploy", Duration.ofDays(30));
    d.clock.advance(Duration.ofDays(2));

    RotatedToken rotated = d.issuer().rotate(ANN, old.id(), Duration.ZERO);

    IssuedToken fresh = rotated.token();
    assertThat(fresh.id()).isEqualTo(old.id());
    assertThat(fresh.name()).isEqualTo("deploy");
    assertThat(fresh.ownerEmail()).isEqualTo(ANN);
    assertThat(fresh.corp()).isEqualTo("acme");
    assertThat(fresh.created()).isEqualTo(old.created());
    assertThat(fresh.expiresAt()).isEqualTo(old.expiresAt());
    assertThat(fresh.revealPlaintext()).isNotEqualTo(old.revealPlaintext()).matches(ANY_TOKEN);
    assertThat(fresh.revealPlaintext()).startsWith("acme_" + old.id());
    assertThat(rotated.rotated()).isEqualTo(Deployment.START.plus(Duration.ofDays(2)));
    assertThat(rotated.previousValidUntil()).isNull();
    TokenRecord stored = d.store.find(old.id()).orElseThrow();
    assertThat(stored.rotated()).isEqualTo(rotated.rotated());
    assertThat(stored.previousHash()).isNull();
    assertThat(verifies(ANN, fresh.revealPlaintext())).isTrue();
  }

  @Test
  void rotate_expiryStillCountsFromCreation() {
    IssuedToken old = d.issuer().issue(ANN, "deploy", Duration.ofDays(1));
    d.clock.advance(Duration.ofHours(23));
    RotatedToken rotated = d.issuer().rotate(ANN, old.id(), Duration.ZERO);
    assertThat(verifies(ANN, rotated.token().revealPlaintext())).isTrue();

    d.clock.advance(HOUR); // created + 1 day: expired, though rotated an hour ago

    assertThat(reasonOf(verify(ANN, rotated.token().revealPlaintext())))
        .isEqualTo(RejectionReason.EXPIRED);
  }

  // ---- the previous secret -------------------------------------------------------------------

  @Test
  void rotate_zeroGrace_previousSecretRejectedAtOnceAsInvalid() {
    IssuedToken old = d.issuer().issue(ANN, "deploy");
    assertThat(verifies(ANN, old.revealPlaintext())).isTrue(); // cached with its hash

    d.issuer().rotate(ANN, old.id(), Duration.ZERO);

    assertThat(reasonOf(verify(ANN, old.revealPlaintext()))).isEqualTo(RejectionReason.INVALID);
  }

  @Test
  void rotate_withGrace_previousSecretWorksUntilGraceEndAndFailsOneMillisecondAfter() {
    IssuedToken old = d.issuer().issue(ANN, "deploy");
    assertThat(verifies(ANN, old.revealPlaintext())).isTrue();
    d.clock.advance(Duration.ofMinutes(5));
    Instant rotatedAt = d.clock.instant();

    RotatedToken rotated = d.issuer().rotate(ANN, old.id(), HOUR);

    Instant end = rotatedAt.plus(HOUR);
    assertThat(rotated.previousValidUntil()).isEqualTo(end);
    String fresh = rotated.token().revealPlaintext();
    assertThat(verifies(ANN, old.revealPlaintext())).isTrue();
    assertThat(verifies(ANN, fresh)).isTrue();
    d.clock.set(end.minusMillis(1));
    assertThat(verifies(ANN, old.revealPlaintext())).isTrue();
    d.clock.set(end); // exclusive: at exactly the end it fails
    assertThat(reasonOf(verify(ANN, old.revealPlaintext()))).isEqualTo(RejectionReason.INVALID);
    d.clock.set(end.plusMillis(1));
    assertThat(reasonOf(verify(ANN, old.revealPlaintext()))).isEqualTo(RejectionReason.INVALID);
    assertThat(verifies(ANN, fresh)).isTrue();
    d.clock.advance(Duration.ofDays(30)); // never again
    assertThat(reasonOf(verify(ANN, old.revealPlaintext()))).isEqualTo(RejectionReason.INVALID);
  }

  @Test
  void rotate_previousSecret_sameAnswersAsCurrent_wrongUserAndWrongSecretStayInvalid() {
    IssuedToken old = d.issuer().issue(ANN, "deploy");
    d.issuer().rotate(ANN, old.id(), HOUR);

    Verification.Authenticated byOld =
        (Verification.Authenticated) verify(ANN, old.revealPlaintext());
    assertThat(byOld.tokenId()).isEqualTo(old.id());
    assertThat(byOld.tokenName()).isEqualTo("deploy");
    assertThat(reasonOf(verify(BOB, old.revealPlaintext()))).isEqualTo(RejectionReason.INVALID);
    String wrong = d.core.format.mint(old.id(), new java.util.Random(99));
    assertThat(reasonOf(verify(ANN, wrong))).isEqualTo(RejectionReason.INVALID);
  }

  @Test
  void rotate_previousSecretOfExpiredToken_rejectedExpired() {
    IssuedToken old = d.issuer().issue(ANN, "deploy", Duration.ofDays(1));
    d.clock.advance(Duration.ofHours(23));
    d.issuer().rotate(ANN, old.id(), Duration.ofHours(2));

    d.clock.advance(HOUR);

    assertThat(reasonOf(verify(ANN, old.revealPlaintext()))).isEqualTo(RejectionReason.EXPIRED);
  }

  @Test
  void rotate_againDuringGrace_endsTheOlderGraceAtOnce() {
    IssuedToken first = d.issuer().issue(ANN, "deploy");
    RotatedToken second = d.issuer().rotate(ANN, first.id(), HOUR);
    d.clock.advance(Duration.ofMinutes(10));

    RotatedToken third = d.issuer().rotate(ANN, first.id(), HOUR);

    assertThat(reasonOf(verify(ANN, first.revealPlaintext()))).isEqualTo(RejectionReason.INVALID);
    assertThat(verifies(ANN, second.token().revealPlaintext())).isTrue();
    assertThat(verifies(ANN, third.token().revealPlaintext())).isTrue();
    assertThat(third.previousValidUntil()).isEqualTo(d.clock.instant().plus(HOUR));
  }

  @Test
  void rotate_againWithZeroGraceDuringGrace_onlyTheNewestSecretWorks() {
    IssuedToken first = d.issuer().issue(ANN, "deploy");
    RotatedToken second = d.issuer().rotate(ANN, first.id(), HOUR);

    RotatedToken third = d.issuer().rotate(ANN, first.id(), Duration.ZERO);

    assertThat(verifies(ANN, first.revealPlaintext())).isFalse();
    assertThat(verifies(ANN, second.token().revealPlaintext())).isFalse();
    assertThat(verifies(ANN, third.token().revealPlaintext())).isTrue();
    assertThat(d.store.find(first.id()).orElseThrow().previousHash()).isNull();
  }

  @Test
  void rotate_concurrentRotation_laterOneWinsAndTheEarlierPreviousIsGone() {
    // The store runs a second rotation of the same token just before the first one's own write,
    // as if it came from another node at that moment.
    AtomicInteger calls = new AtomicInteger();
    List<RotatedToken> interleaved = new ArrayList<>();
    Holder<TokenIssuer> issuer = new Holder<>();
    ForwardingTokenStore racing =
        new ForwardingTokenStore(new InMemoryTokenStore()) {
          @Override
          public Optional<TokenRecord> rotateSecret(
              TokenId id,
              SecretHash expected,
              SecretHash replacement,
              Instant rotated,
              @Nullable Instant previousValidUntil) {
            if (calls.incrementAndGet() == 1) {
              interleaved.add(issuer.get().rotate(OLGA, id, HOUR));
            }
            return super.rotateSecret(id, expected, replacement, rotated, previousValidUntil);
          }
        };
    try (Deployment raced = new Deployment(racing, b -> b)) {
      issuer.set(raced.issuer());
      IssuedToken first = raced.issuer().issue(ANN, "deploy");

      RotatedToken mine = raced.issuer().rotate(ANN, first.id(), HOUR);

      RotatedToken theirs = interleaved.get(0);
      assertThat(calls.get()).isEqualTo(3); // mine, theirs, mine again
      Verification firstAnswer = raced.verifier().verify(ANN, first.revealPlaintext(), CLIENT);
      assertThat(reasonOf(firstAnswer)).isEqualTo(RejectionReason.INVALID);
      assertThat(
              raced
                  .verifier()
                  .verify(ANN, theirs.token().revealPlaintext(), CLIENT)
                  .isAuthenticated())
          .isTrue();
      assertThat(
              raced
                  .verifier()
                  .verify(ANN, mine.token().revealPlaintext(), CLIENT)
                  .isAuthenticated())
          .isTrue();
      assertThat(raced.events(AuditEvent.TokenRotated.class)).hasSize(2);
    }
  }

  @Test
  void rotate_othersKeepWinning_conflictAndNothingChangedByThisCall() {
    Holder<TokenIssuer> issuer = new Holder<>();
    ForwardingTokenStore alwaysBeaten =
        new ForwardingTokenStore(new InMemoryTokenStore()) {
          @Override
          public Optional<TokenRecord> rotateSecret(
              TokenId id,
              SecretHash expected,
              SecretHash replacement,
              Instant rotated,
              @Nullable Instant previousValidUntil) {
            return Optional.empty(); // as if another rotation always came first
          }
        };
    try (Deployment beaten = new Deployment(alwaysBeaten, b -> b)) {
      issuer.set(beaten.issuer());
      IssuedToken token = beaten.issuer().issue(ANN, "deploy");

      assertThatThrownBy(() -> beaten.issuer().rotate(ANN, token.id(), HOUR))
          .isInstanceOf(ConflictException.class)
          .satisfies(
              e ->
                  assertThat(((ConflictException) e).kind())
                      .isEqualTo(ConflictException.Kind.CONCURRENT_CHANGE));
      assertThat(beaten.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
          .isTrue();
      assertThat(beaten.events(AuditEvent.TokenRotated.class)).isEmpty();
    }
  }

  @Test
  void rotate_tokenDeletedMeanwhile_notFound() {
    IssuedToken token = d.issuer().issue(ANN, "deploy");
    Holder<Deployment> deployment = new Holder<>();
    ForwardingTokenStore deleting =
        new ForwardingTokenStore(new InMemoryTokenStore()) {
          @Override
          public Optional<TokenRecord> rotateSecret(
              TokenId id,
              SecretHash expected,
              SecretHash replacement,
              Instant rotated,
              @Nullable Instant previousValidUntil) {
            delete(id);
            return super.rotateSecret(id, expected, replacement, rotated, previousValidUntil);
          }
        };
    try (Deployment other = new Deployment(deleting, b -> b)) {
      deployment.set(other);
      IssuedToken mine = other.issuer().issue(ANN, "deploy");

      assertThatThrownBy(() -> other.issuer().rotate(ANN, mine.id(), HOUR))
          .isInstanceOf(NotFoundException.class);
      assertThat(other.events(AuditEvent.TokenRotated.class)).isEmpty();
    }
    assertThat(verifies(ANN, token.revealPlaintext())).isTrue();
  }

  // ---- who may rotate ------------------------------------------------------------------------

  @Test
  void rotate_ownerRotatesAnotherUsersToken_newSecretIsTheOwnersTokens() {
    IssuedToken anns = d.issuer().issue(ANN, "deploy");

    RotatedToken rotated = d.issuer().rotate(OLGA, anns.id(), HOUR);

    assertThat(rotated.token().ownerEmail()).isEqualTo(ANN);
    assertThat(verifies(ANN, rotated.token().revealPlaintext())).isTrue();
    assertThat(verifies(OLGA, rotated.token().revealPlaintext())).isFalse();
    AuditEvent.TokenRotated event = d.events(AuditEvent.TokenRotated.class).get(0);
    assertThat(event.actor()).isEqualTo(OLGA);
    assertThat(event.tokenOwner()).isEqualTo(ANN);
  }

  @Test
  void rotate_nonOwnerRotatesAnotherUsersToken_refusedAsDeleteIsAndNothingChanged() {
    IssuedToken anns = d.issuer().issue(ANN, "deploy");

    Throwable rotateRefusal = catchThrowableOf(() -> d.issuer().rotate(BOB, anns.id(), HOUR));
    Throwable deleteRefusal = catchThrowableOf(() -> d.issuer().delete(BOB, anns.id()));

    assertThat(rotateRefusal).isInstanceOf(PermissionDeniedException.class);
    assertThat(deleteRefusal).isInstanceOf(PermissionDeniedException.class);
    assertThat(((PermissionDeniedException) rotateRefusal).httpStatus())
        .isEqualTo(((PermissionDeniedException) deleteRefusal).httpStatus());
    assertThat(rotateRefusal.getMessage()).contains(BOB).contains("may not rotate");
    assertThat(verifies(ANN, anns.revealPlaintext())).isTrue();
    assertThat(d.store.find(anns.id()).orElseThrow().rotated()).isNull();
    assertThat(d.events(AuditEvent.TokenRotated.class)).isEmpty();
  }

  @Test
  void rotate_ownerOfAnotherCorpOrUnknownId_notFoundAsDeleteIs() {
    IssuedToken anns = d.issuer().issue(ANN, "deploy");

    assertThatThrownBy(() -> d.issuer().rotate(OTTO, anns.id(), HOUR))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> d.issuer().delete(OTTO, anns.id()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> d.issuer().rotate(ANN, TokenId.fromLong(12345), HOUR))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("no token");
    assertThatThrownBy(() -> d.issuer().rotate("nobody@example.com", anns.id(), HOUR))
        .isInstanceOf(NotFoundException.class);
    assertThat(verifies(ANN, anns.revealPlaintext())).isTrue();
    assertThat(d.events(AuditEvent.TokenRotated.class)).isEmpty();
  }

  // ---- the grace period's bounds -------------------------------------------------------------

  @Test
  void rotate_graceOutOfRange_invalidInputAndNothingChanged() {
    IssuedToken token = d.issuer().issue(ANN, "deploy");
    for (Duration bad :
        List.of(
            Duration.ofMillis(-1),
            Duration.ofDays(7).plusMillis(1),
            Duration.ofDays(8),
            Duration.ofMinutes(5).plusNanos(1))) {
      assertThatThrownBy(() -> d.issuer().rotate(ANN, token.id(), bad))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("grace");
    }
    assertThat(d.store.find(token.id()).orElseThrow().rotated()).isNull();
    assertThat(verifies(ANN, token.revealPlaintext())).isTrue();
    assertThat(d.events(AuditEvent.TokenRotated.class)).isEmpty();
  }

  @Test
  void rotate_sevenDaysGrace_allowedAndPreviousWorksUntilThen() {
    IssuedToken token = d.issuer().issue(ANN, "deploy");

    RotatedToken rotated = d.issuer().rotate(ANN, token.id(), TokenIssuer.MAX_ROTATION_GRACE);

    assertThat(rotated.previousValidUntil()).isEqualTo(Deployment.START.plus(Duration.ofDays(7)));
    d.clock.advance(Duration.ofDays(7).minusMillis(1));
    assertThat(verifies(ANN, token.revealPlaintext())).isTrue();
    d.clock.advance(Duration.ofMillis(1));
    assertThat(verifies(ANN, token.revealPlaintext())).isFalse();
  }

  // ---- limit, events, listings ---------------------------------------------------------------

  @Test
  void rotate_isNotANewToken_limitUnaffected() {
    List<IssuedToken> tokens = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tokens.add(d.issuer().issue(ANN, "t" + i));
    }

    d.issuer().rotate(ANN, tokens.get(0).id(), HOUR);
    d.issuer().rotate(ANN, tokens.get(0).id(), HOUR);

    assertThat(d.store.listByOwner("acme", ANN)).hasSize(5);
    assertThatThrownBy(() -> d.issuer().issue(ANN, "sixth"))
        .isInstanceOf(TokenLimitExceededException.class);
    d.issuer().delete(ANN, tokens.get(1).id());
    assertThat(d.issuer().issue(ANN, "sixth").name()).isEqualTo("sixth");
  }

  @Test
  void rotate_publishesTokenRotated_previousSecretUsePublishesItsEventEachTime() {
    IssuedToken old = d.issuer().issue(ANN, "deploy");
    RotatedToken rotated = d.issuer().rotate(ANN, old.id(), HOUR);

    assertThat(d.events(AuditEvent.TokenRotated.class))
        .containsExactly(
            new AuditEvent.TokenRotated(
                Deployment.START,
                "acme",
                ANN,
                old.id(),
                "deploy",
                ANN,
                Deployment.START.plus(HOUR)));
    verify(ANN, rotated.token().revealPlaintext());
    assertThat(d.events(AuditEvent.PreviousSecretUsed.class)).isEmpty(); // the current secret
    d.clock.advance(Duration.ofMinutes(1));
    verify(ANN, old.revealPlaintext());
    verify(ANN, old.revealPlaintext());
    assertThat(d.events(AuditEvent.PreviousSecretUsed.class))
        .hasSize(2)
        .allSatisfy(
            e ->
                assertThat(e)
                    .isEqualTo(
                        new AuditEvent.PreviousSecretUsed(
                            Deployment.START.plus(Duration.ofMinutes(1)),
                            "acme",
                            old.id(),
                            "deploy",
                            ANN,
                            "127.0.0.1")));
    d.clock.advance(HOUR);
    verify(ANN, old.revealPlaintext()); // rejected after the grace: no use event
    assertThat(d.events(AuditEvent.PreviousSecretUsed.class)).hasSize(2);
  }

  @Test
  void rotate_listingsShowRotatedAndPreviousValidUntilWhileTheGraceRuns() {
    IssuedToken anns = d.issuer().issue(ANN, "deploy");
    IssuedToken never = d.issuer().issue(ANN, "other");
    d.clock.advance(Duration.ofMinutes(3));
    Instant at = d.clock.instant();
    d.issuer().rotate(ANN, anns.id(), HOUR);
    TokenConsole console = TokenConsole.of(d.core);

    TokenRow own = rowOf(console.listOwn(ANN), anns.id());
    TokenRow corp = rowOf(console.listCorp(OLGA, TokenQuery.all()).rows(), anns.id());
    TokenRow untouched = rowOf(console.listOwn(ANN), never.id());

    for (TokenRow row : List.of(own, corp)) {
      assertThat(row.rotated()).isEqualTo(at);
      assertThat(row.previousValidUntil()).isEqualTo(at.plus(HOUR));
      assertThat(row.created()).isEqualTo(Deployment.START);
    }
    assertThat(untouched.rotated()).isNull();
    assertThat(untouched.previousValidUntil()).isNull();
    d.clock.set(at.plus(HOUR)); // the grace is over: nothing works until then any more
    TokenRow after = rowOf(console.listOwn(ANN), anns.id());
    assertThat(after.rotated()).isEqualTo(at);
    assertThat(after.previousValidUntil()).isNull();
  }

  private static TokenRow rowOf(List<TokenRow> rows, TokenId id) {
    return rows.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void rotate_noSecretInAnyEventMessageOrToString() {
    IssuedToken old = d.issuer().issue(ANN, "deploy");
    RotatedToken rotated = d.issuer().rotate(ANN, old.id(), HOUR);
    verify(ANN, old.revealPlaintext());
    verify(ANN, rotated.token().revealPlaintext());
    Throwable refused = catchThrowableOf(() -> d.issuer().rotate(BOB, old.id(), HOUR));
    Throwable badGrace = catchThrowableOf(() -> d.issuer().rotate(ANN, old.id(), HOUR.negated()));

    List<String> texts = new ArrayList<>();
    texts.add(rotated.toString());
    texts.add(rotated.token().toString());
    texts.add(String.valueOf(d.store.find(old.id()).orElseThrow()));
    texts.add(String.valueOf(refused.getMessage()));
    texts.add(String.valueOf(badGrace.getMessage()));
    for (AuditEvent event : d.events) {
      texts.add(event.toString());
      texts.add(AuditEvents.toJsonLine(event));
    }
    for (String text : texts) {
      assertThat(text)
          .doesNotContainPattern(ANY_TOKEN)
          .doesNotContain(secretOf(old.revealPlaintext()))
          .doesNotContain(secretOf(rotated.token().revealPlaintext()));
    }
    assertThat(rotated.toString()).contains(old.id().toString()).contains("<redacted>");
  }

  /** The 32 secret characters of a token (after the prefix and the 11-character id). */
  private static String secretOf(String plaintext) {
    return plaintext.substring("acme_".length() + 11, "acme_".length() + 11 + 32);
  }

  // ---- other paths sharing the secret check --------------------------------------------------

  @Test
  void revokeLeaked_previousSecretDuringGrace_revokesTheToken_afterGraceNothing() {
    IssuedToken first = d.issuer().issue(ANN, "first");
    IssuedToken second = d.issuer().issue(ANN, "second");
    RotatedToken rotatedFirst = d.issuer().rotate(ANN, first.id(), HOUR);
    d.issuer().rotate(ANN, second.id(), HOUR);

    LeakReport during = d.issuer().revokeLeaked(first.revealPlaintext(), null);
    d.clock.advance(HOUR);
    LeakReport after = d.issuer().revokeLeaked(second.revealPlaintext(), null);

    assertThat(during.revoked()).isOne();
    assertThat(d.store.find(first.id())).isEmpty();
    assertThat(verifies(ANN, rotatedFirst.token().revealPlaintext())).isFalse();
    assertThat(after.found()).isOne();
    assertThat(after.revoked()).isZero();
    assertThat(d.store.find(second.id())).isPresent();
  }

  @Test
  void rotate_previousHashedUnderARetiredKey_verifiesDuringGrace() {
    byte[] k1 = new byte[32];
    byte[] k2 = new byte[32];
    java.util.Arrays.fill(k1, (byte) 1);
    java.util.Arrays.fill(k2, (byte) 2);
    InMemoryTokenStore shared = new InMemoryTokenStore();
    IssuedToken old;
    try (Deployment before =
        new Deployment(shared, b -> b.hashing(SecretHashing.hmacSha256("k1", k1)))) {
      old = before.issuer().issue(ANN, "deploy");
    }
    try (Deployment after =
        new Deployment(
            shared, b -> b.hashing(SecretHashing.hmacSha256("k2", k2).withRetiredKey("k1", k1)))) {
      RotatedToken rotated = after.issuer().rotate(ANN, old.id(), HOUR);

      TokenRecord stored = shared.find(old.id()).orElseThrow();
      assertThat(stored.hash().keyId()).isEqualTo("k2");
      assertThat(Optional.ofNullable(stored.previousHash()).map(SecretHash::keyId)).contains("k1");
      assertThat(after.verifier().verify(ANN, old.revealPlaintext(), CLIENT).isAuthenticated())
          .isTrue();
      assertThat(
              after
                  .verifier()
                  .verify(ANN, rotated.token().revealPlaintext(), CLIENT)
                  .isAuthenticated())
          .isTrue();
      assertThat(after.events(AuditEvent.PreviousSecretUsed.class)).hasSize(1);
      after.clock.advance(HOUR);
      assertThat(after.verifier().verify(ANN, old.revealPlaintext(), CLIENT).isAuthenticated())
          .isFalse();
    }
  }

  @Test
  void rotate_onOneNode_otherNodeSharingTheStoreDropsItsCachedRecord() {
    InMemoryTokenStore shared = new InMemoryTokenStore();
    try (Deployment a = new Deployment(shared, b -> b);
        Deployment b = new Deployment(shared, x -> x.cacheBound(Duration.ofHours(1)))) {
      IssuedToken old = a.issuer().issue(ANN, "deploy");
      assertThat(b.verifier().verify(ANN, old.revealPlaintext(), CLIENT).isAuthenticated())
          .isTrue(); // cached on b

      RotatedToken rotated = a.issuer().rotate(ANN, old.id(), Duration.ZERO);

      assertThat(reasonOf(b.verifier().verify(ANN, old.revealPlaintext(), CLIENT)))
          .isEqualTo(RejectionReason.INVALID);
      assertThat(
              b.verifier().verify(ANN, rotated.token().revealPlaintext(), CLIENT).isAuthenticated())
          .isTrue();
    }
  }

  @Test
  void rotate_restrictedCorpAndDisabledToken_rotatesButStaysDisabled() {
    IssuedToken anns = d.issuer().issue(ANN, "deploy");
    TokenConsole console = TokenConsole.of(d.core);
    console.setPermission(OLGA, OLGA, true);
    console.updateSettings(OLGA, TokenSettings.defaults().withRestricted(true));

    RotatedToken rotated = d.issuer().rotate(ANN, anns.id(), HOUR);

    assertThat(reasonOf(verify(ANN, rotated.token().revealPlaintext())))
        .isEqualTo(RejectionReason.DISABLED);
    assertThat(reasonOf(verify(ANN, anns.revealPlaintext()))).isEqualTo(RejectionReason.DISABLED);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static Throwable catchThrowableOf(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("expected an exception");
  }

  /** A value set after construction, for a store that must call back into its deployment. */
  private static final class Holder<T> {
    private @Nullable T value;

    void set(T value) {
      this.value = value;
    }

    T get() {
      T v = value;
      if (v == null) {
        throw new IllegalStateException("not set yet");
      }
      return v;
    }
  }
}
