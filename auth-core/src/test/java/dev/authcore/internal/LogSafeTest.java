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
    String escaped = LogSafe.escape("x".repeat(10_000));
    assertThat(escaped).startsWith("x".repeat(LogSafe.MAX_LENGTH)).endsWith("(10000 chars)");
    assertThat(escaped.length()).isLessThan(LogSafe.MAX_LENGTH + 20);
  }

  @Test
  void escape_textOfMaxLength_keptWhole_oneMoreShortened() {
    String exact = "y".repeat(LogSafe.MAX_LENGTH);
    assertThat(LogSafe.escape(exact)).isEqualTo(exact);
    assertThat(LogSafe.escape(exact + "z"))
        .isEqualTo(exact + "\u2026(" + (LogSafe.MAX_LENGTH + 1) + " chars)");
  }
}
