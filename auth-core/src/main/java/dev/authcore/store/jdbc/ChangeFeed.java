package dev.authcore.store.jdbc;

import dev.authcore.model.TokenId;
import dev.authcore.spi.FeedStatus;
import dev.authcore.spi.StoreListener;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
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
 *
 * <p><b>Losing the database.</b> Every statement of the feed is bounded by the store's timeout
 * ({@link Timeouts}). With notifications, a listening connection that hears nothing is checked
 * every {@link #LIVENESS_CHECK} (a database that vanished silently, as behind a partition, looks
 * exactly like a quiet one), and any failure closes it. The feed then reconnects after a back-off
 * that doubles from {@link #FIRST_RETRY} up to {@link #LAST_RETRY}, each wait drawn at random from
 * its upper half so that nodes that lost the database together do not return together. A new
 * listening connection runs {@code LISTEN} first and then reads every change after the last one
 * read, so the notifications sent while it was away are covered by the change table.
 */
final class ChangeFeed {
  private static final System.Logger LOG = System.getLogger(ChangeFeed.class.getName());

  static final String TOKEN_DELETED = "token_deleted";
  static final String CORP_CHANGED = "corp_changed";

  /** A token's secret was rotated (schema version 2): drop cached copies, as for a deletion. */
  static final String TOKEN_CHANGED = "token_changed";

  /** Rows read per query. */
  private static final int PAGE = 500;

  /** Covers clock_timestamp() being taken before commit, and a slow first connection. */
  private static final Duration REPLAY_MARGIN = Duration.ofSeconds(5);

  private static final Duration PRUNE_EVERY = Duration.ofMinutes(10);

  /** Longest single wait for notifications, so closing never waits longer. */
  private static final long WAIT_SLICE_MILLIS = 500;

  /**
   * How long a listening connection may stay silent before the feed checks it with a trivial
   * statement: a few seconds, so a database lost without a word is noticed about as fast as one
   * that closed the connection, for one tiny statement per node every few seconds.
   */
  static final Duration LIVENESS_CHECK = Duration.ofSeconds(5);

  /** The wait before the first retry after a failure; it doubles with each failure in a row. */
  static final Duration FIRST_RETRY = Duration.ofMillis(250);

  /**
   * The longest wait between retries: a node comes back at most this long after the database, while
   * an outage costs each node one connection attempt per this interval.
   */
  static final Duration LAST_RETRY = Duration.ofSeconds(10);

  private final DataSource dataSource;
  private final DataSource listenSource;
  private final Timeouts timeouts;
  private final Sql sql;
  private final String origin;
  private final String channel;
  private final long pollMillis;
  private final @Nullable NotificationWaiter waiter;
  private final List<StoreListener> listeners;
  private final String name;
  private final long createdNanos = System.nanoTime();

  // Written by the feed thread, read by status() on any thread.

  /** Whether the last read of the change table succeeded and no failure came after it. */
  private volatile boolean connected;

  /** Times the feed read the change table again after one or more failures. */
  private volatile long reconnects;

  /**
   * When the last complete read of the change table began (System.nanoTime); the store's creation
   * until then, since the first read replays the changes made from then on.
   */
  private volatile long lastReadNanos = createdNanos;

  private final Object lock = new Object();
  private @Nullable Thread thread;
  private volatile boolean closed;

  // Touched by the feed thread only.
  private long lastSeq = -1;
  private long lastPruneNanos;
  private boolean pruned;
  private int failures;
  private long reconnectCount;
  private @Nullable Connection listening;

  /**
   * @param dataSource the store's connections, used briefly for each poll without notifications
   * @param listenSource where the listening connection comes from, held until it fails
   */
  ChangeFeed(
      DataSource dataSource,
      DataSource listenSource,
      Timeouts timeouts,
      Sql sql,
      String origin,
      String channel,
      Duration pollInterval,
      @Nullable NotificationWaiter waiter,
      List<StoreListener> listeners,
      String name) {
    this.dataSource = dataSource;
    this.listenSource = listenSource;
    this.timeouts = timeouts;
    this.sql = sql;
    this.origin = origin;
    this.channel = channel;
    this.pollMillis = pollInterval.toMillis();
    this.waiter = waiter;
    this.listeners = listeners;
    this.name = name;
  }

  /**
   * Whether the feed hears other nodes' changes now, how often it came back after failing, and how
   * long ago its last complete read of the change table began: every change committed before then
   * has been told to the listeners, so that is an upper bound on how late a change can be here
   * (with notifications a change is usually read within milliseconds; without a read, a silent
   * feed's bound is the poll interval). Reads volatile fields only; never the database.
   */
  FeedStatus status() {
    Duration lag = Duration.ofNanos(Math.max(0, System.nanoTime() - lastReadNanos));
    long count = reconnects;
    return connected && !closed
        ? FeedStatus.connected(count, lag)
        : FeedStatus.disconnected(count, lag);
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

  /**
   * Stops the thread and waits for it to end, at most about two seconds. A thread still waiting on
   * the database then ends by itself within the store's timeout.
   */
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
        NotificationWaiter w = waiter;
        if (w != null) {
          listenUntilFailure(w);
        } else {
          try (Timeouts.Call call = timeouts.connect(dataSource)) {
            poll(call.connection());
          }
          recovered();
          Thread.sleep(pollMillis);
        }
      } catch (InterruptedException e) {
        break;
      } catch (SQLException | RuntimeException e) {
        failed(e);
        if (closed) {
          break;
        }
        try {
          Thread.sleep(retryMillis(failures));
        } catch (InterruptedException interrupted) {
          break;
        }
      }
    }
    closeListening();
  }

  /**
   * Listens, reads what was missed, then reads again on each notification and every poll interval,
   * checking a silent connection every {@link #LIVENESS_CHECK}; returns when closed, throws when
   * the connection fails.
   */
  private void listenUntilFailure(NotificationWaiter w) throws SQLException {
    Connection connection = listen();
    poll(connection); // everything since the last change read, notified or not
    recovered();
    long nextPoll = System.nanoTime() + pollMillis * 1_000_000;
    while (!closed) {
      long nextCheck = System.nanoTime() + LIVENESS_CHECK.toNanos();
      boolean pollFirst = nextPoll - nextCheck <= 0;
      boolean notified = awaitNotification(w, connection, pollFirst ? nextPoll : nextCheck);
      if (closed) {
        return;
      }
      if (notified || pollFirst) {
        poll(connection);
        nextPoll = System.nanoTime() + pollMillis * 1_000_000;
      } else {
        checkAlive(connection);
      }
    }
  }

  /**
   * Waits until a notification arrives or {@code untilNanos}, in slices of at most {@link
   * #WAIT_SLICE_MILLIS} so that {@link #close} is heard promptly (a driver's wait for notifications
   * is a socket read, which an interrupt does not end). Returns whether one arrived.
   */
  private boolean awaitNotification(NotificationWaiter w, Connection connection, long untilNanos)
      throws SQLException {
    while (!closed) {
      long left = (untilNanos - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      if (w.await(connection, (int) Math.max(1, Math.min(left, WAIT_SLICE_MILLIS)))) {
        return true;
      }
    }
    return false;
  }

  /** A trivial statement within the store's timeout: throws if the database is gone. */
  private void checkAlive(Connection connection) throws SQLException {
    try (Timeouts.Call call = timeouts.on(connection);
        Statement statement = call.statement()) {
      statement.execute("SELECT 1");
    }
  }

  /**
   * The listening connection, opening it from the listen source and running {@code LISTEN} if
   * needed. Opening is bounded by the source (its connect and login timeouts), {@code LISTEN} by
   * the store's timeout.
   */
  private Connection listen() throws SQLException {
    Connection connection = listening;
    if (connection != null) {
      return connection;
    }
    connection = listenSource.getConnection();
    try (Timeouts.Call call = timeouts.on(connection)) {
      connection.setAutoCommit(true);
      try (Statement statement = call.statement()) {
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

  private void recovered() {
    if (failures > 0) {
      reconnects = ++reconnectCount;
      LOG.log(
          Level.INFO,
          name
              + ": change feed "
              + (waiter != null ? "listening again" : "reading again")
              + " after "
              + failures
              + " failures; changes made meanwhile were read from the change table");
      failures = 0;
    }
  }

  private void failed(Exception e) {
    connected = false;
    closeListening();
    failures++;
    // Log the first failure, then one in 60, so a long outage does not flood the log.
    if (failures == 1 || failures % 60 == 0) {
      LOG.log(
          Level.WARNING,
          name
              + ": reading changes of other nodes failed ("
              + failures
              + " in a row); "
              + timeouts.timeoutNote(e)
              + "retrying with back-off up to "
              + Timeouts.describe(LAST_RETRY)
              + ", caches meanwhile expire on their bound",
          e);
    }
  }

  /**
   * The wait before retry number {@code failures} (1 for the first): {@link #FIRST_RETRY} doubled
   * per earlier failure, at most {@link #LAST_RETRY}, drawn from the upper half of that.
   */
  static long retryMillis(int failures) {
    long ceiling = FIRST_RETRY.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
    ceiling = Math.min(ceiling, LAST_RETRY.toMillis());
    return ceiling - ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  /** Reads and delivers every change after the last one read. */
  private void poll(Connection connection) throws SQLException {
    long started = System.nanoTime();
    if (lastSeq < 0) {
      lastSeq = replay(connection);
    }
    while (true) {
      int read = 0;
      try (Timeouts.Call call = timeouts.on(connection);
          PreparedStatement since = call.prepare(sql.changesSince)) {
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
    lastReadNanos = started;
    connected = true;
    long now = System.nanoTime();
    if (!pruned || now - lastPruneNanos >= PRUNE_EVERY.toNanos()) {
      pruned = true;
      lastPruneNanos = now;
      try (Timeouts.Call call = timeouts.on(connection);
          PreparedStatement prune = call.prepare(sql.pruneChanges)) {
        prune.setDouble(1, (double) PostgresTokenStore.CHANGE_RETENTION.toSeconds());
        prune.executeUpdate();
      } catch (SQLException e) {
        // Housekeeping only: retried after PRUNE_EVERY. A broken connection fails the next read.
        LOG.log(Level.WARNING, name + ": pruning old changes failed; retrying later", e);
      }
    }
  }

  /**
   * Delivers the changes committed since this store was created and returns the clock: the number
   * of the last change committed before the replay read.
   */
  private long replay(Connection connection) throws SQLException {
    long clock;
    try (Timeouts.Call call = timeouts.on(connection);
        Statement statement = call.statement();
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
    try (Timeouts.Call call = timeouts.on(connection);
        PreparedStatement recent = call.prepare(sql.recentChanges)) {
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
    if (kind.equals(TOKEN_CHANGED) && !noToken) {
      TokenId changed = TokenId.fromLong(tokenId);
      for (StoreListener listener : listeners) {
        tellChanged(listener, changed);
      }
      return;
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

  /** Tells one listener that a token changed (was rotated); as {@link #tell}, a throw is logged. */
  static void tellChanged(StoreListener listener, TokenId id) {
    try {
      listener.tokenChanged(id);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "store listener " + listener + " threw; it must not", e);
    }
  }
}
