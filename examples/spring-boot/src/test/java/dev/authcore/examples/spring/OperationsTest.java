package dev.authcore.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/** What operations see: health, metrics, and the audit stream as JSON lines. */
@ExtendWith(OutputCaptureExtension.class)
class OperationsTest extends RunningExample {
  @Autowired DataSource pool;

  @Test
  void health_upWithTheTokenStore() throws Exception {
    HttpResponse<String> response = get("/actuator/health");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode health = Http.json(response);
    assertThat(health.get("status").asString()).isEqualTo("UP");
    assertThat(health.get("components").get("authCore").get("status").asString()).isEqualTo("UP");
  }

  @Test
  void changeFeed_listensOnAConnectionOfItsOwn() throws Exception {
    // The feed holds its LISTEN connection from the plain pgjdbc source, not from Boot's pool.
    String feeds =
        "select count(*) from pg_stat_activity where application_name = 'authcore-change-feed'";
    try (Connection connection = pool.getConnection();
        ResultSet count = connection.createStatement().executeQuery(feeds)) {
      assertThat(count.next()).isTrue();
      assertThat(count.getInt(1)).isPositive();
    }
  }

  @Test
  void prometheus_servesTheAuditQueueAndThePool() throws Exception {
    HttpResponse<String> response = get("/actuator/prometheus");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("authcore_audit_dropped_total 0.0")
        .contains("hikaricp_connections_active");
  }

  @Test
  void otherEndpoints_refused_withoutASession() throws Exception {
    HttpResponse<String> root = get("/");

    assertThat(root.statusCode()).isEqualTo(403);
    assertThat(root.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(get("/actuator").statusCode()).isEqualTo(403);
    assertThat(get("/actuator/env").statusCode()).isEqualTo(403);
  }

  @Test
  void requestRefusedByTheFirewall_answeredByBootsErrorPage() throws Exception {
    HttpResponse<String> response = get("/api;x/whoami");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(Http.json(response).get("status").asInt()).isEqualTo(400);
  }

  @Test
  void auditEvents_writtenAsJsonLines(CapturedOutput output) throws Exception {
    String token = issue(USER, "ci");

    get("/api/whoami", as(OTHER_USER, token));

    String line =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> line(output, "\"event.action\":\"token-rejected\""), Objects::nonNull);
    assertThat(line).startsWith("{\"@timestamp\":").endsWith("}");
    JsonNode event = Http.json(line);
    assertThat(event.get("event.outcome").asString()).isEqualTo("failure");
    assertThat(event.get("event.reason").asString()).isEqualTo("INVALID");
    assertThat(event.get("user.name").asString()).isEqualTo(OTHER_USER);
    assertThat(event.get("source.ip").asString()).isEqualTo("127.0.0.1");
    assertThat(event.get("organization.id").asString()).isEqualTo("acme");
    assertThat(line(output, "\"event.action\":\"token-created\"")).isNotNull();
    assertThat(output.getOut()).doesNotContain(token);
  }

  /** The first whole output line holding {@code text}, or null. */
  private static @Nullable String line(CapturedOutput output, String text) {
    List<String> lines = Arrays.asList(output.getOut().split("\n", -1));
    return lines.stream().filter(l -> l.contains(text)).findFirst().orElse(null);
  }
}
