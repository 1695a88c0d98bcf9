package dev.authcore.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.authcore.model.StoreUnavailableException;
import dev.authcore.policy.ExpiryNotice;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.PermissionGrant;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.EndedGrant;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.UsageUpdate;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PostgresSchemaTest {
  private static final String SCHEMA_TABLES =
      "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name LIKE"
          + " 'authcore\\_%'";

  @Test
  void migrate_twice_appliesEachVersionOnce() throws SQLException {
    String schema = EmbeddedDatabase.newSchema("twice");

    assertThat(PostgresSchema.migrate(EmbeddedDatabase.nodeA(), schema))
        .isEqualTo(PostgresSchema.LATEST_VERSION);
    assertThat(PostgresSchema.migrate(EmbeddedDatabase.nodeB(), schema))
        .isEqualTo(PostgresSchema.LATEST_VERSION);

    assertThat(query("SELECT count(*) FROM " + schema + ".authcore_schema_version"))
        .isEqualTo(PostgresSchema.files().size());
    assertThat(query("SELECT seq FROM " + schema + ".authcore_change_clock")).isZero();
  }

  @Test
  void migrate_concurrentlyFromManyNodes_allSucceedOnce() throws Exception {
    String schema = "t_concurrent_" + Long.toUnsignedString(System.nanoTime(), 36);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        javax.sql.DataSource node =
            i % 2 == 0 ? EmbeddedDatabase.nodeA() : EmbeddedDatabase.nodeB();
        Callable<Integer> task =
            () -> {
              start.await();
              return PostgresSchema.migrate(node, schema);
            };
        results.add(pool.submit(task));
      }
      start.countDown();
      for (Future<Integer> result : results) {
        assertThat(result.get(1, TimeUnit.MINUTES)).isEqualTo(PostgresSchema.LATEST_VERSION);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(query("SELECT count(*) FROM " + schema + ".authcore_schema_version"))
        .isEqualTo(PostgresSchema.files().size());
  }

  @Test
  void migrate_databaseAtVersion2WithTokens_upgradesInPlaceAndKeepsEverything() throws Exception {
    String schema = "t_upgrade_" + Long.toUnsignedString(System.nanoTime(), 36);
    // The version before the notice table; version 1 to 2 is RotationMigrationTest's.
    assertThat(PostgresSchema.migrate(EmbeddedDatabase.nodeA(), schema, 2)).isEqualTo(2);
    PostgresTokenStore store =
        PostgresTokenStore.builder(EmbeddedDatabase.nodeA()).schema(schema).build();
    TokenSettings settings = TokenSettings.defaults().withExpiry(ExpiryPolicy.days(30));
    TokenRecord used = Records.token(11, "acme", "ann@acme.test", "ci", Records.T0);
    TokenRecord expiring =
        Records.token(
            12, "acme", "bob@acme.test", "deploy", Records.T0, Records.T0.plusSeconds(86_400));
    List<TokenRecord> before;
    try {
      // Tokens as a version 2 store writes them: without the columns of later versions.
      insertAtVersion2(schema, used);
      insertAtVersion2(schema, expiring);
      store.recordUsage(List.of(new UsageUpdate(used.id(), Records.T0, List.of("10.0.0.1"))));
      // Settings as a version before 4 writes them, without the inactivity column.
      EmbeddedDatabase.execute(
          "INSERT INTO "
              + schema
              + ".authcore_settings (corp, expiry_millis, restricted, allowed_ips)"
              + " VALUES ('acme', "
              + Duration.ofDays(30).toMillis()
              + ", false, '')");
      // A permission as a version before 5 writes it, without an end.
      EmbeddedDatabase.execute(
          "INSERT INTO "
              + schema
              + ".authcore_permissions (corp, email_key) VALUES ('acme', 'ann@acme.test')");
      before = List.of(expiring, used.withUsage(Records.T0, List.of("10.0.0.1")));
      String noticeTable =
          "SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
              + schema
              + "' AND table_name = 'authcore_expiry_notices'";
      assertThat(query(noticeTable)).as("no notice table at version 2").isZero();

      assertThat(PostgresSchema.migrate(EmbeddedDatabase.nodeA(), schema))
          .isEqualTo(PostgresSchema.LATEST_VERSION);

      assertThat(query(noticeTable)).isOne();
      assertThat(store.listCorp("acme", null, null, 10)).isEqualTo(before).hasSize(2);
      assertThat(store.settings("acme")).isEqualTo(settings);
      assertThat(store.settings("acme").inactiveDays()).as("none until an owner sets it").isNull();
      TokenSettings inactive = settings.withInactiveDays(60);
      assertThat(store.replaceSettings("acme", settings, inactive)).isTrue();
      assertThat(store.settings("acme")).isEqualTo(inactive);
      assertThat(store.permittedUsers("acme")).containsExactly("ann@acme.test");
      assertThat(store.permissionGrants("acme"))
          .as("kept, without an end")
          .containsExactly(PermissionGrant.unending("ann@acme.test"));
      assertThat(store.corpsWithTokens(null, 10)).containsExactly("acme");
      assertThat(store.recordNotice(expiring.id(), ExpiryNotice.ONE_DAY)).isTrue();
      assertThat(store.recordNotice(expiring.id(), ExpiryNotice.ONE_DAY)).isFalse();
      assertThat(store.delete(expiring.id())).isPresent();
      assertThat(query("SELECT count(*) FROM " + schema + ".authcore_expiry_notices"))
          .as("records go with their token")
          .isZero();
    } finally {
      store.close();
    }
  }

  /** Inserts {@code token} with the columns of schema version 2 only. */
  private static void insertAtVersion2(String schema, TokenRecord token) {
    Instant expires = token.expiresAt();
    EmbeddedDatabase.execute(
        "INSERT INTO "
            + schema
            + ".authcore_owners (corp, owner_key) VALUES ('"
            + token.corp()
            + "', '"
            + token.ownerKey()
            + "') ON CONFLICT DO NOTHING");
    EmbeddedDatabase.execute(
        "INSERT INTO "
            + schema
            + ".authcore_tokens (id, corp, owner_key, owner_email, name, name_key, created,"
            + " expires_at, secret_hash, last_used, recent_ips) VALUES ("
            + token.id().asLong()
            + ", '"
            + token.corp()
            + "', '"
            + token.ownerKey()
            + "', '"
            + token.ownerEmail()
            + "', '"
            + token.name()
            + "', '"
            + token.name().toLowerCase(java.util.Locale.ROOT)
            + "', "
            + PostgresTokenStore.decimal(token.created()).toPlainString()
            + ", "
            + (expires == null ? "NULL" : PostgresTokenStore.decimal(expires).toPlainString())
            + ", '"
            + token.hash().encoded()
            + "', NULL, '{}')");
  }

  @Test
  void migrate_databaseAtVersion4WithPermissions_upgradesInPlace_grantsGainEnds() throws Exception {
    String schema = "t_grants_" + Long.toUnsignedString(System.nanoTime(), 36);
    assertThat(PostgresSchema.migrate(EmbeddedDatabase.nodeA(), schema, 4)).isEqualTo(4);
    PostgresTokenStore store =
        PostgresTokenStore.builder(EmbeddedDatabase.nodeA()).schema(schema).build();
    try {
      // Permissions as version 4 writes them: no end column yet.
      EmbeddedDatabase.execute(
          "INSERT INTO "
              + schema
              + ".authcore_permissions (corp, email_key) VALUES ('acme', 'ann@acme.test'),"
              + " ('acme', 'bob@acme.test'), ('beta', 'ann@acme.test')");
      String untilColumn =
          "SELECT count(*) FROM information_schema.columns WHERE table_schema = '"
              + schema
              + "' AND table_name = 'authcore_permissions' AND column_name = 'until'";
      assertThat(query(untilColumn)).as("no end column at version 4").isZero();

      assertThat(PostgresSchema.migrate(EmbeddedDatabase.nodeA(), schema))
          .isEqualTo(PostgresSchema.LATEST_VERSION);

      assertThat(query(untilColumn)).isOne();
      assertThat(store.permissionGrants("acme"))
          .containsExactly(
              PermissionGrant.unending("ann@acme.test"), PermissionGrant.unending("bob@acme.test"));
      assertThat(store.permissionGrants("beta"))
          .containsExactly(PermissionGrant.unending("ann@acme.test"));
      assertThat(store.claimEndedGrants(Records.T0.plusSeconds(1_000_000_000L), 10))
          .as("grants without an end never end")
          .isEmpty();
      Instant until = Records.T0.plusSeconds(3600);
      assertThat(store.grantPermission("acme", "bob@acme.test", until))
          .contains(PermissionGrant.unending("bob@acme.test"));
      assertThat(store.claimEndedGrants(until, 10))
          .containsExactly(new EndedGrant("acme", "bob@acme.test", until));
    } finally {
      store.close();
    }
  }

  @Test
  void migrate_appliedFileChanged_refusesWithBothChecksums() {
    String schema = EmbeddedDatabase.newSchema("changed");
    EmbeddedDatabase.execute(
        "UPDATE " + schema + ".authcore_schema_version SET checksum = 'abc' WHERE version = 1");

    assertThatThrownBy(() -> PostgresSchema.migrate(EmbeddedDatabase.nodeA(), schema))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("schema version 1 in schema " + schema)
        .hasMessageContaining("SHA-256 abc");
  }

  @Test
  void migrate_failingStatement_leavesNothingBehind() throws SQLException {
    String schema = "t_failing_" + Long.toUnsignedString(System.nanoTime(), 36);
    var failing =
        FaultyDataSource.failing(
            EmbeddedDatabase.nodeA(), sql -> sql.startsWith("INSERT INTO authcore_schema_version"));
    // statements run through Statement, the version row through PreparedStatement: fail that one
    assertThatThrownBy(() -> PostgresSchema.migrate(failing, schema))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(
            "PostgresSchema.migrate(schema " + schema + ") failed, nothing applied");

    assertThat(countTables(schema)).isZero();
  }

  @Test
  void migrate_unreachable_throwsStoreException() {
    assertThatThrownBy(() -> PostgresSchema.migrate(FaultyDataSource.unreachable()))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("PostgresSchema.migrate(the search_path schema)")
        .hasMessageContaining("08001");
  }

  @Test
  void migrate_badSchemaName_throwsIllegalArgument() {
    assertThrows(
        IllegalArgumentException.class,
        () -> PostgresSchema.migrate(EmbeddedDatabase.nodeA(), "x; DROP SCHEMA public"));
  }

  @Test
  void files_areInTheJarAndSplitIntoStatements() throws Exception {
    for (String file : PostgresSchema.files()) {
      try (InputStream in = PostgresSchema.class.getClassLoader().getResourceAsStream(file)) {
        assertThat(in).as(file).isNotNull();
        String script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        List<String> statements = PostgresSchema.statements(script);
        assertThat(statements).isNotEmpty().allSatisfy(s -> assertThat(s).doesNotEndWith(";"));
        assertThat(statements).noneMatch(s -> s.strip().startsWith("--"));
      }
    }
  }

  @Test
  void statements_splitAtSemicolonsEndingLines() {
    assertThat(
            PostgresSchema.statements(
                "-- comment\nCREATE TABLE a (\n  x int -- note; not an end\n);\n\nSELECT 1;\n"))
        .containsExactly("CREATE TABLE a (\n  x int -- note; not an end\n)", "SELECT 1");
    assertThrows(IllegalStateException.class, () -> PostgresSchema.statements("SELECT 1"));
  }

  private static long countTables(String schema) throws SQLException {
    try (Connection connection = EmbeddedDatabase.nodeA().getConnection();
        var statement = connection.prepareStatement(SCHEMA_TABLES)) {
      statement.setString(1, schema);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static long query(String sql) throws SQLException {
    try (Connection connection = EmbeddedDatabase.nodeA().getConnection();
        ResultSet rows = connection.createStatement().executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
