package dev.authcore.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.RejectionReason;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The token API over HTTP: a user's own tokens, the owners' table and settings, and auth-core's
 * refusals as statuses (the store's 503 is in {@link StoreOutageTest}).
 */
class TokenControllerTest extends RunningExample {

  @Test
  void createdToken_worksAtOnce_andStopsAtOnceWhenDeleted() throws Exception {
    String bootstrap = issue(USER, "bootstrap");

    HttpResponse<String> created =
        call("POST", "/api/me/tokens", "{\"name\":\"laptop\"}", as(USER, bootstrap));

    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonNode body = Http.json(created);
    String id = body.get("id").asString();
    String token = body.get("token").asString();
    assertThat(body.get("name").asString()).isEqualTo("laptop");
    assertThat(body.get("expires").isNull()).isTrue();
    assertThat(token).startsWith("acme_");

    HttpResponse<String> used = get("/api/whoami", as(USER, token));
    assertThat(used.statusCode()).isEqualTo(200);
    assertThat(Http.json(used).get("tokenName").asString()).isEqualTo("laptop");

    HttpResponse<String> deleted =
        call("DELETE", "/api/me/tokens/" + id, null, as(USER, bootstrap));
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertUnauthorized(get("/api/whoami", as(USER, token)));
    assertThat(events.lastRejection().reason()).isEqualTo(RejectionReason.UNKNOWN);
  }

  @Test
  void create_withOwnLifetime_answersItsExpiry() throws Exception {
    HttpResponse<String> created =
        call(
            "POST",
            "/api/me/tokens",
            "{\"name\":\"ci\",\"expiresInDays\":30}",
            as(USER, issue(USER, "bootstrap")));

    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode body = Http.json(created);
    assertThat(body.get("expires").asString()).isNotEmpty();
  }

  @Test
  void ownTokens_listedWithoutSecrets() throws Exception {
    String bootstrap = issue(USER, "bootstrap");
    issue(USER, "ci");

    HttpResponse<String> response = get("/api/me/tokens", as(USER, bootstrap));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode rows = Http.json(response);
    assertThat(rows.size()).isEqualTo(2);
    assertThat(rows.get(0).get("name").asString()).isEqualTo("bootstrap");
    assertThat(rows.get(1).get("name").asString()).isEqualTo("ci");
    assertThat(rows.get(1).get("status").asString()).isEqualTo("ACTIVE");
    assertThat(response.body()).doesNotContain(bootstrap);
  }

  @Test
  void create_badName_400NamingTheInput() throws Exception {
    HttpResponse<String> response =
        call("POST", "/api/me/tokens", "{\"name\":\"   \"}", as(USER, issue(USER, "bootstrap")));

    assertProblem(response, 400);
    assertThat(Http.json(response).get("input").asString()).isEqualTo("token name");
  }

  @Test
  void create_withoutName_400() throws Exception {
    HttpResponse<String> response =
        call("POST", "/api/me/tokens", "{}", as(USER, issue(USER, "bootstrap")));

    assertProblem(response, 400);
  }

  @Test
  void create_unknownField_400() throws Exception {
    HttpResponse<String> response =
        call(
            "POST",
            "/api/me/tokens",
            "{\"name\":\"ci\",\"scope\":\"admin\"}",
            as(USER, issue(USER, "bootstrap")));

    assertProblem(response, 400);
    assertThat(console.listOwn(USER)).hasSize(1);
  }

  @Test
  void create_nameTaken_409() throws Exception {
    HttpResponse<String> response =
        call(
            "POST",
            "/api/me/tokens",
            "{\"name\":\"BOOTSTRAP\"}",
            as(USER, issue(USER, "bootstrap")));

    assertProblem(response, 409);
    assertThat(Http.json(response).get("kind").asString()).isEqualTo("NAME_TAKEN");
  }

  @Test
  void create_beyondTheLimit_409() throws Exception {
    String bootstrap = issue(USER, "bootstrap");
    for (int i = 1; i < 5; i++) {
      issue(USER, "t" + i);
    }

    HttpResponse<String> response =
        call("POST", "/api/me/tokens", "{\"name\":\"sixth\"}", as(USER, bootstrap));

    assertProblem(response, 409);
    assertThat(Http.json(response).get("kind").asString()).isEqualTo("TOKEN_LIMIT");
  }

  @Test
  void delete_unknownToken_404() throws Exception {
    HttpResponse<String> response =
        call("DELETE", "/api/me/tokens/0000000000A", null, as(USER, issue(USER, "bootstrap")));

    assertProblem(response, 404);
  }

  @Test
  void delete_anotherUsersToken_404EvenForAnOwner() throws Exception {
    String usersToken = issue(USER, "ci");
    String id = console.listOwn(USER).get(0).id().toString();

    HttpResponse<String> response =
        call("DELETE", "/api/me/tokens/" + id, null, as(OWNER, issue(OWNER, "bootstrap")));

    assertProblem(response, 404);
    assertThat(get("/api/whoami", as(USER, usersToken)).statusCode()).isEqualTo(200);
  }

  @Test
  void delete_malformedId_400() throws Exception {
    HttpResponse<String> response =
        call("DELETE", "/api/me/tokens/nope", null, as(USER, issue(USER, "bootstrap")));

    assertProblem(response, 400);
    assertThat(Http.json(response).get("input").asString()).isEqualTo("token id");
  }

  @Test
  void ownerEndpoints_nonOwner_403() throws Exception {
    String token = issue(USER, "bootstrap");

    assertProblem(get("/api/corp/tokens", as(USER, token)), 403);
    assertProblem(get("/api/corp/settings", as(USER, token)), 403);
    assertProblem(
        call(
            "PUT",
            "/api/corp/settings",
            "{\"expiryDays\":null,\"restricted\":true,\"allowedIps\":\"\"}",
            as(USER, token)),
        403);
    assertThat(console.settings(OWNER).restricted()).isFalse();
  }

  @Test
  void corpTokens_ownerSeesEveryonesTokens() throws Exception {
    String ownerToken = issue(OWNER, "bootstrap");
    issue(USER, "ci");
    issue(OTHER_USER, "laptop");

    HttpResponse<String> response = get("/api/corp/tokens?creator=" + USER, as(OWNER, ownerToken));
    HttpResponse<String> all = get("/api/corp/tokens?limit=2", as(OWNER, ownerToken));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode page = Http.json(response);
    assertThat(page.get("rows").size()).isEqualTo(1);
    assertThat(page.get("rows").get(0).get("creator").asString()).isEqualTo(USER);
    assertThat(Http.json(all).get("rows").size()).isEqualTo(2);
    assertThat(Http.json(all).get("nextCursor").isNull()).isFalse();
  }

  @Test
  void corpTokens_badLimit_400() throws Exception {
    HttpResponse<String> response =
        get("/api/corp/tokens?limit=0", as(OWNER, issue(OWNER, "bootstrap")));

    assertProblem(response, 400);
  }

  @Test
  void settings_roundTrip() throws Exception {
    String token = issue(OWNER, "bootstrap");

    HttpResponse<String> put =
        call(
            "PUT",
            "/api/corp/settings",
            "{\"expiryDays\":90,\"restricted\":false,\"allowedIps\":\"127.0.0.1\\n10.0.0.0/8\"}",
            as(OWNER, token));
    HttpResponse<String> get = get("/api/corp/settings", as(OWNER, token));

    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(Http.json(get)).isEqualTo(Http.json(put));
    JsonNode settings = Http.json(get);
    assertThat(settings.get("expiryDays").asLong()).isEqualTo(90);
    assertThat(settings.get("restricted").asBoolean()).isFalse();
    assertThat(settings.get("allowedIps").asString()).isEqualTo("10.0.0.0/8\n127.0.0.1\n");
    assertThat(console.settings(OWNER).expiry().maxAgeDays()).hasValue(90L);
  }

  @Test
  void settings_badAllowList_400WithEveryProblem_nothingChanged() throws Exception {
    HttpResponse<String> response =
        call(
            "PUT",
            "/api/corp/settings",
            "{\"expiryDays\":null,\"restricted\":false,\"allowedIps\":\"10.0.0.0/8\\n10.0.0.300\\nnope\"}",
            as(OWNER, issue(OWNER, "bootstrap")));

    assertProblem(response, 400);
    JsonNode problems = Http.json(response).get("problems");
    assertThat(problems.size()).isEqualTo(2);
    assertThat(problems.get(0).get("line").asInt()).isEqualTo(2);
    assertThat(problems.get(1).get("line").asInt()).isEqualTo(3);
    assertThat(console.settings(OWNER).allowedIps().isEmpty()).isTrue();
  }

  @Test
  void settings_missingField_400() throws Exception {
    HttpResponse<String> response =
        call(
            "PUT",
            "/api/corp/settings",
            "{\"expiryDays\":30}",
            as(OWNER, issue(OWNER, "bootstrap")));

    assertProblem(response, 400);
    assertThat(console.settings(OWNER).expiry().isNever()).isTrue();
  }

  @Test
  void settings_lockingTheOwnerOut_409UntilConfirmed() throws Exception {
    String token = issue(OWNER, "bootstrap");
    String body = "{\"expiryDays\":null,\"restricted\":false,\"allowedIps\":\"10.0.0.0/8\"}";

    HttpResponse<String> refused = call("PUT", "/api/corp/settings", body, as(OWNER, token));

    assertProblem(refused, 409);
    assertThat(Http.json(refused).get("kind").asString()).isEqualTo("LOCKOUT");
    assertThat(Http.json(refused).get("warnings").size()).isPositive();
    assertThat(console.settings(OWNER).allowedIps().isEmpty()).isTrue();

    HttpResponse<String> confirmed =
        call("PUT", "/api/corp/settings?confirmLockout=true", body, as(OWNER, token));

    assertThat(confirmed.statusCode()).isEqualTo(200);
    assertUnauthorized(get("/api/whoami", as(OWNER, token)));
    assertThat(events.lastRejection().reason()).isEqualTo(RejectionReason.IP_NOT_ALLOWED);
  }

  /** An RFC 9457 problem with {@code status}, and a detail that says what is wrong. */
  private static void assertProblem(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    JsonNode problem = Http.json(response);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("detail").asString()).isNotBlank();
  }
}
