package dev.authcore.store.jdbc;

import static dev.authcore.store.jdbc.Records.T0;
import static dev.authcore.store.jdbc.Records.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.FeedStatus;
import dev.authcore.spi.StoreListener;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore.InsertOutcome;
import dev.authcore.spi.UsageUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link PostgresTokenStore} on a PostgreSQL that stops answering: a {@link FaultProxy} between the
 * store and the embedded server accepts connections and forwards nothing (a stuck primary, a
 * partition). Store calls then fail with {@link StoreUnavailableException} instead of waiting for
 * ever, and everything works again once the database answers, without a restart.
 *
 * <p>The only time guard is each test's {@link Timeout}, in a separate thread so that a call stuck
 * in a socket read fails the test instead of hanging the build: a hung call is the failure.
 */
class HungDatabaseTest {
  /** The stores' timeout here: short, so the tests are quick. */
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private final List<AutoCloseable> opened = new ArrayList<>();
  private FaultProxy proxy;
  private String schema = "";

  @BeforeEach
  void setUp(TestInfo info) {
    schema = EmbeddedDatabase.newSchema(info.getTestMethod().orElseThrow().getName());
    proxy = FaultProxy.start(EmbeddedDatabase.port(), Duration.ofMinutes(3));
  }

  @AfterEach
  void tearDown() throws Exception {
    proxy.close(); // first: nothing below then waits on a frozen connection
    Collections.reverse(opened);
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
  }

  /** A pool through the proxy, failing fast (1 s) when it cannot get a connection. */
  private HikariDataSource proxiedPool(String name, int size) {
    HikariDataSource pool =
        EmbeddedDatabase.pool(proxy.jdbcUrl("postgres", "postgres", TIMEOUT), name, size);
    opened.add(pool);
    return pool;
  }

  /** Plain pgjdbc connections through the proxy, with connect and login timeouts. */
  private DataSource proxiedConnections() {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(proxy.jdbcUrl("postgres", "postgres", TIMEOUT));
    return dataSource;
  }

  private PostgresTokenStore store(DataSource pool, Consumer<PostgresTokenStore.Builder> options) {
    PostgresTokenStore.Builder builder =
        PostgresTokenStore.builder(pool).schema(schema).channel(schema).timeout(TIMEOUT);
    options.accept(builder);
    PostgresTokenStore store = builder.build();
    opened.add(store);
    return store;
  }

  @Test
  @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
  void calls_whileDatabaseFrozen_failStoreUnavailable() {
    PostgresTokenStore store = store(proxiedPool("frozen", 2), o -> {});
    TokenRecord kept = token(1, "acme", "ann@example.com", "kept", T0);
    assertThat(store.insert(kept, 5)).isEqualTo(InsertOutcome.INSERTED);
    // Used a moment ago, so the pool lends it without checking it first: the call itself meets
    // the silent database, as a busy gateway's calls do.
    assertThat(store.find(kept.id())).contains(kept);

    proxy.freeze();

    assertThatThrownBy(() -> store.find(kept.id()))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageStartingWith("PostgresTokenStore.find(token " + kept.id() + ")");
    assertThatThrownBy(() -> store.insert(token(2, "acme", "ann@example.com", "new", T0), 5))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("nothing written");
    assertThatThrownBy(() -> store.settings("acme")).isInstanceOf(StoreUnavailableException.class);
    assertThatThrownBy(
            () -> store.recordUsage(List.of(new UsageUpdate(kept.id(), T0, List.of("10.0.0.1")))))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
  void statement_frozenMidCall_failsSayingTheDatabaseDidNotAnswer() {
    // A plain DataSource: the connection is made before the freeze, which then hits the query.
    PostgresTokenStore store = store(new FreezeOnFirstStatement(proxiedConnections()), o -> {});

    assertThatThrownBy(() -> store.find(TokenId.fromLong(7)))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("did not answer within the store's timeout of 1 s");
  }

  @Test
  @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
  void insert_behindLockOfStuckTransaction_cancelledWithinTimeout_thenSucceeds() throws Exception {
    // The database answers; a transaction elsewhere holds the owner's row and never ends.
    PostgresTokenStore store =
        store(EmbeddedDatabase.nodeA(), o -> o.timeout(Duration.ofMillis(2500)));
    assertThat(store.insert(token(1, "acme", "ann@example.com", "first", T0), 5))
        .isEqualTo(InsertOutcome.INSERTED);
    TokenRecord second = token(2, "acme", "ann@example.com", "second", T0);
    try (java.sql.Connection stuck = EmbeddedDatabase.nodeB().getConnection()) {
      stuck.setAutoCommit(false);
      try (java.sql.Statement lock = stuck.createStatement()) {
        lock.execute(
            "SELECT 1 FROM \""
                + schema
                + "\".authcore_owners WHERE corp = 'acme' AND owner_key = 'ann@example.com'"
                + " FOR UPDATE");
      }

      assertThatThrownBy(() -> store.insert(second, 5))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("did not answer within the store's timeout of 2500 ms")
          .hasMessageContaining("nothing written");

      stuck.rollback();
    }
    assertThat(store.insert(second, 5)).isEqualTo(InsertOutcome.INSERTED);
  }

  @Test
  @Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
  void pool_afterFreezeEnds_recoversWithoutRestart() throws Exception {
    HikariDataSource pool = proxiedPool("recovering", 2);
    PostgresTokenStore store = store(pool, o -> {});
    TokenRecord kept = token(1, "acme", "ann@example.com", "kept", T0);
    assertThat(store.insert(kept, 5)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.find(kept.id())).contains(kept);

    proxy.freeze();
    // Twice as many callers as connections: each fails on its own, none waits for ever.
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        calls.add(callers.submit(() -> store.find(kept.id())));
      }
      for (Future<?> call : calls) {
        assertThatThrownBy(call::get).hasCauseInstanceOf(StoreUnavailableException.class);
      }
    } finally {
      callers.shutdownNow();
    }

    proxy.pass();

    awaitReachable(store);
    assertThat(store.find(kept.id())).contains(kept);
    TokenRecord added = token(2, "acme", "ann@example.com", "after", T0);
    assertThat(store.insert(added, 5)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.listByOwner("acme", "ann@example.com")).containsExactly(kept, added);
    TokenSettings restricted = TokenSettings.defaults().withRestricted(true);
    assertThat(store.replaceSettings("acme", TokenSettings.defaults(), restricted)).isTrue();
  }

  @Test
  @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
  void changeFeed_listeningConnectionLostSilently_reconnectsAndHearsDeleteMadeMeanwhile()
      throws Exception {
    PostgresTokenStore nodeA = store(EmbeddedDatabase.nodeA(), o -> {});
    // An hour between polls: only a notification, or the read after reconnecting, tells B.
    PostgresTokenStore nodeB =
        store(
            proxiedPool("node-b", 2),
            o ->
                o.pollInterval(Duration.ofHours(1))
                    .notifications(EmbeddedDatabase.PGJDBC, proxiedConnections()));
    Deletions heard = new Deletions();
    nodeB.addListener(heard);
    TokenRecord warm = token(1, "acme", "olga@example.com", "warm-up", T0);
    nodeA.insert(warm, 5);
    nodeA.delete(warm.id());
    assertThat(heard.next()).isEqualTo(warm.id()); // B is listening
    TokenRecord doomed = token(2, "acme", "ann@example.com", "doomed", T0);
    nodeA.insert(doomed, 5);

    proxy.freeze();
    assertThat(nodeA.delete(doomed.id())).isPresent(); // A reaches the database; B hears nothing
    // The database side of B's connections goes away; B is never told (no reset reaches it).
    proxy.strand();
    proxy.pass();

    assertThat(heard.next()).isEqualTo(doomed.id());
    TokenRecord later = token(3, "acme", "ann@example.com", "later", T0);
    nodeA.insert(later, 5);
    nodeA.delete(later.id());
    assertThat(heard.next()).isEqualTo(later.id()); // listening again, not only catching up
  }

  @Test
  @Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
  void feedStatus_databaseLost_disconnectedWithGrowingLag_thenConnectedWithOneReconnect()
      throws Exception {
    PostgresTokenStore node =
        store(
            proxiedPool("feed-status", 2),
            o ->
                o.pollInterval(Duration.ofMillis(100))
                    .notifications(EmbeddedDatabase.PGJDBC, proxiedConnections()));
    node.addListener(new Deletions());
    awaitFeed(node, FeedStatus.State.CONNECTED);
    assertThat(node.feedStatus().reconnects()).isZero();

    proxy.freeze(); // the next read waits for the store's timeout, then the feed lets go
    awaitFeed(node, FeedStatus.State.DISCONNECTED);
    FeedStatus lost = node.feedStatus();
    assertThat(lost.reconnects()).isZero();
    // The read that met the freeze waited for the store's timeout before the feed let go.
    assertThat(lost.lag()).as("nothing read since the freeze").isGreaterThan(TIMEOUT.dividedBy(2));
    Thread.sleep(200);
    assertThat(node.feedStatus().lag()).isGreaterThan(lost.lag());

    proxy.strand();
    proxy.pass();
    awaitFeed(node, FeedStatus.State.CONNECTED);
    FeedStatus back = node.feedStatus();
    assertThat(back.reconnects()).isEqualTo(1);
    assertThat(back.lag()).isLessThan(TIMEOUT);
  }

  /** Waits, within the test's timeout, until the store reports its feed in {@code state}. */
  private static void awaitFeed(PostgresTokenStore store, FeedStatus.State state)
      throws InterruptedException {
    while (store.feedStatus().state() != state) {
      Thread.sleep(10);
    }
  }

  @Test
  @Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
  void changeFeed_withItsOwnConnections_leavesThePoolWhole() throws Exception {
    HikariDataSource pool = proxiedPool("one-connection", 1);
    PostgresTokenStore nodeA = store(EmbeddedDatabase.nodeA(), o -> {});
    PostgresTokenStore nodeB =
        store(pool, o -> o.notifications(EmbeddedDatabase.PGJDBC, proxiedConnections()));
    Deletions heard = new Deletions();
    nodeB.addListener(heard);
    TokenRecord record = token(1, "acme", "ann@example.com", "t", T0);
    nodeA.insert(record, 5);
    nodeA.delete(record.id());
    assertThat(heard.next()).isEqualTo(record.id()); // the feed listens

    // The pool's only connection is free for calls: the feed's is not one of it.
    assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
    assertThat(nodeB.find(record.id())).isEmpty();
    assertThat(nodeB.insert(token(2, "acme", "ann@example.com", "t", T0), 5))
        .isEqualTo(InsertOutcome.INSERTED);
  }

  /** Retries a cheap call until the store answers; the test's timeout bounds the wait. */
  private static void awaitReachable(PostgresTokenStore store) throws InterruptedException {
    while (true) {
      try {
        store.settings("probe");
        return;
      } catch (StoreUnavailableException e) {
        Thread.sleep(50);
      }
    }
  }

  /** Deleted token ids as they are heard. */
  private static final class Deletions implements StoreListener {
    private final BlockingQueue<TokenId> deleted = new LinkedBlockingQueue<>();

    @Override
    public void tokenDeleted(TokenId id) {
      deleted.add(id);
    }

    @Override
    public void corpChanged(String corp) {}

    /** The next deletion heard; waits as long as the test's timeout lets it. */
    TokenId next() throws InterruptedException {
      return deleted.take();
    }
  }

  /**
   * Connections of {@code delegate} whose first statement meets a frozen database: the proxy
   * freezes after the connection is made and before anything is sent on it.
   */
  private final class FreezeOnFirstStatement extends DelegatingDataSource {
    FreezeOnFirstStatement(DataSource delegate) {
      super(delegate);
    }

    @Override
    public java.sql.Connection getConnection() throws java.sql.SQLException {
      java.sql.Connection connection = super.getConnection();
      proxy.freeze();
      return connection;
    }
  }
}
