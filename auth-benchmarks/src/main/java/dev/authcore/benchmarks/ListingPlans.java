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
 * DbPathBenchmark}'s listing pages, on the same seeded database: the store's listing statement for
 * the first page and for the page after a cursor half-way down, and the two reads that come with
 * each page (the corp's settings and its permission grants). Each statement runs 5 times first, so
 * the plans show a warm cache as the benchmark sees it. Not a benchmark; run with:
 *
 * <pre>
 * java -cp auth-benchmarks/target/benchmarks.jar dev.authcore.benchmarks.ListingPlans [corpTokens]
 * </pre>
 */
public final class ListingPlans {
  private ListingPlans() {}

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
      }
    } catch (SQLException e) {
      throw new IllegalStateException("explaining the listing failed", e);
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
