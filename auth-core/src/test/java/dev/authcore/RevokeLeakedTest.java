package dev.authcore;

import static dev.authcore.Deployment.ANN;
import static dev.authcore.Deployment.BOB;
import static dev.authcore.Deployment.OLGA;
import static dev.authcore.Deployment.ZED;
import static dev.authcore.Deployment.reasonOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.console.ChangeOptions;
import dev.authcore.console.TokenConsole;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.spi.TokenRecord;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.testkit.ForwardingTokenStore;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenIssuer#revokeLeaked}: tokens found in reported text are revoked when their secret
 * verifies and never otherwise, the answer says how many without saying which, and the work stays
 * bounded whatever the text.
 */
class RevokeLeakedTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
  private static final SplittableRandom RANDOM = new SplittableRandom(15);

  private final Deployment d = new Deployment();

  @AfterEach
  void close() {
    d.close();
  }

  private boolean verifies(IssuedToken token) {
    return d.verifier()
        .verify(token.ownerEmail(), token.revealPlaintext(), CLIENT)
        .isAuthenticated();
  }

  /** The token's id with another secret, well-formed: what someone guessing at an id could send. */
  private static String wrongSecret(Deployment on, TokenId id) {
    return on.core.format.mint(id, new java.util.Random(RANDOM.nextLong()));
  }

  private static String unknownToken(Deployment on) {
    return on.core.format.mint(TokenId.fromLong(RANDOM.nextLong()), new java.util.Random(7));
  }

  // ---- one token ---------------------------------------------------------------------------

  @Test
  void revokeLeaked_tokenInAPaste_revokedAtOnceWithAnEventWithoutTheSecret() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(verifies(token)).as("cached before the report").isTrue();
    String paste =
        "export API_URL=https://api.example.com\nexport API_TOKEN="
            + token.revealPlaintext()
            + "\ncurl -H \"x-api-token: $API_TOKEN\" $API_URL\n";

    LeakReport report = d.issuer().revokeLeaked(paste, "https://paste.example/abc");

    assertThat(report).isEqualTo(new LeakReport(1, 1));
    assertThat(reasonOf(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT)))
        .as("deleted, and dropped from this node's cache at once")
        .isEqualTo(RejectionReason.UNKNOWN);
    assertThat(d.store.find(token.id())).isEmpty();
    List<AuditEvent.TokenLeaked> leaked = d.events(AuditEvent.TokenLeaked.class);
    assertThat(leaked)
        .containsExactly(
            new AuditEvent.TokenLeaked(
                Deployment.START, "acme", token.id(), "ci", ANN, "https://paste.example/abc"));
    String secret = token.revealPlaintext().substring(5 + TokenId.LENGTH, 5 + TokenId.LENGTH + 32);
    for (AuditEvent e : d.events) {
      assertThat(e.toString()).doesNotContain(secret);
      assertThat(AuditEvents.toJsonLine(e)).doesNotContain(secret);
    }
    assertThat(d.events(AuditEvent.TokenDeleted.class)).as("a leak is its own event").isEmpty();
  }

  @Test
  void revokeLeaked_tokenCachedOverASilentStore_noLongerVerifiesWhenItReturns() {
    ControllableTokenStore silent = new ControllableTokenStore(false);
    try (Deployment node = new Deployment(silent, b -> b.cacheBound(Duration.ofHours(1)))) {
      IssuedToken token = node.issuer().issue(ANN, "ci");
      assertThat(node.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
          .isTrue();
      assertThat(node.issuer().revokeLeaked(token.revealPlaintext(), null).revoked()).isEqualTo(1);
      assertThat(reasonOf(node.verifier().verify(ANN, token.revealPlaintext(), CLIENT)))
          .as("no listener told, no clock moved: the report itself evicted it")
          .isEqualTo(RejectionReason.UNKNOWN);
    }
  }

  @Test
  void revokeLeaked_otherNodeOnTheSameStore_hearsOfItThroughTheStore() {
    InMemoryTokenStore shared = new InMemoryTokenStore();
    try (Deployment a = new Deployment(shared, b -> b.cacheBound(Duration.ofHours(1)));
        Deployment b = new Deployment(shared, x -> x.cacheBound(Duration.ofHours(1)))) {
      IssuedToken token = a.issuer().issue(ANN, "ci");
      assertThat(b.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
          .as("cached on the other node")
          .isTrue();
      assertThat(a.issuer().revokeLeaked(token.revealPlaintext(), null).revoked()).isEqualTo(1);
      assertThat(reasonOf(b.verifier().verify(ANN, token.revealPlaintext(), CLIENT)))
          .isEqualTo(RejectionReason.UNKNOWN);
    }
  }

  @Test
  void revokeLeaked_expiredOrDisabledToken_revokedAnyway() {
    IssuedToken expiring = d.issuer().issue(ANN, "short", Duration.ofDays(1));
    IssuedToken disabled = d.issuer().issue(BOB, "ci");
    TokenConsole console = TokenConsole.of(d.core);
    console.setPermission(OLGA, ANN, true, ChangeOptions.guarded());
    console.setPermission(OLGA, OLGA, true, ChangeOptions.guarded());
    console.updateSettings(OLGA, console.settings(OLGA).withRestricted(true));
    d.clock.advance(Duration.ofDays(2));
    assertThat(reasonOf(d.verifier().verify(ANN, expiring.revealPlaintext(), CLIENT)))
        .isEqualTo(RejectionReason.EXPIRED);
    assertThat(reasonOf(d.verifier().verify(BOB, disabled.revealPlaintext(), CLIENT)))
        .isEqualTo(RejectionReason.DISABLED);

    LeakReport report =
        d.issuer()
            .revokeLeaked(expiring.revealPlaintext() + " " + disabled.revealPlaintext(), null);

    assertThat(report).isEqualTo(new LeakReport(2, 2));
    assertThat(d.store.listByOwner("acme", ANN)).isEmpty();
    assertThat(d.store.listByOwner("acme", BOB)).isEmpty();
  }

  @Test
  void revokeLeaked_ownerAtTheLimit_revocationFreesAPlace() {
    List<IssuedToken> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      five.add(d.issuer().issue(ANN, "t" + i));
    }
    assertThatThrownBy(() -> d.issuer().issue(ANN, "sixth"))
        .isInstanceOf(dev.authcore.model.TokenLimitExceededException.class);
    d.issuer().revokeLeaked(five.get(2).revealPlaintext(), "ticket 42");
    assertThat(d.issuer().issue(ANN, "sixth").name()).isEqualTo("sixth");
  }

  // ---- many tokens, and tokens that are not ours ------------------------------------------------

  @Test
  void revokeLeaked_severalTokensAmongOtherPrefixesAndLookalikes_onlyOursWithSecretsRevoked() {
    IssuedToken ann = d.issuer().issue(ANN, "ci");
    IssuedToken bob = d.issuer().issue(BOB, "deploy");
    IssuedToken zed = d.issuer().issue(ZED, "laptop"); // another corp, same deployment
    IssuedToken kept = d.issuer().issue(OLGA, "kept");
    String k = kept.revealPlaintext();
    String otherDeployment =
        new TokenFormat("acmex").mint(TokenId.fromLong(5), new java.util.Random(3));
    String text =
        String.join(
            "\n",
            "{\"token\":\"" + ann.revealPlaintext() + "\",",
            "x" + bob.revealPlaintext() + "y", // glued to other letters: still found
            "a=" + zed.revealPlaintext() + "&b=" + otherDeployment,
            // lookalikes of a live token: none is found, none touches it
            "ACME_" + k.substring(5), // prefix in upper case
            k.substring(0, 20) + (k.charAt(20) == 'a' ? 'b' : 'a') + k.substring(21), // checksum
            k.substring(1), // prefix cut
            k.replace('_', '-'), // separator changed
            k.substring(0, k.length() - 1), // one character short
            "acme_" + k.substring(5, 30) + "\n" + k.substring(30)); // split across lines

    LeakReport report = d.issuer().revokeLeaked(text, "scan of repo example/app");

    assertThat(report).isEqualTo(new LeakReport(3, 3));
    assertThat(verifies(ann) || verifies(bob) || verifies(zed)).isFalse();
    assertThat(verifies(kept)).as("lookalikes of a token revoke nothing").isTrue();
    assertThat(d.events(AuditEvent.TokenLeaked.class))
        .extracting(AuditEvent.TokenLeaked::tokenId, AuditEvent.TokenLeaked::corp)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ann.id(), "acme"),
            org.assertj.core.groups.Tuple.tuple(bob.id(), "acme"),
            org.assertj.core.groups.Tuple.tuple(zed.id(), "globex"));
  }

  @Test
  void revokeLeaked_tokenSplitAcrossLines_notFound() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    String p = token.revealPlaintext();
    for (String split :
        List.of(
            p.substring(0, 30) + "\n" + p.substring(30),
            p.substring(0, 30) + "\r\n" + p.substring(30),
            p.substring(0, 30) + " " + p.substring(30))) {
      assertThat(d.issuer().revokeLeaked(split, null)).isEqualTo(new LeakReport(0, 0));
    }
    assertThat(verifies(token)).isTrue();
  }

  @Test
  void revokeLeaked_tokenRepeated_countedOnceAndRevokedOnce() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    String p = token.revealPlaintext();
    LeakReport report = d.issuer().revokeLeaked(p + "\n" + p + " " + p + p, null);
    assertThat(report).isEqualTo(new LeakReport(1, 1));
    assertThat(d.events(AuditEvent.TokenLeaked.class)).hasSize(1);
  }

  @Test
  void revokeLeaked_tokenAtTheVeryStartAndEnd_found() {
    IssuedToken first = d.issuer().issue(ANN, "first");
    IssuedToken last = d.issuer().issue(BOB, "last");
    assertThat(d.issuer().revokeLeaked(first.revealPlaintext() + last.revealPlaintext(), null))
        .isEqualTo(new LeakReport(2, 2));
  }

  @Test
  void revokeLeaked_sameTextTwice_secondFindsButRevokesNothing() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(d.issuer().revokeLeaked(token.revealPlaintext(), null))
        .isEqualTo(new LeakReport(1, 1));
    assertThat(d.issuer().revokeLeaked(token.revealPlaintext(), null))
        .isEqualTo(new LeakReport(1, 0));
    assertThat(d.events(AuditEvent.TokenLeaked.class)).hasSize(1);
  }

  // ---- nobody revokes what they cannot show ----------------------------------------------------

  @Test
  void revokeLeaked_wrongSecretForAnExistingId_revokesNothingAndAnswersAsForAnUnknownId() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(verifies(token)).isTrue();
    int eventsBefore = d.events.size();

    LeakReport forged = d.issuer().revokeLeaked("leak: " + wrongSecret(d, token.id()), "x");
    LeakReport unknown = d.issuer().revokeLeaked("leak: " + unknownToken(d), "x");

    assertThat(forged).isEqualTo(unknown).isEqualTo(new LeakReport(1, 0));
    assertThat(verifies(token)).isTrue();
    assertThat(d.store.find(token.id())).isPresent();
    assertThat(d.events.subList(eventsBefore, d.events.size()))
        .as("a report that revokes nothing publishes nothing")
        .noneMatch(
            e -> e instanceof AuditEvent.TokenLeaked || e instanceof AuditEvent.TokenDeleted);
  }

  @Test
  void revokeLeaked_unknownIds_lookedUpLikeVerify_rememberedUnknown() {
    ControllableTokenStore store = new ControllableTokenStore(true);
    try (Deployment node = new Deployment(store, b -> b)) {
      String unknown = unknownToken(node);
      int before = store.finds.get();
      node.issuer().revokeLeaked(unknown, null);
      assertThat(store.finds.get()).as("one read for an id not cached").isEqualTo(before + 1);
      node.issuer().revokeLeaked(unknown, null);
      assertThat(reasonOf(node.verifier().verify(ANN, unknown, CLIENT)))
          .isEqualTo(RejectionReason.UNKNOWN);
      assertThat(store.finds.get())
          .as("remembered unknown, by reports and verifications alike")
          .isEqualTo(before + 1);

      IssuedToken token = node.issuer().issue(ANN, "ci");
      assertThat(node.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
          .isTrue();
      int cached = store.finds.get();
      node.issuer().revokeLeaked(wrongSecret(node, token.id()), null);
      assertThat(store.finds.get())
          .as("a cached token is checked from the cache")
          .isEqualTo(cached);
    }
  }

  @Test
  void revokeLeaked_ownerLeftTheDirectory_treatedAsUnknown() {
    IssuedToken token = d.issuer().issue(ZED, "ci");
    d.users.remove(ZED);
    assertThat(d.issuer().revokeLeaked(token.revealPlaintext(), null))
        .isEqualTo(new LeakReport(1, 0));
    assertThat(d.store.find(token.id())).isPresent();
  }

  @Test
  void revokeLeaked_concurrentReportsOfOneToken_revokedOnce() throws Exception {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    int reporters = 8;
    ExecutorService pool = Executors.newFixedThreadPool(reporters);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<LeakReport>> answers = new ArrayList<>();
      for (int i = 0; i < reporters; i++) {
        Callable<LeakReport> report =
            () -> {
              start.await();
              return d.issuer().revokeLeaked(token.revealPlaintext(), null);
            };
        answers.add(pool.submit(report));
      }
      start.countDown();
      int revoked = 0;
      for (Future<LeakReport> answer : answers) {
        LeakReport r = answer.get(30, TimeUnit.SECONDS);
        assertThat(r.found()).isEqualTo(1);
        revoked += r.revoked();
      }
      assertThat(revoked).isEqualTo(1);
      assertThat(d.events(AuditEvent.TokenLeaked.class)).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- bounds
  // ------------------------------------------------------------------------------------

  @Test
  void revokeLeaked_oneMebibyteOfNoise_findsNothing() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    StringBuilder noise = new StringBuilder(LeakTexts.MAX_TEXT_LENGTH);
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_ \n";
    while (noise.length() < LeakTexts.MAX_TEXT_LENGTH - 100) {
      noise.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
      if (RANDOM.nextInt(40) == 0) {
        noise.append("acme_");
      }
    }
    // That the scan is one linear pass is asserted by counting reads in LeakTextsTest, not timed.
    assertThat(d.issuer().revokeLeaked(noise, null)).isEqualTo(new LeakReport(0, 0));
    assertThat(verifies(token)).isTrue();
  }

  @Test
  void revokeLeaked_textOverTheLimit_refusedWithNothingRevoked() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    String text =
        token.revealPlaintext()
            + " ".repeat(LeakTexts.MAX_TEXT_LENGTH + 1 - token.revealPlaintext().length());
    assertThatThrownBy(() -> d.issuer().revokeLeaked(text, null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("1,048,577 characters long")
        .hasMessageContaining("nothing was revoked");
    assertThat(verifies(token)).isTrue();
    String atTheLimit = text.substring(0, text.length() - 1);
    assertThat(d.issuer().revokeLeaked(atTheLimit, null)).isEqualTo(new LeakReport(1, 1));
  }

  @Test
  void revokeLeaked_moreTokensThanOneReportExamines_refusedWholeWithNothingRevoked() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    StringBuilder text = new StringBuilder(token.revealPlaintext()).append('\n');
    for (int i = 1; i < LeakTexts.MAX_TOKENS; i++) {
      text.append(unknownToken(d)).append('\n');
    }
    String hundred = text.toString();
    String hundredAndOne = hundred + unknownToken(d);
    assertThatThrownBy(() -> d.issuer().revokeLeaked(hundredAndOne, null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("more than 100 distinct tokens")
        .hasMessageContaining("nothing was revoked")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token.revealPlaintext()));
    assertThat(verifies(token)).isTrue();
    assertThat(d.issuer().revokeLeaked(hundred + token.revealPlaintext(), null))
        .as("repeats do not count against the bound")
        .isEqualTo(new LeakReport(100, 1));
  }

  // ---- the source label ----------------------------------------------------------------------

  @Test
  void revokeLeaked_badSource_refusedBeforeAnythingIsRevoked() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    for (String bad :
        List.of("", "   ", "a".repeat(201), "line\nbreak", "tab\there", "bidi\u202Eoverride")) {
      assertThatThrownBy(() -> d.issuer().revokeLeaked(token.revealPlaintext(), bad))
          .as("source %s", bad)
          .isInstanceOf(InvalidInputException.class)
          .satisfies(e -> assertThat(((InvalidInputException) e).input()).isEqualTo("leak source"));
    }
    assertThat(verifies(token)).isTrue();
    assertThat(d.events(AuditEvent.TokenLeaked.class)).isEmpty();
  }

  @Test
  void revokeLeaked_sourceOfTwoHundredCharactersInAnyScript_kept() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    String source = "Zoë's ticket – " + "ж".repeat(185);
    assertThat(source.codePointCount(0, source.length())).isEqualTo(200);
    d.issuer().revokeLeaked(token.revealPlaintext(), source);
    assertThat(d.events(AuditEvent.TokenLeaked.class).get(0).source()).isEqualTo(source);
  }

  @Test
  void revokeLeaked_sourceHoldingAToken_redactedNotRefused() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    IssuedToken other = d.issuer().issue(BOB, "ci");
    LeakReport report =
        d.issuer()
            .revokeLeaked(
                token.revealPlaintext(), "https://paste.example/raw?t=" + other.revealPlaintext());
    assertThat(report).isEqualTo(new LeakReport(1, 1));
    assertThat(d.events(AuditEvent.TokenLeaked.class).get(0).source())
        .isEqualTo("https://paste.example/raw?t=" + SecretRedactor.REDACTED_TOKEN);
    assertThat(verifies(other)).as("the source is a label, not searched").isTrue();
  }

  // ---- the store fails -------------------------------------------------------------------------

  /** Deletes once, then fails like a store that went away. */
  private static final class FailsAfterOneDelete extends ForwardingTokenStore {
    final AtomicInteger deletes = new AtomicInteger();

    FailsAfterOneDelete() {
      super(new InMemoryTokenStore());
    }

    @Override
    public Optional<TokenRecord> delete(TokenId id) {
      if (deletes.incrementAndGet() > 1) {
        throw new StoreUnavailableException("test store went away");
      }
      return super.delete(id);
    }
  }

  @Test
  void revokeLeaked_storeFailsMidReport_whatWasRevokedStaysRevoked() {
    FailsAfterOneDelete store = new FailsAfterOneDelete();
    try (Deployment node = new Deployment(store, b -> b)) {
      IssuedToken first = node.issuer().issue(ANN, "first");
      IssuedToken second = node.issuer().issue(BOB, "second");
      String text = first.revealPlaintext() + "\n" + second.revealPlaintext();

      assertThatThrownBy(() -> node.issuer().revokeLeaked(text, "log"))
          .isInstanceOf(StoreUnavailableException.class);

      assertThat(store.find(first.id())).isEmpty();
      assertThat(reasonOf(node.verifier().verify(ANN, first.revealPlaintext(), CLIENT)))
          .isEqualTo(RejectionReason.UNKNOWN);
      assertThat(node.events(AuditEvent.TokenLeaked.class))
          .extracting(AuditEvent.TokenLeaked::tokenId)
          .containsExactly(first.id());
      assertThat(store.find(second.id())).isPresent();
    }
  }

  @Test
  void revokeLeaked_storeDownForAnUncachedToken_throwsAndRevokesNothing() {
    ControllableTokenStore store = new ControllableTokenStore(true);
    try (Deployment node = new Deployment(store, b -> b)) {
      IssuedToken token = node.issuer().issue(ANN, "ci");
      store.failing.set(true);
      assertThatThrownBy(() -> node.issuer().revokeLeaked(token.revealPlaintext(), null))
          .isInstanceOf(StoreUnavailableException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token.revealPlaintext()));
      store.failing.set(false);
      assertThat(node.issuer().revokeLeaked(token.revealPlaintext(), null))
          .isEqualTo(new LeakReport(1, 1));
    }
  }
}
