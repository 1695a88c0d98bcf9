package dev.authcore.testkit.gateway;

import static dev.authcore.testkit.gateway.GatewayFixture.ANN;
import static dev.authcore.testkit.gateway.GatewayFixture.OLGA;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.testkit.gateway.GatewayFixture.Reply;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * End to end over HTTP: which address the allow list sees, with and without {@code
 * --trusted-proxy}. The test client connects from 127.0.0.1, so it plays the proxy; the corp allows
 * only 192.0.2.0/24, which the client can reach only by being believed in {@code X-Forwarded-For}.
 */
class GatewayTrustedProxyTest {
  private static final String ALLOWED =
      "{\"expiryDays\":null,\"restricted\":false,\"allowedIps\":\"192.0.2.0/24\","
          + "\"confirmLockout\":true}"; // it refuses the owner's own 127.0.0.1, on purpose

  @TempDir Path dir;
  private @Nullable GatewayFixture running;

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  private GatewayFixture startAllowingOnly192(String... args) throws IOException {
    GatewayFixture gw = GatewayFixture.start(dir, args);
    running = gw;
    Reply put = gw.as(OLGA, "PUT", "/api/v0/corps/acme/tokenSettings", ALLOWED);
    assertThat(put.status()).as(put.text()).isEqualTo(200);
    return gw;
  }

  private static Reply annForwardedFor(GatewayFixture gw, @Nullable String forwardedFor) {
    return gw.call(
        "GET",
        "/api/v0/me/tokens",
        ANN,
        gw.token(ANN),
        null,
        forwardedFor == null ? Map.of() : Map.of("X-Forwarded-For", forwardedFor));
  }

  private static List<String> rejectedAddresses(GatewayFixture gw) throws IOException {
    return gw.audit().stream()
        .filter(e -> e.path("reason").asString("").equals("IP_NOT_ALLOWED"))
        .map(e -> e.path("clientIp").asString(""))
        .toList();
  }

  @Test
  void trustedPeer_clientTakenFromXForwardedFor() throws IOException {
    GatewayFixture gw = startAllowingOnly192("--trusted-proxy", "127.0.0.1/32");
    assertThat(gw.stderr).contains("trusted proxies [127.0.0.1/32]");

    assertThat(annForwardedFor(gw, "192.0.2.7").status()).isEqualTo(200);
    // A client may send its own X-Forwarded-For; the proxy appends the address it saw. Only the
    // rightmost untrusted entry is believed, so the forged entry on the left changes nothing.
    assertThat(annForwardedFor(gw, "192.0.2.8, 198.51.100.9").status()).isEqualTo(401);
    assertThat(annForwardedFor(gw, "198.51.100.9, 192.0.2.9").status()).isEqualTo(200);
    // No header: the client is the peer itself, outside the list.
    assertThat(annForwardedFor(gw, null).status()).isEqualTo(401);
    // Where the client should be, an entry that is not an address: rejected, never allowed.
    assertThat(annForwardedFor(gw, "192.0.2.10, not-an-address").status()).isEqualTo(401);

    // The owner's token is under the same allow list: she too calls through the proxy.
    JsonNode rows =
        gw.call(
                "GET",
                "/api/v0/corps/acme/tokens?creator=" + ANN,
                OLGA,
                gw.token(OLGA),
                null,
                Map.of("X-Forwarded-For", "192.0.2.1"))
            .json();
    assertThat(rows.get("data").get(0).get("ips").toString())
        .as("the listing shows the forwarded clients, not the proxy")
        .contains("192.0.2.9", "192.0.2.7")
        .doesNotContain("127.0.0.1");
    assertThat(rejectedAddresses(gw)).contains("198.51.100.9", "127.0.0.1");
  }

  @Test
  void noTrustedProxy_xForwardedForIgnored() throws IOException {
    GatewayFixture gw = startAllowingOnly192();
    Reply forged = annForwardedFor(gw, "192.0.2.7");
    assertThat(forged.status())
        .as("a header from an untrusted peer is not believed")
        .isEqualTo(401);
    assertThat(rejectedAddresses(gw)).containsExactly("127.0.0.1");
  }

  @Test
  void proxyNotInTrustedRange_xForwardedForIgnored() throws IOException {
    GatewayFixture gw = startAllowingOnly192("--trusted-proxy", "10.0.0.0/8");
    assertThat(annForwardedFor(gw, "192.0.2.7").status()).isEqualTo(401);
    assertThat(rejectedAddresses(gw)).containsExactly("127.0.0.1");
  }

  private static Reply annForwarded(GatewayFixture gw, String forwarded) {
    return gw.call(
        "GET", "/api/v0/me/tokens", ANN, gw.token(ANN), null, Map.of("Forwarded", forwarded));
  }

  @Test
  void proxyHeaderForwarded_clientTakenFromItsRightmostUntrustedFor() throws IOException {
    GatewayFixture gw =
        startAllowingOnly192("--trusted-proxy", "127.0.0.1/32", "--proxy-header", "Forwarded");
    assertThat(gw.stderr).contains("the client is read from Forwarded behind them");

    assertThat(annForwarded(gw, "for=192.0.2.7").status()).isEqualTo(200);
    assertThat(annForwarded(gw, "for=\"192.0.2.7:4711\";proto=https;by=10.0.0.1").status())
        .isEqualTo(200);
    // A forged element on the left changes nothing; the rightmost untrusted one counts.
    assertThat(annForwarded(gw, "for=192.0.2.8, for=198.51.100.9").status()).isEqualTo(401);
    assertThat(annForwarded(gw, "for=198.51.100.9, for=192.0.2.9").status()).isEqualTo(200);
    // X-Forwarded-For is not what these proxies write: ignored, whatever it says.
    assertThat(
            gw.call(
                    "GET",
                    "/api/v0/me/tokens",
                    ANN,
                    gw.token(ANN),
                    null,
                    Map.of("X-Forwarded-For", "192.0.2.7", "Forwarded", "for=198.51.100.9"))
                .status())
        .isEqualTo(401);
    // Where the client should be: unknown, an obfuscated identifier, a malformed element.
    assertThat(annForwarded(gw, "for=unknown").status()).isEqualTo(401);
    assertThat(annForwarded(gw, "for=_hidden").status()).isEqualTo(401);
    assertThat(annForwarded(gw, "for=\"192.0.2.7").status()).isEqualTo(401);
    assertThat(annForwarded(gw, "for=192.0.2.7;for=192.0.2.8").status()).isEqualTo(401);
    assertThat(annForwarded(gw, "192.0.2.7").status()).isEqualTo(401);
    assertThat(rejectedAddresses(gw)).contains("198.51.100.9");
  }

  @Test
  void proxyHeaderForwarded_quotedIpv6WithPort() throws IOException {
    GatewayFixture gw =
        GatewayFixture.start(dir, "--trusted-proxy", "127.0.0.1", "--proxy-header=forwarded");
    running = gw;
    String v6 = "{\"expiryDays\":null,\"restricted\":false,\"allowedIps\":\"2001:db8::/32\"}";
    Reply ok =
        gw.call(
            "PUT",
            "/api/v0/corps/acme/tokenSettings",
            OLGA,
            gw.token(OLGA),
            v6,
            Map.of("Forwarded", "for=\"[2001:db8::1]:4711\""));
    assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    assertThat(annForwarded(gw, "for=\"[2001:db8:cafe::17]:4711\"").status()).isEqualTo(200);
    assertThat(annForwarded(gw, "for=\"[2001:db9::1]\"").status()).isEqualTo(401);
    assertThat(annForwarded(gw, "for=[2001:db8::1]").status())
        .as("an IPv6 node must be quoted")
        .isEqualTo(401);
  }

  @Test
  void proxyHeader_needsTrustedProxy_andKnownName() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> GatewayOptions.parse("--proxy-header", "Forwarded"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("give --trusted-proxy too");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                GatewayOptions.parse("--trusted-proxy", "10.0.0.1", "--proxy-header", "X-Real-IP"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("must be X-Forwarded-For or Forwarded");
  }
}
