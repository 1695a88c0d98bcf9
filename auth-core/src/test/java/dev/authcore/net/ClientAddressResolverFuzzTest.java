package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Fuzzes {@link ClientAddressResolver#resolve}: a result or empty, never an exception; an untrusted
 * peer is always the answer; behind a trusted peer the answer is the one an independent walk of the
 * header gives (where every element it reaches is in a plain form), a trusted hop appended on the
 * right changes nothing and an untrusted one appended on the right is the answer; an answer is
 * normalised.
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
    if (PROXIES.allows(normalPeer)) {
      checkTrustedPeer(resolver, headerKind == 'f', peer, lines, result);
    }
    if (result.isPresent()) {
      InetAddress client = result.get();
      assertThat(ClientAddresses.normalize(client)).isEqualTo(client);
      assertThat(client instanceof Inet4Address || ((Inet6Address) client).getScopeId() == 0)
          .isTrue();
    }
  }

  /** A trusted hop a proxy of ours would append, and an address none of them would. */
  private static final String TRUSTED_HOP = "10.9.9.9";

  private static final String UNTRUSTED_HOP = "203.0.113.50";

  /** Fewer elements than this, so that one more hop stays within the resolver's 64. */
  private static final int FEW_ELEMENTS = 60;

  /**
   * Behind a trusted proxy: the answer is what an independent walk of the header gives, where that
   * walk can read every element it reaches; one more trusted hop at the right end changes nothing
   * (for a non-blank header of few elements); one more untrusted hop at the right end is the
   * answer, whatever is further left.
   */
  private static void checkTrustedPeer(
      ClientAddressResolver resolver,
      boolean forwarded,
      InetAddress peer,
      List<String> lines,
      Optional<InetAddress> result) {
    Optional<Optional<InetAddress>> expected = Oracle.walk(forwarded, peer, lines);
    if (expected.isPresent()) {
      assertThat(result).as("trusted peer, header %s", lines).isEqualTo(expected.get());
    }
    long elements =
        lines.stream().mapToLong(l -> l.chars().filter(c -> c == ',').count() + 1).sum();
    if (lines.stream().anyMatch(l -> !Oracle.isBlank(l)) && elements < FEW_ELEMENTS) {
      assertThat(
              resolver.resolve(
                  peer,
                  append(lines, forwarded, TRUSTED_HOP),
                  append(lines, forwarded, TRUSTED_HOP)))
          .as("trusted peer, header %s and a trusted hop after it", lines)
          .isEqualTo(result);
    }
    assertThat(
            resolver.resolve(
                peer,
                append(lines, forwarded, UNTRUSTED_HOP),
                append(lines, forwarded, UNTRUSTED_HOP)))
        .as("trusted peer, header %s and an untrusted hop after it", lines)
        .contains(ClientAddresses.parse(UNTRUSTED_HOP));
  }

  private static List<String> append(List<String> lines, boolean forwarded, String address) {
    List<String> out = new ArrayList<>(lines);
    out.add(forwarded ? "for=" + address : address);
    return out;
  }

  /**
   * The documented walk, written independently of the resolver for the plain forms only: an
   * X-Forwarded-For element that is an address without port or brackets, a Forwarded element that
   * is exactly {@code for=<IPv4>}; an empty element is a rejection. Empty when the walk reaches an
   * element of another form (the oracle then has no opinion).
   */
  private static final class Oracle {
    private static final int MAX_HOPS = 64;
    private static final int MAX_ELEMENT_LENGTH = 256;

    static Optional<Optional<InetAddress>> walk(
        boolean forwarded, InetAddress peer, List<String> lines) {
      @Nullable InetAddress leftmost = null;
      int hops = 0;
      for (int li = lines.size() - 1; li >= 0; li--) {
        String line = lines.get(li);
        if (isBlank(line)) {
          continue;
        }
        if (forwarded && (line.indexOf('"') >= 0 || line.indexOf(';') >= 0)) {
          return Optional.empty(); // quoted strings and parameters: not a plain form
        }
        List<String> elements = Arrays.asList(line.split(",", -1));
        for (int ei = elements.size() - 1; ei >= 0; ei--) {
          if (++hops > MAX_HOPS) {
            return Optional.of(Optional.empty());
          }
          String raw = elements.get(ei);
          if (raw.length() > MAX_ELEMENT_LENGTH) {
            return Optional.of(Optional.empty());
          }
          String element = strip(raw);
          if (element.isEmpty()) {
            return Optional.of(Optional.empty());
          }
          Optional<InetAddress> hop;
          try {
            hop = forwarded ? forElement(element) : xffElement(element);
          } catch (NoOpinion e) {
            return Optional.empty();
          }
          if (hop.isEmpty()) {
            return Optional.of(Optional.empty());
          }
          if (!PROXIES.allows(hop.get())) {
            return Optional.of(hop);
          }
          leftmost = hop.get();
        }
      }
      return Optional.of(
          Optional.of(leftmost != null ? leftmost : ClientAddresses.normalize(peer)));
    }

    /** An element of a form the oracle does not read. */
    private static final class NoOpinion extends Exception {
      private static final long serialVersionUID = 1L;
    }

    /** The element's address, or empty for an element the resolver must refuse. */
    private static Optional<InetAddress> xffElement(String element) throws NoOpinion {
      if (element.indexOf('[') >= 0 || element.indexOf('%') >= 0) {
        throw new NoOpinion();
      }
      int colon = element.indexOf(':');
      if (colon >= 0 && element.indexOf(':', colon + 1) < 0) {
        throw new NoOpinion(); // IPv4 with a port
      }
      return parse(element);
    }

    private static Optional<InetAddress> forElement(String element) throws NoOpinion {
      if (element.length() < 4 || !element.substring(0, 4).equalsIgnoreCase("for=")) {
        throw new NoOpinion();
      }
      String value = element.substring(4);
      if (value.isEmpty() || !value.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
        throw new NoOpinion();
      }
      return parse(value);
    }

    private static Optional<InetAddress> parse(String text) {
      try {
        return Optional.of(ClientAddresses.normalize(ClientAddresses.parse(text)));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }

    static boolean isBlank(String s) {
      return strip(s).isEmpty();
    }

    private static String strip(String s) {
      int a = 0;
      int b = s.length();
      while (a < b && (s.charAt(a) == ' ' || s.charAt(a) == '\t')) {
        a++;
      }
      while (b > a && (s.charAt(b - 1) == ' ' || s.charAt(b - 1) == '\t')) {
        b--;
      }
      return s.substring(a, b);
    }
  }
}
