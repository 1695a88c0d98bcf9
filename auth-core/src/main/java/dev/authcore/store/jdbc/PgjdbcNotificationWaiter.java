package dev.authcore.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * {@link NotificationWaiter#pgjdbc()}. pgjdbc is an optional dependency: this class is the only one
 * that names its types, and it is loaded only after {@link #create} has checked that they are
 * there, so a deployment without pgjdbc gets a message instead of a {@link NoClassDefFoundError}.
 */
final class PgjdbcNotificationWaiter implements NotificationWaiter {
  private static final String PG_CONNECTION = "org.postgresql.PGConnection";

  private PgjdbcNotificationWaiter() {}

  /**
   * The pgjdbc waiter, if {@code loader} sees pgjdbc.
   *
   * @throws IllegalStateException saying what to add, if it does not
   */
  static NotificationWaiter create(@Nullable ClassLoader loader) {
    try {
      Class.forName(PG_CONNECTION, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException(
          "NotificationWaiter.pgjdbc() needs the PostgreSQL JDBC driver (org.postgresql:postgresql)"
              + " on the class or module path, and "
              + PG_CONNECTION
              + " cannot be loaded; add the driver, or pass a NotificationWaiter for your driver",
          e);
    }
    return new PgjdbcNotificationWaiter();
  }

  @Override
  public boolean await(Connection connection, int timeoutMillis) throws SQLException {
    PGNotification[] got = connection.unwrap(PGConnection.class).getNotifications(timeoutMillis);
    return got != null && got.length > 0;
  }

  @Override
  public String toString() {
    return "NotificationWaiter.pgjdbc()";
  }
}
