package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The limits of {@link ClientAddressResolver}: element lengths, port ranges, escapes inside quoted
 * strings and empty elements, each on both sides of the edge.
 */
class ClientAddressResolverLimitsTest {

  private static final IpAllowList PROXIES = IpAllowList.parse("10.0.0.0/8\n");
  private static final ClientAddressResolver XFF =
      ClientAddressResolver.trustingXForwardedFor(PROXIES);
  private static final ClientAddressResolver FWD = ClientAddressResolver.trustingForwarded(PROXIES);
  private static final InetAddress PROXY = ClientAddresses.parse("10.0.0.1");
  private static final String CLIENT = "203.0.113.9";

  private static Optional<String> xff(String line) {
    return XFF.resolve(PROXY, List.of(line), List.of()).map(InetAddress::getHostAddress);
  }

  private static Optional<String> fwd(String line) {
    return FWD.resolve(PROXY, List.of(), List.of(line)).map(InetAddress::getHostAddress);
  }

  /** {@code text} preceded by spaces to make it exactly {@code length} characters. */
  private static String padded(String text, int length) {
    return " ".repeat(length - text.length()) + text;
  }

  // ---------------------------------------------------------------- element length

  @Test
  void xff_elementOf256Characters_read() {
    assertThat(xff(padded(CLIENT, 256))).contains(CLIENT);
  }

  @Test
  void xff_elementOf257Characters_rejects() {
    assertThat(xff(padded(CLIENT, 257))).isEmpty();
  }

  @Test
  void forwarded_elementOf256Characters_read() {
    assertThat(fwd(padded("for=" + CLIENT, 256))).contains(CLIENT);
  }

  @Test
  void forwarded_elementOf257Characters_rejects() {
    assertThat(fwd(padded("for=" + CLIENT, 257))).isEmpty();
  }

  @Test
  void forwarded_lineLongerThanAnElement_readElementByElement() {
    String line = "for=" + CLIENT + ", for=10.0.0.2".repeat(30);
    assertThat(line.length()).isGreaterThan(256);
    assertThat(fwd(line)).contains(CLIENT);
  }

  // ---------------------------------------------------------------- empty elements

  @Test
  void xff_emptyElementLeftOfTheClient_neverReached() {
    assertThat(xff("," + CLIENT)).contains(CLIENT);
  }

  @Test
  void forwarded_emptyElementLeftOfTheClient_neverReached() {
    assertThat(fwd(",for=" + CLIENT)).contains(CLIENT);
  }

  // ---------------------------------------------------------------- quoted strings

  @Test
  void forwarded_escapedQuoteAndCommaInsideAQuotedValue_stayInsideTheElement() {
    assertThat(fwd("for=" + CLIENT + ";note=\"a\\\",b\"")).contains(CLIENT);
  }

  @Test
  void forwarded_escapedBackslashBeforeTheClosingQuote_endsTheString() {
    assertThat(fwd("for=" + CLIENT + ";note=\"a\\\\\"")).contains(CLIENT);
  }

  @Test
  void forwarded_quotedValueWithTab_accepted() {
    assertThat(fwd("for=" + CLIENT + ";note=\"a\tb\"")).contains(CLIENT);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "note=\"a\u001fb\"",
        "note=\"a\u007fb\"",
        "note=\"a\\\u001fb\"",
        "note=\"ab\\",
        "note=\"ab\"c",
        "=x",
        "note",
        "note=",
        "n@te=x",
        "note=a\"b",
      })
  void forwarded_malformedParameterBesideFor_rejects(String parameter) {
    assertThat(fwd("for=" + CLIENT + ";" + parameter)).isEmpty();
  }

  @Test
  void forwarded_emptyPairsBetweenSemicolons_ignored() {
    assertThat(fwd(";for=" + CLIENT + ";;proto=https;")).contains(CLIENT);
  }

  @Test
  void forwarded_tokenCharactersInNamesAndValues_accepted() {
    assertThat(fwd("for=" + CLIENT + ";x!#$%&'*+-.^_`|~9=Az09!#$%&'*+-.^_`|~")).contains(CLIENT);
  }

  // ---------------------------------------------------------------- ports

  @ParameterizedTest
  @ValueSource(strings = {"0", "1", "9", "65535", "00080", "_a", "_A.z-9_Z"})
  void xff_validPort_dropped(String port) {
    assertThat(xff(CLIENT + ":" + port)).contains(CLIENT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "65536", "99999", "100000", "-1", "8o", "_a/b", "_a:b", "_a b"})
  void xff_invalidPort_rejects(String port) {
    assertThat(xff(CLIENT + ":" + port)).isEmpty();
  }

  @Test
  void forwarded_obfuscatedPortOf16CharactersOnly() {
    assertThat(fwd("for=\"" + CLIENT + ":_" + "p".repeat(15) + "\"")).contains(CLIENT);
    assertThat(fwd("for=\"" + CLIENT + ":_" + "p".repeat(16) + "\"")).isEmpty();
  }

  @Test
  void forwarded_bracketedIpv6WithPort() {
    assertThat(fwd("for=\"[2001:db8::7]:65535\"")).contains("2001:db8:0:0:0:0:0:7");
    assertThat(fwd("for=\"[2001:db8::7]:65536\"")).isEmpty();
    assertThat(fwd("for=\"[2001:db8::7]:\"")).isEmpty();
    assertThat(fwd("for=\"[2001:db8::7]]\"")).isEmpty();
  }

  @Test
  void forwarded_bracketsAroundIpv4_rejects() {
    assertThat(fwd("for=\"[" + CLIENT + "]\"")).isEmpty();
    assertThat(fwd("for=\"[" + CLIENT + "]:80\"")).isEmpty();
  }

  @Test
  void xff_portAfterIpv6WithoutBrackets_notReadAsAPort() {
    // two or more colons: the whole element is an IPv6 address, so ":80" is part of it
    assertThat(xff("2001:db8::7:80")).contains("2001:db8:0:0:0:0:7:80");
  }
}
