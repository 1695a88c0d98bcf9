package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Fuzzes {@link ClientAddressResolver#resolve}: a result or empty, never an exception; an untrusted
 * peer is always the answer; an answer is normalised.
 *
 * <p>Input format (so that seeds are readable text): the first character picks the peer ({@code t}
 * trusted IPv4, {@code T} trusted IPv6, {@code m} trusted IPv4 seen as mapped IPv6, anything else
 * untrusted), the second picks the header read ({@code f} Forwarded, else X-Forwarded-For), the
 * rest is header lines separated by LF, passed as both headers.
 *
 * <p>To fuzz: {@code JAZZER_FUZZ=1 mvn -pl auth-core test -Dtest=ClientAddressResolverFuzzTest}.
 */
class ClientAddressResolverFuzzTest {

  private static final IpAllowList PROXIES =
      IpAllowList.parse("10.0.0.0/8\n192.168.0.0/16\n2001:db8:ffff::/48\n");
  private static final ClientAddressResolver XFF =
      ClientAddressResolver.trustingXForwardedFor(PROXIES);
  private static final ClientAddressResolver FORWARDED =
      ClientAddressResolver.trustingForwarded(PROXIES);

  @FuzzTest(maxDuration = "3m")
  void resolve(byte[] input) throws Exception {
    String text = new String(input, StandardCharsets.UTF_8);
    char peerKind = text.isEmpty() ? 'u' : text.charAt(0);
    char headerKind = text.length() < 2 ? 'x' : text.charAt(1);
    List<String> lines =
        text.length() <= 2 ? List.of() : Arrays.asList(text.substring(2).split("\n", -1));
    InetAddress peer =
        switch (peerKind) {
          case 't' -> ClientAddresses.parse("10.0.0.1");
          case 'T' -> ClientAddresses.parse("2001:db8:ffff::1");
          case 'm' ->
              Inet6Address.getByAddress(
                  null,
                  new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 10, 0, 0, 1},
                  -1);
          default -> ClientAddresses.parse("198.51.100.7");
        };
    ClientAddressResolver resolver = headerKind == 'f' ? FORWARDED : XFF;
    Optional<InetAddress> result = resolver.resolve(peer, lines, lines);
    InetAddress normalPeer = ClientAddresses.normalize(peer);
    if (!PROXIES.allows(normalPeer)) {
      assertThat(result).contains(normalPeer);
    }
    if (result.isPresent()) {
      InetAddress client = result.get();
      assertThat(ClientAddresses.normalize(client)).isEqualTo(client);
      assertThat(client instanceof Inet4Address || ((Inet6Address) client).getScopeId() == 0)
          .isTrue();
    }
  }
}
