package dev.authcore.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

  @Test
  void escape_crLf_escapedSoNoLineCanBeForged() {
    String escaped = LogSafe.escape("ann@example.com\r\n2026-01-01 INFO admin logged in");
    assertThat(escaped)
        .doesNotContain("\r", "\n")
        .isEqualTo("ann@example.com\\u000D\\u000A2026-01-01 INFO admin logged in");
  }

  @Test
  void escape_controlNonAsciiAndBackslash_escapedUnambiguously() {
    assertThat(LogSafe.escape("a\u0000b\u007fc\u00e9\u202e\\u0041"))
        .isEqualTo("a\\u0000b\\u007Fc\\u00E9\\u202E\\\\u0041");
  }

  @Test
  void escape_printableAscii_unchanged() {
    String printable = "Ann+ci@Example.com ~!#$%&'()*,-./:;<=>?[]^_`{|}";
    assertThat(LogSafe.escape(printable)).isEqualTo(printable);
  }

  @Test
  void escape_longText_shortenedWithOriginalLength() {
    String escaped = LogSafe.escape("x ".repeat(5_000));
    assertThat(escaped).startsWith("x ".repeat(LogSafe.MAX_LENGTH / 2)).endsWith("(10000 chars)");
    assertThat(escaped.length()).isLessThan(LogSafe.MAX_LENGTH + 20);
  }

  private static final String TOKEN = "acme_0Zx9AbCdEfG1aB2cD3eF4gH5iJ6kL7mN8oP9qR0sT1uV2wX";

  @Test
  void escape_wholeToken_runRedactedPrefixKept() {
    assertThat(LogSafe.escape("email '" + TOKEN + "'"))
        .isEqualTo("email 'acme_<47 letters and digits redacted>'");
  }

  @Test
  void escape_tokenWithoutPrefixOrSecretAlone_redacted() {
    String unprefixed = TOKEN.substring(5);
    String secret = unprefixed.substring(11, 43);
    assertThat(LogSafe.escape(unprefixed + "@example.com"))
        .isEqualTo("<47 letters and digits redacted>@example.com");
    assertThat(LogSafe.escape("c1.1." + secret)).isEqualTo("c1.1.<32 letters and digits redacted>");
  }

  @Test
  void escape_sixteenInARowRedacted_fifteenKept() {
    assertThat(LogSafe.escape("a".repeat(15) + "." + "b".repeat(16)))
        .isEqualTo("a".repeat(15) + ".<16 letters and digits redacted>");
  }

  @Test
  void escape_runSplitByAnEscapedCharacter_eachPartJudgedAlone() {
    // The escape \u200B adds letters and digits, but redaction runs on the input first.
    assertThat(LogSafe.escape("a".repeat(12) + "\u200b" + "b".repeat(12)))
        .isEqualTo("a".repeat(12) + "\\u200B" + "b".repeat(12));
  }

  @Test
  void escape_everyRunRedactedAndReadableTextKept() {
    String text = "ann.lee+ci@example.com 10.0.0.0/8 2001:db8::1 c1.1700000000000.0Zx9AbCdEfG";
    assertThat(LogSafe.escape(text)).isEqualTo(text);
    assertThat(LogSafe.escape(TOKEN + " " + TOKEN.substring(20)))
        .isEqualTo("acme_<47 letters and digits redacted> <32 letters and digits redacted>");
  }

  @Test
  void hasTokenLikeRun_andStart_findTheFirstRunOf16() {
    assertThat(LogSafe.hasTokenLikeRun("x".repeat(15))).isFalse();
    assertThat(LogSafe.hasTokenLikeRun("x".repeat(16))).isTrue();
    assertThat(LogSafe.tokenLikeRunStart("ab-" + "c".repeat(20), 0)).isEqualTo(3);
    assertThat(LogSafe.tokenLikeRunStart("ab-" + "c".repeat(20), 5)).isEqualTo(5);
    assertThat(LogSafe.tokenLikeRunStart("ab-" + "c".repeat(20), 10)).isEqualTo(-1);
    assertThat(LogSafe.redactTokenLike("no run here")).isEqualTo("no run here");
  }

  @Test
  void escape_textOfMaxLength_keptWhole_oneMoreShortened() {
    String exact = "y-".repeat(LogSafe.MAX_LENGTH).substring(0, LogSafe.MAX_LENGTH);
    assertThat(LogSafe.escape(exact)).isEqualTo(exact);
    assertThat(LogSafe.escape(exact + "z"))
        .isEqualTo(exact + "\u2026(" + (LogSafe.MAX_LENGTH + 1) + " chars)");
  }
}
