package dev.authcore.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogSafeTest {
  private static final String TOKEN = SecretDetectorTest.token(new Random(1), "acme", "acme");
  private static final String UNPREFIXED = TOKEN.substring("acme_".length());
  private static final String SECRET =
      UNPREFIXED.substring(Base62.LONG_WIDTH, Base62.LONG_WIDTH + SecretDetector.SECRET_LENGTH);

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

  @Test
  void escape_textOfMaxLength_keptWhole_oneMoreShortened() {
    String exact = "y-".repeat(LogSafe.MAX_LENGTH).substring(0, LogSafe.MAX_LENGTH);
    assertThat(LogSafe.escape(exact)).isEqualTo(exact);
    assertThat(LogSafe.escape(exact + "z"))
        .isEqualTo(exact + "\u2026(" + (LogSafe.MAX_LENGTH + 1) + " chars)");
  }

  @Test
  void escape_wholeToken_redactedAsToken() {
    assertThat(LogSafe.escape("email '" + TOKEN + "'"))
        .isEqualTo("email '" + LogSafe.REDACTED_TOKEN + "'");
  }

  @Test
  void escape_tokenWithoutPrefixOrSecretAlone_redactedAsSecret() {
    assertThat(LogSafe.escape(UNPREFIXED + "@example.com"))
        .isEqualTo(LogSafe.REDACTED_SECRET + "@example.com");
    assertThat(LogSafe.escape("c1.1." + SECRET)).isEqualTo("c1.1." + LogSafe.REDACTED_SECRET);
  }

  @Test
  void escape_ordinaryWordsOfAnyLength_kept() {
    String text = "DeployKeyProduction kubernetesautoscaler Kraftfahrzeughaftpflichtversicherung";
    assertThat(LogSafe.escape(text)).isEqualTo(text);
  }

  @Test
  void escape_secretInterruptedByAnInvisibleCharacter_judgedAsSent() {
    // Redaction reads the text as sent: the escape \u200B adds letters and digits, but they never
    // join a run. Two random halves of 16 are each found.
    String text = SECRET.substring(0, 16) + "\u200b" + SECRET.substring(16);
    assertThat(LogSafe.escape(text))
        .isEqualTo(LogSafe.REDACTED_SECRET + "\\u200B" + LogSafe.REDACTED_SECRET);
  }

  @Test
  void escape_readableTextBesideSecrets_kept() {
    String text = "ann.lee+ci@example.com 10.0.0.0/8 2001:db8::1 c1.1700000000000.0Zx9AbCdEfG";
    assertThat(LogSafe.escape(text)).isEqualTo(text);
    assertThat(LogSafe.escape("(" + TOKEN + ") (" + SECRET + ")"))
        .isEqualTo("(" + LogSafe.REDACTED_TOKEN + ") (" + LogSafe.REDACTED_SECRET + ")");
  }

  @Test
  void escape_tokenAtTheEndOfTheShownPart_redactedNotCutIntoView() {
    // The token starts inside the shown part and ends far past it: it is judged whole.
    String text = "x".repeat(LogSafe.MAX_LENGTH - 10) + " " + TOKEN + " " + "y".repeat(10_000);
    String escaped = LogSafe.escape(text);
    assertThat(escaped).doesNotContain(UNPREFIXED.substring(0, 8)).startsWith("x");
    for (int i = 0; i + 8 <= UNPREFIXED.length(); i++) {
      assertThat(escaped).doesNotContain(UNPREFIXED.substring(i, i + 8));
    }
  }

  @Test
  void redact_nothingFound_sameInstance() {
    String text = "nothing secret here: DeployKeyProduction";
    assertThat(LogSafe.redact(text)).isSameAs(text);
  }

  @Test
  void redact_onlyFindingsReplaced_controlCharactersLeftForTheCaller() {
    assertThat(LogSafe.redact("a\nb " + SECRET + "\tc"))
        .hasToString("a\nb " + LogSafe.REDACTED_SECRET + "\tc");
  }
}
