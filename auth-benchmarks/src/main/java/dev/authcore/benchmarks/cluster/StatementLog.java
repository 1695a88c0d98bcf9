package dev.authcore.benchmarks.cluster;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the statements PostgreSQL logged with {@code log_statement=all} and {@code
 * log_line_prefix='%a|%c|'} (application name, session id), and counts them per application and
 * kind. Each gateway connects with its own {@code ApplicationName}, so the application is the node;
 * a session that ran {@code LISTEN} is that node's change feed, every other one its request pool.
 *
 * <p>A window is a range of byte offsets of the log file, taken when the window opens and closes:
 * PostgreSQL writes each statement's line before running it, so the range holds the statements
 * started within the window.
 */
final class StatementLog {
  private static final Pattern LINE =
      Pattern.compile("^([^|]*)\\|([^|]*)\\|LOG:  (?:statement|execute [^:]*): ?(.*)$");

  private static final Pattern TABLE = Pattern.compile("authcore_[a-z_]+");

  private final Path file;

  StatementLog(Path file) {
    this.file = file;
  }

  /** The log's current length, a window boundary. */
  long offset() throws IOException {
    return Files.size(file);
  }

  /** Statement counts of one application (node) in a window. */
  static final class Counts {
    /** Kind of statement to count; kinds of the change feed's session start with "feed: ". */
    final Map<String, Long> byKind = new TreeMap<>();

    long total;

    /** Statements that read or write data (not BEGIN, COMMIT, SET, SHOW or an empty check). */
    long queries;

    long feed;

    void add(String kind, boolean data, boolean fromFeed) {
      byKind.merge(fromFeed ? "feed: " + kind : kind, 1L, Long::sum);
      total++;
      if (data) {
        queries++;
      }
      if (fromFeed) {
        feed++;
      }
    }
  }

  /**
   * Counts the statements logged between the two offsets, per application name; sessions are
   * recognised as change feeds by a {@code LISTEN} anywhere before {@code to}.
   */
  Map<String, Counts> count(long from, long to) throws IOException {
    byte[] bytes;
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = Math.min(to, in.length());
      bytes = new byte[(int) length];
      in.readFully(bytes);
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    Set<String> feedSessions = new HashSet<>();
    Map<String, Counts> counts = new TreeMap<>();
    int start = 0;
    long offset = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      String line = text.substring(start, end);
      long lineOffset = offset;
      offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
      start = end + 1;
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String application = m.group(1);
      String session = m.group(2);
      String sql = m.group(3).strip();
      if (sql.toUpperCase(Locale.ROOT).startsWith("LISTEN")) {
        feedSessions.add(application + "|" + session);
      }
      if (lineOffset < from || application.isEmpty()) {
        continue;
      }
      String kind = kind(sql);
      counts
          .computeIfAbsent(application, a -> new Counts())
          .add(kind, isData(sql), feedSessions.contains(application + "|" + session));
    }
    return counts;
  }

  /** Whether a statement reads or writes data, rather than managing the session or transaction. */
  static boolean isData(String sql) {
    String verb = verb(sql);
    return verb.equals("SELECT")
        || verb.equals("INSERT")
        || verb.equals("UPDATE")
        || verb.equals("DELETE")
        || verb.equals("WITH");
  }

  private static String verb(String sql) {
    int space = sql.indexOf(' ');
    return (space < 0 ? sql : sql.substring(0, space)).toUpperCase(Locale.ROOT);
  }

  /**
   * A short name for a statement: its verb and first table, with what sets it apart among the
   * store's statements on that table.
   */
  static String kind(String sql) {
    if (sql.isEmpty()) {
      return "(empty: pool's connection check)";
    }
    String verb = verb(sql);
    if (!isData(sql)) {
      return sql.length() > 48 ? sql.substring(0, 48) + "…" : sql;
    }
    if (sql.equals("SELECT 1")) {
      return "SELECT 1 (liveness check)";
    }
    Matcher table = TABLE.matcher(sql);
    String name = table.find() ? table.group() : "?";
    if (verb.equals("WITH") && sql.contains("pg_notify")) {
      return "record change + pg_notify";
    }
    StringBuilder kind = new StringBuilder(verb).append(' ').append(name);
    if (name.equals("authcore_tokens") && verb.equals("SELECT")) {
      if (sql.contains("= ANY")) {
        kind.append(" (usage: lock batch)");
      } else if (sql.contains("WHERE id = ")) {
        kind.append(" (one token by id)");
      } else if (sql.contains("DISTINCT corp")) {
        kind.append(" (corps with tokens)");
      } else if (sql.contains("count(")) {
        kind.append(" (count owner's tokens)");
      } else {
        kind.append(" (listing)");
      }
    } else if (name.equals("authcore_tokens") && verb.equals("UPDATE")) {
      kind.append(sql.contains("last_used") ? " (usage: one token)" : " (secret or allow list)");
    } else if (sql.contains("FOR UPDATE")) {
      kind.append(" (lock)");
    }
    return kind.toString();
  }
}
