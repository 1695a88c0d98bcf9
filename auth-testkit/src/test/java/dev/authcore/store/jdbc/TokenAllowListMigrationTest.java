package dev.authcore.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.TokenId;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.TokenRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Schema version 7 (a token's own allow list) and the versions before it applied to a database at
 * version 4 with tokens in it: every token reads as before, with no list of its own, and the
 * upgraded table keeps lists.
 */
class TokenAllowListMigrationTest {
  private static final long ANN_ID = 0x1234_5678_9abc_def0L;
  private static final String ANN_HASH = "sha256:" + "A".repeat(42) + "w";
  private static final String OLD_HASH = "sha256:" + "C".repeat(42) + "w";

  @Test
  void migrate_databaseAtVersion4WithTokens_upgradesToTheLatestAndLosesNothing() throws Exception {
    String schema = "t_v4_upgrade_" + Long.toUnsignedString(System.nanoTime(), 36);
    assertThat(PostgresSchema.migrate(EmbeddedDatabase.nodeA(), schema, 4)).isEqualTo(4);
    execute(
        schema,
        "INSERT INTO authcore_owners (corp, owner_key) VALUES ('acme', 'ann@example.com')",
        "INSERT INTO authcore_tokens (id, corp, owner_key, owner_email, name, name_key, created,"
            + " expires_at, secret_hash, last_used, recent_ips, rotated, previous_hash,"
            + " previous_valid_until) VALUES ("
            + ANN_ID
            + ", 'acme', 'ann@example.com', 'Ann@Example.com', 'Deploy', 'deploy',"
            + " 1767225600.123, NULL, '"
            + ANN_HASH
            + "', 1767229200.5, '{10.0.0.1}', 1767229000, '"
            + OLD_HASH
            + "', 1767232600)",
        "INSERT INTO authcore_settings (corp, expiry_millis, restricted, allowed_ips,"
            + " inactive_days) VALUES ('acme', NULL, false, '10.0.0.0/8', 30)");

    assertThat(PostgresSchema.migrate(EmbeddedDatabase.nodeA(), schema))
        .isEqualTo(PostgresSchema.LATEST_VERSION);

    try (PostgresTokenStore store =
        PostgresTokenStore.builder(EmbeddedDatabase.nodeA()).schema(schema).build()) {
      TokenRecord ann = store.find(TokenId.fromLong(ANN_ID)).orElseThrow();
      assertThat(ann)
          .isEqualTo(
              new TokenRecord(
                  TokenId.fromLong(ANN_ID),
                  "acme",
                  "Ann@Example.com",
                  "Deploy",
                  Instant.ofEpochSecond(1767225600, 123_000_000),
                  null,
                  SecretHash.parse(ANN_HASH),
                  Instant.ofEpochSecond(1767229200, 500_000_000),
                  List.of("10.0.0.1"),
                  Instant.ofEpochSecond(1767229000),
                  SecretHash.parse(OLD_HASH),
                  Instant.ofEpochSecond(1767232600)));
      assertThat(ann.allowedIps()).isNull();
      assertThat(store.settings("acme").inactiveDays()).isEqualTo(30);
      assertThat(store.settings("acme").allowedIps().toText()).isEqualTo("10.0.0.0/8\n");

      // The upgraded table keeps a list and records the change for other nodes.
      assertThat(store.setAllowedIps(ann.id(), "10.1.0.0/16\n"))
          .contains(ann.withAllowedIps("10.1.0.0/16\n"));
      assertThat(store.find(ann.id()).orElseThrow().allowedIps()).isEqualTo("10.1.0.0/16\n");
      assertThat(
              count(
                  schema,
                  "SELECT count(*) FROM authcore_changes WHERE kind = 'token_changed' AND token_id"
                      + " = "
                      + ANN_ID))
          .isOne();
    }
    // Empty text is never stored: no list is NULL.
    assertThatThrownBy(
            () ->
                execute(schema, "UPDATE authcore_tokens SET allowed_ips = '' WHERE id = " + ANN_ID))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("check");
  }

  private static void execute(String schema, String... sql) throws SQLException {
    try (Connection connection = EmbeddedDatabase.nodeA().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("SET search_path TO " + schema);
      for (String s : sql) {
        statement.execute(s);
      }
      statement.execute("RESET search_path");
    }
  }

  private static long count(String schema, String sql) throws SQLException {
    try (Connection connection = EmbeddedDatabase.nodeA().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("SET search_path TO " + schema);
      try (ResultSet rows = statement.executeQuery(sql)) {
        rows.next();
        long n = rows.getLong(1);
        statement.execute("RESET search_path");
        return n;
      }
    }
  }
}
