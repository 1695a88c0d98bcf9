package dev.authcore.testkit.gateway;

import dev.authcore.model.StoreUnavailableException;
import dev.authcore.spi.TokenStore;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.jdbc.NotificationWaiter;
import dev.authcore.store.jdbc.PostgresSchema;
import dev.authcore.store.jdbc.PostgresTokenStore;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The gateway's choice of token store: the embedded in-memory store by default, or PostgreSQL with
 * {@code --jdbc-url}. On PostgreSQL the gateway applies the shipped schema at start (idempotent,
 * safe when several gateways start at once) and listens for other nodes' changes with {@code
 * LISTEN/NOTIFY}, so a token deleted through one gateway stops working on the others within
 * milliseconds.
 */
final class GatewayStores {
  /** pgjdbc's wait for notifications, handed to the store's change feed. */
  private static final NotificationWaiter PGJDBC =
      (connection, timeoutMillis) -> {
        PGNotification[] got =
            connection.unwrap(PGConnection.class).getNotifications(timeoutMillis);
        return got != null && got.length > 0;
      };

  private GatewayStores() {}

  /**
   * An opened store and what closes it.
   *
   * @param store the store
   * @param closer closes the store's own resources (the PostgreSQL change feed), or {@code null}
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
    PGSimpleDataSource dataSource = dataSource(url);
    int version = PostgresSchema.migrate(dataSource);
    PostgresTokenStore store = PostgresTokenStore.builder(dataSource).notifications(PGJDBC).build();
    return new Opened(
        store,
        store,
        "PostgreSQL token store at "
            + withoutCredentials(url)
            + " (schema version "
            + version
            + ", changes from other nodes by LISTEN/NOTIFY)");
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
    return dataSource;
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
