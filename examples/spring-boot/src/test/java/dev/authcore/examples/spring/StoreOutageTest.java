package dev.authcore.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.AuthCore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The application on a database of its own, which the test stops: what needs the store answers 503,
 * a token auth-core has cached keeps working, and health is DEGRADED (200) for the outage grace.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Fail fast once the database is gone: a pool waits this long for a connection that cannot come.
@TestPropertySource(properties = "spring.datasource.hikari.connection-timeout=1000")
@DirtiesContext
@Timeout(60)
class StoreOutageTest {
  private static final String USER = "ann@example.com";
  private static final EmbeddedPostgres DATABASE = TestDatabase.start();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry, DATABASE);
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    DATABASE.close();
  }

  @LocalServerPort int port;
  @Autowired AuthCore core;

  @Test
  void databaseStopped_storeCalls503_cachedTokenStillServed_healthDegraded() throws Exception {
    String token = core.issuer().issue(USER, "ci").revealPlaintext();
    assertThat(get("/api/whoami", USER, token).statusCode()).isEqualTo(200); // now cached
    assertThat(get("/actuator/health", null, null).statusCode()).isEqualTo(200);

    DATABASE.close();

    HttpResponse<String> list = get("/api/me/tokens", USER, token);
    assertThat(list.statusCode()).isEqualTo(503);
    assertThat(Http.json(list).get("detail").asString())
        .isEqualTo("the token store is unavailable; try again later");

    HttpResponse<String> uncached =
        get("/api/whoami", USER, RunningExample.tokenUnknownToTheStore(USER));
    assertThat(uncached.statusCode()).isEqualTo(503);
    assertThat(uncached.body()).isEqualTo("{\"error\":\"unavailable\"}");

    assertThat(get("/api/whoami", USER, token).statusCode()).isEqualTo(200);

    // The failed read put auth-core in outage mode, within its grace (5 minutes): still answering.
    HttpResponse<String> health = get("/actuator/health", null, null);
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode status = Http.json(health);
    assertThat(status.get("status").asString()).isEqualTo("DEGRADED");
    JsonNode authCore = status.get("components").get("authCore");
    assertThat(authCore.get("status").asString()).isEqualTo("DEGRADED");
    assertThat(authCore.get("details").get("storeReachable").asBoolean()).isFalse();
    assertThat(authCore.get("details").get("outageSince").asString()).isNotEmpty();
    assertThat(authCore.get("details").get("problems").get(0).asString())
        .startsWith("the store cannot be reached (outage mode since ");
  }

  private HttpResponse<String> get(String path, @Nullable String user, @Nullable String token)
      throws Exception {
    return user == null || token == null
        ? Http.send("GET", "http://127.0.0.1:" + port + path, null)
        : Http.send(
            "GET",
            "http://127.0.0.1:" + port + path,
            null,
            "x-api-user",
            user,
            "x-api-token",
            token);
  }
}
