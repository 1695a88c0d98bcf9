package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.InvalidInputException;
import dev.authcore.model.TokenId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenNamesTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"ci|ci", "'  ci  '|ci", "'\tdeploy bot\n'|deploy bot", "'\u3000ci\u2003'|ci"})
  void check_surroundingWhiteSpace_trimmed(String name, String expected) {
    assertThat(TokenNames.check(name)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t\n", "\u3000\u2003"})
  void check_emptyOrBlank_refusedAsRequired(String name) {
    assertThatThrownBy(() -> TokenNames.check(name))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("required");
  }

  @Test
  void check_64CharactersCountedAsCodePoints_accepted() {
    assertThat(TokenNames.check("n-".repeat(32))).hasSize(64);
    String emoji = "\ud83d\ude80"; // one character, two chars in UTF-16
    assertThat(TokenNames.check(emoji.repeat(64))).hasSize(128);
    assertThat(TokenNames.check("  " + "x.".repeat(32) + "  ")).hasSize(64);
  }

  @Test
  void check_65Characters_refusedSayingCount() {
    assertThatThrownBy(() -> TokenNames.check("n".repeat(65)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("at most 64 characters, got 65");
    assertThatThrownBy(() -> TokenNames.check("\ud83d\ude80".repeat(65)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("got 65");
  }

  @ParameterizedTest
  @CsvSource({
    // code point, why it is refused
    "0000, NUL",
    "0007, bell (control)",
    "0009, tab inside a name",
    "000A, line feed",
    "000D, carriage return",
    "001B, escape (terminal sequences)",
    "007F, delete",
    "0085, next line",
    "00A0, no-break space (looks like a space, is another name)",
    "00AD, soft hyphen (format)",
    "061C, arabic letter mark (bidi)",
    "180E, mongolian vowel separator (format)",
    "2002, en space",
    "2007, figure space",
    "200B, zero width space",
    "200D, zero width joiner",
    "200E, left-to-right mark",
    "2028, line separator",
    "2029, paragraph separator",
    "202A, left-to-right embedding",
    "202E, right-to-left override",
    "202F, narrow no-break space",
    "2066, left-to-right isolate",
    "2069, pop directional isolate",
    "3000, ideographic space inside a name",
    "E000, private use",
    "FEFF, byte order mark",
    "FFF9, interlinear annotation anchor",
    "0378, unassigned",
    "D800, lone surrogate"
  })
  void check_invisibleCharacterInside_refusedSayingWhichAndWhere(String hex, String why) {
    char c = (char) Integer.parseInt(hex, 16);
    String name = "ab" + c + "cd";
    assertThatThrownBy(() -> TokenNames.check(name))
        .as(why)
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("U+" + hex)
        .hasMessageContaining("position 3")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(String.valueOf(c)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u00a0", "\u202f", "\u2007", "\u00a0\u00a0", "\u200b", "\u00ad"})
  void check_onlyInvisibleCharacters_refused(String name) {
    // None of these are visible: a name made of them would look empty in every listing.
    assertThatThrownBy(() -> TokenNames.check(name)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void check_positionCountsCodePoints() {
    assertThatThrownBy(() -> TokenNames.check("\ud83d\ude80\ud83d\ude80\u202e"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("position 3");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "deploy bot",
        "CI / CD #2",
        "caf\u00e9",
        "\u65e5\u672c\u8a9e",
        "\u0928\u092e\u0938\u094d\u0924\u0947",
        "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
        "\u0130stanbul",
        "x\u0301",
        "\ud83d\ude80 launch"
      })
  void check_visibleCharactersOfAnyScript_accepted(String name) {
    assertThat(TokenNames.check(name)).isEqualTo(name);
  }

  private static final TokenFormat FORMAT = new TokenFormat("acme");

  private static String token(long seed) {
    Random random = new Random(seed);
    return FORMAT.mint(TokenId.random(random), random);
  }

  private static String secretOf(String token) {
    return token.substring(FORMAT.secretStart(), FORMAT.secretStart() + TokenFormat.SECRET_LENGTH);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DeployKeyProduction",
        "kubernetesautoscaler",
        "MyVeryLongServiceAccountTokenForProduction",
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl",
        "Donaudampfschifffahrtsgesellschaft",
        "Kraftfahrzeughaftpflichtversicherung",
        "Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "heeeeeeeeeeelp",
        "RTX4090Workstation",
        "iPhone15ProMax",
        "ubuntu2204buildserver",
        "ann.lee+ci@example.com",
        "0Zx9AbCdEfG"
      })
  void check_longWordsRepeatedLettersProductNamesEmails_accepted(String name) {
    // SPEC: 1 to 64 visible characters, any words. A token id is public: it may be a name.
    assertThat(TokenNames.check(name)).isEqualTo(name);
  }

  @Test
  void check_realisticNamesAndEmails_everyOneAccepted() throws IOException {
    List<String> refused = new ArrayList<>();
    int checked = 0;
    for (String file : List.of("realistic-token-names.txt", "realistic-emails.txt")) {
      for (String line : corpus(file)) {
        if (line.codePointCount(0, line.length()) > TokenNames.MAX_LENGTH) {
          continue; // a few emails are longer than a name may be
        }
        checked++;
        try {
          assertThat(TokenNames.check(line)).isEqualTo(line);
        } catch (InvalidInputException e) {
          refused.add(line + ": " + e.getMessage());
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "TokenNamesTest: %d of %d realistic names and emails refused%n",
        refused.size(),
        checked);
    assertThat(checked).isGreaterThan(2_600);
    assertThat(refused).isEmpty();
  }

  private static List<String> corpus(String file) throws IOException {
    try (InputStream in = TokenNamesTest.class.getResourceAsStream("internal/" + file)) {
      assertThat(in).as("%s on the test class path", file).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(line -> !line.isEmpty())
          .toList();
    }
  }

  @Test
  void check_wholeToken_refusedAsTokenWithoutRepeatingIt() {
    String token = token(1);
    assertThatThrownBy(() -> TokenNames.check("my " + token))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("holds an API token (characters 4 to " + (3 + token.length()) + ")")
        .satisfies(e -> assertNoPartOf(token.substring(5), e))
        .extracting(e -> ((InvalidInputException) e).input())
        .isEqualTo("token name");
  }

  static Stream<Arguments> secretForms() {
    String token = token(2);
    String unprefixed = token.substring("acme_".length());
    String secret = secretOf(token);
    return Stream.of(
        Arguments.of("without its prefix", unprefixed, unprefixed),
        Arguments.of("the secret", secret, secret),
        Arguments.of("the secret in words", "ci " + secret + " prod", secret),
        Arguments.of("half the secret", "deploy " + secret.substring(0, 16), secret),
        Arguments.of(
            "the secret split by dashes",
            secret.substring(0, 8)
                + "-"
                + secret.substring(8, 16)
                + "-"
                + secret.substring(16, 24)
                + "-"
                + secret.substring(24),
            secret),
        Arguments.of(
            "the secret split by spaces",
            String.join(
                " ", secret.substring(0, 11), secret.substring(11, 22), secret.substring(22)),
            secret),
        Arguments.of("with a changed prefix", "acne_" + unprefixed, unprefixed));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("secretForms")
  void check_secretOrPartOfOne_refusedSayingWhereWithoutRepeatingIt(
      String form, String name, String secret) {
    assertThatThrownBy(() -> TokenNames.check(name))
        .as(form)
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("looks like it holds a secret: characters ")
        .hasMessageContaining("never hold a token or any part of one")
        .satisfies(e -> assertNoPartOf(secret, e));
  }

  /** The message repeats no 8 characters in a row of {@code secret}. */
  private static void assertNoPartOf(String secret, Throwable e) {
    String message = String.valueOf(e.getMessage());
    for (int i = 0; i + 8 <= secret.length(); i++) {
      assertThat(message).doesNotContain(secret.substring(i, i + 8));
    }
  }

  @Test
  void check_secretAfterCharactersBeyondTheBmp_positionCountsCodePoints() {
    String secret = secretOf(token(3));
    assertThatThrownBy(() -> TokenNames.check("\ud83d\ude80 " + secret))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("characters 3 to 34");
  }

  @Test
  void check_tokenWithInvisibleCharacter_messageRedactsTheToken() {
    String token = token(4);
    assertThatThrownBy(() -> TokenNames.check(token + "\u200b"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("U+200B")
        .hasMessageContaining("<redacted: token>")
        .satisfies(e -> assertNoPartOf(token.substring(5), e));
  }
}
