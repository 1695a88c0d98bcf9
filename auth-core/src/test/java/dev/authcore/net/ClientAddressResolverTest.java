package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.testing.NullPointerTester;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientAddressResolverTest {

  private static final IpAllowList PROXIES = IpAllowList.parse("10.0.0.0/8\n2001:db8:ffff::/48\n");
  private static final ClientAddressResolver XFF =
      ClientAddressResolver.trustingXForwardedFor(PROXIES);
  private static final ClientAddressResolver FWD = ClientAddressResolver.trustingForwarded(PROXIES);
  private static final InetAddress PROXY = ip("10.0.0.1");
  private static final InetAddress STRANGER = ip("198.51.100.7");

  private static InetAddress ip(String text) {
    return ClientAddresses.parse(text);
  }

  private static Optional<String> xff(InetAddress peer, String... lines) {
    return XFF.resolve(peer, List.of(lines), List.of()).map(InetAddress::getHostAddress);
  }

  private static Optional<String> fwd(InetAddress peer, String... lines) {
    return FWD.resolve(peer, List.of(), List.of(lines)).map(InetAddress::getHostAddress);
  }

  // ---------------------------------------------------------------- X-Forwarded-For

  @Test
  void untrustedPeer_isTheClient_headersIgnored() {
    assertThat(xff(STRANGER, "10.0.0.5, 203.0.113.1")).contains("198.51.100.7");
    assertThat(xff(STRANGER, "garbage")).contains("198.51.100.7");
    assertThat(fwd(STRANGER, "for=203.0.113.1")).contains("198.51.100.7");
  }

  @Test
  void trustedPeer_withoutHeader_isTheClient() {
    assertThat(xff(PROXY)).contains("10.0.0.1");
    assertThat(xff(PROXY, "", "  ")).contains("10.0.0.1");
    assertThat(fwd(PROXY)).contains("10.0.0.1");
  }

  @Test
  void xff_rightmostUntrustedWins_spoofedLeftPartIgnored() {
    // The client wrote "1.2.3.4" itself; our proxy appended the address it saw.
    assertThat(xff(PROXY, "1.2.3.4, 203.0.113.9")).contains("203.0.113.9");
    assertThat(xff(PROXY, "1.2.3.4, 203.0.113.9, 10.0.0.2, 10.0.0.3")).contains("203.0.113.9");
  }

  @Test
  void xff_clientSpoofingATrustedAddress_doesNotHelp() {
    // The client claims to be a proxy; the proxy's append shows where it really came from.
    assertThat(xff(PROXY, "10.0.0.9, 203.0.113.9")).contains("203.0.113.9");
  }

  @Test
  void xff_severalHeaderLines_readAsOneListInOrder() {
    assertThat(xff(PROXY, "1.2.3.4", "203.0.113.9", "10.0.0.2")).contains("203.0.113.9");
    assertThat(xff(PROXY, "1.2.3.4, 203.0.113.9", "10.0.0.2, 10.0.0.3")).contains("203.0.113.9");
  }

  @Test
  void xff_allTrusted_leftmostIsTheClient() {
    assertThat(xff(PROXY, "10.1.1.1, 10.0.0.2")).contains("10.1.1.1");
    assertThat(xff(PROXY, "10.1.1.1", "10.0.0.2")).contains("10.1.1.1");
  }

  @Test
  void xff_garbageWhereTheClientShouldBe_rejects() {
    assertThat(xff(PROXY, "203.0.113.9, garbage")).isEmpty();
    assertThat(xff(PROXY, "203.0.113.9, 127.1")).isEmpty();
    assertThat(xff(PROXY, "203.0.113.9, 010.0.0.1")).isEmpty();
    assertThat(xff(PROXY, "203.0.113.9, unknown, 10.0.0.2")).isEmpty();
    assertThat(xff(PROXY, "203.0.113.9, , 10.0.0.2")).isEmpty();
    assertThat(xff(PROXY, "203.0.113.9,")).isEmpty();
    assertThat(xff(PROXY, "203.0.113.9, fe80::1%eth0")).isEmpty();
    assertThat(xff(PROXY, "203.0.113.9, 2001:db8::1:99999")).isEmpty();
  }

  @Test
  void xff_garbageLeftOfTheClient_isNeverReached() {
    assertThat(xff(PROXY, "garbage, \u0000, 203.0.113.9")).contains("203.0.113.9");
    assertThat(xff(PROXY, "x".repeat(10_000) + ", 203.0.113.9")).contains("203.0.113.9");
  }

  @Test
  void xff_portsAndBracketsAndOws() {
    assertThat(xff(PROXY, "203.0.113.9:51234")).contains("203.0.113.9");
    assertThat(xff(PROXY, " \t203.0.113.9\t ,  10.0.0.2 ")).contains("203.0.113.9");
    assertThat(xff(PROXY, "2001:db8::7")).contains("2001:db8:0:0:0:0:0:7");
    assertThat(xff(PROXY, "[2001:db8::7]")).contains("2001:db8:0:0:0:0:0:7");
    assertThat(xff(PROXY, "[2001:db8::7]:443")).contains("2001:db8:0:0:0:0:0:7");
    assertThat(xff(PROXY, "203.0.113.9:70000")).isEmpty();
    assertThat(xff(PROXY, "[203.0.113.9]")).isEmpty();
    assertThat(xff(PROXY, "[2001:db8::7")).isEmpty();
    assertThat(xff(PROXY, "[2001:db8::7]x")).isEmpty();
  }

  @Test
  void xff_mappedAddresses_normalisedAndTrustedAsIpv4() {
    assertThat(xff(PROXY, "::ffff:203.0.113.9")).contains("203.0.113.9");
    assertThat(xff(PROXY, "203.0.113.9, ::ffff:10.0.0.2")).contains("203.0.113.9");
    byte[] mappedProxy = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 10, 0, 0, 1};
    InetAddress peer = ipv6Exactly(mappedProxy);
    assertThat(xff(peer, "203.0.113.9")).contains("203.0.113.9");
    // An untrusted mapped peer comes back as IPv4.
    byte[] mappedStranger = {
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 198, 51, 100, 7
    };
    assertThat(xff(ipv6Exactly(mappedStranger), "1.2.3.4")).contains("198.51.100.7");
  }

  private static InetAddress ipv6Exactly(byte[] bytes) {
    try {
      return Inet6Address.getByAddress(null, bytes, 2);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void xff_ipv6ProxyChain() {
    InetAddress v6Proxy = ip("2001:db8:ffff::1");
    assertThat(xff(v6Proxy, "2001:db8:1::5, 2001:db8:ffff::2")).contains("2001:db8:1:0:0:0:0:5");
  }

  @Test
  void xff_tooManyTrustedHops_rejects() {
    String chain = "203.0.113.9" + ", 10.0.0.2".repeat(64);
    assertThat(xff(PROXY, chain)).isEmpty();
    String shorter = "203.0.113.9" + ", 10.0.0.2".repeat(63);
    assertThat(xff(PROXY, shorter)).contains("203.0.113.9");
  }

  // ---------------------------------------------------------------- Forwarded (RFC 7239)

  @Test
  void forwarded_rfcExamples() {
    assertThat(fwd(PROXY, "for=\"_gazonk\"")).isEmpty();
    assertThat(fwd(PROXY, "For=\"[2001:db8:cafe::17]:4711\"")).contains("2001:db8:cafe:0:0:0:0:17");
    assertThat(fwd(PROXY, "for=192.0.2.60;proto=http;by=203.0.113.43")).contains("192.0.2.60");
    assertThat(fwd(PROXY, "for=192.0.2.43, for=198.51.100.17")).contains("198.51.100.17");
  }

  @Test
  void forwarded_walksFromTheRightSkippingTrustedProxies() {
    assertThat(fwd(PROXY, "for=1.2.3.4, for=203.0.113.9;proto=https, for=10.0.0.2"))
        .contains("203.0.113.9");
    assertThat(fwd(PROXY, "for=1.2.3.4", "for=203.0.113.9", "for=10.0.0.2"))
        .contains("203.0.113.9");
    assertThat(fwd(PROXY, "for=10.9.9.9;by=10.0.0.2, for=10.0.0.2")).contains("10.9.9.9");
  }

  @Test
  void forwarded_quotedPortsAndIpv6() {
    assertThat(fwd(PROXY, "for=\"203.0.113.9:8080\"")).contains("203.0.113.9");
    assertThat(fwd(PROXY, "for=\"[2001:db8::7]\"")).contains("2001:db8:0:0:0:0:0:7");
    assertThat(fwd(PROXY, "for=\"[2001:db8::7]:_port\"")).contains("2001:db8:0:0:0:0:0:7");
    assertThat(fwd(PROXY, "for=\"[::ffff:203.0.113.9]\"")).contains("203.0.113.9");
    assertThat(fwd(PROXY, "for=\"\\2\\0\\3.0.113.9\"")).contains("203.0.113.9");
    assertThat(fwd(PROXY, "host=\"a,b\";for=203.0.113.9")).contains("203.0.113.9");
    assertThat(fwd(PROXY, "for=203.0.113.9 ; proto=https")).contains("203.0.113.9");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "for=unknown",
        "for=UNKNOWN",
        "for=_hidden",
        "for=\"_hidden:80\"",
        "for=2001:db8::7",
        "for=\"2001:db8::7\"",
        "for=[2001:db8::7]",
        "for=\"[2001:db8::7]:99999\"",
        "for=203.0.113.9:80",
        "for=\"203.0.113.9",
        "for=203.0.113.9\"",
        "for=\"203.0.113.9\"x",
        "for=\"203.0.113.9\";for=203.0.113.10",
        "proto=https",
        "",
        "for=",
        "for = 203.0.113.9",
        "for=127.1",
        "for=\"fe80::1%eth0\"",
        "for=\"[fe80::1%25eth0]\"",
        "for=203.0.113.9,",
        "for=203.0.113.9, ",
        "for=\"\u00e9\"",
        "for=\"\\\"",
      })
  void forwarded_clientPositionUnreadable_rejects(String header) {
    assertThat(fwd(PROXY, "for=198.51.100.1, " + header)).isEmpty();
  }

  @Test
  void forwarded_quotedCommaOrQuoteFromClient_cannotSwallowTheProxyPart() {
    // The client opened a quote; our proxy appended a well-formed element after it, which is
    // read from the right without ever entering the client's part.
    assertThat(fwd(PROXY, "for=\"x, for=203.0.113.9")).contains("203.0.113.9");
    assertThat(fwd(PROXY, "for=\"x, y\", for=203.0.113.9")).contains("203.0.113.9");
    assertThat(fwd(PROXY, "for=\"x\\\", y\", for=203.0.113.9")).contains("203.0.113.9");
    assertThat(fwd(PROXY, "for=\"10.0.0.2\", for=203.0.113.9")).contains("203.0.113.9");
  }

  @Test
  void forwarded_garbageLeftOfTheClient_isNeverReached() {
    assertThat(fwd(PROXY, "for=\"unterminated", "for=203.0.113.9")).contains("203.0.113.9");
    assertThat(fwd(PROXY, ";;;garbage===, for=203.0.113.9")).contains("203.0.113.9");
  }

  // ---------------------------------------------------------------- precedence and trust

  @Test
  void onlyTheConfiguredHeaderIsRead() {
    List<String> xffLine = List.of("203.0.113.9");
    List<String> fwdLine = List.of("for=192.0.2.1");
    assertThat(XFF.resolve(PROXY, xffLine, fwdLine).map(InetAddress::getHostAddress))
        .contains("203.0.113.9");
    assertThat(FWD.resolve(PROXY, xffLine, fwdLine).map(InetAddress::getHostAddress))
        .contains("192.0.2.1");
    // A spoofed header of the other kind changes nothing, even when the real one is absent.
    assertThat(XFF.resolve(PROXY, List.of(), fwdLine).map(InetAddress::getHostAddress))
        .contains("10.0.0.1");
    assertThat(FWD.resolve(PROXY, xffLine, List.of()).map(InetAddress::getHostAddress))
        .contains("10.0.0.1");
  }

  @Test
  void emptyTrustedList_trustsNoProxy() {
    ClientAddressResolver none = ClientAddressResolver.trustingXForwardedFor(IpAllowList.empty());
    assertThat(
            none.resolve(PROXY, List.of("203.0.113.9"), List.of()).map(InetAddress::getHostAddress))
        .contains("10.0.0.1");
    assertThat(none.toString()).contains("no proxy");
  }

  @Test
  void resultIsNormalised() throws Exception {
    Inet6Address scopedPeer = Inet6Address.getByAddress(null, ip("fe80::1").getAddress(), 5);
    InetAddress result = XFF.resolve(scopedPeer, List.of(), List.of()).orElseThrow();
    assertThat(((Inet6Address) result).getScopeId()).isZero();
  }

  @Test
  void toString_namesHeaderAndProxies() {
    assertThat(XFF.toString())
        .isEqualTo("ClientAddressResolver[reads X-Forwarded-For, trusts " + PROXIES + "]");
    assertThat(FWD.toString())
        .startsWith("ClientAddressResolver[reads Forwarded, trusts IpAllowList[");
  }

  @Test
  void nullArguments_rejected() {
    NullPointerTester tester = new NullPointerTester().setDefault(InetAddress.class, PROXY);
    tester.testAllPublicStaticMethods(ClientAddressResolver.class);
    tester.testAllPublicInstanceMethods(XFF);
  }
}
