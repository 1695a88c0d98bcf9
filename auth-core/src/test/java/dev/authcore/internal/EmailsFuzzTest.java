package dev.authcore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link Emails}, which reads the email of every request ({@code x-api-user}) and of every
 * user a directory holds. Properties: {@link Emails#check} refuses exactly what {@link
 * Emails#isPlausible} refuses, with a printable message; what is plausible has one {@code @}
 * between a local part and a domain, 3 to 254 characters and no white space or control character;
 * {@link Emails#same} agrees with {@link Emails#key} and ignores ASCII case only.
 *
 * <p>Input: one email, or two separated by the first LF (to compare them). In {@code mvn verify} it
 * replays {@code EmailsFuzzTestInputs/}. To fuzz: {@code JAZZER_FUZZ=1 mvn -pl auth-core test
 * -Dtest=EmailsFuzzTest}.
 */
class EmailsFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void check(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    int lf = text.indexOf('\n');
    String email = lf < 0 ? text : text.substring(0, lf);
    String other = lf < 0 ? email : text.substring(lf + 1);

    boolean plausible = Emails.isPlausible(email);
    if (plausible) {
      Emails.check(email);
      assertThat(email.length()).isBetween(3, Emails.MAX_LENGTH);
      int at = email.indexOf('@');
      assertThat(at).isPositive().isLessThan(email.length() - 1);
      assertThat(email.lastIndexOf('@')).isEqualTo(at);
      assertThat(email.chars())
          .noneMatch(
              c ->
                  Character.isWhitespace(c)
                      || Character.isSpaceChar(c)
                      || Character.isISOControl(c));
    } else {
      assertThatThrownBy(() -> Emails.check(email))
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(
              e -> {
                String message = String.valueOf(e.getMessage());
                assertThat(message).startsWith("email '").hasSizeLessThan(500);
                assertThat(message.chars()).allMatch(c -> (c >= 0x20 && c < 0x7F) || c == '…');
              });
    }

    String key = Emails.key(email);
    assertThat(Emails.key(key)).isEqualTo(key);
    assertThat(key).hasSameSizeAs(email);
    assertThat(Emails.same(email, key)).isTrue();
    assertThat(Emails.same(email, other)).isEqualTo(Emails.same(other, email));
    assertThat(Emails.same(email, other)).isEqualTo(key.equals(Emails.key(other)));
    // Only ASCII letters fold: every other character of the key is the email's own.
    for (int i = 0; i < email.length(); i++) {
      char c = email.charAt(i);
      char k = key.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        assertThat(k).isEqualTo((char) (c + ('a' - 'A')));
      } else {
        assertThat(k).isEqualTo(c);
      }
    }
  }
}
