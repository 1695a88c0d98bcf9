package dev.authcore.testkit.gateway;

import static dev.authcore.testkit.gateway.GatewayFixture.ANN;
import static dev.authcore.testkit.gateway.GatewayFixture.BOB;
import static dev.authcore.testkit.gateway.GatewayFixture.OLGA;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The gateway driven by the real {@code curl} binary, as its documentation's clients do. Fails
 * (does not skip) when curl is missing.
 */
class GatewayCurlTest {
  @TempDir Path dir;
  private @Nullable GatewayFixture running;

  @BeforeAll
  static void curlIsThere() {
    Curl.requireCurl();
  }

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  private GatewayFixture start(String... args) throws IOException {
    GatewayFixture gw = GatewayFixture.start(dir, args);
    running = gw;
    return gw;
  }

  /** curl as {@code email} with {@code token}: {@code -X method [-d body] url}. */
  private static Curl.Result curl(
      GatewayFixture gw,
      String method,
      String path,
      String email,
      String token,
      @Nullable String body) {
    List<String> args =
        new ArrayList<>(
            List.of("-X", method, "-H", "x-api-user: " + email, "-H", "x-api-token: " + token));
    if (body != null) {
      args.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", body));
    }
    args.add(gw.uri(path).toString());
    return Curl.run(args.toArray(new String[0]));
  }

  private static JsonNode json(Curl.Result result) {
    return Json.MAPPER.readTree(result.body());
  }

  @Test
  void printedCurlCommand_answers200() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    GatewayMain.Launch launch =
        GatewayMain.launch(
            new String[] {"--port", "0", "--audit-log", dir.resolve("audit.jsonl").toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    try (Gateway gateway = Objects.requireNonNull(launch.gateway())) {
      String[] lines = out.toString(StandardCharsets.UTF_8).split("\n", -1);
      assertThat(lines[0]).startsWith("owner@example.com gw_");
      assertThat(lines[1]).startsWith("curl ").endsWith("/api/v0/corps");
      assertThat(lines[2]).isEqualTo(GatewayMainTest.consoleLine(gateway.port()));
      assertThat(lines[3]).isEqualTo("listening on http://127.0.0.1:" + gateway.port());
      Curl.Result result = Curl.shell(lines[1]);
      assertThat(result.status()).as(result.body()).isEqualTo(200);
      assertThat(json(result).get("data").get(0).get("name").stringValue()).isEqualTo("demo");
    }
  }

  @Test
  void seedFlow_createCallDeleteCallAgain_401() throws IOException {
    GatewayFixture gw = start();
    Curl.Result created =
        curl(
            gw,
            "POST",
            "/api/v0/me/tokens",
            ANN,
            gw.token(ANN),
            "{\"name\":\"ci\",\"expiresInDays\":30}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String token = json(created).get("token").stringValue();
    String id = json(created).get("id").stringValue();
    assertThat(json(created).get("expires").isNull()).isFalse();

    Curl.Result corps = curl(gw, "GET", "/api/v0/corps", ANN, token, null);
    assertThat(corps.status()).isEqualTo(200);
    assertThat(json(corps).get("data").get(0).get("name").stringValue()).isEqualTo("acme");

    assertThat(curl(gw, "DELETE", "/api/v0/me/tokens/" + id, ANN, token, null).status())
        .isEqualTo(204);
    Curl.Result again = curl(gw, "GET", "/api/v0/corps", ANN, token, null);
    assertThat(again.status()).isEqualTo(401);
    assertThat(again.body()).isEqualTo("{\"error\":\"unauthorized\"}");
  }

  @Test
  void expirySetAfterTheFact_withFakeClock() throws IOException {
    GatewayFixture gw = start("--fake-clock");
    String anns = gw.token(ANN);
    assertThat(
            curl(gw, "POST", "/api/v0/_clock", OLGA, gw.token(OLGA), "{\"advance\":\"P60D\"}")
                .status())
        .isEqualTo(200);
    String olgas =
        json(curl(gw, "POST", "/api/v0/me/tokens", OLGA, gw.token(OLGA), "{\"name\":\"admin\"}"))
            .get("token")
            .stringValue();
    assertThat(curl(gw, "GET", "/api/v0/corps", ANN, anns, null).status()).isEqualTo(200);
    String thirty = "{\"expiryDays\":30,\"restricted\":false,\"allowedIps\":\"\"}";
    assertThat(curl(gw, "PUT", "/api/v0/corps/acme/tokenSettings", OLGA, olgas, thirty).status())
        .isEqualTo(200);
    assertThat(curl(gw, "GET", "/api/v0/corps", ANN, anns, null).status())
        .as("60 days old under 30")
        .isEqualTo(401);
    Curl.Result listing =
        curl(
            gw,
            "GET",
            "/api/v0/corps/acme/tokens?status=EXPIRED&creator=ann@example.com",
            OLGA,
            olgas,
            null);
    assertThat(json(listing).get("data").get(0).get("status").stringValue()).isEqualTo("EXPIRED");
    String ninety = "{\"expiryDays\":90,\"restricted\":false,\"allowedIps\":\"\"}";
    assertThat(curl(gw, "PUT", "/api/v0/corps/acme/tokenSettings", OLGA, olgas, ninety).status())
        .isEqualTo(200);
    assertThat(curl(gw, "GET", "/api/v0/corps", ANN, anns, null).status())
        .as("back under 90")
        .isEqualTo(200);
  }

  @Test
  void restriction_withAndWithoutPermission() throws IOException {
    GatewayFixture gw = start();
    String olgas = gw.token(OLGA);
    assertThat(
            curl(
                    gw,
                    "PUT",
                    "/api/v0/corps/acme/users/olga@example.com/tokenPermission",
                    OLGA,
                    olgas,
                    "{\"allowed\":true}")
                .status())
        .isEqualTo(204);
    assertThat(
            curl(
                    gw,
                    "PUT",
                    "/api/v0/corps/acme/users/ann@example.com/tokenPermission",
                    OLGA,
                    olgas,
                    "{\"allowed\":true}")
                .status())
        .isEqualTo(204);
    String restricted = "{\"expiryDays\":null,\"restricted\":true,\"allowedIps\":\"\"}";
    assertThat(
            curl(gw, "PUT", "/api/v0/corps/acme/tokenSettings", OLGA, olgas, restricted).status())
        .isEqualTo(200);
    assertThat(curl(gw, "GET", "/api/v0/me/tokens", ANN, gw.token(ANN), null).status())
        .as("with permission")
        .isEqualTo(200);
    assertThat(curl(gw, "GET", "/api/v0/me/tokens", BOB, gw.token(BOB), null).status())
        .as("without")
        .isEqualTo(401);
    assertThat(curl(gw, "GET", "/api/v0/corps/acme/tokens", ANN, gw.token(ANN), null).status())
        .as("not an owner")
        .isEqualTo(403);
  }

  @Test
  void allowListExcludingTheCaller_401() throws IOException {
    GatewayFixture gw = start();
    String list =
        "{\"expiryDays\":null,\"restricted\":false,\"allowedIps\":\"192.0.2.0/24\\n2001:db8::/32\"}";
    assertThat(
            curl(gw, "PUT", "/api/v0/corps/acme/tokenSettings", OLGA, gw.token(OLGA), list)
                .status())
        .as("refuses the owner's own address: a lock-out to confirm")
        .isEqualTo(409);
    list = list.replace("}", ",\"confirmLockout\":true}");
    assertThat(
            curl(gw, "PUT", "/api/v0/corps/acme/tokenSettings", OLGA, gw.token(OLGA), list)
                .status())
        .isEqualTo(200);
    Curl.Result refused = curl(gw, "GET", "/api/v0/corps", ANN, gw.token(ANN), null);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.body()).isEqualTo("{\"error\":\"unauthorized\"}");
  }

  @Test
  void badAllowList_answeredLineByLine() throws IOException {
    GatewayFixture gw = start();
    String bad =
        "{\"expiryDays\":null,\"restricted\":false,\"allowedIps\":\"127.1\\n10.0.0.1\\n10.1.2.0/16\"}";
    Curl.Result result =
        curl(gw, "PUT", "/api/v0/corps/acme/tokenSettings", OLGA, gw.token(OLGA), bad);
    assertThat(result.status()).isEqualTo(400);
    JsonNode details = json(result).get("details");
    assertThat(details.size()).isEqualTo(2);
    assertThat(details.get(0).get("line").intValue()).isEqualTo(1);
    assertThat(details.get(0).get("text").stringValue()).isEqualTo("127.1");
    assertThat(details.get(1).get("line").intValue()).isEqualTo(3);
    assertThat(details.get(1).get("text").stringValue()).isEqualTo("10.1.2.0/16");
    Curl.Result settings =
        curl(gw, "GET", "/api/v0/corps/acme/tokenSettings", OLGA, gw.token(OLGA), null);
    assertThat(json(settings).get("allowedIps").stringValue()).as("nothing changed").isEmpty();
  }
}
