package dev.authcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.RejectionReason;
import dev.authcore.Verification;
import dev.authcore.model.Role;
import dev.authcore.store.InMemoryUserDirectory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kit's independent writing of the token format agrees with auth-core's verifier. */
class TokenTextsTest {
  private static final long SEED = Seeds.seed("TokenTextsTest");
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  private final RandomGenerator random = Seeds.random(SEED);
  private final AuthCore core =
      AuthCore.builder()
          .tokenPrefix("acme7")
          .users(new InMemoryUserDirectory().add("acme", "ann@example.com", Role.USER))
          .clock(FakeClock.atDefaultStart())
          .usageFlushInterval(Duration.ZERO)
          .build();

  @AfterEach
  void close() {
    core.close();
  }

  private RejectionReason reason(String token) {
    Verification v = core.verifier().verify("ann@example.com", token, CLIENT);
    assertThat(v).as("verification of a kit token").isInstanceOf(Verification.Rejected.class);
    return ((Verification.Rejected) v).reason();
  }

  @Test
  void issuedToken_hasTheSpecifiedLayoutAndChecksum() {
    for (int i = 0; i < 5; i++) {
      IssuedToken issued = core.issuer().issue("ann@example.com", "t" + i);
      String text = issued.revealPlaintext();
      assertThat(text).hasSize(TokenTexts.length("acme7")).startsWith("acme7_" + issued.id());
      String body = text.substring(0, text.length() - TokenTexts.CHECKSUM_LENGTH);
      assertThat(TokenTexts.withChecksum(body)).as("CRC32 in base62").isEqualTo(text);
    }
  }

  @Test
  void wellFormed_randomId_rejectedUnknownNotMalformed() {
    for (int i = 0; i < 300; i++) {
      String token = TokenTexts.wellFormed(random, "acme7");
      assertThat(token).hasSize(TokenTexts.length("acme7"));
      assertThat(reason(token)).as("%s", Seeds.replayHint(SEED)).isEqualTo(RejectionReason.UNKNOWN);
    }
  }

  @Test
  void wellFormed_storedIdWrongSecret_rejectedInvalid() {
    IssuedToken issued = core.issuer().issue("ann@example.com", "ci");
    for (int i = 0; i < 50; i++) {
      assertThat(reason(TokenTexts.wellFormed(random, "acme7", issued.id())))
          .isEqualTo(RejectionReason.INVALID);
    }
  }

  @Test
  void malformed_everyFlaw_rejectedMalformed() {
    Set<TokenTexts.Flaw> seen = EnumSet.noneOf(TokenTexts.Flaw.class);
    for (int i = 0; i < 1000; i++) {
      TokenTexts.Malformed token = TokenTexts.malformed(random, "acme7");
      seen.add(token.flaw());
      assertThat(reason(token.text()))
          .as("%s token; %s", token.flaw(), Seeds.replayHint(SEED))
          .isEqualTo(RejectionReason.MALFORMED);
    }
    assertThat(seen).containsExactlyInAnyOrder(TokenTexts.Flaw.values());
  }

  @Test
  void malformed_ofAnIssuedTokensId_stillMalformed() {
    IssuedToken issued = core.issuer().issue("ann@example.com", "ci");
    String good = issued.revealPlaintext();
    String flipped =
        good.substring(0, good.length() - 1) + (good.charAt(good.length() - 1) == 'a' ? 'b' : 'a');
    assertThat(reason(flipped)).isEqualTo(RejectionReason.MALFORMED);
  }
}
