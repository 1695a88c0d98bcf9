package dev.authcore.testkit.gateway;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.spi.TokenStore;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.jdbc.NotificationWaiter;
import dev.authcore.store.jdbc.PostgresSchema;
import dev.authcore.store.jdbc.PostgresTokenStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The gateway's choice of token store: the embedded in-memory store by default, or PostgreSQL with
 * {@code --jdbc-url}. On PostgreSQL the gateway applies the shipped schema at start (idempotent,
 * safe when several gateways start at once) and listens for other nodes' changes with {@code
 * LISTEN/NOTIFY}, so a token deleted through one gateway stops working on the others within
 * milliseconds.
 *
 * <p><b>Connections and time bounds.</b> Requests use a HikariCP pool of {@code --db-pool-size}
 * connections (default 8, one per HTTP thread). The change feed holds one connection of its own,
 * outside the pool, so it neither takes a connection from requests nor looks like a leak. Every
 * wait on the database is bounded, so a database that accepts connections and never answers turns
 * requests that need it into prompt 503s rather than hung threads:
 *
 * <ul>
 *   <li>each store call: {@value #CALL_TIMEOUT_SECONDS} s ({@link
 *       PostgresTokenStore.Builder#timeout}, enforced per statement by the store);
 *   <li>taking a connection from the pool: the same {@value #CALL_TIMEOUT_SECONDS} s (HikariCP's
 *       {@code connectionTimeout}; the store's deadline includes it), checking an idle one first:
 *       {@value #VALIDATION_TIMEOUT_MILLIS} ms;
 *   <li>opening a connection: pgjdbc's {@code connectTimeout} and {@code loginTimeout}, {@value
 *       #CALL_TIMEOUT_SECONDS} s each;
 *   <li>any other read, such as applying the schema at start: pgjdbc's {@code socketTimeout},
 *       {@value #SOCKET_TIMEOUT_SECONDS} s.
 * </ul>
 *
 * A timeout the URL sets itself ({@code ?connectTimeout=}, {@code loginTimeout}, {@code
 * socketTimeout}) is left as given, except that HikariCP sets its connections' {@code loginTimeout}
 * to its own {@code connectionTimeout}. Nothing needs restarting after an outage: the pool replaces
 * the connections that broke and the change feed reconnects, reading what it missed.
 */
final class GatewayStores {
  /** Each store call's bound, and the pool's wait for a connection. */
  static final int CALL_TIMEOUT_SECONDS = PostgresTokenStore.DEFAULT_TIMEOUT_SECONDS;

  /** How long the pool may take to check that an idle connection still works. */
  static final int VALIDATION_TIMEOUT_MILLIS = 1000;

  /** The backstop for reads the store does not bound itself (the schema migration at start). */
  static final int SOCKET_TIMEOUT_SECONDS = 10;

  /** pgjdbc's wait for notifications, handed to the store's change feed. */
  private static final NotificationWaiter PGJDBC = NotificationWaiter.pgjdbc();

  private GatewayStores() {}

  /**
   * An opened store and what closes it.
   *
   * @param store the store
   * @param closer closes the store's own resources (the PostgreSQL change feed and pool), or {@code
   *     null}
   * @param description one line for the startup output, without credentials
   */
  record Opened(TokenStore store, @Nullable AutoCloseable closer, String description) {}

  /**
   * Opens the store the options ask for.
   *
   * @throws StoreUnavailableException if the database cannot be reached or its schema cannot be
   *     applied
   */
  static Opened open(GatewayOptions options) {
    @Nullable String url = options.jdbcUrl();
    if (url == null) {
      return new Opened(
          new InMemoryTokenStore(), null, "in-memory token store (nothing survives a restart)");
    }
    HikariDataSource pool = pool(url, options.dbPoolSize());
    try {
      int version = PostgresSchema.migrate(pool);
      PostgresTokenStore store =
          PostgresTokenStore.builder(pool)
              .timeout(Duration.ofSeconds(CALL_TIMEOUT_SECONDS))
              .notifications(PGJDBC, dataSource(url))
              .build();
      AutoCloseable closer =
          () -> {
            try {
              store.close();
            } finally {
              pool.close();
            }
          };
      return new Opened(
          store,
          closer,
          "PostgreSQL token store at "
              + withoutCredentials(url)
              + " (schema version "
              + version
              + ", "
              + options.dbPoolSize()
              + " pooled connections and one for LISTEN/NOTIFY, calls bounded by "
              + CALL_TIMEOUT_SECONDS
              + " s)");
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * A pool of {@code size} connections on {@code url}, with the bounds of the class description. It
   * starts even when the database is down (the schema migration then reports it) and opens its
   * connections in the background.
   */
  static HikariDataSource pool(String url, int size) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(dataSource(url));
    config.setPoolName("auth-gateway");
    config.setMaximumPoolSize(size);
    config.setConnectionTimeout(TimeUnit.SECONDS.toMillis(CALL_TIMEOUT_SECONDS));
    config.setValidationTimeout(VALIDATION_TIMEOUT_MILLIS);
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }

  /**
   * A data source for {@code url}, not yet connected.
   *
   * @throws StoreUnavailableException if pgjdbc cannot read the URL; the message shows the URL
   *     without its credentials (pgjdbc's own message quotes it whole, password included)
   */
  static PGSimpleDataSource dataSource(String url) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    try {
      dataSource.setURL(url);
    } catch (IllegalArgumentException e) {
      // Not chained: the cause's message holds the whole URL.
      throw new StoreUnavailableException(
          "--jdbc-url is not a PostgreSQL JDBC URL pgjdbc can read: '"
              + GatewayOptions.printable(withoutCredentials(url))
              + "' (credentials not shown)");
    }
    if (!setsProperty(url, "connectTimeout")) {
      dataSource.setConnectTimeout(CALL_TIMEOUT_SECONDS);
    }
    if (!setsProperty(url, "loginTimeout")) {
      dataSource.setLoginTimeout(CALL_TIMEOUT_SECONDS);
    }
    if (!setsProperty(url, "socketTimeout")) {
      dataSource.setSocketTimeout(SOCKET_TIMEOUT_SECONDS);
    }
    return dataSource;
  }

  /**
   * Whether the query string of {@code url} sets {@code property}, spelt as pgjdbc reads it (its
   * names are case-sensitive: a misspelt one is ignored by pgjdbc and so here).
   */
  static boolean setsProperty(String url, String property) {
    int query = url.indexOf('?');
    if (query < 0) {
      return false;
    }
    for (String setting : url.substring(query + 1).split("&", -1)) {
      int eq = setting.indexOf('=');
      String name = eq < 0 ? setting : setting.substring(0, eq);
      if (name.equals(property)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The URL up to its query string, where pgjdbc takes user and password, and after its last
   * {@code @}, which ends a {@code user:password@} part (a password may hold an {@code @} too).
   */
  static String withoutCredentials(String url) {
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    int at = base.lastIndexOf('@');
    return at < 0 ? base : "jdbc:postgresql://" + base.substring(at + 1);
  }
}
