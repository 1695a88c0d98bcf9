package dev.authcore.examples.spring;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.authcore.TokenVerifier;
import dev.authcore.Verification;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.net.ClientAddressResolver;
import dev.authcore.net.ClientAddresses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Collections;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by its {@code x-api-user} and {@code x-api-token} headers with auth-core,
 * and puts an {@link ApiTokenAuthentication} into Spring Security's context when they verify.
 *
 * <p>The client address checked against the corp's IP allow list is the socket peer, or, when the
 * peer is one of the trusted proxies, the client that the proxies name in {@code X-Forwarded-For}
 * (resolved by {@link ClientAddressResolver}; headers from any other peer are ignored). Every
 * rejection gets the same answer: 401 with {@code {"error":"unauthorized"}}. The reason goes to
 * auth-core's audit stream, never to the caller. A forwarded entry that is not an address (the
 * proxy wrote garbage where the client should be), or a peer address that is not one, is also a
 * 401, refused before auth-core is asked (so not audited). A store that cannot be reached for an
 * uncached token is a 503 with {@code {"error":"unavailable"}}.
 *
 * <p>Not a bean: a {@code Filter} bean would also be registered with the servlet container and run
 * outside Spring Security. Thread-safe: one instance serves every request.
 */
public final class ApiTokenFilter extends OncePerRequestFilter {
  private static final byte[] UNAUTHORIZED = "{\"error\":\"unauthorized\"}".getBytes(UTF_8);
  private static final byte[] UNAVAILABLE = "{\"error\":\"unavailable\"}".getBytes(UTF_8);

  private final TokenVerifier verifier;
  private final ClientAddressResolver proxies;
  private final SecurityContextHolderStrategy contexts =
      SecurityContextHolder.getContextHolderStrategy();

  /**
   * A filter verifying with {@code verifier}.
   *
   * @param proxies the trusted proxies; one built from an empty list trusts none, so the peer is
   *     always the client and forwarding headers are never read
   */
  public ApiTokenFilter(TokenVerifier verifier, ClientAddressResolver proxies) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.proxies = Objects.requireNonNull(proxies, "proxies");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    @Nullable InetAddress client = clientOf(request);
    if (client == null) {
      send(response, HttpServletResponse.SC_UNAUTHORIZED, UNAUTHORIZED);
      return;
    }
    Verification result;
    try {
      result =
          verifier.verify(
              request.getHeader("x-api-user"), request.getHeader("x-api-token"), client);
    } catch (StoreUnavailableException e) {
      send(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, UNAVAILABLE);
      return;
    }
    if (!(result instanceof Verification.Authenticated caller)) {
      send(response, HttpServletResponse.SC_UNAUTHORIZED, UNAUTHORIZED);
      return;
    }
    SecurityContext context = contexts.createEmptyContext();
    context.setAuthentication(new ApiTokenAuthentication(caller, client));
    contexts.setContext(context);
    chain.doFilter(request, response);
  }

  /** The client, or null when the peer or a trusted proxy's header names no readable address. */
  private @Nullable InetAddress clientOf(HttpServletRequest request) {
    InetAddress peer;
    try {
      // Tomcat writes IPv6 without brackets and may add a zone id; parsePeer reads both.
      peer = ClientAddresses.parsePeer(request.getRemoteAddr());
    } catch (IllegalArgumentException e) {
      return null;
    }
    return proxies
        .resolve(
            peer,
            Collections.list(request.getHeaders("X-Forwarded-For")),
            Collections.list(request.getHeaders("Forwarded")))
        .orElse(null);
  }

  private static void send(HttpServletResponse response, int status, byte[] body)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
