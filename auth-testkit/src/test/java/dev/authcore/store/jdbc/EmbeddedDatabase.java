package dev.authcore.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One embedded PostgreSQL server per test JVM (it starts in about 3 s), and a fresh schema per test
 * so tests never see each other's rows. Pools made here are closed when the JVM exits.
 */
final class EmbeddedDatabase {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static final AtomicInteger POOLS = new AtomicInteger();

  /** pgjdbc's way to wait for notifications: what an application passes to the store. */
  static final NotificationWaiter PGJDBC = NotificationWaiter.pgjdbc();

  private EmbeddedDatabase() {}

  private static final class Holder {
    static final EmbeddedPostgres SERVER = start();
    // The shared nodes never see the server down, but a busy 2-core machine can keep a
    // connection from coming free within 1 s while many test threads insert at once.
    static final HikariDataSource NODE_A = pool(jdbcUrlOrStart(), "node-a", 16, 10_000);
    static final HikariDataSource NODE_B = pool(jdbcUrlOrStart(), "node-b", 16, 10_000);

    private static EmbeddedPostgres start() {
      try {
        return EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not start", e);
      }
    }
  }

  /** The pool of "node A". */
  static DataSource nodeA() {
    return Holder.NODE_A;
  }

  /** A second pool on the same database: "node B". */
  static DataSource nodeB() {
    return Holder.NODE_B;
  }

  /** The TCP port of the shared server on the loopback interface. */
  static int port() {
    return Holder.SERVER.getPort();
  }

  /** The JDBC URL of the shared server. */
  static String jdbcUrl() {
    return Holder.SERVER.getJdbcUrl("postgres", "postgres");
  }

  /** A new pool on the shared server; closed at JVM exit. */
  static HikariDataSource pool(String name, int size) {
    return pool(jdbcUrlOrStart(), name, size);
  }

  private static String jdbcUrlOrStart() {
    return Holder.SERVER.getJdbcUrl("postgres", "postgres");
  }

  /** A new pool on {@code url}, failing fast (1 s) when the server is down. */
  static HikariDataSource pool(String url, String name, int size) {
    return pool(url, name, size, 1_000);
  }

  private static HikariDataSource pool(
      String url, String name, int size, long connectionTimeoutMillis) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("postgres");
    config.setPoolName(name + "-" + POOLS.incrementAndGet());
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(connectionTimeoutMillis);
    config.setValidationTimeout(500);
    config.setInitializationFailTimeout(-1);
    HikariDataSource pool = new HikariDataSource(config);
    Runtime.getRuntime().addShutdownHook(new Thread(pool::close));
    return pool;
  }

  /** A fresh schema with auth-core's tables, named after {@code hint}. */
  static String newSchema(String hint) {
    String name =
        "t"
            + SCHEMAS.incrementAndGet()
            + "_"
            + hint.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "_");
    if (name.length() > 63) {
      name = name.substring(0, 63);
    }
    PostgresSchema.migrate(nodeA(), name);
    return name;
  }

  /** Runs SQL on node A, for checks the store's API cannot make. */
  static void execute(String sql) {
    try (Connection connection = nodeA().getConnection()) {
      connection.createStatement().execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
