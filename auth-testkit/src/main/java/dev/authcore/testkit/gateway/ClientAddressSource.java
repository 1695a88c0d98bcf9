package dev.authcore.testkit.gateway;

import com.sun.net.httpserver.HttpExchange;
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
 * ignored. With it, auth-core's {@code ClientAddressResolver} walks {@code X-Forwarded-For} from
 * the right past the trusted proxies and takes the first untrusted address; headers from an
 * untrusted peer are ignored, and an unparsable entry where the client should be means rejection.
 *
 * <p>Immutable and thread-safe.
 */
final class ClientAddressSource {
  private final List<String> trustedProxies;
  private final IpAllowList trusted;
  private final ClientAddressResolver resolver;

  private ClientAddressSource(List<String> trustedProxies, IpAllowList trusted) {
    this.trustedProxies = List.copyOf(trustedProxies);
    this.trusted = trusted;
    this.resolver = ClientAddressResolver.trustingXForwardedFor(trusted);
  }

  /**
   * A source trusting the given proxy ranges (addresses, CIDR blocks or ranges, read as strictly as
   * an allow list).
   *
   * @throws UsageException naming every malformed range
   */
  static ClientAddressSource create(List<String> trustedProxies) {
    for (String range : trustedProxies) {
      if (range.indexOf('\n') >= 0 || range.indexOf('\r') >= 0) {
        throw new UsageException(
            "--trusted-proxy '" + GatewayOptions.printable(range) + "': one range per flag");
      }
    }
    try {
      return new ClientAddressSource(
          trustedProxies, IpAllowList.parse(String.join("\n", trustedProxies)));
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

  /** The client address of {@code exchange}, or empty if the request must be rejected. */
  Optional<InetAddress> clientOf(HttpExchange exchange) {
    InetAddress peer = exchange.getRemoteAddress().getAddress();
    List<String> forwardedFor = exchange.getRequestHeaders().get("X-Forwarded-For");
    return resolver.resolve(peer, forwardedFor == null ? List.of() : forwardedFor, List.of());
  }
}
