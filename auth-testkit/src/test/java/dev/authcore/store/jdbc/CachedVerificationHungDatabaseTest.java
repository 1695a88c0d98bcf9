package dev.authcore.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.authcore.AuditEvent;
import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.model.Role;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.store.InMemoryUserDirectory;
import dev.authcore.testkit.FakeClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * A deployment on the real {@link PostgresTokenStore}, with a {@link FaultProxy} between it and
 * PostgreSQL that freezes (accepts connections, answers nothing): cached tokens keep verifying,
 * past their cache bound within the outage grace, without touching the database; a token that is
 * not cached fails with {@link StoreUnavailableException} once the store's timeout passes; the
 * deployment says it entered and left outage mode; and once the database answers everything works
 * again, with no restart.
 *
 * <p>The only time guard is each test's {@link Timeout}, in a separate thread: a verification stuck
 * on the frozen database fails the test instead of hanging the build.
 */
class CachedVerificationHungDatabaseTest {
  private static final Duration STORE_TIMEOUT = Duration.ofSeconds(1);
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
  private static final String ANN = "ann@example.com";
  private static final String BOB = "bob@example.com";

  private final List<AutoCloseable> opened = new ArrayList<>();
  private final List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
  private final FakeClock clock = FakeClock.atDefaultStart();
  private FaultProxy proxy;
  private AuthCore core;

  @BeforeEach
  void setUp(TestInfo info) {
    String schema = EmbeddedDatabase.newSchema(info.getTestMethod().orElseThrow().getName());
    proxy = FaultProxy.start(EmbeddedDatabase.port(), Duration.ofMinutes(3));
    HikariDataSource pool =
        EmbeddedDatabase.pool(proxy.jdbcUrl("postgres", "postgres", STORE_TIMEOUT), "core", 4);
    opened.add(pool);
    PostgresTokenStore store =
        PostgresTokenStore.builder(pool)
            .schema(schema)
            .channel(schema)
            .timeout(STORE_TIMEOUT)
            .build();
    opened.add(store);
    core =
        AuthCore.builder()
            .tokenPrefix("acme")
            .users(
                new InMemoryUserDirectory().add("acme", ANN, Role.USER).add("acme", BOB, Role.USER))
            .store(store)
            .clock(clock)
            .cacheBound(Duration.ofSeconds(30))
            .outageGrace(Duration.ofMinutes(5))
            .maxConcurrentLoads(2)
            .usageFlushInterval(Duration.ofMillis(200))
            .auditListener(events::add)
            .build();
    opened.add(core);
  }

  @AfterEach
  void tearDown() throws Exception {
    proxy.close(); // first: nothing below then waits on a frozen connection
    Collections.reverse(opened);
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
  }

  private boolean authenticated(IssuedToken token, String user) {
    return core.verifier().verify(user, token.revealPlaintext(), CLIENT).isAuthenticated();
  }

  private <E extends AuditEvent> List<E> events(Class<E> type) {
    synchronized (events) {
      return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  @Test
  @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
  void databaseFrozen_cachedServedWithinGrace_missesFail_thenRecoversWithoutRestart()
      throws Exception {
    IssuedToken hot = core.issuer().issue(ANN, "hot");
    IssuedToken cold = core.issuer().issue(BOB, "cold");
    assertThat(authenticated(hot, ANN)).isTrue();

    proxy.freeze();
    // Cached: verified without the database (usage writes wait in the background meanwhile).
    for (int i = 0; i < 20_000; i++) {
      assertThat(authenticated(hot, ANN)).isTrue();
    }
    // Not cached: the store's timeout ends the wait, and the request fails closed.
    assertThatThrownBy(() -> core.verifier().verify(BOB, cold.revealPlaintext(), CLIENT))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(events(AuditEvent.OutageStarted.class)).hasSize(1);

    // Past the 30 s cache bound, within the 5 min grace: still served, still without waiting.
    clock.advance(Duration.ofMinutes(4));
    for (int i = 0; i < 20_000; i++) {
      assertThat(authenticated(hot, ANN)).isTrue();
    }
    // Past bound plus grace: read again, and the database still does not answer.
    clock.advance(Duration.ofSeconds(91));
    assertThatThrownBy(() -> core.verifier().verify(ANN, hot.revealPlaintext(), CLIENT))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(events(AuditEvent.OutageEnded.class)).isEmpty();

    proxy.pass();
    while (true) {
      try {
        if (authenticated(cold, BOB)) {
          break;
        }
      } catch (StoreUnavailableException e) {
        Thread.sleep(50); // connections the pool must replace; the test's timeout bounds this
      }
    }
    assertThat(authenticated(hot, ANN)).isTrue();
    IssuedToken after = core.issuer().issue(BOB, "after");
    assertThat(authenticated(after, BOB)).isTrue();
    assertThat(events(AuditEvent.OutageStarted.class)).hasSize(1);
    assertThat(events(AuditEvent.OutageEnded.class)).hasSize(1);
    for (AuditEvent event : events) {
      assertThat(event.toString())
          .doesNotContain(hot.revealPlaintext())
          .doesNotContain(cold.revealPlaintext());
    }
  }
}
