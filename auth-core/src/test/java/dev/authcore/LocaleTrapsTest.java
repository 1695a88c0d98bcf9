package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.ConflictException;
import dev.authcore.model.NotFoundException;
import dev.authcore.model.Role;
import dev.authcore.model.TokenId;
import dev.authcore.model.UserAccount;
import dev.authcore.spi.SecretHash;
import dev.authcore.store.InMemoryTokenStore;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The token-name, email, message and time logic must not depend on the JVM's default locale or time
 * zone. Turkish maps 'I' to dotless 'ı' and 'i' to dotted 'İ'; Hindi and Arabic can format numbers
 * with their own digits; zones with odd offsets and daylight saving catch calendar arithmetic.
 */
class LocaleTrapsTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  private Locale savedLocale = Locale.getDefault();
  private Locale savedFormat = Locale.getDefault(Locale.Category.FORMAT);
  private Locale savedDisplay = Locale.getDefault(Locale.Category.DISPLAY);
  private TimeZone savedZone = TimeZone.getDefault();

  @BeforeEach
  void save() {
    savedLocale = Locale.getDefault();
    savedFormat = Locale.getDefault(Locale.Category.FORMAT);
    savedDisplay = Locale.getDefault(Locale.Category.DISPLAY);
    savedZone = TimeZone.getDefault();
  }

  @AfterEach
  void restore() {
    Locale.setDefault(savedLocale);
    Locale.setDefault(Locale.Category.FORMAT, savedFormat);
    Locale.setDefault(Locale.Category.DISPLAY, savedDisplay);
    TimeZone.setDefault(savedZone);
  }

  private static void useLocale(String tag) {
    Locale locale = Locale.forLanguageTag(tag);
    Locale.setDefault(locale); // all categories
    assertThat(Locale.getDefault(Locale.Category.FORMAT)).isEqualTo(locale);
  }

  private static Deployment deployment() {
    return new Deployment(new InMemoryTokenStore(), b -> b);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tr-TR", "az-AZ", "hi-IN", "hi-IN-u-nu-deva", "ar-EG"})
  void tokenNames_caseInsensitiveUniqueness_sameInEveryLocale(String tag) {
    useLocale(tag);
    try (Deployment d = deployment()) {
      d.issuer().issue(Deployment.ANN, "TITLE");
      d.issuer().issue(Deployment.ANN, "Info");
      // Under Turkish rules "TITLE" lower-cases to "tıtle": a locale-sensitive check would let
      // "title" in as a second, different name.
      assertThatThrownBy(() -> d.issuer().issue(Deployment.ANN, "title"))
          .isInstanceOf(ConflictException.class)
          .hasMessageContaining("already has a token named");
      assertThatThrownBy(() -> d.issuer().issue(Deployment.ANN, "INFO"))
          .isInstanceOf(ConflictException.class);
      // Dotted capital I and dotless i are other letters, not case variants of I and i.
      assertThat(d.issuer().issue(Deployment.ANN, "t\u0131tle").name()).isEqualTo("t\u0131tle");
      assertThat(d.issuer().issue(Deployment.ANN, "\u0130nfo").name()).isEqualTo("\u0130nfo");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tr-TR", "az-AZ", "hi-IN", "hi-IN-u-nu-deva", "ar-EG"})
  void emails_asciiCaseFolding_sameInEveryLocale(String tag) {
    useLocale(tag);
    try (Deployment d = deployment()) {
      d.users.add("acme", "INFO@EXAMPLE.COM", Role.USER);
      d.users.add("acme", "kim@example.com", Role.USER);
      IssuedToken info = d.issuer().issue("info@example.com", "ci");
      assertThat(info.ownerEmail()).isEqualTo("INFO@EXAMPLE.COM");
      assertThat(
              d.verifier()
                  .verify("Info@Example.com", info.revealPlaintext(), CLIENT)
                  .isAuthenticated())
          .isTrue();
      assertThat(new UserAccount("acme", "IIII@EXAMPLE.COM", Role.USER).emailKey())
          .isEqualTo("iiii@example.com");
      // Only ASCII folds: the dotless/dotted Turkish i never stand in for I/i.
      assertThat(
              Deployment.reasonOf(
                  d.verifier().verify("\u0131nfo@example.com", info.revealPlaintext(), CLIENT)))
          .isEqualTo(RejectionReason.INVALID);
      assertThat(
              Deployment.reasonOf(
                  d.verifier().verify("\u0130NFO@EXAMPLE.COM", info.revealPlaintext(), CLIENT)))
          .isEqualTo(RejectionReason.INVALID);
      assertThatThrownBy(() -> d.issuer().issue("K\u0130M@example.com", "ci"))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("unknown user");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tr-TR", "hi-IN", "hi-IN-u-nu-deva", "ar-EG", "th-TH-u-nu-thai"})
  void messages_numbersInAsciiDigitsInEveryLocale(String tag) {
    useLocale(tag);
    assertThatThrownBy(() -> TokenNames.check("ab\u202ecd"))
        .hasMessageContaining("U+202E at position 3");
    assertThatThrownBy(() -> TokenNames.check("n".repeat(65))).hasMessageContaining("got 65");
    assertThatThrownBy(() -> SecretHash.checkKeyId("key 1"))
        .hasMessageContaining("U+0020 at index 3");
    assertThatThrownBy(() -> new UserAccount("ac me", "a@b", Role.USER))
        .hasMessageContaining("U+0020 at index 2");
    assertThatThrownBy(() -> TokenId.parse("00000000-00")).hasMessageContaining("index 8");
    assertThatThrownBy(() -> SecretHashing.hmacSha256("k1", new byte[31]))
        .hasMessageContaining("at least 32 bytes, got 31");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tr-TR", "hi-IN", "hi-IN-u-nu-deva", "ar-EG"})
  void tokenFormat_sameTextInEveryLocale(String tag) {
    String expected = new TokenFormat("acme").mint(TokenId.fromLong(12345), new Random(9));
    useLocale(tag);
    TokenFormat format = new TokenFormat("acme");
    assertThat(format.mint(TokenId.fromLong(12345), new Random(9))).isEqualTo(expected);
    assertThat(format.parse(expected, Scratch.get())).isEqualTo(TokenId.fromLong(12345));
    assertThat(TokenId.fromLong(12345).toString()).isEqualTo("000000003D7");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"Europe/Berlin", "Pacific/Kiritimati", "America/St_Johns", "Asia/Kolkata"})
  void expiry_exactMillisecondsWhateverTheZone(String zone) {
    TimeZone.setDefault(TimeZone.getTimeZone(zone));
    try (Deployment d = deployment()) {
      // Half an hour before Europe's 2026 spring-forward: a calendar "day" there is 23 hours.
      Instant start = Instant.parse("2026-03-29T00:30:00Z");
      d.clock.advance(Duration.between(Deployment.START, start));
      IssuedToken token = d.issuer().issue(Deployment.ANN, "ci", Duration.ofDays(1));
      assertThat(token.expiresAt()).isEqualTo(Instant.parse("2026-03-30T00:30:00Z"));
      d.clock.advance(Duration.ofHours(24).minusMillis(1));
      assertThat(
              d.verifier()
                  .verify(Deployment.ANN, token.revealPlaintext(), CLIENT)
                  .isAuthenticated())
          .isTrue();
      d.clock.advance(Duration.ofMillis(1));
      assertThat(
              Deployment.reasonOf(
                  d.verifier().verify(Deployment.ANN, token.revealPlaintext(), CLIENT)))
          .isEqualTo(RejectionReason.EXPIRED);
      assertThat(d.events(AuditEvent.TokenRejected.class))
          .singleElement()
          .satisfies(e -> assertThat(e.at()).isEqualTo(Instant.parse("2026-03-30T00:30:00Z")));
    }
  }
}
