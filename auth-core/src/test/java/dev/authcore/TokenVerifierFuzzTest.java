package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.common.base.Ascii;
import dev.authcore.internal.Emails;
import dev.authcore.net.ClientAddresses;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Fuzzes {@link TokenVerifier#verify(String, String, String)}, which reads three texts from every
 * request: the {@code x-api-user} header, the {@code x-api-token} header and the client address.
 *
 * <p>Properties: it never throws; it authenticates only a token exactly as issued, with its owner's
 * email in any ASCII case, from a well-formed address; it answers {@code MALFORMED} exactly when a
 * text is missing or malformed (so well-formed input always reaches the lookup); every rejection
 * publishes one rejection event with the same reason; and no event holds any part of an issued
 * token's secret of {@value #SECRET_PART} characters or more (the whole token, the token without
 * its prefix and the bare secret included), wherever in the request the token was put.
 *
 * <p>Input: up to three lines, email, token and address; a missing line is a missing header. In
 * them {@code {ann}}, {@code {bob}} stand for two users' emails, {@code {ann-token}}, {@code
 * {bob-token}} for tokens issued to them, and {@code {ann-token-body}}, {@code {bob-token-body}}
 * for those tokens without their {@code acme_} prefix, so the fuzzer can start from real
 * credentials, mangle their prefix or put them where no token belongs. In {@code mvn verify} it
 * replays {@code TokenVerifierFuzzTestInputs/}. To fuzz: {@code JAZZER_FUZZ=1 mvn -pl auth-core
 * test -Dtest=TokenVerifierFuzzTest}.
 */
class TokenVerifierFuzzTest {
  private static final TokenFormat FORMAT = new TokenFormat("acme");
  private static final Deployment DEPLOYMENT = new Deployment();
  private static final Map<String, String> VARS = new LinkedHashMap<>();
  private static final Map<String, String> OWNERS = new LinkedHashMap<>();

  /** Shortest part of a secret that no event may hold: what the redaction promises to find. */
  private static final int SECRET_PART = 12;

  /** Every part of {@value #SECRET_PART} characters of each issued token's secret. */
  private static final List<String> SECRET_PARTS = new ArrayList<>();

  static {
    for (String email : List.of(Deployment.ANN, Deployment.BOB)) {
      IssuedToken token = DEPLOYMENT.issuer().issue(email, "ci", Duration.ofDays(30));
      String who = email.substring(0, email.indexOf('@'));
      String plaintext = token.revealPlaintext();
      // Longest name first: "{ann-token-body}" must not be read as "{ann-token}" + "-body}".
      VARS.put("{" + who + "-token-body}", plaintext.substring("acme_".length()));
      VARS.put("{" + who + "-token}", plaintext);
      VARS.put("{" + who + "}", email);
      OWNERS.put(plaintext, email);
      String secret =
          plaintext.substring(
              FORMAT.secretStart(), FORMAT.secretStart() + TokenFormat.SECRET_LENGTH);
      for (int i = 0; i + SECRET_PART <= secret.length(); i++) {
        SECRET_PARTS.add(secret.substring(i, i + SECRET_PART));
      }
    }
  }

  @FuzzTest(maxDuration = "10s")
  void verify(byte[] input) {
    String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", 3);
    @Nullable String email = lines.length > 0 && !lines[0].isEmpty() ? expand(lines[0]) : null;
    @Nullable String token = lines.length > 1 ? expand(lines[1]) : null;
    @Nullable String address = lines.length > 2 ? expand(lines[2]) : null;

    int eventsBefore = DEPLOYMENT.events.size();
    if (address == null) {
      // The client address is the caller's own argument, not request data: a missing one is a
      // programmer error, refused before anything is checked or published.
      assertThatThrownBy(() -> DEPLOYMENT.verifier().verifyWithAddressText(email, token, absent()))
          .isInstanceOf(NullPointerException.class);
      assertThat(DEPLOYMENT.events).hasSize(eventsBefore);
      return;
    }
    Verification result = DEPLOYMENT.verifier().verifyWithAddressText(email, token, address);
    List<AuditEvent> events =
        List.copyOf(DEPLOYMENT.events.subList(eventsBefore, DEPLOYMENT.events.size()));

    @Nullable InetAddress client = parseAddress(address);
    boolean wellFormed =
        email != null
            && Emails.hasAcceptedLength(email)
            && token != null
            && FORMAT.parse(token, Scratch.get()) != null
            && client != null;
    @Nullable String owner = token == null ? null : OWNERS.get(token);

    // No policy restricts this deployment and its clock stands still: the right token with its
    // owner's email from a well-formed address is exactly what gets in.
    boolean genuine =
        wellFormed && owner != null && email != null && Ascii.equalsIgnoreCase(owner, email);
    if (result instanceof Verification.Authenticated caller) {
      assertThat(genuine).as("authenticated %s / %s", email, address).isTrue();
      assertThat(caller.email()).isEqualTo(owner);
      assertThat(caller.tokenName()).isEqualTo("ci");
      assertThat(events).noneMatch(AuditEvent.TokenRejected.class::isInstance);
    } else {
      assertThat(genuine).as("rejected %s / %s", email, address).isFalse();
      RejectionReason reason = ((Verification.Rejected) result).reason();
      assertThat(reason == RejectionReason.MALFORMED).isEqualTo(!wellFormed);
      List<AuditEvent.TokenRejected> rejections =
          events.stream()
              .filter(AuditEvent.TokenRejected.class::isInstance)
              .map(AuditEvent.TokenRejected.class::cast)
              .toList();
      assertThat(rejections).hasSize(1);
      assertThat(rejections.get(0).reason()).isEqualTo(reason);
    }
    for (AuditEvent event : events) {
      String text = event.toString();
      for (String part : SECRET_PARTS) {
        assertThat(text).as("an event holds a part of a secret").doesNotContain(part);
      }
    }
  }

  /** A null where the compiler is told there is none, as a caller without NullAway may pass. */
  @SuppressWarnings("NullAway")
  private static String absent() {
    return null;
  }

  private static String expand(String text) {
    String out = text;
    for (Map.Entry<String, String> v : VARS.entrySet()) {
      out = out.replace(v.getKey(), v.getValue());
    }
    return out;
  }

  private static @Nullable InetAddress parseAddress(@Nullable String address) {
    if (address == null) {
      return null;
    }
    try {
      return ClientAddresses.parse(address);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
