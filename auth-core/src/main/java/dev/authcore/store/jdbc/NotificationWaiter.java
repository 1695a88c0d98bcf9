package dev.authcore.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Waits for PostgreSQL notifications on a connection that is listening: the driver-specific part of
 * immediate change propagation, which {@code java.sql} cannot express. Pass one to {@link
 * PostgresTokenStore.Builder#notifications}. With the PostgreSQL JDBC driver (pgjdbc), use {@link
 * #pgjdbc()}; with another driver, write the few lines its notification API needs.
 *
 * <p>A notification is only a wake-up: the store then reads the change table, which is the source
 * of truth. A lost, duplicated or spurious notification therefore changes nothing but latency, and
 * a waiter that returns early is harmless.
 *
 * <p>Called from the store's single change-feed thread only, always with the same connection until
 * that connection fails.
 */
@FunctionalInterface
public interface NotificationWaiter {
  /**
   * Blocks until {@code connection} has received at least one notification, or {@code
   * timeoutMillis} have passed, and consumes what has arrived.
   *
   * @param connection a connection on which the store has run {@code LISTEN}; in auto-commit mode
   * @param timeoutMillis how long to wait at most, at least 1
   * @return whether any notification arrived (a hint only)
   * @throws SQLException if the connection failed; the store then opens another one
   */
  boolean await(Connection connection, int timeoutMillis) throws SQLException;

  /**
   * The waiter for the PostgreSQL JDBC driver (pgjdbc, {@code org.postgresql:postgresql}): {@code
   * PGConnection.getNotifications(timeout)} on the unwrapped connection, which works through
   * HikariCP and other pools that implement {@link Connection#unwrap}. pgjdbc is an optional
   * dependency of auth-core: an application that uses the PostgreSQL store has it already.
   *
   * @throws IllegalStateException if pgjdbc is not on the class or module path
   */
  static NotificationWaiter pgjdbc() {
    return PgjdbcNotificationWaiter.create(NotificationWaiter.class.getClassLoader());
  }
}
