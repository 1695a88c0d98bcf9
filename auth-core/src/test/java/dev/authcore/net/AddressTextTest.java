package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The text helpers behind every address reason: escaping, naming characters, length limits. */
class AddressTextTest {

  @Test
  void escape_printableAsciiKept_controlsAndDeleteEscaped() {
    assertThat(AddressText.escape(" !~", 64)).isEqualTo(" !~");
    assertThat(AddressText.escape("\u001f\u007f\t\r\n\\", 64))
        .isEqualTo("\\u001F\\u007F\\t\\r\\n\\\\");
  }

  @Test
  void escape_textOfExactlyMax_keptWhole() {
    assertThat(AddressText.escape("abcdefghij", 10)).isEqualTo("abcdefghij");
  }

  @Test
  void escape_longerText_cutToMaxWithEllipsis() {
    assertThat(AddressText.escape("abcdefghijk", 10)).isEqualTo("abcdefg...");
  }

  @Test
  void escape_neverCutsAnEscapeInHalf() {
    // the escape of \n would straddle the cut: it goes entirely
    assertThat(AddressText.escape("abcdef\nxyzw", 10)).isEqualTo("abcdef...");
  }

  @Test
  void escape_goesThroughLogSafe_tokenLikeTextRedacted() {
    String pasted = "10.0.0.1 K4YmFgdJ6UgJMJxqT2bH9sLw";
    assertThat(AddressText.escape(pasted, 64))
        .startsWith("10.0.0.1 ")
        .doesNotContain("K4YmFgdJ6UgJMJxq")
        .doesNotContain("T2bH9sLw");
  }

  @Test
  void escape_longOrNonAsciiText_staysPrintableAsciiWithinMax() {
    String text = "\u00e9 \u2028 \\ ".repeat(60);
    for (int max : new int[] {10, 24, 64, 100, 400}) {
      String escaped = AddressText.escape(text, max);
      assertThat(escaped.length()).isLessThanOrEqualTo(max);
      assertThat(escaped.chars()).allMatch(c -> c >= 0x20 && c < 0x7F);
    }
  }

  @Test
  void escape_backslashBeforeU_isNotMistakenForAnEscape() {
    // A literal backslash-u typed by the owner stays visibly a doubled backslash.
    assertThat(AddressText.escape("a\\u000Db", 64)).isEqualTo("a\\\\u000Db");
  }

  @Test
  void unexpected_visibleAsciiQuoted_otherCharactersNamed() {
    assertThat(AddressText.unexpected('!')).isEqualTo("unexpected character '!'");
    assertThat(AddressText.unexpected('~')).isEqualTo("unexpected character '~'");
    assertThat(AddressText.unexpected(' ')).isEqualTo("unexpected character U+0020 SPACE");
    assertThat(AddressText.unexpected(0x7F)).isEqualTo("unexpected character U+007F DELETE");
  }

  @Test
  void isAsciiLetter_onlyTheTwentySixLettersInBothCases() {
    for (char c : "azAZ".toCharArray()) {
      assertThat(AddressText.isAsciiLetter(c)).as("%s", c).isTrue();
    }
    for (char c : "`{@[09\u00e9".toCharArray()) {
      assertThat(AddressText.isAsciiLetter(c)).as("%s", c).isFalse();
    }
  }

  @Test
  void parse_textOfMaxLength_judgedByItsContent() {
    String text = "1".repeat(AddressText.MAX_ADDRESS_LENGTH);
    assertThatThrownBy(() -> AddressText.parse(text, 0, text.length()))
        .hasMessageStartingWith("a bare number is not accepted");
  }

  @Test
  void parse_longerThanMax_refusedWithItsLength() {
    String text = "1".repeat(AddressText.MAX_ADDRESS_LENGTH + 1);
    assertThatThrownBy(() -> AddressText.parse(text, 0, text.length()))
        .hasMessage("too long for an IP address (65 characters)");
  }

  @Test
  void parse_hexPrefixAlone_reasonSaysHexadecimal() {
    assertThatThrownBy(() -> AddressText.parse("0x", 0, 2)).hasMessageContaining("hexadecimal");
  }
}
