package dev.authcore.testkit.gateway;

import dev.authcore.net.ClientAddresses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's command line, parsed strictly: unknown flags, missing values and malformed numbers
 * are {@link UsageException}s that say which argument is wrong.
 *
 * @param port the TCP port, 0 for any free port
 * @param bind the address to listen on, an IP literal as given ({@value #DEFAULT_BIND} by default;
 *     {@code 0.0.0.0} or {@code ::} for all interfaces)
 * @param usersFile the users file, or {@code null} for the demo corp
 * @param tokensOut where the bootstrap tokens go, or {@code null} for standard output
 * @param trustedProxies the {@code --trusted-proxy} values, in order
 * @param proxyHeader the forwarding header the trusted proxies write
 * @param fakeClock whether {@code POST /api/v0/_clock} may move the gateway's clock
 * @param auditLog where audit events go, or {@code null} for standard error
 * @param jdbcUrl the PostgreSQL JDBC URL to keep tokens in, or {@code null} for the in-memory store
 * @param dbPoolSize the number of pooled PostgreSQL connections for requests, 1 to {@value
 *     #MAX_DB_POOL_SIZE} (the change feed has one of its own besides); only given with {@code
 *     jdbcUrl}
 * @param help whether {@code --help} was given
 */
record GatewayOptions(
    int port,
    String bind,
    @Nullable Path usersFile,
    @Nullable Path tokensOut,
    List<String> trustedProxies,
    ClientAddressSource.ProxyHeader proxyHeader,
    boolean fakeClock,
    @Nullable Path auditLog,
    @Nullable String jdbcUrl,
    int dbPoolSize,
    boolean help) {

  static final int DEFAULT_PORT = 8080;

  static final String DEFAULT_BIND = "127.0.0.1";

  /**
   * Connections for requests. Requests that need the store beyond this many at once wait for a
   * connection, within each store call's bound (see {@code GatewayStores}).
   */
  static final int DEFAULT_DB_POOL_SIZE = 8;

  /**
   * More would only queue requests inside PostgreSQL (a server's default max_connections is 100).
   */
  static final int MAX_DB_POOL_SIZE = 100;

  static final String USAGE =
      """
      usage: java -jar auth-gateway.jar [options]
        --port N              TCP port (default 8080; 0 picks a free port)
        --bind ADDRESS        IP address to listen on (default 127.0.0.1; e.g. ::1,
                              or 0.0.0.0 / :: for every interface)
        --users FILE          users, one a line: <corp> <email> <OWNER|USER>
                              (default: corp demo with owner owner@example.com)
        --tokens-out FILE     write the bootstrap tokens, '<email> <token>' lines, to FILE
                              (default: standard output)
        --trusted-proxy CIDR  a proxy range whose forwarding header is believed (repeatable)
        --proxy-header NAME   the header those proxies write: X-Forwarded-For (default)
                              or Forwarded (RFC 7239); needs --trusted-proxy
        --fake-clock          enable POST /api/v0/_clock {"advance":"P60D"} to move time
        --audit-log FILE      append audit events as JSON lines to FILE (default: stderr)
        --jdbc-url URL        keep tokens in PostgreSQL, e.g.
                              jdbc:postgresql://localhost/auth?user=gw&password=…
                              (default: in memory; the schema is applied at start)
        --db-pool-size N      PostgreSQL connections for requests, 1 to 100 (default 8;
                              the change feed holds one more of its own)
        --help                print this and exit""";

  GatewayOptions {
    trustedProxies = List.copyOf(trustedProxies);
  }

  /** The defaults: port 8080, demo users, everything to the standard streams. */
  static GatewayOptions defaults() {
    return new GatewayOptions(
        DEFAULT_PORT,
        DEFAULT_BIND,
        null,
        null,
        List.of(),
        ClientAddressSource.ProxyHeader.X_FORWARDED_FOR,
        false,
        null,
        null,
        DEFAULT_DB_POOL_SIZE,
        false);
  }

  /**
   * Parses the arguments; {@code --flag value} and {@code --flag=value} are both accepted.
   *
   * @throws UsageException naming the argument that is wrong
   */
  static GatewayOptions parse(String... args) {
    int port = DEFAULT_PORT;
    @Nullable String bind = null;
    ClientAddressSource.ProxyHeader proxyHeader = ClientAddressSource.ProxyHeader.X_FORWARDED_FOR;
    boolean proxyHeaderSeen = false;
    @Nullable Path users = null;
    @Nullable Path tokensOut = null;
    List<String> proxies = new ArrayList<>();
    boolean fakeClock = false;
    @Nullable Path auditLog = null;
    @Nullable String jdbcUrl = null;
    int dbPoolSize = DEFAULT_DB_POOL_SIZE;
    boolean dbPoolSizeSeen = false;
    boolean help = false;
    boolean portSeen = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String flag = arg;
      @Nullable String inline = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        flag = arg.substring(0, eq);
        inline = arg.substring(eq + 1);
      }
      switch (flag) {
        case "--port" -> {
          if (portSeen) {
            throw new UsageException("--port given twice");
          }
          portSeen = true;
          String value = inline != null ? inline : value(args, ++i, flag);
          port = parsePort(value);
        }
        case "--bind" -> {
          if (bind != null) {
            throw new UsageException("--bind given twice");
          }
          bind = parseBind(inline != null ? inline : value(args, ++i, flag));
        }
        case "--proxy-header" -> {
          if (proxyHeaderSeen) {
            throw new UsageException("--proxy-header given twice");
          }
          proxyHeaderSeen = true;
          proxyHeader = parseProxyHeader(inline != null ? inline : value(args, ++i, flag));
        }
        case "--users" ->
            users = path(inline != null ? inline : value(args, ++i, flag), flag, users);
        case "--tokens-out" ->
            tokensOut = path(inline != null ? inline : value(args, ++i, flag), flag, tokensOut);
        case "--audit-log" ->
            auditLog = path(inline != null ? inline : value(args, ++i, flag), flag, auditLog);
        case "--trusted-proxy" -> {
          String value = inline != null ? inline : value(args, ++i, flag);
          if (value.isBlank()) {
            throw new UsageException("--trusted-proxy needs an address or CIDR block, got ''");
          }
          proxies.add(value.strip());
        }
        case "--jdbc-url" -> {
          if (jdbcUrl != null) {
            throw new UsageException("--jdbc-url given twice");
          }
          String value = inline != null ? inline : value(args, ++i, flag);
          if (!value.startsWith("jdbc:postgresql:")) {
            throw new UsageException(
                "--jdbc-url must be a PostgreSQL JDBC URL starting with jdbc:postgresql:");
          }
          jdbcUrl = value;
        }
        case "--db-pool-size" -> {
          if (dbPoolSizeSeen) {
            throw new UsageException("--db-pool-size given twice");
          }
          dbPoolSizeSeen = true;
          dbPoolSize = parsePoolSize(inline != null ? inline : value(args, ++i, flag));
        }
        case "--fake-clock" -> {
          noValue(flag, inline);
          fakeClock = true;
        }
        case "--help", "-h" -> {
          noValue(flag, inline);
          help = true;
        }
        default ->
            throw new UsageException(
                arg.startsWith("-")
                    ? "unknown option '" + printable(arg) + "'"
                    : "unexpected argument '" + printable(arg) + "'; options start with --");
      }
    }
    if (dbPoolSizeSeen && jdbcUrl == null) {
      throw new UsageException("--db-pool-size sizes the PostgreSQL pool; give --jdbc-url too");
    }
    if (proxyHeaderSeen && proxies.isEmpty()) {
      throw new UsageException(
          "--proxy-header names the header trusted proxies write; give --trusted-proxy too");
    }
    return new GatewayOptions(
        port,
        bind == null ? DEFAULT_BIND : bind,
        users,
        tokensOut,
        proxies,
        proxyHeader,
        fakeClock,
        auditLog,
        jdbcUrl,
        dbPoolSize,
        help);
  }

  private static String value(String[] args, int at, String flag) {
    if (at >= args.length || args[at].startsWith("--")) {
      throw new UsageException(flag + " needs a value");
    }
    return args[at];
  }

  private static void noValue(String flag, @Nullable String inline) {
    if (inline != null) {
      throw new UsageException(flag + " takes no value");
    }
  }

  private static Path path(String value, String flag, @Nullable Path already) {
    if (already != null) {
      throw new UsageException(flag + " given twice");
    }
    if (value.isBlank()) {
      throw new UsageException(flag + " needs a file name, got ''");
    }
    try {
      return Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw new UsageException(flag + ": '" + printable(value) + "' is not a valid path", e);
    }
  }

  private static int parsePort(String value) {
    int port;
    try {
      port = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new UsageException(
          "--port must be a number from 0 to 65535, got '" + printable(value) + "'", e);
    }
    if (port < 0 || port > 65535) {
      throw new UsageException("--port must be a number from 0 to 65535, got " + port);
    }
    return port;
  }

  /**
   * An IP literal to listen on, in its normal form: IPv4 in dotted decimal, or IPv6 (brackets
   * allowed, no zone id), written compressed. Host names are refused, so the address printed is the
   * address bound, with no DNS.
   */
  private static String parseBind(String value) {
    String text = value.strip();
    if (text.startsWith("[") && text.endsWith("]")) {
      text = text.substring(1, text.length() - 1);
    }
    String problem =
        "--bind needs an IP address such as 127.0.0.1, ::1, 0.0.0.0 or ::, got '"
            + printable(value)
            + "'";
    if (text.indexOf('%') >= 0) {
      throw new UsageException(problem + " (a zone id is not supported)");
    }
    try {
      return ClientAddresses.format(ClientAddresses.parse(text));
    } catch (IllegalArgumentException e) {
      throw new UsageException(problem, e);
    }
  }

  private static ClientAddressSource.ProxyHeader parseProxyHeader(String value) {
    for (ClientAddressSource.ProxyHeader header : ClientAddressSource.ProxyHeader.values()) {
      if (header.headerName().equalsIgnoreCase(value.strip())) {
        return header;
      }
    }
    throw new UsageException(
        "--proxy-header must be X-Forwarded-For or Forwarded, got '" + printable(value) + "'");
  }

  private static int parsePoolSize(String value) {
    String problem =
        "--db-pool-size must be a number of connections from 1 to " + MAX_DB_POOL_SIZE + ", got ";
    int size;
    try {
      size = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new UsageException(problem + "'" + printable(value) + "'", e);
    }
    if (size < 1 || size > MAX_DB_POOL_SIZE) {
      throw new UsageException(problem + size);
    }
    return size;
  }

  /** A {@code password=} setting (pgjdbc's URL syntax, or a mistyped flag), up to its end. */
  private static final Pattern PASSWORD_SETTING =
      Pattern.compile("(?i)(password|passwd|pwd)=[^&;]*");

  /** What a password's value is shown as. */
  static final String MASKED = "***";

  private static final int MAX_PRINTABLE = 80;

  /** How much of an argument {@link #printable} reads: what it can show, and a token more. */
  private static final int READ_AT_MOST = 4 * MAX_PRINTABLE + 80;

  /**
   * An argument made fit for a message: tokens and anything that looks like a secret redacted (by
   * auth-core's rule, {@link Redaction}), characters outside printable ASCII escaped as {@code
   * \\uXXXX}, the value of every {@code password=} setting masked, and the result shortened to
   * about 80 characters. Redaction judges the argument as given (an escape between two halves of a
   * secret does not hide it) and again as shown (neither an escape's letters nor the cut can make
   * text that looks secret).
   */
  static String printable(String text) {
    // Only the start can be shown; it is judged with enough of what follows to see a whole token.
    String redacted =
        Redaction.tokens(text.length() > READ_AT_MOST ? text.substring(0, READ_AT_MOST) : text);
    StringBuilder escaped = new StringBuilder();
    for (int i = 0; i < redacted.length(); i++) {
      char c = redacted.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        escaped.append(c);
      } else {
        escaped.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
      }
      if (escaped.length() > 4 * MAX_PRINTABLE) {
        break; // enough to show; the rest is cut below
      }
    }
    // Masked after escaping: a password written with escapes is masked as shown.
    String safe = maskPasswords(escaped.toString());
    return Redaction.tokens(
        safe.length() > MAX_PRINTABLE ? safe.substring(0, MAX_PRINTABLE) + "…" : safe);
  }

  /**
   * {@code text} with anything shaped like a token redacted and the value of every {@code
   * password=} setting masked, for text that quotes an argument but is already printable (a reason
   * from the allow-list parser, which names the part it could not read).
   */
  static String masked(String text) {
    return maskPasswords(Redaction.tokens(text));
  }

  private static String maskPasswords(String text) {
    return PASSWORD_SETTING.matcher(text).replaceAll("$1=" + Matcher.quoteReplacement(MASKED));
  }
}
