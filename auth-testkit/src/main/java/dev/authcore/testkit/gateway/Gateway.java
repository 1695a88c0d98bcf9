package dev.authcore.testkit.gateway;

import com.sun.net.httpserver.HttpServer;
import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.console.TokenConsole;
import dev.authcore.console.TokenRow;
import dev.authcore.model.UserAccount;
import dev.authcore.store.InMemoryUserDirectory;
import dev.authcore.testkit.FakeClock;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A running gateway: auth-core over a store, behind a JDK {@link HttpServer} bound to 127.0.0.1.
 * {@link #start} does everything {@link GatewayMain} documents (bootstrap tokens, the {@code curl}
 * line, the {@code listening on} line); {@link #close} stops it. Thread-safe.
 */
final class Gateway implements AutoCloseable {
  /** The token prefix of gateway tokens, so they are recognisable. */
  static final String TOKEN_PREFIX = "gw";

  private static final int HTTP_THREADS = 8;

  /**
   * The JDK HTTP server's logger. At DEBUG (java.util.logging FINE) it logs every request line, and
   * a client may put a token in a URL (a path segment or a query parameter, mistaking where it
   * goes), so a debug level set for the whole application would write tokens to its log. The
   * gateway holds this logger at INFO; the field keeps the logger, and so its level, alive. This
   * works with the JDK's default logging backend; an application that routes {@code System.Logger}
   * elsewhere must keep {@code com.sun.net.httpserver} above DEBUG there itself.
   */
  private static final java.util.logging.Logger JDK_HTTP_SERVER_LOG =
      java.util.logging.Logger.getLogger("com.sun.net.httpserver");

  private final HttpServer server;
  private final ExecutorService executor;
  private final AuthCore core;
  private final AuditLog audit;
  private final int port;

  private final @Nullable AutoCloseable storeCloser;

  private Gateway(
      HttpServer server,
      ExecutorService executor,
      AuthCore core,
      AuditLog audit,
      @Nullable AutoCloseable storeCloser) {
    this.storeCloser = storeCloser;
    this.server = server;
    this.executor = executor;
    this.core = core;
    this.audit = audit;
    this.port = server.getAddress().getPort();
  }

  /**
   * Starts a gateway.
   *
   * @param out where the bootstrap tokens (unless {@code --tokens-out}), the {@code curl} command
   *     and the {@code listening on} line go
   * @param err where audit events (unless {@code --audit-log}) and notes go
   * @throws UsageException if an option's file or value is unusable
   * @throws IOException if the port cannot be bound or the tokens file written
   */
  static Gateway start(GatewayOptions options, PrintStream out, PrintStream err)
      throws IOException {
    List<UserAccount> users =
        options.usersFile() == null ? UsersFile.DEMO : UsersFile.read(options.usersFile());
    ClientAddressSource clients = ClientAddressSource.create(options.trustedProxies());
    @Nullable FakeClock fakeClock =
        options.fakeClock() ? FakeClock.at(Instant.ofEpochMilli(System.currentTimeMillis())) : null;
    InstantSource clock = fakeClock != null ? fakeClock : InstantSource.system();
    AuditLog audit =
        options.auditLog() == null
            ? AuditLog.to(err, err)
            : AuditLog.append(options.auditLog(), err);
    InMemoryUserDirectory directory = new InMemoryUserDirectory();
    users.forEach(directory::add);
    GatewayStores.Opened store;
    try {
      store = GatewayStores.open(options);
    } catch (RuntimeException e) {
      audit.close();
      throw e;
    }
    AuthCore core =
        AuthCore.builder()
            .tokenPrefix(TOKEN_PREFIX)
            .users(directory)
            .store(store.store())
            .clock(clock)
            .usageFlushInterval(Duration.ofSeconds(5))
            .auditListener(audit)
            .build();
    HttpServer server;
    ExecutorService executor;
    String tokenLines;
    try {
      // Everything that can fail happens before the port is bound: a bound HttpServer that never
      // started does not release its port on stop().
      tokenLines = issueBootstrapTokens(core, users);
      if (options.tokensOut() != null) {
        writePrivately(options.tokensOut(), tokenLines);
      }
      keepRequestLinesOutOfLogs();
      InetAddress loopback = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
      try {
        server = HttpServer.create(new InetSocketAddress(loopback, options.port()), 64);
      } catch (BindException e) {
        if (options.tokensOut() != null) {
          Files.deleteIfExists(options.tokensOut()); // its tokens die with this process
        }
        throw new IOException(
            "cannot listen on 127.0.0.1:"
                + options.port()
                + " ("
                + e.getMessage()
                + "); pick another with --port",
            e);
      }
    } catch (IOException | RuntimeException e) {
      core.close();
      closeQuietly(store.closer());
      audit.close();
      throw e;
    }
    AtomicInteger threads = new AtomicInteger();
    executor =
        Executors.newFixedThreadPool(
            HTTP_THREADS,
            r -> {
              Thread t = new Thread(r, "gateway-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext(
        "/", new ApiHandler(core, fakeClock, clients, users, Instant.ofEpochMilli(clock.millis())));
    if (options.tokensOut() == null) {
      out.print(tokenLines);
    }
    out.println(curlCommand(tokenLines, server.getAddress().getPort()));
    server.start();
    int port = server.getAddress().getPort();
    err.println(
        "gateway: "
            + users.size()
            + " users, "
            + store.description()
            + (fakeClock != null ? ", fake clock at " + fakeClock.instant() : "")
            + (options.trustedProxies().isEmpty()
                ? ""
                : ", trusted proxies "
                    + options.trustedProxies()
                    + " (the client is read from X-Forwarded-For behind them)"));
    out.println("listening on http://127.0.0.1:" + port);
    out.flush();
    return new Gateway(server, executor, core, audit, store.closer());
  }

  /** Issues each user a token named {@code bootstrap}; returns {@code <email> <token>} lines. */
  /**
   * Issues each user a fresh {@code bootstrap} token. On a persistent store a restarted gateway
   * finds the previous run's bootstrap tokens, whose plaintext is gone: it deletes them first, so
   * only the tokens printed now work.
   */
  private static final String BOOTSTRAP = "bootstrap";

  private static String issueBootstrapTokens(AuthCore core, List<UserAccount> users) {
    TokenConsole console = TokenConsole.of(core);
    StringBuilder lines = new StringBuilder();
    for (UserAccount user : users) {
      for (TokenRow old : console.listOwn(user.email())) {
        if (old.name().equalsIgnoreCase(BOOTSTRAP)) {
          core.issuer().delete(user.email(), old.id());
        }
      }
      IssuedToken token = core.issuer().issue(user.email(), BOOTSTRAP);
      lines.append(user.email()).append(' ').append(token.revealPlaintext()).append('\n');
    }
    return lines.toString();
  }

  /** Raises the JDK HTTP server's logger to INFO if it is lower or inherits (see the field). */
  private static void keepRequestLinesOutOfLogs() {
    java.util.logging.Level level = JDK_HTTP_SERVER_LOG.getLevel();
    if (level == null || level.intValue() < java.util.logging.Level.INFO.intValue()) {
      JDK_HTTP_SERVER_LOG.setLevel(java.util.logging.Level.INFO);
    }
  }

  /** The {@code curl} command calling {@code GET /api/v0/corps} as the first line's user. */
  private static String curlCommand(String tokenLines, int port) {
    String first = tokenLines.substring(0, tokenLines.indexOf('\n'));
    int space = first.indexOf(' ');
    return "curl -sS -H "
        + shellQuote("x-api-user: " + first.substring(0, space))
        + " -H "
        + shellQuote("x-api-token: " + first.substring(space + 1))
        + " http://127.0.0.1:"
        + port
        + "/api/v0/corps";
  }

  /** Writes {@code text} to {@code file}, readable by its owner only where the file system can. */
  private static void writePrivately(Path file, String text) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      throw new IOException("--tokens-out " + file + " appeared while being replaced", e);
    }
    try (OutputStream stream =
        Files.newOutputStream(
            file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      stream.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** {@code text} in single quotes for a POSIX shell. */
  static String shellQuote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }

  /** The port the gateway listens on. */
  int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>}. */
  URI baseUri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  private static void closeQuietly(@Nullable AutoCloseable closer) {
    if (closer != null) {
      try {
        closer.close();
      } catch (Exception e) {
        // closing the store's change feed failed; the process is going away anyway
      }
    }
  }

  /** Stops serving, then writes the usage recorded so far and closes the audit log. Idempotent. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    core.close();
    closeQuietly(storeCloser);
    try {
      audit.close();
    } catch (IOException e) {
      // the audit stream is gone; nothing left to report it to
    }
  }
}
