package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.authcore.internal.SecretDetector;
import dev.authcore.model.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Fuzzes {@link TokenNames#check}, which reads the name a user gives a new token: it either returns
 * the name trimmed, 1 to 64 visible characters with single spaces as the only white space and
 * nothing {@link SecretDetector} takes for a token or a secret, or refuses with an {@link
 * InvalidInputException} whose message says so in printable ASCII without repeating what looked
 * secret; it never throws anything else.
 *
 * <p>In {@code mvn verify} it replays {@code TokenNamesFuzzTestInputs/}. To fuzz: {@code
 * JAZZER_FUZZ=1 mvn -pl auth-core test -Dtest=TokenNamesFuzzTest}.
 */
class TokenNamesFuzzTest {
  /** What a name may not hold, written independently of {@link TokenNames}. */
  private static final Pattern INVISIBLE =
      Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Cs}\\p{Co}\\p{Cn}\\p{Zl}\\p{Zp}\\p{Zs}\\s&&[^ ]]");

  @FuzzTest(maxDuration = "10s")
  void check(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    String name;
    try {
      name = TokenNames.check(text);
    } catch (InvalidInputException refused) {
      String message = String.valueOf(refused.getMessage());
      assertThat(message).startsWith("token name").hasSizeLessThan(400);
      // The refused name is quoted escaped: nothing in it can forge a log line.
      assertThat(message.chars()).allMatch(c -> (c >= 0x20 && c < 0x7F) || c == '…');
      // Nothing judged secret comes back: no 12 characters in a row of any finding.
      String trimmed = text.strip();
      for (SecretDetector.Finding f : SecretDetector.find(trimmed)) {
        String secret = trimmed.substring(f.start(), f.end());
        for (int i = 0; i + SecretDetector.MIN_RUN <= secret.length(); i++) {
          assertThat(message).doesNotContain(secret.substring(i, i + SecretDetector.MIN_RUN));
        }
      }
      return;
    }
    assertThat(name).isEqualTo(text.strip());
    assertThat(name.codePointCount(0, name.length())).isBetween(1, TokenNames.MAX_LENGTH);
    assertThat(INVISIBLE.matcher(name).find()).as("invisible character in %s", name).isFalse();
    assertThat(SecretDetector.find(name)).as("secret in %s", name).isEmpty();
    assertThat(TokenNames.check(name)).isEqualTo(name);
  }
}
