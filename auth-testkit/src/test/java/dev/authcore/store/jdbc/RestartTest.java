package dev.authcore.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.Verification;
import dev.authcore.model.Role;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.UsageUpdate;
import dev.authcore.store.InMemoryUserDirectory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops PostgreSQL under a running store and starts it again on the same data directory: while it
 * is down every store call fails with {@link StoreUnavailableException} and auth-core serves only
 * what it has cached; afterwards the same store and pool carry on and nothing is lost.
 */
class RestartTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  @TempDir Path dataDir;

  private EmbeddedPostgres start(int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The pool opens new connections in the background, after a back-off: wait for it. */
  private static void awaitReachable(PostgresTokenStore store) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        store.settings("probe");
        return;
      } catch (StoreUnavailableException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  @Test
  void databaseRestart_storeFailsClosedMeanwhile_thenLosesNothing() throws Exception {
    int port = freePort();
    EmbeddedPostgres server = start(port);
    HikariDataSource pool =
        EmbeddedDatabase.pool(server.getJdbcUrl("postgres", "postgres"), "restart", 4);
    PostgresSchema.migrate(pool);
    PostgresTokenStore store =
        PostgresTokenStore.builder(pool).pollInterval(Duration.ofMillis(50)).build();
    PostgresTokenStore otherNode =
        PostgresTokenStore.builder(pool).pollInterval(Duration.ofMillis(50)).build();
    PostgresTokenStoreNodesTest.Heard heard = new PostgresTokenStoreNodesTest.Heard();
    otherNode.addListener(heard);
    InMemoryUserDirectory users =
        new InMemoryUserDirectory()
            .add("acme", "ann@example.com", Role.USER)
            .add("acme", "bob@example.com", Role.USER);
    AuthCore core =
        AuthCore.builder()
            .tokenPrefix("acme")
            .users(users)
            .store(store)
            .usageFlushInterval(Duration.ZERO)
            .build();
    try {
      IssuedToken cached = core.issuer().issue("ann@example.com", "cached");
      IssuedToken notCached = core.issuer().issue("bob@example.com", "not-cached");
      TokenSettings settings = TokenSettings.defaults().withExpiry(ExpiryPolicy.days(90));
      assertThat(store.replaceSettings("acme", TokenSettings.defaults(), settings)).isTrue();
      store.setPermission("acme", "ann@example.com", true);
      assertThat(
              core.verifier()
                  .verifyWithAddressText("ann@example.com", cached.revealPlaintext(), "10.0.0.7"))
          .isInstanceOf(Verification.Authenticated.class);
      core.flushUsage();
      TokenRecord before = store.find(cached.id()).orElseThrow();
      assertThat(before.recentIps()).containsExactly("10.0.0.7");

      server.close();

      assertThatThrownBy(() -> store.find(notCached.id()))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageStartingWith("PostgresTokenStore.find(token " + notCached.id() + ")");
      assertThatThrownBy(
              () ->
                  store.recordUsage(
                      List.of(new UsageUpdate(cached.id(), before.created(), List.of()))))
          .isInstanceOf(StoreUnavailableException.class);
      assertThatThrownBy(() -> core.issuer().issue("bob@example.com", "while-down"))
          .isInstanceOf(StoreUnavailableException.class);
      // A cache miss fails closed; a token cached before the outage verifies within the bound.
      assertThatThrownBy(
              () -> core.verifier().verify("bob@example.com", notCached.revealPlaintext(), CLIENT))
          .isInstanceOf(StoreUnavailableException.class);
      assertThat(core.verifier().verify("ann@example.com", cached.revealPlaintext(), CLIENT))
          .isInstanceOf(Verification.Authenticated.class);

      server = start(port);
      awaitReachable(store);

      assertThat(store.find(cached.id())).contains(before);
      assertThat(store.find(notCached.id())).isPresent();
      assertThat(store.settings("acme")).isEqualTo(settings);
      assertThat(store.permittedUsers("acme")).containsExactly("ann@example.com");
      assertThat(store.listCorp("acme", null, null, 10)).hasSize(2);
      assertThat(core.verifier().verify("bob@example.com", notCached.revealPlaintext(), CLIENT))
          .isInstanceOf(Verification.Authenticated.class);
      // the other node's change feed reconnected: a change made here still reaches it
      core.issuer().delete("ann@example.com", cached.id());
      String event;
      do {
        event = heard.next(); // the settings and permission changes come first
      } while (event.startsWith("changed "));
      assertThat(event).isEqualTo("deleted " + cached.id());
      assertThat(otherNode.find(cached.id())).isEmpty();
    } finally {
      core.close();
      store.close();
      otherNode.close();
      pool.close();
      server.close();
    }
  }
}
