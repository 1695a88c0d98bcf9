package dev.authcore.testkit.gateway;

import static dev.authcore.testkit.gateway.GatewayFixture.ANN;
import static dev.authcore.testkit.gateway.GatewayFixture.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.store.jdbc.FaultProxy;
import dev.authcore.testkit.gateway.GatewayFixture.Reply;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway with {@code --jdbc-url} on a PostgreSQL that stops answering, through a {@link
 * FaultProxy}: a request that needs the database gets a prompt 503 instead of hanging, and the
 * gateway serves it again once the database answers, without a restart. Also the pool: {@code
 * --db-pool-size} and a change feed that does not take a pooled connection.
 *
 * <p>The only time guard is each test's {@link Timeout}, in a separate thread, so a hung request
 * fails the test instead of hanging the build.
 */
class GatewayHungDatabaseTest {
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

  /** A new, empty database's name: each gateway here starts on a database of its own. */
  private static String database() throws java.sql.SQLException {
    String name = "hung" + DATABASES.incrementAndGet();
    try (java.sql.Connection c = postgres.getPostgresDatabase().getConnection();
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return name;
  }

  @Test
  @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
  void uncachedToken_whileDatabaseFrozen_503_thenServedAgainWithoutRestart(@TempDir Path dir)
      throws Exception {
    try (FaultProxy proxy = FaultProxy.start(postgres.getPort(), Duration.ofMinutes(3));
        GatewayFixture gateway =
            GatewayFixture.start(
                dir,
                "--jdbc-url",
                "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database() + "?user=postgres",
                "--db-pool-size",
                "2")) {
      assertThat(gateway.as(ANN, "GET", "/api/v0/corps", null).status()).isEqualTo(200);

      proxy.freeze();
      // Bob's token was issued at start and never used: the gateway must read it from the store.
      Reply during = gateway.as(BOB, "GET", "/api/v0/corps", null);
      assertThat(during.status()).as(during.text()).isEqualTo(503);
      assertThat(during.json().get("error").stringValue()).contains("unavailable");

      proxy.pass();
      int status;
      do {
        status = gateway.as(BOB, "GET", "/api/v0/corps", null).status();
      } while (status == 503 && pause());
      assertThat(status).isEqualTo(200);
      Reply created = gateway.as(BOB, "POST", "/api/v0/me/tokens", "{\"name\":\"after\"}");
      assertThat(created.status()).as(created.text()).isEqualTo(201);
    }
  }

  @Test
  @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
  void poolOfOne_changeFeedListensOnItsOwnConnection_requestsKeepThePool(
      @TempDir Path a, @TempDir Path b) throws Exception {
    String url = postgres.getJdbcUrl("postgres", database());
    try (GatewayFixture one = GatewayFixture.start(a, "--jdbc-url", url);
        GatewayFixture two = GatewayFixture.start(b, "--jdbc-url", url, "--db-pool-size", "1")) {
      // The second gateway kept the bootstrap tokens the first one printed.
      String annBootstrap = one.token(ANN);
      Reply created =
          two.call("POST", "/api/v0/me/tokens", ANN, annBootstrap, "{\"name\":\"shared\"}");
      assertThat(created.status()).as(created.text()).isEqualTo(201);
      String token = created.json().get("token").stringValue();
      String id = created.json().get("id").stringValue();
      assertThat(two.call("GET", "/api/v0/corps", ANN, token, null).status()).isEqualTo(200);

      Reply deleted = one.call("DELETE", "/api/v0/me/tokens/" + id, ANN, token, null);
      assertThat(deleted.status()).as(deleted.text()).isEqualTo(204);
      int status;
      do {
        status = two.call("GET", "/api/v0/corps", ANN, token, null).status();
      } while (status == 200 && pause());
      assertThat(status).isEqualTo(401);

      // The feed listens, and the pool's one connection still serves requests.
      Reply again = two.call("POST", "/api/v0/me/tokens", ANN, annBootstrap, "{\"name\":\"next\"}");
      assertThat(again.status()).as(again.text()).isEqualTo(201);
      assertThat(two.call("GET", "/api/v0/me/tokens", ANN, annBootstrap, null).status())
          .isEqualTo(200);
    }
  }

  @Test
  void options_dbPoolSize_defaultEight_oneToHundred_onlyWithJdbcUrl() {
    String url = "jdbc:postgresql://localhost/auth";
    assertThat(GatewayOptions.defaults().dbPoolSize()).isEqualTo(8);
    assertThat(GatewayOptions.parse("--jdbc-url", url).dbPoolSize()).isEqualTo(8);
    assertThat(GatewayOptions.parse("--jdbc-url", url, "--db-pool-size", "1").dbPoolSize())
        .isEqualTo(1);
    assertThat(GatewayOptions.parse("--db-pool-size=100", "--jdbc-url", url).dbPoolSize())
        .isEqualTo(100);
    for (String bad : new String[] {"0", "101", "-3", "eight", "", "2147483648"}) {
      assertThatThrownBy(() -> GatewayOptions.parse("--jdbc-url", url, "--db-pool-size=" + bad))
          .as(bad)
          .isInstanceOf(UsageException.class)
          .hasMessageStartingWith("--db-pool-size must be a number of connections from 1 to 100");
    }
    assertThatThrownBy(
            () ->
                GatewayOptions.parse(
                    "--jdbc-url", url, "--db-pool-size", "2", "--db-pool-size", "3"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--db-pool-size given twice");
    assertThatThrownBy(() -> GatewayOptions.parse("--db-pool-size", "4"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--jdbc-url");
    assertThatThrownBy(() -> GatewayOptions.parse("--jdbc-url", url, "--db-pool-size"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--db-pool-size needs a value");
    assertThat(GatewayOptions.USAGE).contains("--db-pool-size N");
  }

  @Test
  void dataSource_boundsEveryWait_unlessTheUrlSetsItsOwn() {
    var bounded = GatewayStores.dataSource("jdbc:postgresql://db.example/auth?user=gw");
    assertThat(bounded.getConnectTimeout()).isEqualTo(GatewayStores.CALL_TIMEOUT_SECONDS);
    assertThat(bounded.getLoginTimeout()).isEqualTo(GatewayStores.CALL_TIMEOUT_SECONDS);
    assertThat(bounded.getSocketTimeout()).isEqualTo(GatewayStores.SOCKET_TIMEOUT_SECONDS);
    var own =
        GatewayStores.dataSource(
            "jdbc:postgresql://db.example/auth?connectTimeout=7&socketTimeout=40&loginTimeout=9");
    assertThat(own.getConnectTimeout()).isEqualTo(7);
    assertThat(own.getLoginTimeout()).isEqualTo(9);
    assertThat(own.getSocketTimeout()).isEqualTo(40);
    // pgjdbc ignores a name in another case, so the gateway's bound stays
    var misspelt = GatewayStores.dataSource("jdbc:postgresql://db.example/auth?SOCKETTIMEOUT=0");
    assertThat(misspelt.getSocketTimeout()).isEqualTo(GatewayStores.SOCKET_TIMEOUT_SECONDS);
  }

  private static boolean pause() throws InterruptedException {
    Thread.sleep(50);
    return true;
  }
}
