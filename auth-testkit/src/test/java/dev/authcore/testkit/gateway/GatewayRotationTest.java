package dev.authcore.testkit.gateway;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.AuditEvent;
import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.model.Role;
import dev.authcore.model.TokenId;
import dev.authcore.model.UserAccount;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import dev.authcore.testkit.FakeClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v0/me/tokens/{id}/rotate} and {@code POST
 * /api/v0/corps/{corp}/tokens/{id}/rotate}: the answer's shape, the grace period on the gateway's
 * fake clock, who may rotate what (statuses as for {@code DELETE}), bad bodies, and listings.
 */
class GatewayRotationTest {
  private static final String OLGA = "olga@example.com";
  private static final String ANN = "ann@example.com";
  private static final String BOB = "bob@example.com";
  private static final List<UserAccount> USERS =
      List.of(
          new UserAccount("acme", OLGA, Role.OWNER),
          new UserAccount("acme", ANN, Role.USER),
          new UserAccount("acme", BOB, Role.USER),
          new UserAccount("globex", "otto@globex.example", Role.OWNER));

  private final FakeClock clock = FakeClock.atDefaultStart();
  private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
  private final AuthCore core = core();
  private final ApiHandler handler =
      new ApiHandler(core, clock, ClientAddressSource.create(List.of()), USERS, clock.instant());
  private final Map<String, String> tokens = new HashMap<>();
  private final Map<String, TokenId> ids = new HashMap<>();

  GatewayRotationTest() {
    for (UserAccount user : USERS) {
      IssuedToken token = core.issuer().issue(user.email(), "bootstrap");
      tokens.put(user.email(), token.revealPlaintext());
      ids.put(user.email(), token.id());
    }
  }

  @AfterEach
  void close() {
    core.close();
  }

  private String token(String who) {
    return requireNonNull(tokens.get(who), who);
  }

  private TokenId id(String who) {
    return requireNonNull(ids.get(who), who);
  }

  private String rotatePath(String who) {
    return "/api/v0/me/tokens/" + id(who) + "/rotate";
  }

  // ---- the user's own token ------------------------------------------------------------------

  @Test
  void rotateOwn_withGrace_201WithTheCreatedFieldsAndPreviousValidUntil() throws IOException {
    clock.advance(Duration.ofMinutes(3));
    String old = token(ANN);

    Answer a = send(ANN, "POST", rotatePath(ANN), "{\"graceMinutes\":60}");

    assertThat(a.status).isEqualTo(201);
    JsonNode json = a.json();
    assertThat(json.propertyNames())
        .containsExactly("id", "name", "token", "created", "expires", "previousValidUntil");
    assertThat(json.get("id").stringValue()).isEqualTo(id(ANN).toString());
    assertThat(json.get("name").stringValue()).isEqualTo("bootstrap");
    assertThat(json.get("created").stringValue()).isEqualTo(FakeClock.DEFAULT_START.toString());
    assertThat(json.get("expires").isNull()).isTrue();
    Instant end = FakeClock.DEFAULT_START.plus(Duration.ofMinutes(63));
    assertThat(json.get("previousValidUntil").stringValue()).isEqualTo(end.toString());
    String fresh = json.get("token").stringValue();
    assertThat(fresh).isNotEqualTo(old).startsWith(Gateway.TOKEN_PREFIX + "_" + id(ANN));

    assertThat(authenticates(ANN, old)).isTrue();
    assertThat(authenticates(ANN, fresh)).isTrue();
    clock.set(end.minusMillis(1));
    assertThat(authenticates(ANN, old)).isTrue();
    clock.set(end.plusMillis(1));
    assertThat(authenticates(ANN, old)).isFalse();
    assertThat(authenticates(ANN, fresh)).isTrue();
  }

  @Test
  void rotateOwn_noBodyOrEmptyObject_zeroGrace_previousStopsAtOnce() throws IOException {
    String old = token(ANN);

    Answer a = send(ANN, "POST", rotatePath(ANN), null);

    assertThat(a.status).isEqualTo(201);
    assertThat(a.json().get("previousValidUntil").isNull()).isTrue();
    assertThat(authenticates(ANN, old)).isFalse();
    tokens.put(ANN, a.json().get("token").stringValue());
    Answer b = send(ANN, "POST", rotatePath(ANN), "{}");
    assertThat(b.status).isEqualTo(201);
    assertThat(b.json().get("previousValidUntil").isNull()).isTrue();
  }

  @Test
  void rotateOwn_badGrace_400AndNothingChanged() throws IOException {
    for (String body :
        List.of(
            "{\"graceMinutes\":-1}",
            "{\"graceMinutes\":10081}",
            "{\"graceMinutes\":1.5}",
            "{\"graceMinutes\":\"60\"}",
            "{\"graceMinutes\":99999999999}",
            "{\"grace\":60}",
            "[60]",
            "not json")) {
      Answer a = send(ANN, "POST", rotatePath(ANN), body);
      assertThat(a.status).as(body).isEqualTo(400);
    }
    assertThat(send(ANN, "POST", rotatePath(ANN), "{\"graceMinutes\":10081}").body)
        .contains("graceMinutes must be a whole number of minutes from 0 to 10080, got 10081");
    assertThat(send(ANN, "POST", rotatePath(ANN), "{\"graceMinutes\":\"6\\u00000\"}").body)
        .as("a string is shown as JSON, control characters escaped")
        .contains("got \\\"6\\\\u00000\\\"");
    assertThat(events.stream().filter(AuditEvent.TokenRotated.class::isInstance)).isEmpty();
    assertThat(authenticates(ANN, token(ANN))).isTrue();
  }

  @Test
  void rotateOwn_sevenDays_allowed() throws IOException {
    Answer a = send(ANN, "POST", rotatePath(ANN), "{\"graceMinutes\":10080}");

    assertThat(a.status).isEqualTo(201);
    assertThat(a.json().get("previousValidUntil").stringValue())
        .isEqualTo(FakeClock.DEFAULT_START.plus(Duration.ofDays(7)).toString());
  }

  @Test
  void rotateOwn_anotherUsersToken_404AsDeleteAndNothingChanged() throws IOException {
    String target = "/api/v0/me/tokens/" + id(BOB);

    Answer rotate = send(ANN, "POST", target + "/rotate", "{\"graceMinutes\":5}");
    Answer delete = send(ANN, "DELETE", target, null);

    assertThat(rotate.status).isEqualTo(404).isEqualTo(delete.status);
    assertThat(authenticates(BOB, token(BOB))).isTrue();
    assertThat(events.stream().filter(AuditEvent.TokenRotated.class::isInstance)).isEmpty();
  }

  @Test
  void rotateOwn_unknownOrMalformedId_404And400_otherMethods405() throws IOException {
    assertThat(
            send(ANN, "POST", "/api/v0/me/tokens/" + TokenId.fromLong(42) + "/rotate", null).status)
        .isEqualTo(404);
    assertThat(send(ANN, "POST", "/api/v0/me/tokens/short/rotate", null).status).isEqualTo(400);
    Answer get = send(ANN, "GET", rotatePath(ANN), null);
    assertThat(get.status).isEqualTo(405);
  }

  // ---- owners --------------------------------------------------------------------------------

  @Test
  void rotateInCorp_ownerRotatesAnotherUsersToken_201AndTheUserUsesTheNewSecret()
      throws IOException {
    String old = token(ANN);

    Answer a =
        send(
            OLGA,
            "POST",
            "/api/v0/corps/acme/tokens/" + id(ANN) + "/rotate",
            "{\"graceMinutes\":0}");

    assertThat(a.status).isEqualTo(201);
    assertThat(a.json().get("id").stringValue()).isEqualTo(id(ANN).toString());
    assertThat(a.json().get("previousValidUntil").isNull()).isTrue();
    assertThat(authenticates(ANN, old)).isFalse();
    assertThat(authenticates(ANN, a.json().get("token").stringValue())).isTrue();
    AuditEvent.TokenRotated event =
        events.stream()
            .filter(AuditEvent.TokenRotated.class::isInstance)
            .map(AuditEvent.TokenRotated.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(event.actor()).isEqualTo(OLGA);
    assertThat(event.tokenOwner()).isEqualTo(ANN);
  }

  @Test
  void rotateInCorp_refusals_asDeleteInCorp() throws IOException {
    String annsToken = "/api/v0/corps/acme/tokens/" + id(ANN);
    // a user on the owners' endpoint
    assertThat(send(BOB, "POST", annsToken + "/rotate", null).status)
        .isEqualTo(403)
        .isEqualTo(send(BOB, "DELETE", annsToken, null).status);
    // another corp's owner, and another corp in the path
    String otto = "otto@globex.example";
    assertThat(send(otto, "POST", "/api/v0/corps/globex/tokens/" + id(ANN) + "/rotate", null))
        .extracting(Answer::status)
        .isEqualTo(404);
    assertThat(send(otto, "POST", annsToken + "/rotate", null).status).isEqualTo(404);
    // an unknown id, a bad body
    assertThat(
            send(OLGA, "POST", "/api/v0/corps/acme/tokens/" + TokenId.fromLong(7) + "/rotate", null)
                .status)
        .isEqualTo(404);
    assertThat(send(OLGA, "POST", annsToken + "/rotate", "{\"graceMinutes\":-5}").status)
        .isEqualTo(400);
    assertThat(authenticates(ANN, token(ANN))).isTrue();
  }

  // ---- listings, events ----------------------------------------------------------------------

  @Test
  void listings_showRotatedAndPreviousValidUntilWhileTheGraceRuns() throws IOException {
    clock.advance(Duration.ofMinutes(1));
    Answer rotated = send(ANN, "POST", rotatePath(ANN), "{\"graceMinutes\":30}");
    tokens.put(ANN, rotated.json().get("token").stringValue());
    String at = FakeClock.DEFAULT_START.plus(Duration.ofMinutes(1)).toString();
    String end = FakeClock.DEFAULT_START.plus(Duration.ofMinutes(31)).toString();

    JsonNode own = send(ANN, "GET", "/api/v0/me/tokens", null).json().get("data").get(0);
    JsonNode corp = row(send(OLGA, "GET", "/api/v0/corps/acme/tokens", null), id(ANN));
    JsonNode never = row(send(OLGA, "GET", "/api/v0/corps/acme/tokens", null), id(BOB));

    for (JsonNode row : List.of(own, corp)) {
      assertThat(row.get("rotated").stringValue()).isEqualTo(at);
      assertThat(row.get("previousValidUntil").stringValue()).isEqualTo(end);
    }
    assertThat(never.get("rotated").isNull()).isTrue();
    assertThat(never.get("previousValidUntil").isNull()).isTrue();
    clock.advance(Duration.ofMinutes(30));
    JsonNode after = send(ANN, "GET", "/api/v0/me/tokens", null).json().get("data").get(0);
    assertThat(after.get("rotated").stringValue()).isEqualTo(at);
    assertThat(after.get("previousValidUntil").isNull()).isTrue();
  }

  @Test
  void previousSecretUse_publishesItsEvent_andNoEventOrErrorHoldsASecret() throws IOException {
    String old = token(ANN);
    Answer rotated = send(ANN, "POST", rotatePath(ANN), "{\"graceMinutes\":60}");
    String fresh = rotated.json().get("token").stringValue();

    assertThat(authenticates(ANN, old)).isTrue();

    assertThat(events.stream().filter(AuditEvent.PreviousSecretUsed.class::isInstance)).hasSize(1);
    Answer refused = send(ANN, "POST", rotatePath(BOB), "{\"graceMinutes\":60}");
    for (AuditEvent event : events) {
      String json = Json.event(event).toString();
      assertThat(json).doesNotContain(old).doesNotContain(fresh);
      assertThat(event.toString()).doesNotContain(old).doesNotContain(fresh);
    }
    assertThat(refused.body).doesNotContain(old).doesNotContain(fresh);
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private static JsonNode row(Answer listing, TokenId id) {
    for (JsonNode row : listing.json().get("data")) {
      if (row.get("id").stringValue().equals(id.toString())) {
        return row;
      }
    }
    throw new AssertionError("no row " + id + " in " + listing.body);
  }

  private AuthCore core() {
    InMemoryUserDirectory directory = new InMemoryUserDirectory();
    USERS.forEach(directory::add);
    return AuthCore.builder()
        .tokenPrefix(Gateway.TOKEN_PREFIX)
        .users(directory)
        .store(new InMemoryTokenStore())
        .clock(clock)
        .usageFlushInterval(Duration.ofMinutes(10))
        .auditListener(events::add)
        .build();
  }

  private boolean authenticates(String who, String token) throws IOException {
    return send("GET", "/api/v0/corps", headers(who, token), null).status == 200;
  }

  private static List<Map.Entry<String, String>> headers(String who, String token) {
    return List.of(Map.entry("x-api-user", who), Map.entry("x-api-token", token));
  }

  /** A status and body as the handler sent them. */
  private record Answer(int status, String body) {
    JsonNode json() {
      return Json.MAPPER.readTree(body);
    }
  }

  private Answer send(String who, String method, String target, @Nullable String body)
      throws IOException {
    return send(method, target, headers(who, token(who)), body);
  }

  private Answer send(
      String method, String target, List<Map.Entry<String, String>> headers, @Nullable String body)
      throws IOException {
    FakeExchange exchange =
        new FakeExchange(
            method,
            URI.create(target),
            headers,
            body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000));
    exchange.runOn(handler);
    assertThat(exchange.statusesSent()).isEqualTo(1);
    return new Answer(
        exchange.status(), new String(exchange.responseBytes(), StandardCharsets.UTF_8));
  }
}
