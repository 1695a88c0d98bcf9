package dev.authcore.examples.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.authcore.AuditEvent;
import dev.authcore.AuthCore;
import dev.authcore.RejectionReason;
import dev.authcore.console.TokenConsole;
import dev.authcore.model.Role;
import dev.authcore.net.ClientAddressResolver;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.TokenSettings;
import dev.authcore.store.InMemoryUserDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Starts the example on free ports, listening on every local address, and calls it over real
 * connections from 127.0.0.1 and ::1. Two servers share one deployment: {@code direct} trusts no
 * proxy; {@code proxied} trusts 127.0.0.1 as a proxy writing {@code X-Forwarded-For}.
 */
@Timeout(60)
class ApiTokenFilterTest {
  private static final String OWNER = "olga@example.com";
  private static final String USER = "ann@example.com";
  private static final String CLIENT_BEHIND_PROXY = "203.0.113.7";
  private static final byte[] IPV6_LOOPBACK = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

  private static final ConcurrentLinkedQueue<AuditEvent> events = new ConcurrentLinkedQueue<>();
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static AuthCore core;
  private static TokenConsole console;
  private static String token;
  private static Server direct;
  private static Server proxied;

  @BeforeAll
  static void start() throws Exception {
    InMemoryUserDirectory users =
        new InMemoryUserDirectory().add("acme", OWNER, Role.OWNER).add("acme", USER, Role.USER);
    core = AuthCore.builder().tokenPrefix("acme").users(users).auditListener(events::add).build();
    console = TokenConsole.of(core);
    token = core.issuer().issue(USER, "ci").revealPlaintext();
    direct = JettyServletExample.start(core, null, 0, null);
    proxied =
        JettyServletExample.start(
            core,
            null,
            0,
            ClientAddressResolver.trustingXForwardedFor(IpAllowList.parse("127.0.0.1")));
  }

  @AfterAll
  static void stop() throws Exception {
    proxied.stop();
    direct.stop();
    core.close();
  }

  @BeforeEach
  void defaults() {
    console.updateSettings(OWNER, TokenSettings.defaults());
    events.clear();
  }

  @Test
  void ipv4Client_validToken_reachesServlet() throws Exception {
    HttpResponse<String> response = call(direct, "127.0.0.1", USER, token, null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(USER + " of acme with token ci\n");
  }

  @Test
  void ipv6Client_validToken_reachesServlet() throws Exception {
    assumeIpv6Loopback();

    HttpResponse<String> response = call(direct, "[::1]", USER, token, null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(USER + " of acme with token ci\n");
  }

  @Test
  void ipv6Client_checkedAgainstAllowListAsIpv6() throws Exception {
    assumeIpv6Loopback();
    allowOnly("::1");

    assertThat(call(direct, "[::1]", USER, token, null).statusCode()).isEqualTo(200);
    assertThat(call(direct, "127.0.0.1", USER, token, null).statusCode()).isEqualTo(401);
    assertThat(lastRejection().clientIp()).isEqualTo("127.0.0.1");
  }

  @Test
  void viaTrustedProxy_judgedByForwardedAddress() throws Exception {
    allowOnly(CLIENT_BEHIND_PROXY);

    HttpResponse<String> allowed = call(proxied, "127.0.0.1", USER, token, CLIENT_BEHIND_PROXY);
    HttpResponse<String> other = call(proxied, "127.0.0.1", USER, token, "198.51.100.1");

    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(other.statusCode()).isEqualTo(401);
    assertThat(lastRejection().reason()).isEqualTo(RejectionReason.IP_NOT_ALLOWED);
    assertThat(lastRejection().clientIp()).isEqualTo("198.51.100.1");
  }

  @Test
  void viaTrustedProxy_proxysOwnEntriesSkipped() throws Exception {
    allowOnly(CLIENT_BEHIND_PROXY);

    HttpResponse<String> response =
        call(proxied, "127.0.0.1", USER, token, CLIENT_BEHIND_PROXY + ", 127.0.0.1");

    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void viaTrustedProxy_withoutHeader_judgedByPeer() throws Exception {
    allowOnly(CLIENT_BEHIND_PROXY);

    HttpResponse<String> response = call(proxied, "127.0.0.1", USER, token, null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(lastRejection().clientIp()).isEqualTo("127.0.0.1");
  }

  @Test
  void viaTrustedProxy_unreadableForwardedAddress_unauthorized() throws Exception {
    HttpResponse<String> response = call(proxied, "127.0.0.1", USER, token, "not-an-address");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEqualTo("{\"error\":\"unauthorized\"}");
  }

  @Test
  void untrustedIpv6Peer_forwardedHeaderIgnored() throws Exception {
    assumeIpv6Loopback();
    allowOnly(CLIENT_BEHIND_PROXY);

    HttpResponse<String> response = call(proxied, "[::1]", USER, token, CLIENT_BEHIND_PROXY);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(lastRejection().reason()).isEqualTo(RejectionReason.IP_NOT_ALLOWED);
    assertThat(lastRejection().clientIp()).isEqualTo("::1");
  }

  @Test
  void noProxyConfigured_forwardedHeaderIgnored() throws Exception {
    allowOnly(CLIENT_BEHIND_PROXY);

    HttpResponse<String> response = call(direct, "127.0.0.1", USER, token, CLIENT_BEHIND_PROXY);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(lastRejection().clientIp()).isEqualTo("127.0.0.1");
  }

  @Test
  void wrongSecret_unauthorizedWithJson() throws Exception {
    String wrong = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");

    HttpResponse<String> response = call(direct, "127.0.0.1", USER, wrong, null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body()).isEqualTo("{\"error\":\"unauthorized\"}");
    assertThat(events).hasSize(1);
  }

  @Test
  void otherUsersEmail_unauthorized() throws Exception {
    HttpResponse<String> response = call(direct, "127.0.0.1", OWNER, token, null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(lastRejection().reason()).isEqualTo(RejectionReason.INVALID);
  }

  @Test
  void absentCredentials_unauthorized() throws Exception {
    HttpResponse<String> noToken = call(direct, "127.0.0.1", USER, null, null);
    HttpResponse<String> nothing = call(direct, "127.0.0.1", null, null, null);

    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(nothing.statusCode()).isEqualTo(401);
    assertThat(nothing.body()).isEqualTo("{\"error\":\"unauthorized\"}");
    assertThat(lastRejection().reason()).isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void rejectionsNeverQuoteTheToken() throws Exception {
    String wrong = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
    call(direct, "127.0.0.1", USER, wrong, null);

    assertThat(events).isNotEmpty();
    assertThat(events.toString()).doesNotContain(wrong).doesNotContain(token);
  }

  private static void allowOnly(String range) {
    console.updateSettings(
        OWNER, TokenSettings.defaults().withAllowedIps(IpAllowList.parse(range)));
  }

  private static AuditEvent.TokenRejected lastRejection() {
    List<AuditEvent> all = new ArrayList<>(events);
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i) instanceof AuditEvent.TokenRejected rejected) {
        return rejected;
      }
    }
    throw new AssertionError("no rejection was audited: " + all);
  }

  private static HttpResponse<String> call(
      Server server,
      String host,
      @Nullable String user,
      @Nullable String secret,
      @Nullable String forwardedFor)
      throws IOException, InterruptedException {
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/api/whoami"))
            .timeout(Duration.ofSeconds(30));
    if (user != null) {
      request.header("x-api-user", user);
    }
    if (secret != null) {
      request.header("x-api-token", secret);
    }
    if (forwardedFor != null) {
      request.header("X-Forwarded-For", forwardedFor);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Skips (does not pass) the IPv6 tests on a machine whose loopback has no IPv6. */
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
