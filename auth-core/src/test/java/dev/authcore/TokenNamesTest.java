package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.internal.LogSafe;
import dev.authcore.model.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

  @ParameterizedTest
  @ValueSource(
      strings = {
        "acme_0Zx9AbCdEfG1aB2cD3eF4gH5iJ6kL7mN8oP9qR0sT1uV2wX",
        "0Zx9AbCdEfG1aB2cD3eF4gH5iJ6kL7mN8oP9qR0sT1uV2wX",
        "1aB2cD3eF4gH5iJ6kL7mN8oP9qR0sT1u",
        "my token 1aB2cD3eF4gH5iJ6 for ci",
        "DeployKeyProduction"
      })
  void check_sixteenLettersAndDigitsInARow_refusedWithoutRepeatingThem(String name) {
    assertThatThrownBy(() -> TokenNames.check(name))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("16 or more letters and digits in a row")
        .hasMessageContaining("looks like an API token")
        .satisfies(
            e -> assertThat(LogSafe.hasTokenLikeRun(String.valueOf(e.getMessage()))).isFalse());
  }

  @Test
  void check_runOfLettersAndDigits_positionCountsCodePoints() {
    assertThatThrownBy(() -> TokenNames.check("\ud83d\ude80 " + "a1".repeat(8)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("from position 3");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abcdefghijklmno",
        "deploy-key-production",
        "ci_2026_01_build_7",
        "a1b2c3d4e5f6g7h"
      })
  void check_fifteenLettersAndDigitsInARowOrSeparatedWords_accepted(String name) {
    assertThat(TokenNames.check(name)).isEqualTo(name);
  }

  @Test
  void check_tokenWithInvisibleCharacter_messageRedactsTheRun() {
    String run = "1aB2cD3eF4gH5iJ6kL7mN8oP9qR0sT1u";
    assertThatThrownBy(() -> TokenNames.check(run + "\u200b"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("U+200B")
        .hasMessageContaining("<32 letters and digits redacted>")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(run.substring(0, 16)));
  }
}
