package dev.authcore.examples.jetty;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.authcore.TokenVerifier;
import dev.authcore.Verification;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.net.ClientAddressResolver;
import dev.authcore.net.ClientAddresses;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Lets a request reach the servlets behind it only when its {@code x-api-user} and {@code
 * x-api-token} headers verify with auth-core; the caller is then the request attribute {@link
 * #CALLER}.
 *
 * <p>The client address checked against the corp's IP allow list is the socket peer, or, when the
 * peer is one of the trusted proxies given to the constructor, the client that the proxies name in
 * their forwarding header (resolved by {@link ClientAddressResolver}; headers from any other peer
 * are ignored). Every rejection is answered alike: 401 with {@code {"error":"unauthorized"}}; the
 * reason goes to auth-core's audit stream, not to the caller. An unreadable forwarded address (the
 * proxy wrote garbage where the client should be) is also a 401. A store that cannot be reached for
 * an uncached token is a 503 with {@code {"error":"unavailable"}}.
 *
 * <p>Thread-safe: one instance serves every request.
 */
public final class ApiTokenFilter implements Filter {

  /** The request attribute holding the {@link Verification.Authenticated} caller. */
  public static final String CALLER = "dev.authcore.caller";

  private static final byte[] UNAUTHORIZED = "{\"error\":\"unauthorized\"}".getBytes(UTF_8);
  private static final byte[] UNAVAILABLE = "{\"error\":\"unavailable\"}".getBytes(UTF_8);

  private final TokenVerifier verifier;
  private final @Nullable ClientAddressResolver proxies;

  /**
   * A filter verifying with {@code verifier}.
   *
   * @param proxies the trusted proxies and the header they write, or {@code null} when the peer is
   *     always the client (no proxy in front, forwarding headers never read)
   */
  public ApiTokenFilter(TokenVerifier verifier, @Nullable ClientAddressResolver proxies) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.proxies = proxies;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    Optional<Verification> result;
    try {
      result = verify(request);
    } catch (StoreUnavailableException e) {
      send(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, UNAVAILABLE);
      return;
    }
    if (result.isPresent() && result.get() instanceof Verification.Authenticated caller) {
      request.setAttribute(CALLER, caller);
      chain.doFilter(request, response);
    } else {
      send(response, HttpServletResponse.SC_UNAUTHORIZED, UNAUTHORIZED);
    }
  }

  /** The verification, or empty when a trusted proxy's header does not name a readable client. */
  private Optional<Verification> verify(HttpServletRequest request) {
    @Nullable String user = request.getHeader("x-api-user");
    @Nullable String token = request.getHeader("x-api-token");
    // Jetty writes an IPv6 peer in brackets ("[0:0:0:0:0:0:0:1]"); auth-core reads that form.
    String peer = request.getRemoteAddr();
    if (proxies == null) {
      return Optional.of(verifier.verifyWithAddressText(user, token, peer));
    }
    InetAddress peerAddress;
    try {
      peerAddress = ClientAddresses.parsePeer(peer);
    } catch (IllegalArgumentException e) {
      return Optional.of(verifier.verifyWithAddressText(user, token, peer)); // rejected, audited
    }
    return proxies
        .resolve(
            peerAddress,
            Collections.list(request.getHeaders("X-Forwarded-For")),
            Collections.list(request.getHeaders("Forwarded")))
        .map(client -> verifier.verify(user, token, client));
  }

  private static void send(HttpServletResponse response, int status, byte[] body)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
