package dev.authcore.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.model.TokenId;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.TokenRecord;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Schema version 2 (secret rotation) applied to a database that has run on version 1 for a while:
 * every token, owner, setting, permission and change is still there and reads as before, as a token
 * never rotated, and the upgraded tables accept rotations and their change rows.
 */
class RotationMigrationTest {
  private static final long ANN_ID = 0x1234_5678_9abc_def0L;
  private static final long BOB_ID = -42L; // the sign bit set: ids are unsigned
  private static final String ANN_HASH =
      "sha256:" + "A".repeat(42) + "w"; // 32 bytes of base64url, no padding
  private static final String BOB_HASH = "hmac-sha256:k1:" + "B".repeat(42) + "w";

  @Test
  void migrate_databaseAtVersion1WithTokens_appliesVersion2AndLosesNothing() throws Exception {
    String schema = "t_v1_upgrade_" + Long.toUnsignedString(System.nanoTime(), 36);
    createAtVersion1(schema);
    execute(
        schema,
        "INSERT INTO authcore_owners (corp, owner_key) VALUES ('acme', 'ann@example.com'),"
            + " ('acme', 'bob@example.com')",
        "INSERT INTO authcore_tokens (id, corp, owner_key, owner_email, name, name_key, created,"
            + " expires_at, secret_hash, last_used, recent_ips) VALUES ("
            + ANN_ID
            + ", 'acme', 'ann@example.com', 'Ann@Example.com', 'Deploy', 'deploy',"
            + " 1767225600.123, 1769817600, '"
            + ANN_HASH
            + "', 1767229200.5, '{10.0.0.1,2001:db8::1}')",
        "INSERT INTO authcore_tokens (id, corp, owner_key, owner_email, name, name_key, created,"
            + " expires_at, secret_hash, last_used, recent_ips) VALUES ("
            + BOB_ID
            + ", 'acme', 'bob@example.com', 'bob@example.com', 'ci', 'ci', 1767225601, NULL, '"
            + BOB_HASH
            + "', NULL, '{}')",
        "INSERT INTO authcore_settings (corp, expiry_millis, restricted, allowed_ips)"
            + " VALUES ('acme', 2592000000, true, '10.0.0.0/8')",
        "INSERT INTO authcore_permissions (corp, email_key) VALUES ('acme', 'ann@example.com')",
        "UPDATE authcore_change_clock SET seq = 1",
        "INSERT INTO authcore_changes (seq, kind, token_id, corp, origin) VALUES"
            + " (1, 'token_deleted', 7, 'acme', 'old-node')");

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
                  Instant.ofEpochSecond(1769817600),
                  SecretHash.parse(ANN_HASH),
                  Instant.ofEpochSecond(1767229200, 500_000_000),
                  List.of("10.0.0.1", "2001:db8::1")));
      assertThat(ann.rotated()).isNull();
      assertThat(ann.previousHash()).isNull();
      assertThat(ann.previousValidUntil()).isNull();
      TokenRecord bob = store.find(TokenId.fromLong(BOB_ID)).orElseThrow();
      assertThat(bob.hash()).isEqualTo(SecretHash.parse(BOB_HASH));
      assertThat(bob.expiresAt()).isNull();
      assertThat(store.listCorp("acme", null, null, 10)).containsExactly(bob, ann);
      assertThat(store.settings("acme").restricted()).isTrue();
      assertThat(store.settings("acme").allowedIps().toText()).isEqualTo("10.0.0.0/8\n");
      assertThat(store.permittedUsers("acme")).containsExactly("ann@example.com");
      assertThat(count(schema, "SELECT count(*) FROM authcore_changes WHERE seq = 1")).isOne();

      // The upgraded tables take a rotation and its change row.
      SecretHash next = SecretHash.of(SecretHash.Algorithm.SHA256, null, new byte[32]);
      Instant at = Instant.parse("2026-02-01T00:00:00Z");
      Optional<TokenRecord> rotated =
          store.rotateSecret(ann.id(), ann.hash(), next, at, at.plus(Duration.ofHours(1)));
      assertThat(rotated).contains(ann.withRotation(next, at, at.plus(Duration.ofHours(1))));
      assertThat(
              count(
                  schema,
                  "SELECT count(*) FROM authcore_changes WHERE kind = 'token_changed' AND token_id"
                      + " = "
                      + ANN_ID))
          .isOne();
    }
  }

  /** A schema with version 1 only, recorded as {@link PostgresSchema#migrate} records it. */
  private static void createAtVersion1(String schema) throws Exception {
    String file = PostgresSchema.files().get(0);
    assertThat(file).endsWith("V1__tokens.sql");
    byte[] content;
    try (InputStream in = PostgresSchema.class.getResourceAsStream("/" + file)) {
      content = in.readAllBytes();
    }
    String checksum =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    EmbeddedDatabase.execute("CREATE SCHEMA " + schema);
    List<String> statements =
        PostgresSchema.statements(new String(content, StandardCharsets.UTF_8));
    execute(schema, statements.toArray(new String[0]));
    execute(
        schema,
        "CREATE TABLE authcore_schema_version (version integer PRIMARY KEY, description text NOT"
            + " NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
        "INSERT INTO authcore_schema_version (version, description, checksum) VALUES (1,"
            + " 'tokens', '"
            + checksum
            + "')");
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
