package dev.authcore.store.jdbc;

import static dev.authcore.store.jdbc.Records.T0;
import static dev.authcore.store.jdbc.Records.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.FeedStatus;
import dev.authcore.spi.ListPosition;
import dev.authcore.spi.StoreListener;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import dev.authcore.spi.TokenStore.InsertOutcome;
import dev.authcore.spi.UsageUpdate;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.testkit.Seeds;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInfo;

/**
 * {@link PostgresTokenStore} against a real PostgreSQL server, with two "nodes": two stores on two
 * connection pools sharing one schema. Each test gets a fresh schema.
 *
 * <p>Seeded tests print their seed; rerun one with {@code -Dauthcore.seed=<seed>}.
 */
class PostgresTokenStoreNodesTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<PostgresTokenStore> opened = new ArrayList<>();
  private String schema = "";
  private PostgresTokenStore a;
  private PostgresTokenStore b;

  @BeforeEach
  void setUp(TestInfo info) {
    schema = EmbeddedDatabase.newSchema(info.getTestMethod().orElseThrow().getName());
    a = open(EmbeddedDatabase.nodeA(), builder -> builder.pollInterval(Duration.ofMillis(50)));
    b = open(EmbeddedDatabase.nodeB(), builder -> builder.pollInterval(Duration.ofMillis(50)));
  }

  @AfterEach
  void tearDown() {
    opened.forEach(PostgresTokenStore::close);
  }

  private PostgresTokenStore open(
      DataSource dataSource, Consumer<PostgresTokenStore.Builder> options) {
    PostgresTokenStore.Builder builder =
        PostgresTokenStore.builder(dataSource).schema(schema).channel(schema);
    options.accept(builder);
    PostgresTokenStore store = builder.build();
    opened.add(store);
    return store;
  }

  private static long seed(String name) {
    return Seeds.seed(name);
  }

  private static RandomGenerator random(long seed) {
    return RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
  }

  // ---- round trips ------------------------------------------------------------------------------

  @Test
  void find_insertedRecord_returnsItExactly() {
    TokenRecord record =
        new TokenRecord(
            TokenId.fromLong(0x8000_0000_0000_0001L),
            "acme",
            "Ann.Smith@Example.com",
            "Deploy Ünïcode",
            T0.plusMillis(123),
            T0.plus(Duration.ofDays(30)).plusNanos(987_654_321),
            Records.hash(7),
            T0.plusNanos(1),
            List.of("10.0.0.1", "2001:db8::1"));

    assertThat(a.insert(record, 5)).isEqualTo(InsertOutcome.INSERTED);

    assertThat(a.find(record.id())).contains(record);
    assertThat(b.find(record.id())).contains(record);
    assertThat(a.find(TokenId.fromLong(42))).isEmpty();
  }

  @Test
  void insert_extremeInstants_roundTripExactly() {
    Instant earliest = Instant.ofEpochSecond(Instant.MIN.getEpochSecond());
    Instant latest = Instant.ofEpochSecond(Instant.MAX.getEpochSecond());
    TokenRecord old = token(1, "acme", "ann@example.com", "old", earliest, Instant.MAX);
    TokenRecord future = token(2, "acme", "ann@example.com", "future", latest, Instant.MIN);

    a.insert(old, 5);
    a.insert(future, 5);

    assertThat(a.find(old.id())).contains(old);
    assertThat(a.find(future.id())).contains(future);
    assertThat(a.listByOwner("acme", "ann@example.com")).containsExactly(old, future);
  }

  @TestFactory
  Stream<DynamicTest> expiryDecision_sameBeforeAndAfterRoundTrip() {
    long seed = seed("expiryDecision_sameBeforeAndAfterRoundTrip");
    RandomGenerator random = random(seed);
    List<ExpiryPolicy> policies =
        List.of(
            ExpiryPolicy.never(), ExpiryPolicy.days(30), ExpiryPolicy.after(Duration.ofDays(2)));
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Instant created = T0.plusMillis(random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L));
      Instant own =
          random.nextBoolean()
              ? null
              : created
                  .plus(Duration.ofDays(random.nextInt(1, 60)))
                  .plusNanos(random.nextInt(0, 1_000_000_000));
      TokenRecord record = token(i + 1L, "acme", "u" + i + "@example.com", "t", created, own);
      tests.add(
          DynamicTest.dynamicTest(
              "token " + i + " (seed " + seed + ")",
              () -> {
                a.insert(record, 5);
                TokenRecord stored = a.find(record.id()).orElseThrow();
                for (ExpiryPolicy policy : policies) {
                  Instant boundary = policy.expiresAt(created, own);
                  if (boundary == null) {
                    continue;
                  }
                  for (Instant now :
                      List.of(
                          boundary,
                          boundary.minusNanos(1),
                          boundary.minusMillis(1),
                          boundary.plusNanos(1),
                          boundary.plusMillis(1))) {
                    assertThat(policy.isExpired(stored.created(), stored.expiresAt(), now))
                        .as("%s at %s", policy, now)
                        .isEqualTo(policy.isExpired(created, own, now));
                  }
                  assertThat(policy.isExpired(stored.created(), stored.expiresAt(), boundary))
                      .as("equal means expired")
                      .isTrue();
                }
              }));
    }
    return tests.stream();
  }

  @Test
  void storedColumns_holdTheHashEncodingAndKeys() throws SQLException {
    TokenRecord record = token(5, "acme", "Ann@Example.COM", "CI Token", T0);
    a.insert(record, 5);

    try (Connection connection = EmbeddedDatabase.nodeA().getConnection();
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT secret_hash, owner_key, owner_email, name_key, sort_id FROM "
                        + schema
                        + ".authcore_tokens")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo(record.hash().encoded());
      assertThat(rows.getString(2)).isEqualTo("ann@example.com");
      assertThat(rows.getString(3)).isEqualTo("Ann@Example.COM");
      assertThat(rows.getString(4)).isEqualTo("ci token");
      assertThat(rows.getLong(5)).isEqualTo(5L ^ Long.MIN_VALUE);
      assertThat(rows.next()).isFalse();
    }
  }

  // ---- insert outcomes
  // ----------------------------------------------------------------------------

  @Test
  void insert_sameNameOtherCase_nameTaken() {
    assertThat(a.insert(token(1, "acme", "ann@example.com", "Deploy", T0), 5))
        .isEqualTo(InsertOutcome.INSERTED);
    assertThat(b.insert(token(2, "acme", "ANN@example.com", "dEPLOY", T0), 5))
        .isEqualTo(InsertOutcome.NAME_TAKEN);
    // the same name is free for another user and in another corp
    assertThat(a.insert(token(3, "acme", "bob@example.com", "deploy", T0), 5))
        .isEqualTo(InsertOutcome.INSERTED);
    assertThat(a.insert(token(4, "other", "ann@example.com", "deploy", T0), 5))
        .isEqualTo(InsertOutcome.INSERTED);
    assertThat(a.find(TokenId.fromLong(2))).isEmpty();
  }

  @Test
  void insert_ownerEmailInOtherAsciiCase_countsAsSameOwner() {
    a.insert(token(1, "acme", "ann@example.com", "one", T0), 2);
    a.insert(token(2, "acme", "ANN@EXAMPLE.COM", "two", T0), 2);

    assertThat(b.insert(token(3, "acme", "Ann@Example.com", "three", T0), 2))
        .isEqualTo(InsertOutcome.LIMIT_REACHED);
    assertThat(a.listByOwner("acme", "aNN@example.com")).hasSize(2);
  }

  @Test
  void insert_nonAsciiCaseVariant_isAnotherOwner() {
    a.insert(token(1, "acme", "émile@example.com", "one", T0), 1);

    assertThat(a.insert(token(2, "acme", "Émile@example.com", "one", T0), 1))
        .isEqualTo(InsertOutcome.INSERTED);
    assertThat(a.listByOwner("acme", "ÉMILE@EXAMPLE.COM"))
        .extracting(TokenRecord::id)
        .containsExactly(TokenId.fromLong(2));
  }

  @Test
  void insert_atLimit_limitReachedAndNothingStored() {
    for (int i = 1; i <= 3; i++) {
      assertThat(a.insert(token(i, "acme", "ann@example.com", "t" + i, T0), 3))
          .isEqualTo(InsertOutcome.INSERTED);
    }
    assertThat(a.insert(token(4, "acme", "ann@example.com", "t1", T0), 3))
        .as("limit is checked before the name")
        .isEqualTo(InsertOutcome.LIMIT_REACHED);
    assertThat(a.find(TokenId.fromLong(4))).isEmpty();

    a.delete(TokenId.fromLong(2));

    assertThat(a.insert(token(4, "acme", "ann@example.com", "t4", T0), 3))
        .isEqualTo(InsertOutcome.INSERTED);
  }

  @Test
  void insert_idOfAnotherOwnersToken_idTaken() {
    TokenRecord first = token(9, "acme", "ann@example.com", "one", T0);
    a.insert(first, 5);

    assertThat(b.insert(token(9, "other", "bob@example.com", "two", T0), 5))
        .isEqualTo(InsertOutcome.ID_TAKEN);
    assertThat(a.find(first.id())).contains(first);
    assertThat(a.listByOwner("other", "bob@example.com")).isEmpty();
  }

  @Test
  void insert_maxPerOwnerBelowOne_throwsIllegalArgument() {
    assertThrows(
        IllegalArgumentException.class,
        () -> a.insert(token(1, "acme", "ann@example.com", "t", T0), 0));
  }

  @Test
  void insert_thousandConcurrentFromTwoNodes_storesExactlyTheLimit() throws Exception {
    int limit = 5;
    List<Callable<InsertOutcome>> tasks = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      TokenStore node = i % 2 == 0 ? a : b;
      TokenRecord record =
          token(i + 1L, "acme", i % 3 == 0 ? "Ann@example.com" : "ann@example.com", "t" + i, T0);
      tasks.add(() -> node.insert(record, limit));
    }

    Map<InsertOutcome, Integer> outcomes = runConcurrently(tasks, 32);

    assertThat(outcomes).containsEntry(InsertOutcome.INSERTED, limit);
    assertThat(outcomes).containsEntry(InsertOutcome.LIMIT_REACHED, 1000 - limit);
    assertThat(a.listByOwner("acme", "ann@example.com")).hasSize(limit);
  }

  @Test
  void insert_concurrentSameNameFromTwoNodes_storesOne() throws Exception {
    List<Callable<InsertOutcome>> tasks = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      TokenStore node = i % 2 == 0 ? a : b;
      TokenRecord record = token(i + 1L, "acme", "ann@example.com", i % 2 == 0 ? "CI" : "ci", T0);
      tasks.add(() -> node.insert(record, 100));
    }

    Map<InsertOutcome, Integer> outcomes = runConcurrently(tasks, 16);

    assertThat(outcomes).containsEntry(InsertOutcome.INSERTED, 1);
    assertThat(outcomes).containsEntry(InsertOutcome.NAME_TAKEN, 99);
  }

  private static <T extends Enum<T>> Map<T, Integer> runConcurrently(
      List<Callable<T>> tasks, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return task.call();
                }));
      }
      start.countDown();
      Map<T, Integer> counts = new java.util.HashMap<>();
      for (Future<T> future : futures) {
        counts.merge(future.get(2, TimeUnit.MINUTES), 1, Integer::sum);
      }
      return counts;
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- delete ---------------------------------------------------------------------------------

  @Test
  void delete_storedToken_returnsItAndForgetsIt() {
    TokenRecord record = token(3, "acme", "ann@example.com", "t", T0);
    a.insert(record, 5);

    assertThat(b.delete(record.id())).contains(record);
    assertThat(a.find(record.id())).isEmpty();
    assertThat(a.delete(record.id())).isEmpty();
    assertThat(a.listCorp("acme", null, null, 10)).isEmpty();
  }

  // ---- listing ----------------------------------------------------------------------------------

  @TestFactory
  Stream<DynamicTest> listCorp_matchesInMemoryStore() {
    long seed = seed("listCorp_matchesInMemoryStore");
    RandomGenerator random = random(seed);
    InMemoryTokenStore reference = new InMemoryTokenStore();
    List<String> owners =
        List.of("ann@example.com", "ANN@example.com", "bob@example.com", "cy@example.com");
    List<Instant> instants = List.of(T0, T0.plusMillis(1), T0.plusSeconds(60), T0.minusMillis(5));
    List<TokenRecord> all = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      long bits;
      do {
        // small ids, ids with the top bit set, and everything between: the unsigned order matters
        bits =
            switch (random.nextInt(3)) {
              case 0 -> random.nextLong(0, 16);
              case 1 -> Long.MIN_VALUE + random.nextLong(0, 16);
              default -> random.nextLong();
            };
      } while (bits == -1 || containsId(all, bits));
      TokenRecord record =
          token(
              bits,
              random.nextInt(8) == 0 ? "other" : "acme",
              owners.get(random.nextInt(owners.size())),
              "t" + i,
              instants.get(random.nextInt(instants.size())));
      InsertOutcome expected = reference.insert(record, 100);
      assertThat(a.insert(record, 100)).isEqualTo(expected);
      if (expected == InsertOutcome.INSERTED) {
        all.add(record);
      }
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (int q = 0; q < 60; q++) {
      @Nullable String owner =
          random.nextBoolean()
              ? null
              : owners.get(random.nextInt(owners.size())).toUpperCase(java.util.Locale.ROOT);
      @Nullable ListPosition after =
          switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> ListPosition.of(all.get(random.nextInt(all.size())));
            default ->
                new ListPosition(
                    instants.get(random.nextInt(instants.size())),
                    TokenId.fromLong(random.nextLong(Long.MIN_VALUE, -1)));
          };
      int limit = random.nextInt(1, 30);
      tests.add(
          DynamicTest.dynamicTest(
              "query " + q + " owner=" + owner + " after=" + after + " limit=" + limit + " (seed "
                  + seed + ")",
              () ->
                  assertThat(b.listCorp("acme", owner, after, limit))
                      .containsExactlyElementsOf(reference.listCorp("acme", owner, after, limit))));
    }
    tests.add(
        DynamicTest.dynamicTest(
            "listByOwner (seed " + seed + ")",
            () -> {
              for (String owner : owners) {
                assertThat(b.listByOwner("acme", owner))
                    .containsExactlyElementsOf(reference.listByOwner("acme", owner));
              }
            }));
    return tests.stream();
  }

  private static boolean containsId(List<TokenRecord> records, long bits) {
    return records.stream().anyMatch(r -> r.id().asLong() == bits);
  }

  @Test
  void listCorp_pagesFollowingLastPosition_visitEveryTokenOnce() {
    List<TokenRecord> inserted = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      TokenRecord record =
          token(
              i % 2 == 0 ? i : Long.MIN_VALUE + i,
              "acme",
              "u" + (i % 4) + "@example.com",
              "t" + i,
              T0.plusMillis(i / 5));
      a.insert(record, 100);
      inserted.add(record);
    }
    List<TokenRecord> seen = new ArrayList<>();
    @Nullable ListPosition after = null;
    while (true) {
      List<TokenRecord> page = b.listCorp("acme", null, after, 4);
      if (page.isEmpty()) {
        break;
      }
      seen.addAll(page);
      after = ListPosition.of(page.get(page.size() - 1));
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(inserted).doesNotHaveDuplicates();
    for (int i = 1; i < seen.size(); i++) {
      assertThat(ListPosition.of(seen.get(i - 1)).precedes(seen.get(i))).isTrue();
    }
  }

  @Test
  void listCorp_limitBelowOne_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> a.listCorp("acme", null, null, 0));
  }

  // ---- settings and permissions -----------------------------------------------------------------

  @Test
  void settings_neverSet_areDefaults() {
    assertThat(a.settings("acme")).isEqualTo(TokenSettings.defaults());
  }

  @Test
  void replaceSettings_expectedMatches_replacedAndSeenByOtherNode() {
    TokenSettings thirtyDays = TokenSettings.defaults().withExpiry(ExpiryPolicy.days(30));
    TokenSettings restricted = thirtyDays.withRestricted(true);

    assertThat(a.replaceSettings("acme", TokenSettings.defaults(), thirtyDays)).isTrue();
    assertThat(b.settings("acme")).isEqualTo(thirtyDays);
    assertThat(b.replaceSettings("acme", b.settings("acme"), restricted)).isTrue();
    assertThat(a.settings("acme")).isEqualTo(restricted);
    assertThat(a.replaceSettings("acme", restricted, TokenSettings.defaults())).isTrue();
    assertThat(b.settings("acme")).isEqualTo(TokenSettings.defaults());
    assertThat(b.settings("other")).isEqualTo(TokenSettings.defaults());
  }

  @Test
  void replaceSettings_allowList_storedCanonicallyAndComparedByMeaning() {
    TokenSettings office =
        TokenSettings.defaults()
            .withAllowedIps(IpAllowList.parse("2001:db8::/32 # office\n10.0.0.5-10.0.0.9\n"));
    assertThat(a.replaceSettings("acme", TokenSettings.defaults(), office)).isTrue();

    TokenSettings read = b.settings("acme");
    assertThat(read).isEqualTo(office);
    assertThat(read.allowedIps().toText()).isEqualTo("10.0.0.5-10.0.0.9\n2001:db8::/32\n");
    // the same list spelled differently is the same expected value
    TokenSettings sameSpelledOtherwise =
        TokenSettings.defaults()
            .withAllowedIps(IpAllowList.parse("10.0.0.5-10.0.0.9\n2001:0db8:0::/32"));
    assertThat(b.replaceSettings("acme", sameSpelledOtherwise, office.withRestricted(true)))
        .isTrue();
    assertThat(a.settings("acme").allowedIps()).isEqualTo(office.allowedIps());
    assertThat(a.settings("acme").restricted()).isTrue();
  }

  @Test
  void replaceSettings_staleExpected_falseAndUnchanged() {
    TokenSettings thirtyDays = TokenSettings.defaults().withExpiry(ExpiryPolicy.days(30));
    a.replaceSettings("acme", TokenSettings.defaults(), thirtyDays);

    assertThat(
            b.replaceSettings(
                "acme", TokenSettings.defaults(), TokenSettings.defaults().withRestricted(true)))
        .isFalse();
    assertThat(
            b.replaceSettings(
                "acme", thirtyDays.withExpiry(ExpiryPolicy.days(31)), TokenSettings.defaults()))
        .isFalse();
    assertThat(a.settings("acme")).isEqualTo(thirtyDays);
  }

  @Test
  void replaceSettings_concurrentFromTwoNodes_exactlyOneWins() throws Exception {
    List<Callable<Outcome>> tasks = new ArrayList<>();
    List<TokenSettings> proposals = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      TokenStore node = i % 2 == 0 ? a : b;
      TokenSettings proposal = TokenSettings.defaults().withExpiry(ExpiryPolicy.days(i + 1));
      proposals.add(proposal);
      tasks.add(
          () ->
              node.replaceSettings("acme", TokenSettings.defaults(), proposal)
                  ? Outcome.YES
                  : Outcome.NO);
    }

    Map<Outcome, Integer> outcomes = runConcurrently(tasks, 16);

    assertThat(outcomes).containsEntry(Outcome.YES, 1).containsEntry(Outcome.NO, 39);
    assertThat(proposals).contains(a.settings("acme"));
  }

  private enum Outcome {
    YES,
    NO
  }

  @Test
  void setPermission_returnsWhetherHeldBefore_keyedByAsciiLowerCase() {
    assertThat(a.setPermission("acme", "Ann@Example.com", true)).isFalse();
    assertThat(b.setPermission("acme", "ann@example.com", true)).isTrue();
    assertThat(b.permittedUsers("acme")).containsExactly("ann@example.com");
    assertThat(a.permittedUsers("other")).isEmpty();

    assertThat(b.setPermission("acme", "ANN@EXAMPLE.COM", false)).isTrue();
    assertThat(a.setPermission("acme", "ann@example.com", false)).isFalse();
    assertThat(a.permittedUsers("acme")).isEmpty();
  }

  @Test
  void setPermission_concurrentGrantsFromTwoNodes_exactlyOneSeesItNew() throws Exception {
    List<Callable<Outcome>> tasks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      TokenStore node = i % 2 == 0 ? a : b;
      tasks.add(
          () -> node.setPermission("acme", "bob@example.com", true) ? Outcome.YES : Outcome.NO);
    }

    assertThat(runConcurrently(tasks, 16))
        .containsEntry(Outcome.NO, 1)
        .containsEntry(Outcome.YES, 39);
  }

  // ---- usage ----------------------------------------------------------------------------------

  @Test
  void recordUsage_mergesLikeUsageUpdate() {
    TokenRecord record = token(1, "acme", "ann@example.com", "t", T0);
    a.insert(record, 5);
    UsageUpdate first =
        new UsageUpdate(record.id(), T0.plusSeconds(10), List.of("10.0.0.2", "10.0.0.1"));
    UsageUpdate older =
        new UsageUpdate(record.id(), T0.plusSeconds(5), List.of("10.0.0.3", "10.0.0.1"));

    a.recordUsage(List.of(first));
    b.recordUsage(List.of(older));

    TokenRecord expected = older.merge(first.merge(record));
    assertThat(a.find(record.id())).contains(expected);
    assertThat(expected.lastUsed()).isEqualTo(T0.plusSeconds(10));
    assertThat(expected.recentIps()).containsExactly("10.0.0.3", "10.0.0.1", "10.0.0.2");
  }

  @Test
  void recordUsage_keepsTenMostRecentDistinctAddresses() {
    TokenRecord record = token(1, "acme", "ann@example.com", "t", T0);
    a.insert(record, 5);
    List<UsageUpdate> batch = new ArrayList<>();
    TokenRecord expected = record;
    for (int i = 0; i < 14; i++) {
      UsageUpdate update =
          new UsageUpdate(record.id(), T0.plusSeconds(i), List.of("10.0.0." + (i % 12)));
      batch.add(update);
      expected = update.merge(expected);
    }

    a.recordUsage(batch);

    assertThat(a.find(record.id())).contains(expected);
    assertThat(expected.recentIps()).hasSize(TokenRecord.MAX_RECENT_IPS);
  }

  @Test
  void recordUsage_deletedToken_dropped() {
    TokenRecord kept = token(1, "acme", "ann@example.com", "kept", T0);
    a.insert(kept, 5);
    UsageUpdate forGone = new UsageUpdate(TokenId.fromLong(77), T0, List.of("10.0.0.1"));
    UsageUpdate forKept = new UsageUpdate(kept.id(), T0, List.of("10.0.0.9"));

    a.recordUsage(List.of(forGone, forKept));
    a.recordUsage(List.of(forGone));
    a.recordUsage(List.of());

    assertThat(a.find(TokenId.fromLong(77))).isEmpty();
    assertThat(a.find(kept.id())).contains(forKept.merge(kept));
  }

  @Test
  void recordUsage_concurrentBatchesFromTwoNodes_loseNothing() throws Exception {
    long seed = seed("recordUsage_concurrentBatchesFromTwoNodes_loseNothing");
    RandomGenerator random = random(seed);
    List<TokenRecord> records = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      TokenRecord record =
          token(i % 2 == 0 ? i : Long.MIN_VALUE + i, "acme", "u" + i + "@example.com", "t", T0);
      a.insert(record, 5);
      records.add(record);
    }
    Map<TokenId, Instant> latest = new java.util.HashMap<>();
    Map<TokenId, Set<String>> addresses = new java.util.HashMap<>();
    List<Callable<Outcome>> tasks = new ArrayList<>();
    for (int t = 0; t < 40; t++) {
      List<UsageUpdate> batch = new ArrayList<>();
      for (TokenRecord record : records) {
        if (random.nextInt(3) == 0) {
          continue;
        }
        Instant used = T0.plusMillis(random.nextLong(0, 1_000_000));
        List<String> ips =
            List.of("10.1." + t + "." + random.nextInt(4), "10.2.0." + random.nextInt(2));
        batch.add(new UsageUpdate(record.id(), used, ips.stream().distinct().toList()));
        latest.merge(record.id(), used, (x, y) -> x.isAfter(y) ? x : y);
        addresses.computeIfAbsent(record.id(), k -> new HashSet<>()).addAll(ips);
      }
      // shuffled order within a batch: the store must lock in a global order to avoid deadlocks
      java.util.Collections.shuffle(batch, new java.util.Random(random.nextLong()));
      TokenStore node = t % 2 == 0 ? a : b;
      tasks.add(
          () -> {
            node.recordUsage(batch);
            return Outcome.YES;
          });
    }

    assertThat(runConcurrently(tasks, 8)).containsEntry(Outcome.YES, 40);

    for (TokenRecord record : records) {
      TokenRecord stored = a.find(record.id()).orElseThrow();
      assertThat(stored.lastUsed()).as("seed %s", seed).isEqualTo(latest.get(record.id()));
      Set<String> all = addresses.getOrDefault(record.id(), Set.of());
      assertThat(stored.recentIps())
          .doesNotHaveDuplicates()
          .hasSize(Math.min(TokenRecord.MAX_RECENT_IPS, all.size()));
      assertThat(all).containsAll(stored.recentIps());
    }
  }

  // ---- listeners --------------------------------------------------------------------------------

  /** Records what a listener is told. */
  static final class Heard implements StoreListener {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void tokenDeleted(TokenId id) {
      events.add("deleted " + id);
    }

    @Override
    public void corpChanged(String corp) {
      events.add("changed " + corp);
    }

    String next() throws InterruptedException {
      String event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(event).as("an event within %s", WAIT).isNotNull();
      return event;
    }
  }

  @Test
  void changes_toldToOwnListenersBeforeReturning_once() throws InterruptedException {
    Heard heard = new Heard();
    a.addListener(heard);
    TokenRecord record = token(1, "acme", "ann@example.com", "t", T0);
    a.insert(record, 5);

    a.delete(record.id());
    assertThat(heard.events).containsExactly("deleted " + record.id());
    heard.events.clear();
    a.replaceSettings(
        "acme", TokenSettings.defaults(), TokenSettings.defaults().withRestricted(true));
    assertThat(heard.events).containsExactly("changed acme");
    heard.events.clear();
    a.setPermission("acme", "ann@example.com", true);
    assertThat(heard.events).containsExactly("changed acme");
    heard.events.clear();
    a.setPermission("acme", "ann@example.com", true);
    a.delete(record.id());
    a.replaceSettings("acme", TokenSettings.defaults(), TokenSettings.defaults());
    assertThat(heard.events).as("no change, no event").isEmpty();

    // The feed reads the change table several times meanwhile and must skip our own changes.
    Thread.sleep(300);
    assertThat(heard.events).isEmpty();
  }

  @Test
  void changes_reachOtherNodeByPolling() throws InterruptedException {
    Heard heard = new Heard();
    b.addListener(heard);
    TokenRecord record = token(1, "acme", "ann@example.com", "t", T0);
    a.insert(record, 5);

    a.delete(record.id());
    assertThat(heard.next()).isEqualTo("deleted " + record.id());
    a.replaceSettings(
        "acme", TokenSettings.defaults(), TokenSettings.defaults().withRestricted(true));
    assertThat(heard.next()).isEqualTo("changed acme");
    a.setPermission("acme", "ann@example.com", true);
    assertThat(heard.next()).isEqualTo("changed acme");
  }

  @Test
  void changes_reachOtherNodeByNotification() throws InterruptedException {
    // Polling alone would take an hour: only a notification can deliver within the wait.
    PostgresTokenStore listening =
        open(
            EmbeddedDatabase.nodeB(),
            builder ->
                builder.pollInterval(Duration.ofHours(1)).notifications(EmbeddedDatabase.PGJDBC));
    Heard heard = new Heard();
    listening.addListener(heard);
    TokenRecord record = token(1, "acme", "ann@example.com", "t", T0);
    a.insert(record, 5);

    // The feed LISTENs before its first read, so this first change arrives by that read (or by a
    // notification); once it has arrived the feed is listening, and only a notification can bring
    // the next ones within the wait.
    a.delete(record.id());
    assertThat(heard.next()).isEqualTo("deleted " + record.id());
    a.setPermission("acme", "ann@example.com", true);
    assertThat(heard.next()).isEqualTo("changed acme");
    a.replaceSettings(
        "acme",
        TokenSettings.defaults(),
        TokenSettings.defaults().withExpiry(ExpiryPolicy.days(30)));
    assertThat(heard.next()).isEqualTo("changed acme");
  }

  @Test
  void changes_madeBeforeFeedStarted_replayed() throws InterruptedException {
    TokenRecord record = token(1, "acme", "ann@example.com", "t", T0);
    a.insert(record, 5);
    a.delete(record.id());

    Heard heard = new Heard();
    b.addListener(heard); // b was created before the deletion, so caches filled meanwhile hear it

    assertThat(heard.next()).isEqualTo("deleted " + record.id());
  }

  @Test
  void feedStatus_disconnectedUntilTheFeedReads_thenConnectedAndCurrent_disconnectedWhenClosed()
      throws InterruptedException {
    FeedStatus unstarted = b.feedStatus();
    assertThat(unstarted.state()).as("no listener yet").isEqualTo(FeedStatus.State.DISCONNECTED);
    assertThat(unstarted.reconnects()).isZero();

    b.addListener(new Heard());
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (b.feedStatus().state() != FeedStatus.State.CONNECTED) {
      assertThat(System.nanoTime() - deadline).as("connected within %s", WAIT).isNegative();
      Thread.sleep(10);
    }
    // It reads every 50 ms: its lag stays about that, and does not grow with time.
    Thread.sleep(1500);
    FeedStatus connected = b.feedStatus();
    assertThat(connected.state()).isEqualTo(FeedStatus.State.CONNECTED);
    assertThat(connected.reconnects()).as("it never lost the database").isZero();
    assertThat(connected.lag()).isLessThan(Duration.ofSeconds(1));

    b.close();
    FeedStatus closed = b.feedStatus();
    assertThat(closed.state()).isEqualTo(FeedStatus.State.DISCONNECTED);
    Thread.sleep(300);
    assertThat(b.feedStatus().lag())
        .as("no longer reading: the lag grows")
        .isGreaterThanOrEqualTo(closed.lag().plusMillis(300));
  }

  // ---- faults -----------------------------------------------------------------------------------

  @Test
  void everyMethod_databaseUnreachable_throwsStoreExceptionNamingTheOperation() {
    PostgresTokenStore down = PostgresTokenStore.create(FaultyDataSource.unreachable());
    TokenRecord record = token(1, "acme", "ann@example.com", "t", T0);
    Map<String, Runnable> calls = new java.util.LinkedHashMap<>();
    calls.put("insert", () -> down.insert(record, 5));
    calls.put("find", () -> down.find(record.id()));
    calls.put("delete", () -> down.delete(record.id()));
    calls.put("listByOwner", () -> down.listByOwner("acme", "ann@example.com"));
    calls.put("listCorp", () -> down.listCorp("acme", null, null, 10));
    calls.put("settings", () -> down.settings("acme"));
    calls.put(
        "replaceSettings",
        () -> down.replaceSettings("acme", TokenSettings.defaults(), TokenSettings.defaults()));
    calls.put("permittedUsers", () -> down.permittedUsers("acme"));
    calls.put("setPermission", () -> down.setPermission("acme", "ann@example.com", true));
    calls.put("permissionGrants", () -> down.permissionGrants("acme"));
    calls.put("grantPermission", () -> down.grantPermission("acme", "ann@example.com", T0));
    calls.put("claimEndedGrants", () -> down.claimEndedGrants(T0, 10));
    calls.put(
        "recordUsage",
        () -> down.recordUsage(List.of(new UsageUpdate(record.id(), T0, List.of()))));

    for (Map.Entry<String, Runnable> call : calls.entrySet()) {
      assertThatThrownBy(call.getValue()::run)
          .as(call.getKey())
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageStartingWith("PostgresTokenStore." + call.getKey() + "(")
          .hasMessageContaining("08001");
    }
    down.close();
  }

  @Test
  void delete_failingMidTransaction_rolledBackWhole() {
    TokenRecord record = token(1, "acme", "ann@example.com", "t", T0);
    a.insert(record, 5);
    Heard heard = new Heard();
    PostgresTokenStore faulty = open(failingOnChangeRecord(), builder -> {});
    faulty.addListener(heard);

    assertThatThrownBy(() -> faulty.delete(record.id()))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("delete(token " + record.id() + ")")
        .hasMessageContaining("nothing written");

    assertThat(a.find(record.id()))
        .as("the DELETE before the failure was rolled back")
        .contains(record);
    assertThat(heard.events).isEmpty();
  }

  @Test
  void settingsAndPermissions_failingMidTransaction_rolledBackWhole() {
    PostgresTokenStore faulty = open(failingOnChangeRecord(), builder -> {});

    assertThrows(
        StoreUnavailableException.class,
        () ->
            faulty.replaceSettings(
                "acme", TokenSettings.defaults(), TokenSettings.defaults().withRestricted(true)));
    assertThrows(
        StoreUnavailableException.class,
        () -> faulty.setPermission("acme", "ann@example.com", true));

    assertThat(a.settings("acme")).isEqualTo(TokenSettings.defaults());
    assertThat(a.permittedUsers("acme")).isEmpty();
  }

  @Test
  void insert_failingAtTheInsert_rolledBackWhole() {
    PostgresTokenStore faulty =
        open(
            FaultyDataSource.failing(
                EmbeddedDatabase.nodeA(),
                sql -> sql.startsWith("INSERT INTO \"" + schema + "\".authcore_tokens")),
            builder -> {});
    TokenRecord record = token(1, "acme", "ann@example.com", "t", T0);

    assertThrows(StoreUnavailableException.class, () -> faulty.insert(record, 1));

    assertThat(a.find(record.id())).isEmpty();
    assertThat(a.insert(record, 1)).isEqualTo(InsertOutcome.INSERTED);
  }

  @Test
  void commitFailing_reportedAsUnknownOutcome() {
    PostgresTokenStore faulty =
        open(FaultyDataSource.failingCommit(EmbeddedDatabase.nodeA()), builder -> {});
    TokenRecord record = token(1, "acme", "ann@example.com", "t", T0);

    assertThatThrownBy(() -> faulty.insert(record, 5))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("insert(token " + record.id() + " of corp acme)")
        .hasMessageContaining("failed while committing; the write is either whole or absent");
    // here the commit never reached the server and the store rolled back: absent
    assertThat(a.find(record.id())).isEmpty();
  }

  private DataSource failingOnChangeRecord() {
    return FaultyDataSource.failing(
        EmbeddedDatabase.nodeA(),
        sql -> sql.contains("authcore_changes") && sql.startsWith("WITH tick"));
  }

  @Test
  void storedDataUnreadable_throwsStoreExceptionNamingTheToken() {
    TokenRecord record = token(1, "acme", "ann@example.com", "t", T0);
    a.insert(record, 5);
    EmbeddedDatabase.execute("UPDATE " + schema + ".authcore_tokens SET secret_hash = 'md5:x'");

    assertThatThrownBy(() -> a.find(record.id()))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("stored token " + record.id() + " is unreadable");
  }

  @Test
  void builder_rejectsBadOptions() {
    PostgresTokenStore.Builder builder = PostgresTokenStore.builder(EmbeddedDatabase.nodeA());
    assertThrows(IllegalArgumentException.class, () -> builder.schema("Public"));
    assertThrows(IllegalArgumentException.class, () -> builder.schema("a\"; DROP TABLE x; --"));
    assertThrows(IllegalArgumentException.class, () -> builder.channel("9lives"));
    assertThrows(IllegalArgumentException.class, () -> builder.pollInterval(Duration.ofMillis(9)));
    assertThrows(IllegalArgumentException.class, () -> builder.pollInterval(Duration.ofHours(2)));
  }

  @Test
  void toString_namesSchemaAndChannel() {
    assertThat(a.toString())
        .isEqualTo("PostgresTokenStore[schema=" + schema + ", channel=" + schema + "]");
  }
}
