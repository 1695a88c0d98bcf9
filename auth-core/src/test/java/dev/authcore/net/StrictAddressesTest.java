package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.net.AddressText.Invalid;
import dev.authcore.net.AddressText.Parsed;
import inet.ipaddr.IPAddressString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The strict IPAddress parameters, one permissive default at a time, and what this package keeps
 * for itself around the library: the character screen, the block arithmetic it asks for, and the
 * reason given for a refusal.
 */
class StrictAddressesTest {

  private static boolean libraryAccepts(String text) {
    return new IPAddressString(text, StrictAddresses.PARAMETERS).getAddress() != null;
  }

  private static Parsed parse(String text) throws Invalid {
    return StrictAddresses.parse(text, 0, text.length());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", // empty: the loopback by default
        " ",
        "*", // the universal address
        "*.*", // wildcarded separators
        "*:*",
        "2130706433", // single segment
        "0x7f000001",
        "ffffffffffffffffffffffffffffffff",
        "127.1", // inet_aton joined segments
        "127.0.1",
        "0x7f.0.0.1", // inet_aton hex
        "010.0.0.1", // leading zero, octal for inet_aton
        "00.0.0.1",
        "0010.0.0.1", // unlimited leading zeros
        "0b1.0.0.1", // binary
        "0b1010::1",
        "10.0.0.*", // wildcards and ranges
        "10.0.0.1-2",
        "1-2.0.0.1",
        "10.0.0.1_",
        "10.0.0.__",
        "2001:db8::*",
        "2001:db8::1-2",
        "10.0.0.0/8", // prefixes, masks, prefix only
        "10.0.0.1/32",
        "::/1",
        "::1/128",
        "10.0.0.0/255.0.0.0",
        "/8",
        "/64",
        "fe80::1%eth0", // zones
        "fe80::1%1",
        "1.2.3.4%1",
        "4)+k&C#VzJ4br>0wv%Yp", // base 85 (RFC 1924's 1080::8:800:200c:417a)
        "00000::1", // more than four hex digits in a group
        "::ffff:127.1", // the same IPv4 options inside IPv6 parameters (dotted tail)
        "::ffff:010.0.0.1",
        "::ffff:0x7f.0.0.1",
        "::ffff:10.0.0.*",
        "::ffff:10.0.0.1-2",
        "::ffff:0b1.0.0.1",
        "::2130706433",
      })
  void parameters_permissiveDefaultsSwitchedOff(String text) {
    assertThat(libraryAccepts(text)).as(text).isFalse();
    assertThatThrownBy(() -> parse(text)).isInstanceOf(Invalid.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0",
        "10.1.2.3",
        "255.255.255.255",
        "::",
        "::1",
        "2001:db8::1",
        "2001:0DB8:0000:0000:0000:0000:0000:0001",
        "1:2:3:4:5:6:7::",
        "::2:3:4:5:6:7:8",
        "::ffff:10.0.0.1",
        "64:ff9b::192.0.2.1",
        "1:2:3:4:5:6:1.2.3.4",
      })
  void parameters_strictFormsAccepted(String text) throws Invalid {
    assertThat(libraryAccepts(text)).as(text).isTrue();
    assertThat(parse(text)).isEqualTo(AddressText.parse(text, 0, text.length()));
  }

  @Test
  void parse_mappedAddress_staysIpv6_theListDecidesWhatItMeans() throws Invalid {
    Parsed mapped = parse("::ffff:10.0.0.1");
    assertThat(mapped.ipv6()).isTrue();
    assertThat(mapped.isMapped()).isTrue();
    assertThat(mapped.lo()).isEqualTo(0x0000_FFFF_0A00_0001L);
  }

  @Test
  void parse_dottedTail_flaggedForIpv6Only() throws Invalid {
    assertThat(parse("::10.0.0.1").dottedTail()).isTrue();
    assertThat(parse("::a00:1").dottedTail()).isFalse();
    assertThat(parse("10.0.0.1").dottedTail()).isFalse();
  }

  @Test
  void parse_partOfALine_readsOnlyThatPart() throws Invalid {
    String line = "10.0.0.1-10.0.0.9";
    assertThat(StrictAddresses.parse(line, 9, line.length()).lo()).isEqualTo(0x0A00_0009L);
    assertThat(StrictAddresses.parse(line, 0, 8).lo()).isEqualTo(0x0A00_0001L);
  }

  @Test
  void parse_charactersOutsideAddressText_neverReachTheLibrary() {
    // The screen refuses them whatever the library's options: zones, wildcards, base 85, ranges.
    for (String text : new String[] {"1.2.3.4%1", "1_2.3.4", "1.2.3.4-", "::1!", "+1.2.3.4"}) {
      assertThatThrownBy(() -> parse(text)).as(text).isInstanceOf(Invalid.class);
    }
    String tooLong = "0:".repeat(32) + "1";
    assertThatThrownBy(() -> parse(tooLong))
        .hasMessage("too long for an IP address (" + tooLong.length() + " characters)");
  }

  @Test
  void library_trimsWhitespaceAndControls_theScreenKeepsThemOut() {
    // A trap no parameter switches off: the library trims characters up to U+0020 at both ends.
    for (String text : new String[] {" 10.0.0.1", "10.0.0.1\t", "\n::1", "10.0.0.1\u0000"}) {
      assertThat(libraryAccepts(text)).as("%s", text).isTrue();
      assertThat(StrictAddresses.library(text, 0, text.length())).isNull();
      assertThatThrownBy(() -> parse(text)).isInstanceOf(Invalid.class);
    }
  }

  @Test
  void parse_refused_reasonFromTheHandWrittenReader() {
    assertThatThrownBy(() -> parse("010.0.0.1")).hasMessageContaining("leading zero in '010'");
    assertThatThrownBy(() -> parse("127.1")).hasMessageContaining("only 2 of 4 parts");
    assertThatThrownBy(() -> parse("1::2::3")).hasMessageContaining("only once");
    assertThatThrownBy(() -> parse("")).hasMessage("empty address");
  }

  @Test
  void refusal_textTheHandWrittenReaderAccepts_getsTheFallbackReason() {
    // Unreachable while the two readers agree (StrictAddressesDifferentialTest); pinned anyway.
    assertThat(StrictAddresses.refusal("10.0.0.1", 0, 8))
        .isEqualTo(StrictAddresses.FALLBACK_REASON);
    assertThat(StrictAddresses.refusal("10.0.0.01", 0, 9)).contains("leading zero");
  }

  @Test
  void prefixBlock_firstAndLastAddress() throws Invalid {
    assertThat(StrictAddresses.prefixBlock(parse("10.0.0.5"), 8))
        .isEqualTo(new Entry(false, 0, 0x0A00_0000L, 0, 0x0AFF_FFFFL));
    assertThat(StrictAddresses.prefixBlock(parse("10.0.0.5"), 32))
        .isEqualTo(new Entry(false, 0, 0x0A00_0005L, 0, 0x0A00_0005L));
    assertThat(StrictAddresses.prefixBlock(parse("255.255.255.255"), 1))
        .isEqualTo(new Entry(false, 0, 0x8000_0000L, 0, 0xFFFF_FFFFL));
    assertThat(StrictAddresses.prefixBlock(parse("2001:db8::1"), 32))
        .isEqualTo(new Entry(true, 0x2001_0db8_0000_0000L, 0, 0x2001_0db8_ffff_ffffL, -1L));
    assertThat(StrictAddresses.prefixBlock(parse("2001:db8::1"), 128))
        .isEqualTo(new Entry(true, 0x2001_0db8_0000_0000L, 1, 0x2001_0db8_0000_0000L, 1));
    assertThat(StrictAddresses.prefixBlock(parse("::1:0:0:0"), 80))
        .isEqualTo(new Entry(true, 0, 0x0001_0000_0000_0000L, 0, 0x0001_FFFF_FFFF_FFFFL));
  }

  @Test
  void ipv4NetmaskLength_networkMasksOnly() {
    assertThat(StrictAddresses.ipv4NetmaskLength("255.0.0.0")).isEqualTo(8);
    assertThat(StrictAddresses.ipv4NetmaskLength("255.255.255.0")).isEqualTo(24);
    assertThat(StrictAddresses.ipv4NetmaskLength("255.255.255.255")).isEqualTo(32);
    assertThat(StrictAddresses.ipv4NetmaskLength("128.0.0.0")).isEqualTo(1);
    assertThat(StrictAddresses.ipv4NetmaskLength("0.0.0.0")).isEqualTo(-1);
    assertThat(StrictAddresses.ipv4NetmaskLength("0.0.0.255")).isEqualTo(-1);
    assertThat(StrictAddresses.ipv4NetmaskLength("255.0.255.0")).isEqualTo(-1);
    assertThat(StrictAddresses.ipv4NetmaskLength("255.000.0.0")).isEqualTo(-1);
    assertThat(StrictAddresses.ipv4NetmaskLength("ffff:ffff::")).isEqualTo(-1);
    assertThat(StrictAddresses.ipv4NetmaskLength("255.0.0")).isEqualTo(-1);
  }
}
