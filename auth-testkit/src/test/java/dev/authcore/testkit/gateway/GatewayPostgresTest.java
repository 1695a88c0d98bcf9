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

  private static final java.util.concurrent.atomic.AtomicInteger DATABASES =
      new java.util.concurrent.atomic.AtomicInteger();

  /** The URL of a new, empty database. */
  private static String url() throws java.sql.SQLException {
    String name = "gw" + DATABASES.incrementAndGet();
    try (java.sql.Connection c = postgres.getPostgresDatabase().getConnection();
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return postgres.getJdbcUrl("postgres", name);
  }

  @Test
  void twoGateways_shareTokens_deleteOnOneRejectedOnTheOtherPromptly(
      @TempDir Path a, @TempDir Path b) throws Exception {
    String url = url();
    try (GatewayFixture one = GatewayFixture.start(a, "--jdbc-url", url)) {
      Reply created = one.as(ANN, "POST", "/api/v0/me/tokens", "{\"name\":\"shared\"}");
      assertThat(created.status()).as(created.text()).isEqualTo(201);
      String token = created.json().get("token").stringValue();
      String id = created.json().get("id").stringValue();

      try (GatewayFixture two = GatewayFixture.start(b, "--jdbc-url", url)) {
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
  void restart_keepsEveryToken_bootstrapIncluded_andSaysSo(@TempDir Path a, @TempDir Path b)
      throws Exception {
    String url = url();
    String token;
    String oldBootstrap;
    try (GatewayFixture first = GatewayFixture.start(a, "--jdbc-url", url)) {
      Reply created = first.as(ANN, "POST", "/api/v0/me/tokens", "{\"name\":\"kept\"}");
      assertThat(created.status()).as(created.text()).isEqualTo(201);
      token = created.json().get("token").stringValue();
      oldBootstrap = first.token(ANN);
    }
    try (GatewayFixture again = GatewayFixture.start(b, "--jdbc-url", url)) {
      assertThat(again.call("GET", "/api/v0/corps", ANN, token, null).status()).isEqualTo(200);
      assertThat(again.call("GET", "/api/v0/corps", ANN, oldBootstrap, null).status())
          .as("the bootstrap token printed by the earlier start still works")
          .isEqualTo(200);
      assertThat(again.tokens).as("no user was issued a second bootstrap token").isEmpty();
      assertThat(again.stderr)
          .contains(ANN + " already has a token named 'bootstrap'")
          .doesNotContain(oldBootstrap);
      assertThat(again.stdout).doesNotContain("gw_").contains("<bootstrap token>");
    }
  }

  /**
   * Two gateways started at the same moment on one empty database: both start, every user gets
   * exactly one bootstrap token from one of them, and each printed token works on both.
   */
  @Test
  @org.junit.jupiter.api.Timeout(value = 180, unit = java.util.concurrent.TimeUnit.SECONDS)
  void twoGatewaysStartedTogether_onAnEmptyDatabase_bothStart_everyPrintedTokenWorks(
      @TempDir Path a, @TempDir Path b) throws Exception {
    String url = url();
    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
    java.util.concurrent.ExecutorService starters =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.Future<GatewayFixture> one =
          starters.submit(
              () -> {
                together.await();
                return GatewayFixture.start(a, "--jdbc-url", url);
              });
      java.util.concurrent.Future<GatewayFixture> two =
          starters.submit(
              () -> {
                together.await();
                return GatewayFixture.start(b, "--jdbc-url", url);
              });
      try (GatewayFixture first = one.get(120, java.util.concurrent.TimeUnit.SECONDS);
          GatewayFixture second = two.get(120, java.util.concurrent.TimeUnit.SECONDS)) {
        java.util.Map<String, String> printed = new java.util.HashMap<>(first.tokens);
        for (java.util.Map.Entry<String, String> e : second.tokens.entrySet()) {
          assertThat(printed.put(e.getKey(), e.getValue()))
              .as("%s was issued a bootstrap token by both gateways", e.getKey())
              .isNull();
        }
        assertThat(printed)
            .containsOnlyKeys(
                GatewayFixture.OLGA, GatewayFixture.ANN, GatewayFixture.BOB, GatewayFixture.BEA);
        for (java.util.Map.Entry<String, String> e : printed.entrySet()) {
          for (GatewayFixture gw : java.util.List.of(first, second)) {
            assertThat(gw.call("GET", "/api/v0/corps", e.getKey(), e.getValue(), null).status())
                .as("%s's printed token on each gateway", e.getKey())
                .isEqualTo(200);
          }
        }
      }
    } finally {
      starters.shutdownNow();
    }
  }

  /** A gateway started after another on the same database leaves the first one's tokens alone. */
  @Test
  void secondGateway_keepsTheFirstOnesPrintedBootstrapTokens(@TempDir Path a, @TempDir Path b)
      throws Exception {
    String url = url();
    try (GatewayFixture first = GatewayFixture.start(a, "--jdbc-url", url);
        GatewayFixture second = GatewayFixture.start(b, "--jdbc-url", url)) {
      for (java.util.Map.Entry<String, String> e : first.tokens.entrySet()) {
        assertThat(second.call("GET", "/api/v0/corps", e.getKey(), e.getValue(), null).status())
            .as("%s's token printed by the first gateway", e.getKey())
            .isEqualTo(200);
        assertThat(first.call("GET", "/api/v0/corps", e.getKey(), e.getValue(), null).status())
            .isEqualTo(200);
      }
      assertThat(first.tokens).hasSize(4);
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
