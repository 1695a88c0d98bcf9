package dev.authcore.testkit.gateway;

import static dev.authcore.testkit.gateway.GatewayFixture.ANN;
import static dev.authcore.testkit.gateway.GatewayFixture.BEA;
import static dev.authcore.testkit.gateway.GatewayFixture.BOB;
import static dev.authcore.testkit.gateway.GatewayFixture.OLGA;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.testkit.gateway.GatewayFixture.Reply;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The gateway's HTTP interface, end to end with {@link java.net.http.HttpClient}. */
class GatewayHttpTest {
  private static final String UNAUTHORIZED = "{\"error\":\"unauthorized\"}";

  @TempDir Path dir;
  private @Nullable GatewayFixture running;

  private GatewayFixture start(String... args) throws IOException {
    GatewayFixture gw = GatewayFixture.start(dir, args);
    running = gw;
    return gw;
  }

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  private static String settings(@Nullable Integer days, boolean restricted, String ips) {
    return "{\"expiryDays\":"
        + days
        + ",\"restricted\":"
        + restricted
        + ",\"allowedIps\":"
        + Json.MAPPER.writeValueAsString(ips)
        + "}";
  }

  /** {@code body} (a JSON object) with {@code "confirmLockout": true} added. */
  private static String confirmed(String body) {
    return body.substring(0, body.length() - 1) + ",\"confirmLockout\":true}";
  }

  private static JsonNode rowOf(Reply listing, String id) {
    for (JsonNode row : listing.json().get("data")) {
      if (row.get("id").stringValue().equals(id)) {
        return row;
      }
    }
    throw new AssertionError("no row " + id + " in " + listing.text());
  }

  @Test
  void leaks_tokenPostedAsPlainText_revokedWithoutCredentials_nextUse401() throws IOException {
    GatewayFixture gw = start();
    String ann = gw.token(ANN);
    assertThat(gw.call("GET", "/api/v0/corps", ANN, ann, null).status()).isEqualTo(200);

    Reply report =
        gw.call(
            "POST",
            "/api/v0/_leaks?source=https%3A%2F%2Fpaste.example%2Fraw%2Fq1",
            null,
            null,
            "deploy:\n  env:\n    API_TOKEN: " + ann + "\n",
            java.util.Map.of("Content-Type", "text/plain; charset=utf-8"));

    assertThat(report.status()).as(report.text()).isEqualTo(200);
    assertThat(report.text()).isEqualTo("{\"found\":1,\"revoked\":1}");
    Reply after = gw.call("GET", "/api/v0/corps", ANN, ann, null);
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.text()).isEqualTo(UNAUTHORIZED);
    assertThat(gw.call("GET", "/api/v0/corps", OLGA, gw.token(OLGA), null).status()).isEqualTo(200);
    assertThat(gw.audit())
        .filteredOn(e -> e.get("event").stringValue().equals("TokenLeaked"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.get("tokenOwner").stringValue()).isEqualTo(ANN);
              assertThat(e.get("source").stringValue()).isEqualTo("https://paste.example/raw/q1");
            });
    assertThat(gw.auditText()).doesNotContain(ann.substring(3));
  }

  @Test
  void seedFlow_createCallDeleteCallAgain_401() throws IOException {
    GatewayFixture gw = start();
    Reply created = gw.as(ANN, "POST", "/api/v0/me/tokens", "{\"name\":\"ci\"}");
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    JsonNode body = created.json();
    String token = body.get("token").stringValue();
    String id = body.get("id").stringValue();
    assertThat(token).startsWith("gw_" + id);
    assertThat(body.get("name").stringValue()).isEqualTo("ci");
    assertThat(Instant.parse(body.get("created").stringValue())).isNotNull();
    assertThat(body.get("expires").isNull()).isTrue();

    Reply corps = gw.call("GET", "/api/v0/corps", ANN, token, null);
    assertThat(corps.status()).isEqualTo(200);
    JsonNode corp = corps.json().get("data").get(0);
    assertThat(corp.get("name").stringValue()).isEqualTo("acme");
    assertThat(corp.get("displayName").stringValue()).isEqualTo("acme");
    assertThat(Instant.parse(corp.get("created").stringValue())).isBeforeOrEqualTo(Instant.now());
    assertThat(corps.json().get("data").size()).isEqualTo(1);

    assertThat(gw.call("DELETE", "/api/v0/me/tokens/" + id, ANN, token, null).status())
        .isEqualTo(204);
    Reply after = gw.call("GET", "/api/v0/corps", ANN, token, null);
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.text()).isEqualTo(UNAUTHORIZED);
    assertThat(gw.audit())
        .anySatisfy(
            e -> {
              assertThat(e.get("event").stringValue()).isEqualTo("TokenRejected");
              assertThat(e.get("reason").stringValue()).isEqualTo("UNKNOWN");
              assertThat(e.get("tokenId").stringValue()).isEqualTo(id);
            });
  }

  @Test
  void everyRejection_sameBody_reasonOnlyInTheAuditLog() throws IOException {
    GatewayFixture gw = start("--fake-clock");
    String anns = gw.token(ANN);
    List<Reply> rejected = new ArrayList<>();
    rejected.add(gw.call("GET", "/api/v0/corps", null, null, null)); // MALFORMED: nothing sent
    rejected.add(gw.call("GET", "/api/v0/corps", ANN, anns.substring(1), null)); // MALFORMED
    rejected.add(gw.call("GET", "/api/v0/corps", BOB, anns, null)); // INVALID: another user's
    String bobs = gw.token(BOB);
    assertThat(
            gw.as(OLGA, "PUT", "/api/v0/corps/acme/tokenSettings", settings(30, false, ""))
                .status())
        .isEqualTo(200);
    gw.as(OLGA, "POST", "/api/v0/_clock", "{\"advance\":\"P31D\"}");
    rejected.add(gw.call("GET", "/api/v0/me/tokens", BOB, bobs, null)); // EXPIRED
    for (Reply r : rejected) {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.text()).isEqualTo(UNAUTHORIZED);
    }
    Set<String> reasons = new HashSet<>();
    for (JsonNode e : gw.audit()) {
      if (e.get("event").stringValue().equals("TokenRejected")) {
        reasons.add(e.get("reason").stringValue());
      }
    }
    assertThat(reasons).contains("MALFORMED", "INVALID", "EXPIRED");
  }

  @Test
  void expirySetAfterTheFact_previewShowsItThenItExpires() throws IOException {
    GatewayFixture gw = start("--fake-clock");
    Reply created = gw.as(ANN, "POST", "/api/v0/me/tokens", "{\"name\":\"old\"}");
    String token = created.json().get("token").stringValue();
    String id = created.json().get("id").stringValue();
    Instant at = Instant.parse(created.json().get("created").stringValue());
    Reply moved = gw.as(OLGA, "POST", "/api/v0/_clock", "{\"advance\":\"P60D\"}");
    assertThat(moved.status()).isEqualTo(200);
    assertThat(Instant.parse(moved.json().get("now").stringValue()))
        .isAfterOrEqualTo(at.plus(Duration.ofDays(60)));
    assertThat(gw.call("GET", "/api/v0/corps", ANN, token, null).status()).isEqualTo(200);

    Reply preview =
        gw.as(OLGA, "POST", "/api/v0/corps/acme/tokenSettings/preview", settings(30, false, ""));
    assertThat(preview.status()).isEqualTo(200);
    assertThat(preview.json().get("wouldExpire").findValuesAsString("id")).contains(id);

    // the bootstrap tokens are as old as the clock's start: they expire too
    assertThat(
            gw.as(OLGA, "PUT", "/api/v0/corps/acme/tokenSettings", settings(30, false, ""))
                .status())
        .isEqualTo(200);
    assertThat(gw.call("GET", "/api/v0/corps", ANN, token, null).status()).isEqualTo(401);
    assertThat(gw.as(ANN, "GET", "/api/v0/me/tokens", null).status())
        .as("the bootstrap token is as old: expired too")
        .isEqualTo(401);
  }

  @Test
  void expirySetAfterTheFact_listingShowsExpiredThen90DaysBringsItBack() throws IOException {
    GatewayFixture gw = start("--fake-clock");
    // Olga creates her admin token late, so that a 30-day policy does not lock her out.
    Reply anns = gw.as(ANN, "POST", "/api/v0/me/tokens", "{\"name\":\"old\"}");
    String id = anns.json().get("id").stringValue();
    String token = anns.json().get("token").stringValue();
    Instant created = Instant.parse(anns.json().get("created").stringValue());
    gw.as(OLGA, "POST", "/api/v0/_clock", "{\"advance\":\"P60D\"}");
    Reply admin = gw.as(OLGA, "POST", "/api/v0/me/tokens", "{\"name\":\"admin\"}");
    String olgas = admin.json().get("token").stringValue();

    Reply put =
        gw.call("PUT", "/api/v0/corps/acme/tokenSettings", OLGA, olgas, settings(30, false, ""));
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.json().get("expiryDays").intValue()).isEqualTo(30);
    assertThat(gw.call("GET", "/api/v0/corps", ANN, token, null).status()).isEqualTo(401);
    JsonNode row =
        rowOf(gw.call("GET", "/api/v0/corps/acme/tokens?status=EXPIRED", OLGA, olgas, null), id);
    assertThat(row.get("status").stringValue()).isEqualTo("EXPIRED");
    assertThat(Instant.parse(row.get("expires").stringValue()))
        .isEqualTo(created.plus(Duration.ofDays(30)));

    assertThat(
            gw.call("PUT", "/api/v0/corps/acme/tokenSettings", OLGA, olgas, settings(90, false, ""))
                .status())
        .isEqualTo(200);
    assertThat(gw.call("GET", "/api/v0/corps", ANN, token, null).status()).isEqualTo(200);
    row = rowOf(gw.call("GET", "/api/v0/corps/acme/tokens", OLGA, olgas, null), id);
    assertThat(row.get("status").stringValue()).isEqualTo("ACTIVE");
    assertThat(Instant.parse(row.get("expires").stringValue()))
        .isEqualTo(created.plus(Duration.ofDays(90)));
    assertThat(row.get("lastUsed").isNull()).isFalse();
    assertThat(row.get("ips").get(0).stringValue()).isEqualTo("127.0.0.1");
  }

  @Test
  void clock_withoutFlag_404EvenAuthenticated() throws IOException {
    GatewayFixture gw = start();
    Reply r = gw.as(OLGA, "POST", "/api/v0/_clock", "{\"advance\":\"P60D\"}");
    assertThat(r.status()).isEqualTo(404);
  }

  @Test
  void clock_badDuration_400() throws IOException {
    GatewayFixture gw = start("--fake-clock");
    assertThat(gw.as(OLGA, "POST", "/api/v0/_clock", "{\"advance\":\"60 days\"}").status())
        .isEqualTo(400);
    assertThat(gw.as(OLGA, "POST", "/api/v0/_clock", "{\"advance\":\"-P1D\"}").status())
        .isEqualTo(400);
  }

  @Test
  void restriction_withAndWithoutPermission() throws IOException {
    GatewayFixture gw = start();
    Reply preview =
        gw.as(OLGA, "POST", "/api/v0/corps/acme/tokenSettings/preview", settings(null, true, ""));
    assertThat(preview.json().get("warnings").toString())
        .contains("You do not hold the token permission");
    assertThat(preview.json().get("wouldBeDisabled").size()).isEqualTo(3);

    assertThat(
            gw.as(
                    OLGA,
                    "PUT",
                    "/api/v0/corps/acme/users/olga@example.com/tokenPermission",
                    "{\"allowed\":true}")
                .status())
        .isEqualTo(204);
    assertThat(
            gw.as(
                    OLGA,
                    "PUT",
                    "/api/v0/corps/acme/users/ann%40example.com/tokenPermission",
                    "{\"allowed\":true}")
                .status())
        .isEqualTo(204);
    assertThat(
            gw.as(OLGA, "PUT", "/api/v0/corps/acme/tokenSettings", settings(null, true, ""))
                .status())
        .isEqualTo(200);

    assertThat(gw.as(ANN, "GET", "/api/v0/corps", null).status()).as("permitted").isEqualTo(200);
    assertThat(gw.as(ANN, "POST", "/api/v0/me/tokens", "{\"name\":\"more\"}").status())
        .isEqualTo(201);
    Reply bob = gw.as(BOB, "GET", "/api/v0/corps", null);
    assertThat(bob.status()).as("not permitted: disabled").isEqualTo(401);
    assertThat(bob.text()).isEqualTo(UNAUTHORIZED);
    Reply listing = gw.as(OLGA, "GET", "/api/v0/corps/acme/tokens?creator=bob@example.com", null);
    assertThat(listing.json().get("data").get(0).get("status").stringValue()).isEqualTo("DISABLED");

    assertThat(
            gw.as(
                    OLGA,
                    "PUT",
                    "/api/v0/corps/acme/users/bob@example.com/tokenPermission",
                    "{\"allowed\":true}")
                .status())
        .isEqualTo(204);
    assertThat(gw.as(BOB, "GET", "/api/v0/corps", null).status())
        .as("granted: back at once")
        .isEqualTo(200);

    assertThat(gw.audit())
        .anySatisfy(e -> assertThat(e.get("event").stringValue()).isEqualTo("PermissionChanged"));
    assertThat(gw.audit())
        .anySatisfy(e -> assertThat(e.get("event").stringValue()).isEqualTo("SettingsChanged"));
  }

  @Test
  void restrictWithNoOwnerPermitted_409WithThePreviewsWarnings_confirmedLocksOut()
      throws IOException {
    GatewayFixture gw = start();
    String path = "/api/v0/corps/acme/tokenSettings";
    String restricted = settings(null, true, "");
    Reply preview = gw.as(OLGA, "POST", path + "/preview", restricted);

    Reply refused = gw.as(OLGA, "PUT", path, restricted);
    assertThat(refused.status()).as(refused.text()).isEqualTo(409);
    assertThat(refused.json().get("error").stringValue()).contains("confirmLockout");
    assertThat(refused.json().get("details")).isEqualTo(preview.json().get("warnings"));
    assertThat(refused.json().get("details").toString())
        .contains("No owner of the corp holds the token permission");
    assertThat(gw.as(OLGA, "GET", path, null).json().get("restricted").booleanValue()).isFalse();
    assertThat(gw.audit())
        .noneSatisfy(e -> assertThat(e.get("event").stringValue()).isEqualTo("SettingsChanged"));

    Reply made = gw.as(OLGA, "PUT", path, confirmed(restricted));
    assertThat(made.status()).as(made.text()).isEqualTo(200);
    assertThat(made.json().get("restricted").booleanValue()).isTrue();
    assertThat(gw.as(OLGA, "GET", path, null).status())
        .as("locked out, as confirmed")
        .isEqualTo(401);
  }

  @Test
  void revokeTheLastPermittedOwnerWhileRestricted_409_confirmedRevokes() throws IOException {
    GatewayFixture gw = start();
    String olgasPermission = "/api/v0/corps/acme/users/olga@example.com/tokenPermission";
    assertThat(gw.as(OLGA, "PUT", olgasPermission, "{\"allowed\":true}").status()).isEqualTo(204);
    assertThat(
            gw.as(OLGA, "PUT", "/api/v0/corps/acme/tokenSettings", settings(null, true, ""))
                .status())
        .isEqualTo(200);

    Reply refused = gw.as(OLGA, "PUT", olgasPermission, "{\"allowed\":false}");
    assertThat(refused.status()).as(refused.text()).isEqualTo(409);
    assertThat(refused.json().get("details").size()).isEqualTo(1);
    assertThat(refused.json().get("details").get(0).stringValue())
        .contains(OLGA, "no owner of the restricted corp holding it");
    assertThat(gw.as(OLGA, "GET", "/api/v0/corps", null).status())
        .as("nothing changed")
        .isEqualTo(200);

    Reply made = gw.as(OLGA, "PUT", olgasPermission, "{\"allowed\":false,\"confirmLockout\":true}");
    assertThat(made.status()).as(made.text()).isEqualTo(204);
    assertThat(gw.as(OLGA, "GET", "/api/v0/corps", null).status()).isEqualTo(401);
  }

  @Test
  void confirmLockoutNotABoolean_400AndNothingChanges() throws IOException {
    GatewayFixture gw = start();
    String settingsPath = "/api/v0/corps/acme/tokenSettings";
    String permissionPath = "/api/v0/corps/acme/users/ann@example.com/tokenPermission";
    for (String value : List.of("\"true\"", "1", "null", "{}")) {
      String settingsBody =
          "{\"expiryDays\":30,\"restricted\":true,\"allowedIps\":\"\",\"confirmLockout\":"
              + value
              + "}";
      Reply settings = gw.as(OLGA, "PUT", settingsPath, settingsBody);
      assertThat(settings.status()).as(settings.text()).isEqualTo(400);
      assertThat(settings.json().get("details").toString())
          .contains("confirmLockout must be true or false");
      Reply permission =
          gw.as(OLGA, "PUT", permissionPath, "{\"allowed\":true,\"confirmLockout\":" + value + "}");
      assertThat(permission.status()).as(permission.text()).isEqualTo(400);
      assertThat(permission.json().get("details").toString())
          .contains("confirmLockout must be true or false");
    }
    assertThat(gw.as(OLGA, "GET", settingsPath, null).text())
        .isEqualTo(
            "{\"expiryDays\":null,\"restricted\":false,\"allowedIps\":\"\",\"inactiveDays\":null,"
                + "\"stagedAllowedIps\":null,\"stagedSince\":null}");
    assertThat(gw.audit())
        .noneSatisfy(
            e ->
                assertThat(e.get("event").stringValue())
                    .isIn("SettingsChanged", "PermissionChanged"));
    assertThat(
            gw.as(OLGA, "POST", settingsPath + "/preview", confirmed(settings(null, false, "")))
                .status())
        .as("the preview changes nothing, so it takes no confirmation")
        .isEqualTo(400);
  }

  @Test
  void confirmLockoutFalseOrOnAHarmlessChange_asWithout() throws IOException {
    GatewayFixture gw = start();
    String path = "/api/v0/corps/acme/tokenSettings";
    String restricted = settings(null, true, "");
    assertThat(
            gw.as(
                    OLGA,
                    "PUT",
                    path,
                    restricted.substring(0, restricted.length() - 1) + ",\"confirmLockout\":false}")
                .status())
        .isEqualTo(409);
    Reply harmless = gw.as(OLGA, "PUT", path, confirmed(settings(30, false, "")));
    assertThat(harmless.status()).as(harmless.text()).isEqualTo(200);
    assertThat(harmless.json().get("expiryDays").intValue()).isEqualTo(30);
    assertThat(
            gw.as(
                    OLGA,
                    "PUT",
                    "/api/v0/corps/acme/users/ann@example.com/tokenPermission",
                    "{\"allowed\":true,\"confirmLockout\":false}")
                .status())
        .isEqualTo(204);
  }

  @Test
  void allowListExcludingTheCaller_401AfterwardsAndPreviewWarned() throws IOException {
    GatewayFixture gw = start();
    Reply ok =
        gw.as(
            OLGA,
            "PUT",
            "/api/v0/corps/acme/tokenSettings",
            settings(null, false, "127.0.0.1\n192.0.2.0/24"));
    assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    assertThat(ok.json().get("allowedIps").stringValue()).contains("192.0.2.0/24");
    assertThat(gw.as(ANN, "GET", "/api/v0/corps", null).status())
        .as("127.0.0.1 is allowed")
        .isEqualTo(200);

    String excluding = settings(null, false, "192.0.2.0/24\n2001:db8::/32");
    Reply preview = gw.as(OLGA, "POST", "/api/v0/corps/acme/tokenSettings/preview", excluding);
    assertThat(preview.json().get("warnings").toString())
        .contains("refuses the address you are connected from");
    Reply refused = gw.as(OLGA, "PUT", "/api/v0/corps/acme/tokenSettings", excluding);
    assertThat(refused.status()).as(refused.text()).isEqualTo(409);
    assertThat(refused.json().get("details")).isEqualTo(preview.json().get("warnings"));
    assertThat(gw.as(ANN, "GET", "/api/v0/corps", null).status())
        .as("nothing changed")
        .isEqualTo(200);
    assertThat(
            gw.as(OLGA, "PUT", "/api/v0/corps/acme/tokenSettings", confirmed(excluding)).status())
        .isEqualTo(200);
    Reply ann = gw.as(ANN, "GET", "/api/v0/corps", null);
    assertThat(ann.status()).isEqualTo(401);
    assertThat(ann.text()).isEqualTo(UNAUTHORIZED);
    assertThat(gw.audit())
        .anySatisfy(e -> assertThat(e.path("reason").asString()).isEqualTo("IP_NOT_ALLOWED"));
  }

  @Test
  void badAllowList_answeredLineByLine_nothingChanges() throws IOException {
    GatewayFixture gw = start();
    Reply before = gw.as(OLGA, "GET", "/api/v0/corps/acme/tokenSettings", null);
    Reply bad =
        gw.as(
            OLGA,
            "PUT",
            "/api/v0/corps/acme/tokenSettings",
            settings(30, true, "127.0.0.1\n010.1.2.3\n# office\n10.0.0.0/33\n192.0.2.0/24"));
    assertThat(bad.status()).isEqualTo(400);
    JsonNode details = bad.json().get("details");
    assertThat(details.size()).isEqualTo(2);
    assertThat(details.get(0).get("line").intValue()).isEqualTo(2);
    assertThat(details.get(0).get("text").stringValue()).isEqualTo("010.1.2.3");
    assertThat(details.get(0).get("reason").stringValue()).isNotBlank();
    assertThat(details.get(1).get("line").intValue()).isEqualTo(4);
    assertThat(details.get(1).get("text").stringValue()).isEqualTo("10.0.0.0/33");
    Reply after = gw.as(OLGA, "GET", "/api/v0/corps/acme/tokenSettings", null);
    assertThat(after.text()).as("nothing changed").isEqualTo(before.text());
    assertThat(
            gw.as(
                    OLGA,
                    "POST",
                    "/api/v0/corps/acme/tokenSettings/preview",
                    settings(null, false, "127.1"))
                .status())
        .isEqualTo(400);
  }

  @Test
  void settings_roundTrip() throws IOException {
    GatewayFixture gw = start();
    Reply initial = gw.as(OLGA, "GET", "/api/v0/corps/acme/tokenSettings", null);
    assertThat(initial.text())
        .isEqualTo(
            "{\"expiryDays\":null,\"restricted\":false,\"allowedIps\":\"\",\"inactiveDays\":null,"
                + "\"stagedAllowedIps\":null,\"stagedSince\":null}");
    Reply put = gw.as(OLGA, "PUT", "/api/v0/corps/acme/tokenSettings", settings(365, false, ""));
    assertThat(put.text())
        .isEqualTo(
            "{\"expiryDays\":365,\"restricted\":false,\"allowedIps\":\"\",\"inactiveDays\":null,"
                + "\"stagedAllowedIps\":null,\"stagedSince\":null}");
    assertThat(gw.as(OLGA, "GET", "/api/v0/corps/acme/tokenSettings", null).text())
        .isEqualTo(put.text());
    String inactive =
        "{\"expiryDays\":365,\"restricted\":false,\"allowedIps\":\"\",\"inactiveDays\":90}";
    assertThat(gw.as(OLGA, "PUT", "/api/v0/corps/acme/tokenSettings", inactive).text())
        .isEqualTo(inactive.replace("}", ",\"stagedAllowedIps\":null,\"stagedSince\":null}"));
    // without the field, the value in force stays
    assertThat(
            gw.as(OLGA, "PUT", "/api/v0/corps/acme/tokenSettings", settings(30, false, ""))
                .json()
                .get("inactiveDays")
                .intValue())
        .isEqualTo(90);
    assertThat(
            gw.as(OLGA, "GET", "/api/v0/corps/acme/tokenSettings", null)
                .json()
                .get("inactiveDays")
                .intValue())
        .isEqualTo(90);
  }

  @Test
  void settings_badBodies_400NamingTheFields() throws IOException {
    GatewayFixture gw = start();
    String path = "/api/v0/corps/acme/tokenSettings";
    Reply missing = gw.as(OLGA, "PUT", path, "{\"restricted\":true}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("details").toString())
        .contains("expiryDays")
        .contains("allowedIps");
    assertThat(
            gw.as(OLGA, "PUT", path, "{\"expiryDays\":0,\"restricted\":false,\"allowedIps\":\"\"}")
                .status())
        .isEqualTo(400);
    assertThat(
            gw.as(
                    OLGA,
                    "PUT",
                    path,
                    "{\"expiryDays\":3651,\"restricted\":false,\"allowedIps\":\"\"}")
                .status())
        .isEqualTo(400);
    assertThat(
            gw.as(
                    OLGA,
                    "PUT",
                    path,
                    "{\"expiryDays\":\"30\",\"restricted\":false,\"allowedIps\":\"\"}")
                .status())
        .isEqualTo(400);
    assertThat(
            gw.as(
                    OLGA,
                    "PUT",
                    path,
                    "{\"expiryDays\":30.5,\"restricted\":false,\"allowedIps\":\"\"}")
                .status())
        .isEqualTo(400);
    assertThat(
            gw.as(
                    OLGA,
                    "PUT",
                    path,
                    "{\"expiryDays\":30,\"restricted\":\"yes\",\"allowedIps\":\"\"}")
                .status())
        .isEqualTo(400);
    assertThat(gw.as(OLGA, "GET", path, null).json().get("expiryDays").isNull()).isTrue();
  }

  @Test
  void nonOwner_403OnEveryOwnerEndpoint_otherCorp404() throws IOException {
    GatewayFixture gw = start();
    String body = settings(null, true, "");
    List<Reply> refused =
        List.of(
            gw.as(ANN, "GET", "/api/v0/corps/acme/tokens", null),
            gw.as(ANN, "DELETE", "/api/v0/corps/acme/tokens/00000000001", null),
            gw.as(ANN, "GET", "/api/v0/corps/acme/tokenSettings", null),
            gw.as(ANN, "PUT", "/api/v0/corps/acme/tokenSettings", body),
            gw.as(ANN, "POST", "/api/v0/corps/acme/tokenSettings/preview", body),
            gw.as(
                ANN,
                "PUT",
                "/api/v0/corps/acme/users/ann@example.com/tokenPermission",
                "{\"allowed\":true}"));
    for (Reply r : refused) {
      assertThat(r.status()).as(r.text()).isEqualTo(403);
    }
    assertThat(
            gw.as(OLGA, "GET", "/api/v0/corps/acme/tokenSettings", null)
                .json()
                .get("restricted")
                .booleanValue())
        .isFalse();
    assertThat(gw.as(OLGA, "GET", "/api/v0/corps/beta/tokens", null).status()).isEqualTo(404);
    assertThat(gw.as(BEA, "GET", "/api/v0/corps/acme/tokenSettings", null).status()).isEqualTo(404);
    assertThat(gw.as(ANN, "GET", "/api/v0/corps/beta/tokens", null).status()).isEqualTo(404);
  }

  @Test
  void ownerDeletesAnyTokenOfTheCorp_userOnlyTheirOwn() throws IOException {
    GatewayFixture gw = start();
    String annsId =
        gw.as(ANN, "POST", "/api/v0/me/tokens", "{\"name\":\"ci\"}").json().get("id").stringValue();
    assertThat(gw.as(BOB, "DELETE", "/api/v0/me/tokens/" + annsId, null).status()).isEqualTo(404);
    assertThat(gw.as(BEA, "DELETE", "/api/v0/corps/beta/tokens/" + annsId, null).status())
        .isEqualTo(404);
    assertThat(gw.as(OLGA, "DELETE", "/api/v0/corps/acme/tokens/" + annsId, null).status())
        .isEqualTo(204);
    assertThat(gw.as(OLGA, "DELETE", "/api/v0/corps/acme/tokens/" + annsId, null).status())
        .isEqualTo(404);
    assertThat(gw.as(OLGA, "DELETE", "/api/v0/corps/acme/tokens/not-an-id", null).status())
        .isEqualTo(400);
  }

  @Test
  void createToken_badInput400_sixth400_nameTaken400() throws IOException {
    GatewayFixture gw = start();
    String path = "/api/v0/me/tokens";
    Reply noName = gw.as(ANN, "POST", path, "{}");
    assertThat(noName.status()).isEqualTo(400);
    assertThat(noName.json().get("details").get(0).stringValue()).contains("name");
    assertThat(gw.as(ANN, "POST", path, "{\"name\":\"ci\",\"expiresInDays\":0}").status())
        .isEqualTo(400);
    assertThat(gw.as(ANN, "POST", path, "{\"name\":\"ci\",\"extra\":1}").status()).isEqualTo(400);
    assertThat(gw.as(ANN, "POST", path, "{\"name\":\"ci\",\"name\":\"cd\"}").status())
        .as("duplicate field")
        .isEqualTo(400);
    assertThat(gw.as(ANN, "POST", path, "not json").status()).isEqualTo(400);
    assertThat(gw.as(ANN, "POST", path, "[\"ci\"]").status()).isEqualTo(400);
    assertThat(gw.as(ANN, "POST", path, null).status()).isEqualTo(400);
    assertThat(gw.as(ANN, "POST", path, "{\"name\":\" \"}").status()).isEqualTo(400);
    assertThat(gw.as(ANN, "POST", path, "{\"name\":\"bootstrap\"}").status())
        .as("name taken")
        .isEqualTo(400);

    Reply lived = gw.as(ANN, "POST", path, "{\"name\":\"short\",\"expiresInDays\":7}");
    assertThat(lived.status()).isEqualTo(201);
    assertThat(Instant.parse(lived.json().get("expires").stringValue()))
        .isEqualTo(
            Instant.parse(lived.json().get("created").stringValue()).plus(Duration.ofDays(7)));
    for (int i = 3; i <= 5; i++) {
      assertThat(gw.as(ANN, "POST", path, "{\"name\":\"t" + i + "\"}").status()).isEqualTo(201);
    }
    Reply sixth = gw.as(ANN, "POST", path, "{\"name\":\"t6\"}");
    assertThat(sixth.status()).isEqualTo(400);
    assertThat(sixth.json().get("error").stringValue()).contains("5 tokens");
    assertThat(gw.as(ANN, "GET", path, null).json().get("data").size()).isEqualTo(5);
  }

  @Test
  void listing_pagesWithCursor_andFilters() throws IOException {
    GatewayFixture gw = start();
    for (String who : List.of(ANN, BOB)) {
      for (int i = 0; i < 3; i++) {
        assertThat(gw.as(who, "POST", "/api/v0/me/tokens", "{\"name\":\"n" + i + "\"}").status())
            .isEqualTo(201);
      }
    }
    List<String> ids = new ArrayList<>();
    String path = "/api/v0/corps/acme/tokens?limit=3";
    for (int page = 0; page < 10; page++) {
      Reply r = gw.as(OLGA, "GET", path, null);
      assertThat(r.status()).isEqualTo(200);
      r.json().get("data").forEach(row -> ids.add(row.get("id").stringValue()));
      JsonNode next = r.json().get("next");
      if (next.isNull()) {
        break;
      }
      path =
          "/api/v0/corps/acme/tokens?limit=3&cursor="
              + java.net.URLEncoder.encode(
                  next.stringValue(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(ids).hasSize(9).doesNotHaveDuplicates(); // 6 + 3 bootstrap tokens
    JsonNode bobs =
        gw.as(
                OLGA,
                "GET",
                "/api/v0/corps/acme/tokens?creator=BOB@example.com&name=N1&status=active",
                null)
            .json();
    assertThat(bobs.get("data").size()).isEqualTo(1);
    JsonNode row = bobs.get("data").get(0);
    assertThat(row.get("creator").stringValue()).isEqualTo(BOB);
    assertThat(row.get("name").stringValue()).isEqualTo("n1");
    assertThat(row.propertyNames())
        .containsExactly(
            "id",
            "name",
            "creator",
            "created",
            "expires",
            "status",
            "lastUsed",
            "ips",
            "rotated",
            "previousValidUntil",
            "expiredBy",
            "allowedIps",
            "wouldBeBlocked");
    assertThat(row.get("allowedIps").stringValue()).isEmpty();
    assertThat(gw.as(OLGA, "GET", "/api/v0/corps/acme/tokens?status=gone", null).status())
        .isEqualTo(400);
    assertThat(gw.as(OLGA, "GET", "/api/v0/corps/acme/tokens?limit=0", null).status())
        .isEqualTo(400);
    assertThat(gw.as(OLGA, "GET", "/api/v0/corps/acme/tokens?limit=x", null).status())
        .isEqualTo(400);
    assertThat(gw.as(OLGA, "GET", "/api/v0/corps/acme/tokens?cursor=nonsense", null).status())
        .isEqualTo(400);
    assertThat(gw.as(OLGA, "GET", "/api/v0/corps/acme/tokens?sort=name", null).status())
        .isEqualTo(400);
    assertThat(
            gw.as(
                    OLGA,
                    "GET",
                    "/api/v0/corps/acme/tokens?status=&creator=&name=&limit=&cursor=",
                    null)
                .status())
        .isEqualTo(200);
  }

  @Test
  void unknownPath404_wrongMethod405WithAllow() throws IOException {
    GatewayFixture gw = start();
    assertThat(gw.as(OLGA, "GET", "/api/v0/nothing", null).status()).isEqualTo(404);
    assertThat(gw.as(OLGA, "GET", "/elsewhere", null).status()).isEqualTo(404);
    assertThat(gw.as(OLGA, "GET", "/api/v0/corps/", null).status()).isEqualTo(404);
    Reply wrong = gw.as(OLGA, "DELETE", "/api/v0/me/tokens", null);
    assertThat(wrong.status()).isEqualTo(405);
    assertThat(wrong.json().get("details").get(0).stringValue()).isEqualTo("allowed: GET, POST");
  }

  @Test
  void noResponseOrAuditLineEchoesATokenExceptCreation() throws IOException {
    GatewayFixture gw = start("--fake-clock");
    Reply created = gw.as(ANN, "POST", "/api/v0/me/tokens", "{\"name\":\"ci\"}");
    String token = created.json().get("token").stringValue();
    gw.call("GET", "/api/v0/corps", BOB, token, null);
    gw.call("GET", "/api/v0/corps", ANN, token + "x", null);
    gw.call(
        "POST",
        "/api/v0/me/tokens",
        ANN,
        token,
        "{\"name\":\"" + token + "\",\"extra\":\"" + token + "\"}");
    gw.call("POST", "/api/v0/me/tokens", ANN, token, "{\"name\": " + token + "}");
    gw.call(
        "PUT",
        "/api/v0/corps/acme/tokenSettings",
        OLGA,
        gw.token(OLGA),
        settings(null, false, token));
    gw.as(OLGA, "GET", "/api/v0/corps/acme/tokens", null);
    List<String> bodies = new ArrayList<>(gw.responses);
    bodies.remove(created.text());
    Set<String> secrets = new HashSet<>(gw.tokens.values());
    secrets.add(token);
    for (String secret : secrets) {
      String secretPart = secret.substring(3 + 11, 3 + 11 + 24);
      for (String body : bodies) {
        assertThat(body).doesNotContain(secretPart);
      }
      assertThat(gw.auditText()).doesNotContain(secretPart);
    }
  }
}
