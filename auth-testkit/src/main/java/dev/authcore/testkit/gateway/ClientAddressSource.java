package dev.authcore.testkit.gateway;

import dev.authcore.net.AllowListException;
import dev.authcore.net.AllowListProblem;
import dev.authcore.net.ClientAddressResolver;
import dev.authcore.net.IpAllowList;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the gateway learns a request's client address: the one place that decides it, so the allow
 * list and the audit log see the same address.
 *
 * <p>Without {@code --trusted-proxy} the client is the socket peer and forwarding headers are
 * ignored. With it, auth-core's {@code ClientAddressResolver} walks the header the proxies write
 * ({@code X-Forwarded-For} by default, or RFC 7239's {@code Forwarded} with {@code --proxy-header
 * Forwarded}) from the right past the trusted proxies and takes the first untrusted address. Only
 * that one header is read; the other is ignored whatever it says, since the proxies pass it on from
 * the client untouched. Headers from an untrusted peer are ignored. Where the client should be, an
 * entry that is not an address means rejection (401, like a bad token): garbage, an empty element,
 * a malformed {@code Forwarded} element (a missing or repeated {@code for=}, an unbalanced quote),
 * and also {@code Forwarded}'s {@code for=unknown} and obfuscated identifiers ({@code
 * for=_hidden}), because an allow list cannot be checked against an address the proxy chose not to
 * give. In {@code Forwarded}, IPv6 is quoted in brackets, with or without a port: {@code
 * for="[2001:db8::1]:4711"}.
 *
 * <p>Immutable and thread-safe.
 */
final class ClientAddressSource {
  private final List<String> trustedProxies;
  private final IpAllowList trusted;
  private final ClientAddressResolver resolver;

  /** The forwarding header trusted proxies write. */
  enum ProxyHeader {
    X_FORWARDED_FOR("X-Forwarded-For"),
    FORWARDED("Forwarded");

    private final String headerName;

    ProxyHeader(String headerName) {
      this.headerName = headerName;
    }

    /** The header's name as sent. */
    String headerName() {
      return headerName;
    }
  }

  private final ProxyHeader header;

  private ClientAddressSource(
      List<String> trustedProxies, IpAllowList trusted, ProxyHeader header) {
    this.trustedProxies = List.copyOf(trustedProxies);
    this.trusted = trusted;
    this.header = header;
    this.resolver =
        header == ProxyHeader.FORWARDED
            ? ClientAddressResolver.trustingForwarded(trusted)
            : ClientAddressResolver.trustingXForwardedFor(trusted);
  }

  /**
   * A source trusting the given proxy ranges (addresses, CIDR blocks or ranges, read as strictly as
   * an allow list) to write {@code X-Forwarded-For}.
   *
   * @throws UsageException naming every malformed range
   */
  static ClientAddressSource create(List<String> trustedProxies) {
    return create(trustedProxies, ProxyHeader.X_FORWARDED_FOR);
  }

  /**
   * A source trusting the given proxy ranges to write {@code header}.
   *
   * @throws UsageException naming every malformed range
   */
  static ClientAddressSource create(List<String> trustedProxies, ProxyHeader header) {
    for (String range : trustedProxies) {
      if (range.indexOf('\n') >= 0 || range.indexOf('\r') >= 0) {
        throw new UsageException(
            "--trusted-proxy '" + GatewayOptions.printable(range) + "': one range per flag");
      }
    }
    try {
      return new ClientAddressSource(
          trustedProxies, IpAllowList.parse(String.join("\n", trustedProxies)), header);
    } catch (AllowListException e) {
      List<String> problems = new ArrayList<>();
      for (AllowListProblem p : e.problems()) {
        String range = p.line() >= 1 ? trustedProxies.get(p.line() - 1) : "";
        // The reason may quote the range too (a prefix length it could not read).
        problems.add(
            "--trusted-proxy '"
                + GatewayOptions.printable(range)
                + "': "
                + GatewayOptions.masked(p.reason()));
      }
      throw new UsageException(String.join("\n", problems), e);
    }
  }

  /** The proxy ranges given with {@code --trusted-proxy}. */
  List<String> trustedProxies() {
    return trustedProxies;
  }

  /** The trusted proxy ranges, parsed; empty when none were given (then no proxy is trusted). */
  IpAllowList trusted() {
    return trusted;
  }

  /** The header the trusted proxies write. */
  ProxyHeader header() {
    return header;
  }

  /** The client address of {@code request}, or empty if the request must be rejected. */
  Optional<InetAddress> clientOf(ApiRequest request) {
    return resolver.resolve(
        request.peer(), request.headers("X-Forwarded-For"), request.headers("Forwarded"));
  }
}
