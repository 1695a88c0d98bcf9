package dev.authcore.testkit.gateway;

import com.sun.net.httpserver.HttpExchange;
import dev.authcore.policy.ClientAddresses;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Where the gateway learns a request's client address: the one place that decides it, so the allow
 * list and the audit log see the same address.
 *
 * <p><b>Today:</b> the socket peer, always. The {@code --trusted-proxy} ranges are checked at start
 * (address and prefix length) and kept, but {@code X-Forwarded-For} is not read yet: auth-core's
 * {@code ClientAddressResolver} (from the allow-list work) is the resolver to use, and it is not on
 * this branch. <b>To plug it in</b>, build {@code
 * ClientAddressResolver.trustingXForwardedFor(IpAllowList.parse(String.join("\n", ranges)))} in
 * {@link #create} and, in {@link #clientOf}, return {@code resolver.resolve(peer,
 * headers.get("X-Forwarded-For"), headers.get("Forwarded"))}; its empty result already means
 * "reject" here. Until then the address seen is the proxy's, which is the safe direction: an allow
 * list can only refuse more, never admit a forged address.
 *
 * <p>Immutable and thread-safe.
 */
final class ClientAddressSource {
  private final List<String> trustedProxies;

  private ClientAddressSource(List<String> trustedProxies) {
    this.trustedProxies = List.copyOf(trustedProxies);
  }

  /**
   * A source trusting the given proxy ranges (addresses or CIDR blocks).
   *
   * @throws UsageException naming the first malformed range
   */
  static ClientAddressSource create(List<String> trustedProxies) {
    for (String range : trustedProxies) {
      check(range);
    }
    return new ClientAddressSource(trustedProxies);
  }

  /** The proxy ranges given with {@code --trusted-proxy}. */
  List<String> trustedProxies() {
    return trustedProxies;
  }

  /** The client address of {@code exchange}, or empty if the request must be rejected. */
  Optional<InetAddress> clientOf(HttpExchange exchange) {
    return Optional.of(exchange.getRemoteAddress().getAddress());
  }

  private static void check(String range) {
    int slash = range.indexOf('/');
    String address = slash < 0 ? range : range.substring(0, slash);
    InetAddress parsed;
    try {
      parsed = ClientAddresses.parse(address);
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "--trusted-proxy '"
              + GatewayOptions.printable(range)
              + "': not an IP address or CIDR block",
          e);
    }
    if (slash >= 0) {
      int bits = parsed.getAddress().length * 8;
      int prefix;
      try {
        prefix = Integer.parseInt(range.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new UsageException(
            "--trusted-proxy '"
                + GatewayOptions.printable(range)
                + "': the prefix length is not a number",
            e);
      }
      if (prefix < 1 || prefix > bits) {
        throw new UsageException(
            "--trusted-proxy '"
                + GatewayOptions.printable(range)
                + "': the prefix length must be 1 to "
                + bits
                + " (trusting every address would let any client choose its own)");
      }
    }
  }
}
