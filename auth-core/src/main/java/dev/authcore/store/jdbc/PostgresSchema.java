package dev.authcore.store.jdbc;

import static com.google.common.base.Preconditions.checkArgument;

import dev.authcore.model.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The database schema of {@link PostgresTokenStore}: versioned SQL files shipped in the jar, and a
 * way to apply them for deployments without a migration tool.
 *
 * <p>The files are the resources {@code dev/authcore/store/jdbc/schema/V<n>__<description>.sql}
 * ({@link #files()} lists them in order), in a package the module opens, so a migration tool reads
 * them on the module path as on the class path. Apply them in one of two ways:
 *
 * <ul>
 *   <li>{@link #migrate(DataSource)} (or with a schema name): applies the versions not yet applied,
 *       each recorded with the SHA-256 of its file in the table {@code authcore_schema_version}.
 *       Idempotent, and safe when several nodes start at once: the whole migration is one
 *       transaction under a PostgreSQL advisory lock, and PostgreSQL's DDL is transactional, so a
 *       failed migration leaves nothing behind.
 *   <li>your migration tool: the names follow Flyway's convention ({@code
 *       classpath:dev/authcore/store/jdbc/schema}); with Liquibase or {@code psql -f}, apply them
 *       in version order. Each statement ends with {@code ;} at the end of a line.
 * </ul>
 *
 * <p>SQL is kept to what PostgreSQL 14 and later accept. Not instantiable; the methods are
 * thread-safe.
 */
public final class PostgresSchema {
  /** The highest schema version the files in this jar reach. */
  public static final int LATEST_VERSION = 7;

  private static final List<String> FILES =
      List.of(
          "V1__tokens.sql",
          "V2__rotation.sql",
          "V3__expiry_notices.sql",
          "V4__inactivity.sql",
          "V5__grant_ends.sql",
          "V6__staged_allow_lists.sql",
          "V7__token_allow_lists.sql");

  /** Where the files are in the jar. */
  private static final String DIRECTORY = "dev/authcore/store/jdbc/schema/";

  private static final Pattern FILE_NAME = Pattern.compile("V(\\d+)__([a-z0-9_]+)\\.sql");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** Advisory lock key of migrations, combined with the schema name's hash. */
  private static final long MIGRATION_LOCK = 0x6175746863307265L; // "authc0re"

  private PostgresSchema() {}

  /**
   * The schema files in the order they apply, as resource paths in the jar (for example {@code
   * dev/authcore/store/jdbc/schema/V1__tokens.sql}).
   */
  public static List<String> files() {
    List<String> out = new ArrayList<>(FILES.size());
    for (String file : FILES) {
      out.add(DIRECTORY + file);
    }
    return List.copyOf(out);
  }

  /**
   * Applies the schema versions not yet applied to the first schema of the connections' {@code
   * search_path} (usually {@code public}).
   *
   * @return the schema version now in force
   * @throws StoreUnavailableException if the database cannot be reached or a statement fails;
   *     nothing of this call is then applied
   * @throws IllegalStateException if an applied version was applied from a different file (the
   *     schema was changed by another tool or another build)
   */
  public static int migrate(DataSource dataSource) {
    return migrate(dataSource, null);
  }

  /**
   * Applies the schema versions not yet applied to the named PostgreSQL schema, creating it if
   * needed. Pass the same name to {@link PostgresTokenStore.Builder#schema}.
   *
   * @param schema a PostgreSQL schema name: lower-case letters, digits and {@code _}, not starting
   *     with a digit, at most 63 characters; or {@code null} for the {@code search_path}'s first
   * @return the schema version now in force
   * @throws IllegalArgumentException if {@code schema} is not such a name
   * @throws StoreUnavailableException if the database cannot be reached or a statement fails;
   *     nothing of this call is then applied
   * @throws IllegalStateException if an applied version was applied from a different file
   */
  public static int migrate(DataSource dataSource, @Nullable String schema) {
    return migrate(dataSource, schema, Integer.MAX_VALUE);
  }

  /**
   * As {@link #migrate(DataSource, String)}, applying only the versions up to {@code upTo}: for
   * tests that upgrade a database made by an older release.
   */
  static int migrate(DataSource dataSource, @Nullable String schema, int upTo) {
    if (schema != null) {
      checkIdentifier(schema, "schema");
    }
    String where = schema == null ? "the search_path schema" : "schema " + schema;
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      int isolation = connection.getTransactionIsolation();
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      try {
        int version = migrate(connection, schema, where, upTo);
        connection.commit();
        return version;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection, e);
        throw e;
      } finally {
        restoreQuietly(connection, autoCommit, isolation);
      }
    } catch (SQLException e) {
      throw new StoreUnavailableException(
          "PostgresSchema.migrate("
              + where
              + ") failed, nothing applied: "
              + PostgresTokenStore.describeSql(e),
          e);
    }
  }

  private static int migrate(Connection connection, @Nullable String schema, String where, int upTo)
      throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      lock.setLong(1, MIGRATION_LOCK ^ (schema == null ? 0 : schema.hashCode()));
      lock.execute();
    }
    try (Statement statement = connection.createStatement()) {
      if (schema != null) {
        statement.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
        statement.execute("SET LOCAL search_path TO " + quote(schema));
      }
      statement.execute(
          "CREATE TABLE IF NOT EXISTS authcore_schema_version ("
              + " version integer PRIMARY KEY,"
              + " description text NOT NULL,"
              + " checksum text NOT NULL,"
              + " applied_at timestamptz NOT NULL DEFAULT now())");
    }
    Map<Integer, String> applied = new HashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT version, checksum FROM authcore_schema_version")) {
      while (rows.next()) {
        applied.put(rows.getInt(1), rows.getString(2));
      }
    }
    int current = applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    for (String file : FILES) {
      var name = FILE_NAME.matcher(file);
      if (!name.matches()) {
        throw new IllegalStateException("schema file name " + file + " breaks V<n>__<name>.sql");
      }
      int version = Integer.parseInt(name.group(1));
      if (version > upTo) {
        continue;
      }
      byte[] content = read(file);
      String checksum = sha256(content);
      @Nullable String done = applied.get(version);
      if (done != null) {
        if (!done.equals(checksum)) {
          throw new IllegalStateException(
              "schema version "
                  + version
                  + " in "
                  + where
                  + " was applied from a file with SHA-256 "
                  + done
                  + ", but this auth-core ships "
                  + file
                  + " with SHA-256 "
                  + checksum
                  + "; the schema was changed outside auth-core or by another build");
        }
        continue;
      }
      try (Statement statement = connection.createStatement()) {
        for (String sql : statements(new String(content, StandardCharsets.UTF_8))) {
          statement.execute(sql);
        }
      }
      try (PreparedStatement record =
          connection.prepareStatement(
              "INSERT INTO authcore_schema_version (version, description, checksum)"
                  + " VALUES (?, ?, ?)")) {
        record.setInt(1, version);
        record.setString(2, name.group(2));
        record.setString(3, checksum);
        record.executeUpdate();
      }
      current = Math.max(current, version);
    }
    return current;
  }

  /**
   * Splits a schema file into statements: a statement ends with {@code ;} at the end of a line;
   * lines starting with {@code --} are comments.
   */
  static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      if (current.length() > 0) {
        current.append('\n');
      }
      current.append(line.stripTrailing());
      if (trimmed.endsWith(";")) {
        current.setLength(current.length() - 1);
        out.add(current.toString());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalStateException(
          "schema file ends with a statement that has no ';' at the end of its last line");
    }
    return List.copyOf(out);
  }

  private static byte[] read(String file) {
    try (InputStream in = PostgresSchema.class.getResourceAsStream("/" + DIRECTORY + file)) {
      if (in == null) {
        throw new IllegalStateException(
            "schema file " + DIRECTORY + file + " is missing from the auth-core jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read schema file " + DIRECTORY + file + " from the auth-core jar", e);
    }
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  /**
   * Checks a PostgreSQL identifier that auth-core puts into SQL: lower-case letters, digits and
   * {@code _}, not starting with a digit, 1 to 63 characters.
   */
  static void checkIdentifier(String name, String what) {
    checkArgument(
        IDENTIFIER.matcher(name).matches(),
        "%s name must be 1 to 63 characters from [a-z0-9_], not starting with a digit, got '%s'",
        what,
        dev.authcore.internal.LogSafe.escape(name));
  }

  /** {@code name} as a quoted identifier; {@code name} has passed {@link #checkIdentifier}. */
  static String quote(String name) {
    return '"' + name + '"';
  }

  static void rollbackQuietly(Connection connection, Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * Gives the connection back its auto-commit mode and, when it was changed, its isolation level
   * (each change of isolation is a round trip to the server with pgjdbc, so an unchanged level is
   * left alone).
   */
  static void restoreQuietly(Connection connection, boolean autoCommit, int isolation) {
    try {
      connection.setAutoCommit(autoCommit);
      if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
        connection.setTransactionIsolation(isolation);
      }
    } catch (SQLException e) {
      // The connection is broken; the pool discards it. Nothing of ours depends on it.
    }
  }
}
