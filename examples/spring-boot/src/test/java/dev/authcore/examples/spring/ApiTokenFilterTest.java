package dev.authcore.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.authcore.IssuedToken;
import dev.authcore.RejectionReason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The filter in Spring Security: who gets in, what everyone else gets, and which client address is
 * checked behind the trusted proxy (127.0.0.1).
 */
class ApiTokenFilterTest extends RunningExample {
  private static final String CLIENT_BEHIND_PROXY = "203.0.113.7";
  private static final byte[] IPV6_LOOPBACK = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

  @Test
  void validToken_controllerGetsTheCallerAsPrincipal() throws Exception {
    IssuedToken token = core.issuer().issue(USER, "ci");

    HttpResponse<String> response = get("/api/whoami", as(USER, token.revealPlaintext()));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode caller = Http.json(response);
    assertThat(caller.get("corp").asString()).isEqualTo("acme");
    assertThat(caller.get("email").asString()).isEqualTo(USER);
    assertThat(caller.get("tokenName").asString()).isEqualTo("ci");
    assertThat(caller.get("tokenId").asString()).isEqualTo(token.id().toString());
  }

  @Test
  void noCredentials_unauthorized() throws Exception {
    assertUnauthorized(get("/api/whoami"));
    assertThat(events.lastRejection().reason()).isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void tokenWithoutUser_unauthorized() throws Exception {
    assertUnauthorized(get("/api/whoami", "x-api-token", issue(USER, "ci")));
    assertThat(events.lastRejection().reason()).isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void alteredToken_unauthorized() throws Exception {
    String token = issue(USER, "ci");
    String altered = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");

    assertUnauthorized(get("/api/whoami", as(USER, altered)));
    // its checksum no longer matches: refused before any lookup
    assertThat(events.lastRejection().reason()).isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void malformedToken_unauthorized() throws Exception {
    assertUnauthorized(get("/api/whoami", as(USER, "acme_not-a-token")));
    assertThat(events.lastRejection().reason()).isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void anotherUsersEmail_unauthorized() throws Exception {
    assertUnauthorized(get("/api/whoami", as(OTHER_USER, issue(USER, "ci"))));
    assertThat(events.lastRejection().reason()).isEqualTo(RejectionReason.INVALID);
  }

  @Test
  void unknownApiPathWithoutCredentials_unauthorizedNotNotFound() throws Exception {
    assertUnauthorized(get("/api/no-such-thing"));
  }

  @Test
  void rejections_neverQuoteTheToken() throws Exception {
    String token = issue(USER, "ci");

    HttpResponse<String> response = get("/api/whoami", as(OTHER_USER, token));

    assertThat(events.lastRejection().reason()).isEqualTo(RejectionReason.INVALID);
    assertThat(events.all().toString()).doesNotContain(token);
    assertThat(response.body()).doesNotContain(token);
  }

  @Test
  void fromTrustedProxy_judgedByTheForwardedClient() throws Exception {
    String token = issue(USER, "ci");
    allowOnly(CLIENT_BEHIND_PROXY);

    HttpResponse<String> allowed =
        get("/api/whoami", as(USER, token, "X-Forwarded-For", CLIENT_BEHIND_PROXY));
    HttpResponse<String> other =
        get("/api/whoami", as(USER, token, "X-Forwarded-For", "198.51.100.1"));

    assertThat(allowed.statusCode()).isEqualTo(200);
    assertUnauthorized(other);
    assertThat(events.lastRejection().reason()).isEqualTo(RejectionReason.IP_NOT_ALLOWED);
    assertThat(events.lastRejection().clientIp()).isEqualTo("198.51.100.1");
  }

  @Test
  void fromTrustedProxy_proxysOwnEntriesSkipped() throws Exception {
    String token = issue(USER, "ci");
    allowOnly(CLIENT_BEHIND_PROXY);

    HttpResponse<String> response =
        get("/api/whoami", as(USER, token, "X-Forwarded-For", CLIENT_BEHIND_PROXY + ", 127.0.0.1"));

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void fromTrustedProxy_withoutHeader_judgedByThePeer() throws Exception {
    String token = issue(USER, "ci");
    allowOnly(CLIENT_BEHIND_PROXY);

    assertUnauthorized(get("/api/whoami", as(USER, token)));
    assertThat(events.lastRejection().clientIp()).isEqualTo("127.0.0.1");
  }

  @Test
  void fromTrustedProxy_unreadableForwardedAddress_unauthorized() throws Exception {
    String token = issue(USER, "ci");

    assertUnauthorized(get("/api/whoami", as(USER, token, "X-Forwarded-For", "not-an-address")));
  }

  @Test
  void fromUntrustedIpv6Peer_forwardedHeaderIgnored() throws Exception {
    assumeIpv6Loopback();
    String token = issue(USER, "ci");
    allowOnly(CLIENT_BEHIND_PROXY);

    HttpResponse<String> response =
        Http.send(
            "GET",
            "http://[::1]:" + port + "/api/whoami",
            null,
            as(USER, token, "X-Forwarded-For", CLIENT_BEHIND_PROXY));

    assertUnauthorized(response);
    assertThat(events.lastRejection().reason()).isEqualTo(RejectionReason.IP_NOT_ALLOWED);
    assertThat(events.lastRejection().clientIp()).isEqualTo("::1");
  }

  /** Skips (does not pass) a test on a machine whose loopback has no IPv6. */
  private static void assumeIpv6Loopback() {
    boolean available;
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByAddress(IPV6_LOOPBACK), 0));
      available = true;
    } catch (IOException e) {
      available = false;
    }
    assumeTrue(available, "this machine has no IPv6 loopback (::1)");
  }
}
