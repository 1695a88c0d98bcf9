package dev.authcore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailsTest {

  @ParameterizedTest
  @CsvSource({
    "ann@example.com, ANN@EXAMPLE.COM",
    "Ann@Example.Com, aNN@eXAMPLE.cOM",
    "kim+ci@example.io, KIM+CI@example.io"
  })
  void same_asciiCaseDiffers_same(String a, String b) {
    assertThat(Emails.same(a, b)).isTrue();
    assertThat(Emails.key(a)).isEqualTo(Emails.key(b));
  }

  @ParameterizedTest
  @CsvSource({
    // Kelvin sign K (U+212A) lower-cases to 'k' in Unicode, but it is not the letter k.
    "kim@example.com, \u212aim@example.com",
    // Dotless i (U+0131) upper-cases to 'I' in Unicode; dotted capital I (U+0130) lower-cases to i.
    "tim@example.com, t\u0131m@example.com",
    "TIM@example.com, T\u0130M@example.com",
    // Non-ASCII letters must match exactly: no Unicode case folding.
    "\u00e4nn@example.com, \u00c4NN@example.com",
    "stra\u00dfe@example.com, STRASSE@example.com",
    "ann@example.com, ann@example.co"
  })
  void same_nonAsciiCaseMapping_different(String a, String b) {
    assertThat(Emails.same(a, b)).isFalse();
    assertThat(Emails.key(a)).isNotEqualTo(Emails.key(b));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a@b", "ann@example.com", "\u00e4nn@b\u00fccher.de"})
  void isPlausible_wellFormed_true(String email) {
    assertThat(Emails.isPlausible(email)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "@",
        "a@",
        "@b",
        "ab",
        "a@@b",
        "a@b@c",
        "a b@c",
        "a@b\tc",
        "a@b\r\n",
        "a\u0000@b",
        "a\u007f@b",
        "a\u00a0@b",
        "a\u2028@b"
      })
  void check_malformed_refusedWithEscapedInput(String email) {
    assertThat(Emails.isPlausible(email)).isFalse();
    assertThatThrownBy(() -> Emails.check(email))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not valid")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\r", "\n", "\u0000", "\t"));
  }

  @ParameterizedTest
  @ValueSource(ints = {Emails.MAX_LENGTH, Emails.MAX_LENGTH + 1})
  void isPlausible_lengthLimit_254(int length) {
    String email = "a".repeat(length - 2) + "@b";
    assertThat(Emails.isPlausible(email)).isEqualTo(length <= Emails.MAX_LENGTH);
  }

  @ParameterizedTest
  @CsvSource({
    "202E, right-to-left override",
    "200B, zero width space",
    "200D, zero width joiner",
    "2066, left-to-right isolate",
    "00AD, soft hyphen",
    "FEFF, byte order mark",
    "D800, lone surrogate"
  })
  void check_invisibleFormattingCharacter_refusedSayingWhichAndWhere(String hex, String why) {
    char c = (char) Integer.parseInt(hex, 16);
    String email = "ann" + c + "@example.com";
    assertThat(Emails.isPlausible(email)).as(why).isFalse();
    assertThatThrownBy(() -> Emails.check(email, "actor email"))
        .as(why)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("actor email 'ann\\u" + hex + "@example.com' is not valid")
        .hasMessageContaining("invisible formatting character")
        .hasMessageContaining("U+" + hex + ", at index 3");
  }

  @Test
  void isPlausible_pairedSurrogatesInALocalPart_true() {
    assertThat(Emails.isPlausible("\ud83d\ude80@example.com")).isTrue();
  }

  @Test
  void check_tokenAsEmail_messageRedactsIt() {
    String token = "acme_0Zx9AbCdEfG1aB2cD3eF4gH5iJ6kL7mN8oP9qR0sT1uV2wX";
    assertThatThrownBy(() -> Emails.check(token, "actor email"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "actor email 'acme_<redacted: looks like a secret>' is not valid: it must have"
                + " exactly one '@' between a local part and a domain");
  }

  @ParameterizedTest
  @CsvSource({
    "ab, it is 2 characters long",
    "a@b@c, exactly one '@'",
    "a b@c, white space or a control character, U+0020, at index 1"
  })
  void check_malformed_messageSaysWhy(String email, String why) {
    assertThatThrownBy(() -> Emails.check(email))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("email '")
        .hasMessageContaining(why);
  }

  @ValueSource(strings = {"@ab", "ab@", "@a@"})
  void isPlausible_threeCharactersWithoutLocalPartOrDomain_false(String email) {
    assertThat(Emails.isPlausible(email)).isFalse();
  }
}
