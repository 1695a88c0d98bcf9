package dev.authcore.benchmarks;

import dev.authcore.spi.TokenRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Prints PostgreSQL's plans, with {@code EXPLAIN (ANALYZE, BUFFERS)}, for the statements of {@link
 * DbPathBenchmark}'s listing pages and of a delete's writes, on the same seeded database: the
 * store's listing statement for the first page and for the page after a cursor half-way down, and
 * the two reads that come with each page (the corp's settings and its permission grants). Each
 * statement runs 5 times first, so the plans show a warm cache as the benchmark sees it. Not a
 * benchmark; run with:
 *
 * <pre>
 * java -cp auth-benchmarks/target/benchmarks.jar dev.authcore.benchmarks.DbPathPlans [corpTokens]
 * </pre>
 */
public final class DbPathPlans {
  private DbPathPlans() {}

  /**
   * Seeds a corp of {@code args[0]} tokens (default 100,000) and prints the plans.
   *
   * @param args optional: the number of tokens
   */
  public static void main(String[] args) {
    int corpTokens = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    try (PostgresFixture db = PostgresFixture.start(corpTokens)) {
      try (Connection connection = db.pool.getConnection()) {
        show(connection, "server_version");
        show(connection, "shared_buffers");
        show(connection, "synchronous_commit");
        show(connection, "fsync");
        explain(connection, "first page", DbPathBenchmark.LISTING_SQL, db.records, false);
        explain(connection, "middle page", DbPathBenchmark.LISTING_AFTER_SQL, db.records, true);
        explain(
            connection,
            "settings",
            "SELECT expiry_millis, restricted, allowed_ips, inactive_days, staged_allowed_ips,"
                + " staged_since FROM authcore_settings WHERE corp = ?",
            db.records,
            null);
        explain(
            connection,
            "permission grants",
            "SELECT email_key, until FROM authcore_permissions WHERE corp = ? ORDER BY email_key",
            db.records,
            null);
        // Twice: the first delete in a session plans the foreign keys' checks; the second shows
        // what every later one costs.
        writes(connection, db.records.get(0));
        writes(connection, db.records.get(1));
        timed(connection, "first page", DbPathBenchmark.LISTING_SQL, db.records, false);
        timed(connection, "middle page", DbPathBenchmark.LISTING_AFTER_SQL, db.records, true);
        TokenRecord last = db.records.get(corpTokens - 1 - (corpTokens / 2 - 5));
        String cursor =
            "'"
                + Fixtures.CORP
                + "', "
                + last.created().getEpochSecond()
                + ", "
                + (last.id().asLong() ^ Long.MIN_VALUE);
        prepared(
            connection,
            "first page",
            DbPathBenchmark.LISTING_SQL,
            "text, int",
            "'" + Fixtures.CORP + "', 100");
        prepared(
            connection,
            "middle page",
            DbPathBenchmark.LISTING_AFTER_SQL,
            "text, numeric, bigint, int",
            cursor + ", 100");
        prepared(
            connection,
            "middle page, LIMIT written in",
            DbPathBenchmark.LISTING_AFTER_SQL.replace("LIMIT ?", "LIMIT 100"),
            "text, numeric, bigint",
            cursor);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("explaining the listing failed", e);
    }
  }

  /**
   * The plan of {@code sql} as a server-side prepared statement, which pgjdbc uses from a
   * statement's fifth execution on ({@code prepareThreshold}): PostgreSQL plans its first five
   * executions with the values, then may keep a generic plan made without them. Prints the plan
   * after 6 executions, then the generic plan forced.
   */
  private static void prepared(
      Connection connection, String what, String sql, String types, String values)
      throws SQLException {
    String numbered = sql;
    for (int i = 1; numbered.contains("?"); i++) {
      numbered = numbered.replaceFirst("\\?", "\\$" + i);
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("DEALLOCATE ALL");
      statement.execute("PREPARE listing(" + types + ") AS " + numbered);
      for (int i = 0; i < 6; i++) {
        try (ResultSet rows = statement.executeQuery("EXECUTE listing(" + values + ")")) {
          while (rows.next()) {
            // read through
          }
        }
      }
      System.out.println();
      System.out.println("-- " + what + ", prepared, after 6 executions: " + numbered);
      print(statement, "EXPLAIN (ANALYZE, BUFFERS) EXECUTE listing(" + values + ")");
      statement.execute("SET plan_cache_mode = force_generic_plan");
      System.out.println("-- the same, generic plan forced (plan_cache_mode = force_generic_plan)");
      print(statement, "EXPLAIN (ANALYZE, BUFFERS) EXECUTE listing(" + values + ")");
      statement.execute("RESET plan_cache_mode");
      statement.execute("DEALLOCATE ALL");
    }
  }

  /**
   * Runs {@code sql} through pgjdbc as the store does (a {@code PreparedStatement}, server-side
   * from the fifth execution) 200 times and prints the mean time, then once more with {@code
   * auto_explain} logging the plan it ran with to the server's log (printed with this program's log
   * output).
   */
  private static void timed(
      Connection connection, String what, String sql, List<TokenRecord> seeded, boolean after)
      throws SQLException {
    long start = 0;
    for (int i = 0; i < 250; i++) {
      if (i == 50) {
        start = System.nanoTime();
      }
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        DbPathBenchmark.bindListing(select, seeded, after);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            // read through
          }
        }
      }
    }
    System.out.println();
    System.out.printf(
        "-- %s through pgjdbc: %.1f us per execution%n",
        what, (System.nanoTime() - start) / 200_000.0);
    try (Statement statement = connection.createStatement()) {
      statement.execute("LOAD 'auto_explain'");
      statement.execute("SET auto_explain.log_min_duration = 0");
      statement.execute("SET auto_explain.log_analyze = on");
      statement.execute("SET auto_explain.log_buffers = on");
    }
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      DbPathBenchmark.bindListing(select, seeded, after);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          // read through
        }
      }
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET auto_explain.log_min_duration = -1");
    }
  }

  /**
   * The plans of a delete's two writes, the token's {@code DELETE ... RETURNING} and the change row
   * (the store's {@code recordChange}: the change clock's update, the change's insert and its
   * notification in one statement), in a transaction rolled back afterwards, so that the trigger
   * times of the foreign keys show.
   */
  private static void writes(Connection connection, TokenRecord token) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      System.out.println();
      System.out.println("-- a delete's DELETE, then its change row (rolled back)");
      print(
          statement,
          "EXPLAIN (ANALYZE, BUFFERS) DELETE FROM authcore_tokens WHERE id = "
              + token.id().asLong()
              + " RETURNING id, corp, owner_email, name, created, expires_at, secret_hash,"
              + " last_used, recent_ips, rotated, previous_hash, previous_valid_until, allowed_ips");
      print(
          statement,
          "EXPLAIN (ANALYZE, BUFFERS) WITH tick AS (UPDATE authcore_change_clock SET seq = seq + 1"
              + " WHERE id = 1 RETURNING seq), change AS (INSERT INTO authcore_changes (seq, kind,"
              + " token_id, corp, origin) SELECT seq, 'token_deleted', "
              + token.id().asLong()
              + ", '"
              + Fixtures.CORP
              + "', 'plans' FROM tick RETURNING seq) SELECT seq, pg_notify('authcore_changes',"
              + " seq::text) FROM change");
    } finally {
      connection.rollback();
      connection.setAutoCommit(true);
    }
  }

  private static void print(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        System.out.println(rows.getString(1));
      }
    }
  }

  private static void show(Connection connection, String setting) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SHOW " + setting)) {
      rows.next();
      System.out.println(setting + " = " + rows.getString(1));
    }
  }

  /**
   * Runs {@code sql} 5 times, then prints its plan; {@code after} null binds the corp alone, else
   * as {@link DbPathBenchmark#bindListing}.
   */
  private static void explain(
      Connection connection,
      String what,
      String sql,
      List<TokenRecord> seeded,
      @Nullable Boolean after)
      throws SQLException {
    System.out.println();
    System.out.println("-- " + what + ": " + sql);
    for (int i = 0; i < 5; i++) {
      try (PreparedStatement warm = connection.prepareStatement(sql)) {
        bind(warm, seeded, after);
        try (ResultSet rows = warm.executeQuery()) {
          while (rows.next()) {
            // read through
          }
        }
      }
    }
    try (PreparedStatement plan =
        connection.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
      bind(plan, seeded, after);
      try (ResultSet rows = plan.executeQuery()) {
        while (rows.next()) {
          System.out.println(rows.getString(1));
        }
      }
    }
  }

  private static void bind(
      PreparedStatement statement, List<TokenRecord> seeded, @Nullable Boolean after)
      throws SQLException {
    if (after == null) {
      statement.setString(1, Fixtures.CORP);
    } else {
      DbPathBenchmark.bindListing(statement, seeded, after);
    }
  }
}
