package dev.authcore.testkit.gateway;

import static dev.authcore.testkit.gateway.GatewayFixture.ANN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.testkit.gateway.GatewayFixture.Reply;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway with {@code --jdbc-url}: tokens outlive a restart and are shared by gateways. */
class GatewayPostgresTest {
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startDatabase() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopDatabase() throws IOException {
    postgres.close();
  }

  private static String url() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  @Test
  void twoGateways_shareTokens_deleteOnOneRejectedOnTheOtherPromptly(
      @TempDir Path a, @TempDir Path b) throws Exception {
    try (GatewayFixture one = GatewayFixture.start(a, "--jdbc-url", url())) {
      Reply created = one.as(ANN, "POST", "/api/v0/me/tokens", "{\"name\":\"shared\"}");
      assertThat(created.status()).as(created.text()).isEqualTo(201);
      String token = created.json().get("token").stringValue();
      String id = created.json().get("id").stringValue();

      try (GatewayFixture two = GatewayFixture.start(b, "--jdbc-url", url())) {
        assertThat(two.call("GET", "/api/v0/corps", ANN, token, null).status()).isEqualTo(200);

        Reply deleted = one.call("DELETE", "/api/v0/me/tokens/" + id, ANN, token, null);
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(204);
        assertThat(one.call("GET", "/api/v0/corps", ANN, token, null).status()).isEqualTo(401);

        // The other gateway hears of the delete through LISTEN/NOTIFY; its cache bound is 30 s,
        // so a rejection well within that shows the notification, not the cache, did it.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        int status;
        do {
          status = two.call("GET", "/api/v0/corps", ANN, token, null).status();
        } while (status == 200 && Instant.now().isBefore(deadline) && pause());
        assertThat(status).isEqualTo(401);
      }
    }
  }

  @Test
  void restart_keepsTokensAndReplacesOnlyBootstrapTokens(@TempDir Path a, @TempDir Path b)
      throws Exception {
    String token;
    String oldBootstrap;
    try (GatewayFixture first = GatewayFixture.start(a, "--jdbc-url", url())) {
      Reply created = first.as(ANN, "POST", "/api/v0/me/tokens", "{\"name\":\"kept\"}");
      assertThat(created.status()).as(created.text()).isEqualTo(201);
      token = created.json().get("token").stringValue();
      oldBootstrap = first.token(ANN);
    }
    try (GatewayFixture again = GatewayFixture.start(b, "--jdbc-url", url())) {
      assertThat(again.call("GET", "/api/v0/corps", ANN, token, null).status()).isEqualTo(200);
      assertThat(again.call("GET", "/api/v0/corps", ANN, oldBootstrap, null).status())
          .isEqualTo(401);
      assertThat(again.as(ANN, "GET", "/api/v0/corps", null).status()).isEqualTo(200);
    }
  }

  @Test
  void options_jdbcUrlMustBePostgres() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> GatewayOptions.parse("--jdbc-url", "jdbc:mysql://localhost/x"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("jdbc:postgresql:");
    assertThat(GatewayStores.withoutCredentials("jdbc:postgresql://h:5432/db?user=u&password=p"))
        .isEqualTo("jdbc:postgresql://h:5432/db");
  }

  private static boolean pause() throws InterruptedException {
    Thread.sleep(20);
    return true;
  }
}
