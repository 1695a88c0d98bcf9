package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.NullPointerTester;
import dev.authcore.internal.Emails;
import dev.authcore.internal.LogSafe;
import dev.authcore.model.Role;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.TokenSettings;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import dev.authcore.testkit.FakeClock;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryUserDirectory users =
      new InMemoryUserDirectory()
          .add("acme", "ann@example.com", Role.USER)
          .add("acme", "bob@example.com", Role.USER)
          .add("acme", "olga@example.com", Role.OWNER)
          .add("acme", "kim@example.com", Role.USER)
          .add("acme", "tim@example.com", Role.USER)
          .add("acme", "\u00e4nn@example.com", Role.USER)
          .add("globex", "zed@globex.example", Role.USER);
  private final List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
  private final InMemoryTokenStore store = new InMemoryTokenStore();
  private final AuthCore core =
      AuthCore.builder()
          .tokenPrefix("acme")
          .users(users)
          .store(store)
          .clock(clock)
          .usageFlushInterval(Duration.ZERO)
          .auditListener(events::add)
          .build();

  @AfterEach
  void close() {
    core.close();
  }

  private RejectionReason reasonOf(Verification v) {
    assertThat(v).isInstanceOf(Verification.Rejected.class);
    return ((Verification.Rejected) v).reason();
  }

  @Test
  void verify_issuedToken_authenticated() {
    IssuedToken token = core.issuer().issue("ann@example.com", "ci");
    Verification v = core.verifier().verify("ANN@example.com", token.revealPlaintext(), CLIENT);
    assertThat(v).isInstanceOf(Verification.Authenticated.class);
    Verification.Authenticated who = (Verification.Authenticated) v;
    assertThat(who.corp()).isEqualTo("acme");
    assertThat(who.email()).isEqualTo("ann@example.com");
    assertThat(who.tokenId()).isEqualTo(token.id());
    assertThat(who.tokenName()).isEqualTo("ci");
  }

  @Test
  void verify_otherUsersEmail_rejectedInvalid() {
    IssuedToken token = core.issuer().issue("ann@example.com", "ci");
    assertThat(reasonOf(core.verifier().verify("bob@example.com", token.revealPlaintext(), CLIENT)))
        .isEqualTo(RejectionReason.INVALID);
  }

  @Test
  void verify_wrongSecretRightChecksum_rejectedInvalid() {
    IssuedToken token = core.issuer().issue("ann@example.com", "ci");
    String forged = core.format.mint(token.id(), new java.util.Random(1));
    assertThat(reasonOf(core.verifier().verify("ann@example.com", forged, CLIENT)))
        .isEqualTo(RejectionReason.INVALID);
  }

  @Test
  void verify_unknownId_rejectedUnknown() {
    String unknown =
        core.format.mint(dev.authcore.model.TokenId.fromLong(42), new java.util.Random(1));
    assertThat(reasonOf(core.verifier().verify("ann@example.com", unknown, CLIENT)))
        .isEqualTo(RejectionReason.UNKNOWN);
  }

  @Test
  void verify_mistypedToken_rejectedMalformed() {
    IssuedToken token = core.issuer().issue("ann@example.com", "ci");
    String text = token.revealPlaintext();
    char last = text.charAt(20);
    String typo = text.substring(0, 20) + (last == 'a' ? 'b' : 'a') + text.substring(21);
    assertThat(reasonOf(core.verifier().verify("ann@example.com", typo, CLIENT)))
        .isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf(core.verifier().verify(null, text, CLIENT)))
        .isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf(core.verifier().verify("ann@example.com", null, CLIENT)))
        .isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void verify_afterDelete_rejectedUnknown() {
    IssuedToken token = core.issuer().issue("ann@example.com", "ci");
    assertThat(
            core.verifier()
                .verify("ann@example.com", token.revealPlaintext(), CLIENT)
                .isAuthenticated())
        .isTrue();
    core.issuer().delete("ann@example.com", token.id());
    assertThat(reasonOf(core.verifier().verify("ann@example.com", token.revealPlaintext(), CLIENT)))
        .isEqualTo(RejectionReason.UNKNOWN);
  }

  @Test
  void verify_ownExpiryReached_rejectedExpired() {
    IssuedToken token = core.issuer().issue("ann@example.com", "ci", Duration.ofDays(1));
    clock.advance(Duration.ofDays(1).minusMillis(1));
    assertThat(
            core.verifier()
                .verify("ann@example.com", token.revealPlaintext(), CLIENT)
                .isAuthenticated())
        .isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(reasonOf(core.verifier().verify("ann@example.com", token.revealPlaintext(), CLIENT)))
        .isEqualTo(RejectionReason.EXPIRED);
  }

  // ---- helpers for the tests below -----------------------------------------------------------

  private static final String ANN = "ann@example.com";

  private String secretOf(IssuedToken token) {
    int start = core.format.secretStart();
    return token.revealPlaintext().substring(start, start + TokenFormat.SECRET_LENGTH);
  }

  /** A well-formed token for {@code token}'s id whose secret is wrong. */
  private String wrongSecret(IssuedToken token) {
    String forged = core.format.mint(token.id(), new java.util.Random(99));
    assertThat(forged).isNotEqualTo(token.revealPlaintext());
    return forged;
  }

  private void settings(UnaryOperator<TokenSettings> change) {
    TokenSettings before = store.settings("acme");
    assertThat(store.replaceSettings("acme", before, change.apply(before))).isTrue();
  }

  private RejectionReason verifyReason(String email, String token) {
    return reasonOf(core.verifier().verify(email, token, CLIENT));
  }

  private boolean authenticates(String email, IssuedToken token) {
    return core.verifier().verify(email, token.revealPlaintext(), CLIENT).isAuthenticated();
  }

  private List<AuditEvent.TokenRejected> rejections() {
    synchronized (events) {
      return events.stream()
          .filter(AuditEvent.TokenRejected.class::isInstance)
          .map(AuditEvent.TokenRejected.class::cast)
          .toList();
    }
  }

  private List<AuditEvent.TokenUsedFromNewIp> newIpEvents() {
    synchronized (events) {
      return events.stream()
          .filter(AuditEvent.TokenUsedFromNewIp.class::isInstance)
          .map(AuditEvent.TokenUsedFromNewIp.class::cast)
          .toList();
    }
  }

  // ---- the order of checks (SPEC: a caller without the secret learns no status) --------------

  @Test
  void verify_expiredTokenWithWrongSecret_rejectedInvalidNotExpired() {
    IssuedToken token = core.issuer().issue(ANN, "ci", Duration.ofDays(1));
    clock.advance(Duration.ofDays(2));
    assertThat(verifyReason(ANN, wrongSecret(token))).isEqualTo(RejectionReason.INVALID);
    assertThat(verifyReason("bob@example.com", token.revealPlaintext()))
        .isEqualTo(RejectionReason.INVALID);
    assertThat(verifyReason(ANN, token.revealPlaintext())).isEqualTo(RejectionReason.EXPIRED);
  }

  @Test
  void verify_disabledTokenWithWrongSecretOrUser_rejectedInvalidNotDisabled() {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    settings(s -> s.withRestricted(true));
    assertThat(verifyReason(ANN, wrongSecret(token))).isEqualTo(RejectionReason.INVALID);
    assertThat(verifyReason("bob@example.com", token.revealPlaintext()))
        .isEqualTo(RejectionReason.INVALID);
    assertThat(verifyReason(ANN, token.revealPlaintext())).isEqualTo(RejectionReason.DISABLED);
  }

  @Test
  void verify_unknownIdWithWrongUser_rejectedUnknown() {
    String unknown =
        core.format.mint(dev.authcore.model.TokenId.fromLong(7), new java.util.Random(7));
    assertThat(verifyReason("nobody@nowhere.example", unknown)).isEqualTo(RejectionReason.UNKNOWN);
    assertThat(verifyReason("not an email", unknown)).isEqualTo(RejectionReason.UNKNOWN);
  }

  @Test
  void verify_badChecksumOfUnknownOrExpiredToken_rejectedMalformed() {
    IssuedToken token = core.issuer().issue(ANN, "ci", Duration.ofDays(1));
    clock.advance(Duration.ofDays(2));
    String text = token.revealPlaintext();
    char last = text.charAt(text.length() - 1);
    String badChecksum = text.substring(0, text.length() - 1) + (last == '0' ? '1' : '0');
    assertThat(verifyReason(ANN, badChecksum)).isEqualTo(RejectionReason.MALFORMED);
    assertThat(verifyReason(ANN, "tok" + text.substring(4))).isEqualTo(RejectionReason.MALFORMED);
    assertThat(verifyReason(ANN, text + " ")).isEqualTo(RejectionReason.MALFORMED);
    assertThat(verifyReason(ANN, "")).isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void verify_expiredAndDisabled_rejectedExpired() {
    IssuedToken token = core.issuer().issue(ANN, "ci", Duration.ofDays(1));
    settings(s -> s.withRestricted(true));
    clock.advance(Duration.ofDays(1));
    assertThat(verifyReason(ANN, token.revealPlaintext())).isEqualTo(RejectionReason.EXPIRED);
  }

  @Test
  void verify_restrictedWithoutPermission_disabledUntilGrantedThenAtOnce() {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    assertThat(authenticates(ANN, token)).isTrue();
    settings(s -> s.withRestricted(true));
    assertThat(verifyReason(ANN, token.revealPlaintext())).isEqualTo(RejectionReason.DISABLED);
    store.setPermission("acme", "ANN@EXAMPLE.COM", true);
    assertThat(authenticates(ANN, token)).isTrue();
    store.setPermission("acme", ANN, false);
    assertThat(verifyReason(ANN, token.revealPlaintext())).isEqualTo(RejectionReason.DISABLED);
    settings(s -> s.withRestricted(false));
    assertThat(authenticates(ANN, token)).isTrue();
  }

  @Test
  void verify_corpExpiry_computedFromPolicyInForceAtCheck() {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    clock.advance(Duration.ofDays(60));
    assertThat(authenticates(ANN, token)).isTrue();
    settings(s -> s.withExpiry(ExpiryPolicy.days(30)));
    assertThat(verifyReason(ANN, token.revealPlaintext())).isEqualTo(RejectionReason.EXPIRED);
    settings(s -> s.withExpiry(ExpiryPolicy.days(90)));
    assertThat(authenticates(ANN, token)).isTrue();
    settings(s -> s.withExpiry(ExpiryPolicy.days(60)));
    assertThat(verifyReason(ANN, token.revealPlaintext())).isEqualTo(RejectionReason.EXPIRED);
  }

  @Test
  void verify_ownerLeftDirectoryOrCorpBeforeLoad_rejectedUnknown() {
    IssuedToken ann = core.issuer().issue(ANN, "ci");
    IssuedToken bob = core.issuer().issue("bob@example.com", "ci");
    users.remove(ANN);
    users.add("globex", "bob@example.com", Role.USER);
    assertThat(verifyReason(ANN, ann.revealPlaintext())).isEqualTo(RejectionReason.UNKNOWN);
    assertThat(verifyReason("bob@example.com", bob.revealPlaintext()))
        .isEqualTo(RejectionReason.UNKNOWN);
  }

  // ---- emails --------------------------------------------------------------------------------

  @Test
  void verify_emailInAnyAsciiCase_authenticated() {
    IssuedToken token = core.issuer().issue("kim@example.com", "ci");
    for (String email : List.of("kim@example.com", "KIM@EXAMPLE.COM", "Kim@Example.Com")) {
      assertThat(authenticates(email, token)).as(email).isTrue();
    }
  }

  @Test
  void verify_emailEqualOnlyUnderUnicodeCaseMapping_rejectedInvalid() {
    IssuedToken kim = core.issuer().issue("kim@example.com", "ci");
    IssuedToken tim = core.issuer().issue("tim@example.com", "ci");
    IssuedToken aenn = core.issuer().issue("\u00e4nn@example.com", "ci");
    // Kelvin sign, dotless i, dotted capital I, capital A-umlaut: equal under String's
    // equalsIgnoreCase or a locale's case mapping, but not the same ASCII email.
    assertThat(verifyReason("\u212aim@example.com", kim.revealPlaintext()))
        .isEqualTo(RejectionReason.INVALID);
    assertThat(verifyReason("t\u0131m@example.com", tim.revealPlaintext()))
        .isEqualTo(RejectionReason.INVALID);
    assertThat(verifyReason("T\u0130M@example.com", tim.revealPlaintext()))
        .isEqualTo(RejectionReason.INVALID);
    assertThat(verifyReason("\u00c4NN@example.com", aenn.revealPlaintext()))
        .isEqualTo(RejectionReason.INVALID);
    assertThat(authenticates("\u00e4NN@EXAMPLE.com", aenn)).isTrue();
  }

  @Test
  void verify_missingEmptyOrOversizedEmail_rejectedMalformed() {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    assertThat(verifyReason("", token.revealPlaintext())).isEqualTo(RejectionReason.MALFORMED);
    assertThat(verifyReason("a".repeat(321), token.revealPlaintext()))
        .isEqualTo(RejectionReason.MALFORMED);
    assertThat(rejections()).allSatisfy(e -> assertThat(e.claimedUser().length()).isLessThan(160));
  }

  @Test
  void verify_emailLengthBounds_sameAsTheEmailRules() {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    String text = token.revealPlaintext();
    String longest = "a".repeat(Emails.MAX_LENGTH - "@example.com".length()) + "@example.com";
    assertThat(longest).hasSize(254);
    // Within the rules' 3 to 254 characters: checked on, and refused as another user's token.
    assertThat(verifyReason(longest, text)).isEqualTo(RejectionReason.INVALID);
    assertThat(verifyReason("a@b", text)).isEqualTo(RejectionReason.INVALID);
    // Outside: malformed, before any lookup.
    assertThat(verifyReason("a" + longest, text)).isEqualTo(RejectionReason.MALFORMED);
    assertThat(verifyReason("a@", text)).isEqualTo(RejectionReason.MALFORMED);
    assertThat(rejections())
        .extracting(AuditEvent.TokenRejected::tokenId)
        .containsExactly(token.id(), token.id(), null, null);
  }

  @Test
  void verify_nullClient_throwsBeforeAnyCheckWhateverTheToken() {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    String text = token.revealPlaintext();
    List<@Nullable String> tokens = Arrays.asList(text, wrongSecret(token), "garbage", null);
    for (@Nullable String presented : tokens) {
      for (@Nullable String email : Arrays.asList(ANN, "bob@example.com", null)) {
        assertThatThrownBy(() -> core.verifier().verify(email, presented, nullClient()))
            .as("%s / %s", email, presented)
            .isInstanceOf(NullPointerException.class)
            .hasMessageContaining("client");
        assertThatThrownBy(
                () -> core.verifier().verifyWithAddressText(email, presented, nullText()))
            .as("%s / %s as text", email, presented)
            .isInstanceOf(NullPointerException.class)
            .hasMessageContaining("clientAddress");
      }
    }
    assertThat(rejections()).as("nothing checked, nothing published").isEmpty();
    core.flushUsage();
    assertThat(store.find(token.id()).orElseThrow().lastUsed()).isNull();
  }

  @Test
  void everyMethod_nullWhereNotAllowed_nullPointerException() {
    new NullPointerTester()
        .setDefault(InetAddress.class, CLIENT)
        .setDefault(String.class, "127.0.0.1")
        .testAllPublicInstanceMethods(core.verifier());
  }

  /** A null where the compiler is told there is none, as a caller without NullAway may pass. */
  @SuppressWarnings("NullAway")
  private static InetAddress nullClient() {
    return null;
  }

  @SuppressWarnings("NullAway")
  private static String nullText() {
    return null;
  }

  // ---- client address as text ----------------------------------------------------------------

  @Test
  void verify_clientAddressText_wellFormed_authenticatedAndRecordedCanonically() {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    for (String client : List.of("127.0.0.1", "::1", "2001:db8::7", "::ffff:10.1.2.3")) {
      assertThat(
              core.verifier()
                  .verifyWithAddressText(ANN, token.revealPlaintext(), client)
                  .isAuthenticated())
          .as(client)
          .isTrue();
    }
    core.flushUsage();
    assertThat(store.find(token.id()).orElseThrow().recentIps())
        .containsExactly("10.1.2.3", "2001:db8::7", "::1", "127.0.0.1");
  }

  @Test
  void verify_clientAddressText_serverPeerForms_authenticatedAsTheSameAddress() {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    // As Jetty (brackets), Tomcat (full form), Undertow and Netty (a zone id) write a peer.
    List<String> peers =
        List.of(
            "[0:0:0:0:0:0:0:1]",
            "0:0:0:0:0:0:0:1",
            "0:0:0:0:0:0:0:1%0",
            "[::1%lo]",
            "[2001:db8:0:0:0:0:0:7]",
            "[::ffff:10.1.2.3]");
    for (String client : peers) {
      assertThat(
              core.verifier()
                  .verifyWithAddressText(ANN, token.revealPlaintext(), client)
                  .isAuthenticated())
          .as(client)
          .isTrue();
    }
    core.flushUsage();
    assertThat(store.find(token.id()).orElseThrow().recentIps())
        .containsExactlyInAnyOrder("::1", "2001:db8::7", "10.1.2.3");
  }

  @Test
  void verify_clientAddressText_looserBracketForms_rejectedMalformedAndAudited() {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    List<String> refused =
        List.of("[10.1.2.3]", "[::1]:8080", "[::1", "::1]", "[]", "[ ::1]", "[[::1]]", "[::1/128]");
    for (String client : refused) {
      assertThat(
              reasonOf(core.verifier().verifyWithAddressText(ANN, token.revealPlaintext(), client)))
          .as(client)
          .isEqualTo(RejectionReason.MALFORMED);
    }
    assertThat(rejections())
        .hasSize(refused.size())
        .allSatisfy(e -> assertThat(e.clientIp()).startsWith("malformed: "));
  }

  @Test
  void verify_clientAddressText_malformed_rejectedMalformedWithEscapedEvent() {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    List<String> malformed =
        List.of("", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4\r\nX-Forged: 1");
    for (String client : malformed) {
      assertThat(
              reasonOf(core.verifier().verifyWithAddressText(ANN, token.revealPlaintext(), client)))
          .as(client)
          .isEqualTo(RejectionReason.MALFORMED);
    }
    assertThat(rejections())
        .hasSize(malformed.size())
        .allSatisfy(
            e -> {
              assertThat(e.reason()).isEqualTo(RejectionReason.MALFORMED);
              assertThat(e.clientIp()).doesNotContain("\r", "\n");
              assertThat(e.toString()).doesNotContain(secretOf(token));
            });
    core.flushUsage();
    assertThat(store.find(token.id()).orElseThrow().lastUsed()).isNull();
  }

  // ---- usage ---------------------------------------------------------------------------------

  @Test
  void verify_success_usageRecordedInMemoryAndWrittenOnFlush() throws Exception {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    InetAddress a = InetAddress.getByName("10.0.0.1");
    InetAddress b = InetAddress.getByName("10.0.0.2");
    clock.advance(Duration.ofSeconds(1));
    assertThat(core.verifier().verify(ANN, token.revealPlaintext(), a).isAuthenticated()).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(core.verifier().verify(ANN, token.revealPlaintext(), b).isAuthenticated()).isTrue();
    Instant second = clock.instant();
    // Rejections are not use.
    clock.advance(Duration.ofSeconds(1));
    assertThat(verifyReason(ANN, wrongSecret(token))).isEqualTo(RejectionReason.INVALID);

    dev.authcore.spi.TokenRecord before = store.find(token.id()).orElseThrow();
    assertThat(before.lastUsed()).as("nothing written before the flush").isNull();
    assertThat(before.recentIps()).isEmpty();

    core.flushUsage();
    dev.authcore.spi.TokenRecord after = store.find(token.id()).orElseThrow();
    assertThat(after.lastUsed()).isEqualTo(second);
    assertThat(after.recentIps()).containsExactly("10.0.0.2", "10.0.0.1");

    clock.advance(Duration.ofSeconds(1));
    assertThat(core.verifier().verify(ANN, token.revealPlaintext(), a).isAuthenticated()).isTrue();
    core.flushUsage();
    after = store.find(token.id()).orElseThrow();
    assertThat(after.lastUsed()).isEqualTo(clock.instant());
    assertThat(after.recentIps()).containsExactly("10.0.0.1", "10.0.0.2");
  }

  @Test
  void verify_newAddress_eventOncePerAddress() throws Exception {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    List<String> sequence =
        List.of(
            "10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.2", "2001:db8::1", "10.0.0.1");
    for (String ip : sequence) {
      assertThat(
              core.verifier()
                  .verify(ANN, token.revealPlaintext(), InetAddress.getByName(ip))
                  .isAuthenticated())
          .isTrue();
    }
    assertThat(newIpEvents())
        .extracting(AuditEvent.TokenUsedFromNewIp::clientIp)
        .containsExactly("10.0.0.1", "10.0.0.2", "2001:db8::1");
    assertThat(newIpEvents())
        .allSatisfy(
            e -> {
              assertThat(e.tokenId()).isEqualTo(token.id());
              assertThat(e.corp()).isEqualTo("acme");
              assertThat(e.tokenOwner()).isEqualTo(ANN);
            });
  }

  @Test
  void verify_ipv4MappedOrScopedClient_recordedNormalisedWithoutDuplicateEvents() throws Exception {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 10;
    mapped[13] = 1;
    mapped[14] = 2;
    mapped[15] = 3;
    InetAddress mappedClient = Inet6Address.getByAddress(null, mapped, -1);
    assertThat(mappedClient).isInstanceOf(Inet6Address.class);
    byte[] linkLocal = InetAddress.getByName("fe80::1").getAddress();
    InetAddress scoped = Inet6Address.getByAddress(null, linkLocal, 5);
    assertThat(((Inet6Address) scoped).getScopeId()).isEqualTo(5);

    for (InetAddress client :
        List.of(
            mappedClient,
            InetAddress.getByName("10.1.2.3"),
            mappedClient,
            scoped,
            InetAddress.getByName("fe80::1"))) {
      assertThat(core.verifier().verify(ANN, token.revealPlaintext(), client).isAuthenticated())
          .isTrue();
    }
    // One event per client, however it was spelled, named as the store keeps it.
    assertThat(newIpEvents())
        .extracting(AuditEvent.TokenUsedFromNewIp::clientIp)
        .containsExactly("10.1.2.3", "fe80::1");
    core.flushUsage();
    assertThat(store.find(token.id()).orElseThrow().recentIps())
        .containsExactly("fe80::1", "10.1.2.3");
  }

  // ---- audit events --------------------------------------------------------------------------

  @Test
  void verify_rejections_eventsCarryReasonIdCorpAndClient() throws Exception {
    IssuedToken token = core.issuer().issue(ANN, "ci", Duration.ofDays(1));
    InetAddress client = InetAddress.getByName("192.0.2.7");
    String unknown =
        core.format.mint(dev.authcore.model.TokenId.fromLong(7), new java.util.Random(7));
    String text = token.revealPlaintext();
    String malformed =
        text.substring(0, 20) + (text.charAt(20) == 'a' ? 'b' : 'a') + text.substring(21);

    core.verifier().verify(ANN, malformed, client);
    core.verifier().verify(ANN, unknown, client);
    core.verifier().verify("bob@example.com", text, client);
    clock.advance(Duration.ofDays(1));
    core.verifier().verify(ANN, text, client);

    List<AuditEvent.TokenRejected> rejected = rejections();
    assertThat(rejected)
        .extracting(AuditEvent.TokenRejected::reason)
        .containsExactly(
            RejectionReason.MALFORMED,
            RejectionReason.UNKNOWN,
            RejectionReason.INVALID,
            RejectionReason.EXPIRED);
    assertThat(rejected)
        .extracting(AuditEvent.TokenRejected::tokenId)
        .containsExactly(null, dev.authcore.model.TokenId.fromLong(7), token.id(), token.id());
    assertThat(rejected)
        .extracting(AuditEvent.TokenRejected::corp)
        .containsExactly(null, null, "acme", "acme");
    assertThat(rejected)
        .extracting(AuditEvent.TokenRejected::claimedUser)
        .containsExactly(ANN, ANN, "bob@example.com", ANN);
    assertThat(rejected).allSatisfy(e -> assertThat(e.clientIp()).isEqualTo("192.0.2.7"));
    assertThat(rejected.get(3).at()).isEqualTo(clock.instant());
  }

  @Test
  void verify_swappedHeaders_tokenRedactedFromEvent() {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    String text = token.revealPlaintext();
    assertThat(verifyReason(text, text)).isEqualTo(RejectionReason.INVALID);
    assertThat(verifyReason(text, ANN)).isEqualTo(RejectionReason.MALFORMED);
    core.verifier().verifyWithAddressText(ANN, text, text);
    assertThat(events).isNotEmpty();
    assertThat(events).allSatisfy(e -> assertThat(e.toString()).doesNotContain(secretOf(token)));
    // The same redaction as every other echo of request text; no special case for the prefix.
    assertThat(rejections())
        .extracting(AuditEvent.TokenRejected::claimedUser)
        .containsExactly(LogSafe.escape(text), LogSafe.escape(text), ANN);
    assertThat(rejections().get(2).clientIp()).isEqualTo("malformed: " + LogSafe.escape(text));
  }

  @Test
  void verify_claimedUserWithCrLf_escapedInEvent() {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    String forged = "ann@example.com\r\n2026-01-01T00:00:00Z INFO admin authenticated\u202e";
    assertThat(verifyReason(forged, token.revealPlaintext())).isEqualTo(RejectionReason.INVALID);
    assertThat(rejections())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.claimedUser())
                  .doesNotContain("\r", "\n", "\u202e")
                  .startsWith("ann@example.com\\u000D\\u000A2026-01-01T00:00:00Z INFO")
                  .endsWith("\\u202E");
              assertThat(e.toString()).doesNotContain("\r", "\n");
            });
  }

  @Test
  void events_wholeLifeCycle_neverCarryTokenOrAnyPartOfItsSecret() throws Exception {
    IssuedToken token = core.issuer().issue(ANN, "ci", Duration.ofDays(1));
    String text = token.revealPlaintext();
    String secret = secretOf(token);
    InetAddress client = InetAddress.getByName("198.51.100.1");
    core.verifier().verify(ANN, text, client);
    core.verifier().verify("bob@example.com", text, client);
    core.verifier().verify(ANN, text.substring(0, text.length() - 1) + "0", client);
    core.verifier().verify(ANN, text.substring(0, 30), client);
    core.verifier().verifyWithAddressText(ANN, text, "not-an-address");
    core.verifier().verify(null, text, client);
    settings(s -> s.withRestricted(true));
    core.verifier().verify(ANN, text, client);
    clock.advance(Duration.ofDays(2));
    core.verifier().verify(ANN, text, client);
    core.issuer().delete("olga@example.com", token.id());
    core.verifier().verify(ANN, text, client);

    List<String> printed;
    synchronized (events) {
      assertThat(events).hasSizeGreaterThanOrEqualTo(10);
      printed = events.stream().map(Object::toString).toList();
    }
    for (String event : printed) {
      assertThat(event).doesNotContain(text);
      for (int i = 0; i + 8 <= secret.length(); i++) {
        assertThat(event).as(event).doesNotContain(secret.substring(i, i + 8));
      }
    }
  }

  @Test
  void verification_toString_neverShowsToken() {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    Verification ok = core.verifier().verify(ANN, token.revealPlaintext(), CLIENT);
    Verification no = core.verifier().verify(ANN, wrongSecret(token), CLIENT);
    assertThat(ok.toString()).contains(token.id().toString()).doesNotContain(secretOf(token));
    assertThat(no.toString()).isEqualTo("Rejected[INVALID]");
  }
}
