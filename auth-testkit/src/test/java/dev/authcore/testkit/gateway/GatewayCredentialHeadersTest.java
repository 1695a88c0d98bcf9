package dev.authcore.testkit.gateway;

import static dev.authcore.testkit.gateway.GatewayFixture.ANN;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Control characters in {@code x-api-user} and {@code x-api-token}, sent over a raw socket as no
 * HTTP client would: never authenticated, whatever the HTTP server trims. Jetty refuses most of
 * them as a malformed request (400); the gateway refuses tabs on the raw line (400) and what
 * reaches it still holding one (C1 controls) as a malformed credential (401, reason {@code
 * MALFORMED}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayCredentialHeadersTest {
  @TempDir Path dir;
  private @Nullable GatewayFixture gw;

  @BeforeEach
  void start() throws IOException {
    gw = GatewayFixture.start(dir);
  }

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
  }

  /** GET /api/v0/me/tokens with these two header lines, as ISO-8859-1 bytes. */
  private RawHttp.Answer send(String userLine, String tokenLine) throws IOException {
    GatewayFixture g = java.util.Objects.requireNonNull(gw);
    return RawHttp.exchange(
        g.gateway.port(),
        "GET /api/v0/me/tokens HTTP/1.1\r\nHost: gw\r\n"
            + userLine
            + "\r\n"
            + tokenLine
            + "\r\n\r\n");
  }

  private String token() {
    return java.util.Objects.requireNonNull(gw).token(ANN);
  }

  @Test
  void cleanHeaders_authenticate() throws IOException {
    assertThat(send("x-api-user: " + ANN, "x-api-token: " + token()).status()).isEqualTo(200);
  }

  @Test
  void emailWithTrailingNul_refused() throws IOException {
    RawHttp.Answer answer = send("x-api-user: " + ANN + "\0", "x-api-token: " + token());
    assertThat(answer.status()).as(answer.text()).isEqualTo(400);
    assertThat(answer.text()).contains("{\"error\":\"malformed HTTP request\"");
  }

  @Test
  void tokenWithLeadingTab_refused() throws IOException {
    assertThat(send("x-api-user: " + ANN, "x-api-token:\t" + token()).status()).isEqualTo(400);
    assertThat(send("x-api-user: " + ANN, "x-api-token: \t" + token()).status()).isEqualTo(400);
    assertThat(send("X-Api-Token: \t" + token(), "x-api-user: " + ANN).status()).isEqualTo(400);
  }

  @Test
  void trailingOrInnerTab_refused() throws IOException {
    assertThat(send("x-api-user: " + ANN + "\t", "x-api-token: " + token()).status())
        .isEqualTo(400);
    assertThat(send("x-api-user: " + ANN, "x-api-token: " + token() + "\t").status())
        .isEqualTo(400);
    String t = token();
    assertThat(
            send("x-api-user: " + ANN, "x-api-token: " + t.substring(0, 5) + "\t" + t.substring(5))
                .status())
        .isEqualTo(400);
  }

  @Test
  void otherC0AndDel_refused() throws IOException {
    for (char c : new char[] {'\u0001', '\u000b', '\u001b', '\u001f', '\u007f'}) {
      assertThat(send("x-api-user: " + ANN + c, "x-api-token: " + token()).status())
          .as("U+%04X after the email", (int) c)
          .isEqualTo(400);
      assertThat(send("x-api-user: " + ANN, "x-api-token: " + c + token()).status())
          .as("U+%04X before the token", (int) c)
          .isEqualTo(400);
    }
  }

  @Test
  void c1Control_malformed401() throws IOException {
    // U+0085 (NEXT LINE) as UTF-8, the bytes C2 85; Jetty passes such bytes on.
    RawHttp.Answer answer = send("x-api-user: " + ANN + "\u00c2\u0085", "x-api-token: " + token());
    assertThat(answer.status()).as(answer.text()).isEqualTo(401);
    RawHttp.Answer alone = send("x-api-user: " + ANN, "x-api-token: " + token() + "\u0085");
    assertThat(alone.status()).as(alone.text()).isEqualTo(401);
    java.util.List<String> reasons = new java.util.ArrayList<>();
    for (JsonNode e : java.util.Objects.requireNonNull(gw).audit()) {
      if (e.get("event").stringValue().equals("TokenRejected")) {
        reasons.add(e.get("reason").stringValue());
      }
    }
    assertThat(reasons).containsExactly("MALFORMED", "MALFORMED");
  }

  @Test
  void controlCharacterCheck_c0DelC1() {
    assertThat(ApiHandler.hasControlCharacter(null)).isFalse();
    assertThat(ApiHandler.hasControlCharacter("ann@example.com")).isFalse();
    assertThat(ApiHandler.hasControlCharacter("é ü ~ \u00a0")).isFalse();
    for (char c : new char[] {0, '\t', '\n', '\r', 0x1f, 0x7f, 0x80, 0x85, 0x9f}) {
      assertThat(ApiHandler.hasControlCharacter("a" + c + "b")).as("U+%04X", (int) c).isTrue();
    }
  }

  @Test
  void guard_seesOnlyCredentialLinesWithATab() {
    assertThat(CredentialHeaderGuard.credentialWithTab("x-api-token:\tgw_x")).isTrue();
    assertThat(CredentialHeaderGuard.credentialWithTab("X-API-USER: a@b.c\t")).isTrue();
    assertThat(CredentialHeaderGuard.credentialWithTab("x-note:\tx")).isFalse();
    assertThat(CredentialHeaderGuard.credentialWithTab("x-api-token: gw_x")).isFalse();
  }
}
