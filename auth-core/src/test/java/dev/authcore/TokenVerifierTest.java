package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.spi.Role;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final InMemoryUserDirectory users =
      new InMemoryUserDirectory()
          .add("acme", "ann@example.com", Role.USER)
          .add("acme", "bob@example.com", Role.USER)
          .add("acme", "olga@example.com", Role.OWNER);
  private final List<AuditEvent> events = new ArrayList<>();
  private final AuthCore core =
      AuthCore.builder()
          .tokenPrefix("acme")
          .users(users)
          .store(new InMemoryTokenStore())
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
        core.format.mint(dev.authcore.spi.TokenId.fromLong(42), new java.util.Random(1));
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
}
