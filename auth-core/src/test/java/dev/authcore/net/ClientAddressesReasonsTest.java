package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reason {@link ClientAddresses#parse(String)} gives for each kind of bad text, so that a
 * gateway's log says what was wrong, and the limits on text and zone id length.
 */
class ClientAddressesReasonsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'1.2.3.4 '       | whitespace is not accepted",
        "'1.2.3.~'        | unexpected character '~'",
        "'1.2.3.!'        | unexpected character '!'",
        "10.0.0.0/8       | a prefix length is not accepted",
        "[::1]            | brackets are not accepted",
        "10.0.0.*         | wildcards are not accepted",
        "%eth0            | empty address",
        "1.2.3.4%eth0     | an IPv4 address has no zone id",
        "fe80::1%         | empty zone id",
      })
  void parse_badText_saysWhatIsWrong(String text, String reason) {
    assertThatThrownBy(() -> ClientAddresses.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void parse_tabAndControlCharacters_namedApart() {
    assertThatThrownBy(() -> ClientAddresses.parse("1.2.3.4\t"))
        .hasMessageContaining("whitespace is not accepted");
    assertThatThrownBy(() -> ClientAddresses.parse("1.2.3.4\u0001"))
        .hasMessageContaining("character U+0001")
        .hasMessageNotContaining("whitespace");
    assertThatThrownBy(() -> ClientAddresses.parse("1.2.3.4\u007f"))
        .hasMessageContaining("character U+007F");
  }

  @Test
  void parse_textOf100Characters_judgedByItsContent() {
    assertThatThrownBy(() -> ClientAddresses.parse("1".repeat(100)))
        .hasMessageContaining("too long for an IP address (100 characters)");
  }

  @Test
  void parse_textOf101Characters_refusedUnread() {
    assertThatThrownBy(() -> ClientAddresses.parse("1".repeat(101)))
        .hasMessageContaining("longer than 100 characters");
  }

  @Test
  void parse_zoneIdOf32Characters_accepted_33Refused() {
    assertThat(ClientAddresses.parse("fe80::1%" + "z".repeat(32)).getHostAddress())
        .isEqualTo("fe80:0:0:0:0:0:0:1");
    assertThatThrownBy(() -> ClientAddresses.parse("fe80::1%" + "z".repeat(33)))
        .hasMessageContaining("zone id longer than 32 characters");
  }
}
