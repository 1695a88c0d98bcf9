package dev.authcore.store.jdbc;

import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The store's time bound, applied to each call: a deadline fixed when the call starts, from which
 * every wait on the database gets what is left.
 *
 * <p>Two mechanisms, both plain JDBC so that no driver type is needed:
 *
 * <ul>
 *   <li>{@link Connection#setNetworkTimeout}: the longest any read from the database's socket may
 *       block. This is the hard bound: it holds when the database accepts bytes and never answers
 *       (a stuck primary, a network partition), where nothing else would. pgjdbc treats an expired
 *       read as a broken connection and closes it, so a pool discards it.
 *   <li>{@link Statement#setQueryTimeout}: the database cancels a statement still running after the
 *       whole seconds left (a lock wait behind a stuck transaction) and the connection stays
 *       usable. It only works while the database answers, so it is set a little below the network
 *       timeout and never relied on alone.
 * </ul>
 *
 * <p>Getting a connection is the {@code DataSource}'s to bound (a pool's acquisition timeout, the
 * driver's connect and login timeouts): {@code getConnection} cannot be interrupted from outside.
 * The deadline starts before it, so a call that waited long for its connection has less left for
 * its statements, and one that got its connection after the deadline fails at once.
 *
 * <p>Thread-safe; each {@link Call} belongs to one thread.
 */
final class Timeouts {
  private static final System.Logger LOG = System.getLogger(Timeouts.class.getName());

  /**
   * Where a driver runs what it does when a network timeout expires (pgjdbc runs nothing there;
   * others abort the connection): on its own thread, since the abort is short.
   */
  private static final Executor ON_DRIVER_THREAD = Runnable::run;

  final Duration timeout;
  private final long timeoutNanos;
  private final String owner;

  /** Set once the driver has refused {@link Connection#setNetworkTimeout}: not tried again. */
  private final AtomicBoolean networkTimeoutUnsupported = new AtomicBoolean();

  Timeouts(Duration timeout, String owner) {
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
    this.owner = owner;
  }

  /** Starts a call now: gets a connection from {@code dataSource}, within the deadline. */
  Call connect(DataSource dataSource) throws SQLException {
    long deadline = System.nanoTime() + timeoutNanos;
    Connection connection = dataSource.getConnection();
    Call call = new Call(connection, deadline, true);
    if (System.nanoTime() - deadline >= 0) {
      call.close();
      throw call.expired("getting a connection");
    }
    return call;
  }

  /** Starts a call now on a connection the caller keeps (it is not closed by the call). */
  Call on(Connection connection) {
    return new Call(connection, System.nanoTime() + timeoutNanos, false);
  }

  /** Whether {@code e} or one of its causes says that the database did not answer in time. */
  static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTimeoutException || t instanceof InterruptedIOException) {
        return true; // InterruptedIOException: java.net.SocketTimeoutException among others
      }
      // 57014 query_canceled: what the server says when a query timeout cancelled the statement
      if (t instanceof SQLException sql && "57014".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** One bounded call on one connection. Not thread-safe. */
  final class Call implements AutoCloseable {
    private final Connection connection;
    private final long deadlineNanos;
    private final boolean closeConnection;

    /** The connection's network timeout before this call changed it; -1 while unchanged. */
    private int restoreNetworkTimeout = -1;

    private Call(Connection connection, long deadlineNanos, boolean closeConnection) {
      this.connection = connection;
      this.deadlineNanos = deadlineNanos;
      this.closeConnection = closeConnection;
    }

    /** The connection, for calls that do not wait on the database (arrays, auto-commit). */
    Connection connection() {
      return connection;
    }

    /**
     * A statement for {@code sql} whose execution is bounded by what is left of the deadline.
     *
     * @throws SQLTimeoutException if the deadline has passed
     */
    PreparedStatement prepare(String sql) throws SQLException {
      long left = bound("running a statement");
      PreparedStatement statement = connection.prepareStatement(sql);
      boundStatement(statement, left);
      return statement;
    }

    /** As {@link #prepare}, for SQL without parameters. */
    Statement statement() throws SQLException {
      long left = bound("running a statement");
      Statement statement = connection.createStatement();
      boundStatement(statement, left);
      return statement;
    }

    /** Commits within what is left of the deadline. */
    void commit() throws SQLException {
      bound("committing");
      connection.commit();
    }

    /**
     * Rolls back after {@code cause}, within what is left of the deadline (at least a millisecond:
     * a timeout of 0 would mean none), adding a failure to {@code cause}.
     */
    void rollbackAfter(Exception cause) {
      try {
        setNetworkTimeout(Math.max(1, millisLeft()));
        connection.rollback();
      } catch (SQLException e) {
        cause.addSuppressed(e);
      }
    }

    /**
     * Before a round trip to the database that is not a statement of {@link #prepare}: sets the
     * network timeout to what is left of the deadline and returns it in milliseconds.
     *
     * @throws SQLTimeoutException if nothing is left
     */
    long bound(String what) throws SQLException {
      long left = millisLeft();
      if (left <= 0) {
        throw expired(what);
      }
      setNetworkTimeout(left);
      return left;
    }

    private void boundStatement(Statement statement, long leftMillis) throws SQLException {
      // Whole seconds, rounded down: the server cancels before the socket gives up, so a slow
      // but living database leaves the connection usable. Under a second only the network
      // timeout bounds the statement (0 would mean no query timeout, which is the default).
      long seconds = leftMillis / 1000;
      if (seconds > 0) {
        statement.setQueryTimeout((int) Math.min(seconds, Integer.MAX_VALUE));
      }
    }

    private long millisLeft() {
      long left = deadlineNanos - System.nanoTime();
      return left <= 0 ? 0 : Math.max(1, left / 1_000_000);
    }

    private void setNetworkTimeout(long millis) throws SQLException {
      if (networkTimeoutUnsupported.get()) {
        return;
      }
      try {
        if (restoreNetworkTimeout < 0) {
          restoreNetworkTimeout = connection.getNetworkTimeout();
        }
        connection.setNetworkTimeout(ON_DRIVER_THREAD, (int) Math.min(millis, Integer.MAX_VALUE));
      } catch (SQLFeatureNotSupportedException e) {
        unsupported(e);
      }
    }

    private void unsupported(SQLFeatureNotSupportedException e) {
      if (networkTimeoutUnsupported.compareAndSet(false, true)) {
        LOG.log(
            Level.WARNING,
            owner
                + ": the JDBC driver does not support Connection.setNetworkTimeout; a database"
                + " that stops answering is bounded only by the driver's socket timeout"
                + " (pgjdbc: socketTimeout) and statements by query timeouts",
            e);
      }
    }

    SQLTimeoutException expired(String what) {
      return new SQLTimeoutException(
          "the store's timeout of " + describe(timeout) + " passed before " + what);
    }

    /** Restores the network timeout and closes the connection unless the caller keeps it. */
    @Override
    public void close() {
      if (restoreNetworkTimeout >= 0) {
        try {
          connection.setNetworkTimeout(ON_DRIVER_THREAD, restoreNetworkTimeout);
        } catch (SQLException e) {
          // Broken or closed: a pool discards it, and a kept connection is replaced on failure.
          LOG.log(Level.DEBUG, "restoring a connection's network timeout failed", e);
        }
        restoreNetworkTimeout = -1;
      }
      if (closeConnection) {
        try {
          connection.close();
        } catch (SQLException e) {
          // The work is done (or reported); a pool discards a connection that fails to close.
          LOG.log(Level.DEBUG, "closing a connection failed", e);
        }
      }
    }
  }

  /** A duration as people read it: {@code 3 s}, {@code 250 ms}. */
  static String describe(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  /** For messages: {@code "; the database did not answer within 3 s"} or nothing. */
  String timeoutNote(@Nullable Throwable e) {
    return e != null && isTimeout(e)
        ? "the database did not answer within the store's timeout of " + describe(timeout) + "; "
        : "";
  }
}
