package dev.authcore.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.authcore.AuthHealth;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code /actuator/health} from {@code AuthCore.health()}, on a store the test makes fail or hang.
 * The outage grace is zero here, so a failed read is {@code DOWN} at once; {@link StoreOutageTest}
 * shows the default grace's {@code DEGRADED}.
 */
@TestPropertySource(properties = "authcore.outage-grace=0s")
@Import(ControlledStore.InFront.class)
class AuthCoreHealthTest extends RunningExample {
  @Autowired ControlledStore store;

  /** The previous test's failures are over once a store call has succeeded (the clean slate's). */
  @BeforeEach
  void healthy() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> core.health().status() == AuthHealth.Status.UP);
    core.flushUsage(); // no usage write pending that could reach the store during a test
  }

  @AfterEach
  void storeAnswers() {
    store.answer();
  }

  @Test
  void storeAnswering_up_withTheFacts() throws Exception {
    HttpResponse<String> response = get("/actuator/health");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode health = Http.json(response);
    assertThat(health.get("status").asString()).isEqualTo("UP");
    JsonNode authCore = health.get("components").get("authCore");
    assertThat(authCore.get("status").asString()).isEqualTo("UP");
    JsonNode details = authCore.get("details");
    assertThat(details.get("problems").isEmpty()).isTrue();
    assertThat(details.get("storeReachable").asBoolean()).isTrue();
    assertThat(details.get("feed").asString()).isEqualTo("CONNECTED");
    assertThat(details.get("usageQueued").asLong()).isZero();
    assertThat(details.get("usageDropped").asLong()).isZero();
    assertThat(details.has("outageSince")).isFalse();
  }

  @Test
  void readFails_outageWithoutGrace_down503() throws Exception {
    String before = get("/actuator/prometheus").body();
    store.fail();

    HttpResponse<String> uncached = get("/api/whoami", as(USER, tokenUnknownToTheStore(USER)));

    assertThat(uncached.statusCode()).isEqualTo(503);
    HttpResponse<String> response = get("/actuator/health");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
    JsonNode health = Http.json(response);
    assertThat(health.get("status").asString()).isEqualTo("DOWN");
    JsonNode authCore = health.get("components").get("authCore");
    assertThat(authCore.get("status").asString()).isEqualTo("DOWN");
    JsonNode details = authCore.get("details");
    assertThat(details.get("storeReachable").asBoolean()).isFalse();
    assertThat(details.get("outageSince").asString()).isNotEmpty();
    assertThat(details.get("problems").get(0).asString())
        .startsWith("the store cannot be reached (outage mode since ")
        .endsWith("the outage grace is zero: what is not cached within the cache bound fails");
    assertThat(authCore.toString()).doesNotContain("the controlled store fails");
    String after = get("/actuator/prometheus").body();
    String failed = "authcore_verifications_total{outcome=\"failed\"}";
    assertThat(Http.metric(after, failed) - Http.metric(before, failed)).isEqualTo(1.0);
    String storeFailures = "authcore_store_failures_total";
    assertThat(Http.metric(after, storeFailures)).isGreaterThan(Http.metric(before, storeFailures));
  }

  @Test
  void writeFails_degraded200_cachedTokenStillServed() throws Exception {
    String token = issue(USER, "ci");
    assertThat(get("/api/whoami", as(USER, token)).statusCode()).isEqualTo(200); // now cached
    store.fail();

    HttpResponse<String> create =
        call("POST", "/api/me/tokens", "{\"name\":\"deploy\"}", as(USER, token));

    assertThat(create.statusCode()).isEqualTo(503);
    HttpResponse<String> response = get("/actuator/health");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode health = Http.json(response);
    assertThat(health.get("status").asString()).isEqualTo("DEGRADED");
    JsonNode authCore = health.get("components").get("authCore");
    assertThat(authCore.get("status").asString()).isEqualTo("DEGRADED");
    assertThat(authCore.get("details").get("problems").get(0).asString())
        .startsWith("the store's last answer was a failure");
    assertThat(authCore.get("details").has("outageSince")).isFalse();
    assertThat(get("/api/whoami", as(USER, token)).statusCode()).isEqualTo(200);
  }

  @Test
  void storeHangs_healthAnswersWithoutCallingIt() throws Exception {
    store.hang();
    CompletableFuture<HttpResponse<String>> stuck =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return get("/api/whoami", as(USER, tokenUnknownToTheStore(USER)));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> store.held() == 1);
    int calls = store.calls();

    HttpResponse<String> response = get("/actuator/health");
    HttpResponse<String> metrics = get("/actuator/prometheus");

    // Both answered while the store still holds the request's read, and neither called it.
    assertThat(store.held()).isEqualTo(1);
    assertThat(store.calls()).isEqualTo(calls);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Http.json(response).get("components").get("authCore").get("status").asString())
        .isEqualTo("UP");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(stuck).isNotDone();
    store.answer();
    assertUnauthorized(stuck.get(30, TimeUnit.SECONDS));
  }
}
