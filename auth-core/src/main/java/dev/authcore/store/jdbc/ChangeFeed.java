package dev.authcore.store.jdbc;

import dev.authcore.model.TokenId;
import dev.authcore.spi.StoreListener;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Reads other store instances' changes from {@code authcore_changes} and tells the listeners: one
 * daemon thread per store, started by the first listener.
 *
 * <p>Changes are numbered in commit order (see {@link Sql#recordChange}), so remembering the
 * highest number read is enough to resume after any failure without missing one. On its first read
 * the feed replays the changes committed since the store was created (by the database's clock,
 * measured back by the time elapsed here, plus a margin), so a change made between the store's
 * creation and the feed's first successful read still reaches the caches filled in between.
 */
final class ChangeFeed {
  private static final System.Logger LOG = System.getLogger(ChangeFeed.class.getName());

  static final String TOKEN_DELETED = "token_deleted";
  static final String CORP_CHANGED = "corp_changed";

  /** Rows read per query. */
  private static final int PAGE = 500;

  /** Covers clock_timestamp() being taken before commit, and a slow first connection. */
  private static final Duration REPLAY_MARGIN = Duration.ofSeconds(5);

  private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);

  /** Longest single wait for notifications, so closing never waits longer. */
  private static final long WAIT_SLICE_MILLIS = 500;

  private final DataSource dataSource;
  private final Sql sql;
  private final String origin;
  private final String channel;
  private final long pollMillis;
  private final @Nullable NotificationWaiter waiter;
  private final List<StoreListener> listeners;
  private final String name;
  private final long createdNanos = System.nanoTime();

  private final Object lock = new Object();
  private @Nullable Thread thread;
  private volatile boolean closed;

  // Touched by the feed thread only.
  private long lastSeq = -1;
  private long lastPruneNanos;
  private boolean pruned;
  private int failures;
  private @Nullable Connection listening;

  ChangeFeed(
      DataSource dataSource,
      Sql sql,
      String origin,
      String channel,
      Duration pollInterval,
      @Nullable NotificationWaiter waiter,
      List<StoreListener> listeners,
      String name) {
    this.dataSource = dataSource;
    this.sql = sql;
    this.origin = origin;
    this.channel = channel;
    this.pollMillis = pollInterval.toMillis();
    this.waiter = waiter;
    this.listeners = listeners;
    this.name = name;
  }

  /** Starts the feed thread unless it runs or the feed is closed. */
  void start() {
    synchronized (lock) {
      if (thread != null || closed) {
        return;
      }
      Thread t = new Thread(this::run, "auth-core-postgres-changes");
      t.setDaemon(true);
      thread = t;
      t.start();
    }
  }

  /** Stops the thread and waits for it to end, at most about two seconds. */
  void close() {
    Thread t;
    synchronized (lock) {
      closed = true;
      t = thread;
    }
    if (t == null) {
      return;
    }
    t.interrupt();
    try {
      t.join(Math.min(pollMillis, WAIT_SLICE_MILLIS) + 1500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (!closed) {
      try {
        if (waiter != null) {
          Connection connection = listen();
          poll(connection);
          awaitNotification(connection);
        } else {
          try (Connection connection = dataSource.getConnection()) {
            poll(connection);
          }
          Thread.sleep(pollMillis);
        }
        if (failures > 0) {
          LOG.log(Level.INFO, name + ": change feed recovered after " + failures + " failures");
          failures = 0;
        }
      } catch (InterruptedException e) {
        break;
      } catch (SQLException | RuntimeException e) {
        failed(e);
        try {
          Thread.sleep(pollMillis);
        } catch (InterruptedException interrupted) {
          break;
        }
      }
    }
    closeListening();
  }

  /**
   * Waits until a notification arrives or the poll interval passes, in slices of at most {@link
   * #WAIT_SLICE_MILLIS} so that {@link #close} is heard promptly (a driver's wait for notifications
   * is a socket read, which an interrupt does not end).
   */
  private void awaitNotification(Connection connection) throws SQLException {
    NotificationWaiter w = waiter;
    long deadline = System.nanoTime() + pollMillis * 1_000_000;
    while (!closed && w != null) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0 || w.await(connection, (int) Math.max(1, Math.min(left, WAIT_SLICE_MILLIS)))) {
        return;
      }
    }
  }

  /** The listening connection, opening it and running {@code LISTEN} if needed. */
  private Connection listen() throws SQLException {
    Connection connection = listening;
    if (connection != null) {
      return connection;
    }
    connection = dataSource.getConnection();
    try {
      connection.setAutoCommit(true);
      try (Statement statement = connection.createStatement()) {
        statement.execute("LISTEN " + PostgresSchema.quote(channel));
      }
    } catch (SQLException | RuntimeException e) {
      try {
        connection.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    listening = connection;
    return connection;
  }

  private void closeListening() {
    Connection connection = listening;
    listening = null;
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.log(Level.DEBUG, name + ": closing the listening connection failed", e);
      }
    }
  }

  private void failed(Exception e) {
    closeListening();
    failures++;
    // Log the first failure, then one in 60, so a long outage does not flood the log.
    if (failures == 1 || failures % 60 == 0) {
      LOG.log(
          Level.WARNING,
          name
              + ": reading changes of other nodes failed ("
              + failures
              + " in a row); retrying every "
              + pollMillis
              + " ms, caches meanwhile expire on their bound",
          e);
    }
  }

  /** Reads and delivers every change after the last one read. */
  private void poll(Connection connection) throws SQLException {
    if (lastSeq < 0) {
      lastSeq = replay(connection);
    }
    while (true) {
      int read = 0;
      try (PreparedStatement since = connection.prepareStatement(sql.changesSince)) {
        since.setLong(1, lastSeq);
        since.setInt(2, PAGE);
        try (ResultSet rows = since.executeQuery()) {
          while (rows.next()) {
            long seq = rows.getLong(1);
            if (seq != lastSeq + 1) {
              LOG.log(
                  Level.WARNING,
                  name
                      + ": changes "
                      + (lastSeq + 1)
                      + " to "
                      + (seq - 1)
                      + " were pruned before this node read them; caches rely on their bound");
            }
            deliver(rows);
            lastSeq = seq;
            read++;
          }
        }
      }
      if (read < PAGE) {
        break;
      }
    }
    long now = System.nanoTime();
    if (!pruned || now - lastPruneNanos >= PRUNE_EVERY.toNanos()) {
      try (PreparedStatement prune = connection.prepareStatement(sql.pruneChanges)) {
        prune.setDouble(1, (double) PostgresTokenStore.CHANGE_RETENTION.toSeconds());
        prune.executeUpdate();
      }
      pruned = true;
      lastPruneNanos = now;
    }
  }

  /**
   * Delivers the changes committed since this store was created and returns the clock: the number
   * of the last change committed before the replay read.
   */
  private long replay(Connection connection) throws SQLException {
    long clock;
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql.changeClock)) {
      if (!rows.next()) {
        throw new SQLException(
            "the change clock row is missing from authcore_change_clock; apply the schema with"
                + " PostgresSchema.migrate");
      }
      clock = rows.getLong(1);
    }
    double windowSeconds =
        (System.nanoTime() - createdNanos) / 1e9 + REPLAY_MARGIN.toMillis() / 1e3;
    try (PreparedStatement recent = connection.prepareStatement(sql.recentChanges)) {
      recent.setLong(1, clock);
      recent.setDouble(2, windowSeconds);
      try (ResultSet rows = recent.executeQuery()) {
        while (rows.next()) {
          deliver(rows);
        }
      }
    }
    return clock;
  }

  /** Tells the listeners of the change in the current row, unless this store made it. */
  private void deliver(ResultSet rows) throws SQLException {
    String kind = rows.getString(2);
    long tokenId = rows.getLong(3);
    boolean noToken = rows.wasNull();
    String corp = rows.getString(4);
    String from = rows.getString(5);
    if (origin.equals(from) || kind == null || corp == null) {
      return; // told synchronously when it was made
    }
    @Nullable TokenId id =
        kind.equals(TOKEN_DELETED) && !noToken ? TokenId.fromLong(tokenId) : null;
    for (StoreListener listener : listeners) {
      tell(listener, id, id == null ? corp : null);
    }
  }

  /**
   * Tells one listener that a token was deleted ({@code id}) or a corp changed ({@code corp}). A
   * listener must not throw; if it does, the change is logged and the other listeners still hear
   * it.
   */
  static void tell(StoreListener listener, @Nullable TokenId id, @Nullable String corp) {
    try {
      if (id != null) {
        listener.tokenDeleted(id);
      } else if (corp != null) {
        listener.corpChanged(corp);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "store listener " + listener + " threw; it must not", e);
    }
  }
}
