package dev.authcore.testkit.gateway;

import dev.authcore.AsyncAuditListener;
import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.console.TokenConsole;
import dev.authcore.console.TokenRow;
import dev.authcore.model.ConflictException;
import dev.authcore.model.UserAccount;
import dev.authcore.net.ClientAddresses;
import dev.authcore.store.InMemoryUserDirectory;
import dev.authcore.testkit.FakeClock;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
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
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.jspecify.annotations.Nullable;

/**
 * A running gateway: auth-core over a store, behind a Jetty HTTP server bound to {@code --bind}
 * (127.0.0.1 by default). {@link #start} does everything {@link GatewayMain} documents (bootstrap
 * tokens, the {@code curl} line, the {@code listening on} line); {@link #close} stops it.
 * Thread-safe.
 *
 * <h2>Bounds against slow and greedy clients</h2>
 *
 * <ul>
 *   <li>At most {@value #MAX_CONNECTIONS} connections at once; beyond that Jetty stops accepting
 *       until one closes (new ones wait in the kernel's accept queue).
 *   <li>Each request, head and body, must arrive whole within {@value #READ_DEADLINE_MILLIS} ms of
 *       the connection opening or the previous response ({@link ReadDeadline}), however slowly the
 *       bytes trickle; a connection with nothing to send is closed after {@value
 *       #IDLE_TIMEOUT_MILLIS} ms (Jetty's idle timeout, which also bounds a stalled response).
 *   <li>Request line and headers: at most {@value #MAX_HEADER_BYTES} bytes, else {@code 431}. Body:
 *       at most {@link ApiHandler#MAX_BODY_BYTES} bytes, else {@code 413}, at once when {@code
 *       Content-Length} says so.
 *   <li>No thread waits on a client: Jetty reads request heads without one, {@link JettyAdapter}
 *       reads bodies the same way, and responses are written asynchronously. Threads ({@value
 *       #MAX_THREADS} at most) run only the API logic, whose store calls are bounded in time.
 * </ul>
 */
final class Gateway implements AutoCloseable {
  /** The token prefix of gateway tokens, so they are recognisable. */
  static final String TOKEN_PREFIX = "gw";

  /** Connections open at once, slow ones included. */
  static final int MAX_CONNECTIONS = 512;

  /** How long a request, head and body, may take to arrive. */
  static final int READ_DEADLINE_MILLIS = 10_000;

  /** How long a connection may send or take nothing. */
  static final int IDLE_TIMEOUT_MILLIS = 10_000;

  /** The request line and headers, together. */
  static final int MAX_HEADER_BYTES = 8192;

  /** Jetty's thread pool: its acceptor and selector threads and those that run requests. */
  static final int MAX_THREADS = 24;

  /**
   * Jetty's loggers (through SLF4J to java.util.logging). At DEBUG Jetty logs request lines and
   * headers, so a debug level set for the whole application would write tokens to its log. The
   * gateway holds this logger at WARNING, which also keeps Jetty's start-up notes off the console;
   * the field keeps the logger, and so its level, alive. This works with the JDK's default logging
   * backend; an application that routes it elsewhere must keep {@code org.eclipse.jetty} above
   * DEBUG there itself.
   */
  private static final java.util.logging.Logger JETTY_LOG =
      java.util.logging.Logger.getLogger("org.eclipse.jetty");

  /**
   * Audit events that may wait to be written: at 10,000 rejections a second, ten seconds of a disk
   * that does not answer. Beyond it events are dropped and counted (a request is never held).
   */
  static final int AUDIT_QUEUE = 100_000;

  /** How long closing may take to write the events still queued. */
  static final Duration AUDIT_DRAIN = Duration.ofSeconds(5);

  /** The name of each user's token issued at start. */
  private static final String BOOTSTRAP = "bootstrap";

  private final Server server;
  private final AuthCore core;
  private final AuditLog audit;
  private final AsyncAuditListener events;
  private final PrintStream err;
  private final int port;
  private final String host;

  private final @Nullable AutoCloseable storeCloser;
  private final NoticeSchedule notices;

  private Gateway(
      Server server,
      AuthCore core,
      AuditLog audit,
      AsyncAuditListener events,
      PrintStream err,
      @Nullable AutoCloseable storeCloser,
      NoticeSchedule notices,
      int port,
      String host) {
    this.storeCloser = storeCloser;
    this.notices = notices;
    this.server = server;
    this.core = core;
    this.audit = audit;
    this.events = events;
    this.err = err;
    this.port = port;
    this.host = host;
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
    ClientAddressSource clients =
        ClientAddressSource.create(options.trustedProxies(), options.proxyHeader());
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
    // Events are written on a thread of their own: a slow disk or a full stderr pipe never holds
    // a request, and rejections cost what successes cost.
    AsyncAuditListener events = AsyncAuditListener.wrap(audit, AUDIT_QUEUE, AUDIT_DRAIN);
    AuthCore core =
        AuthCore.builder()
            .tokenPrefix(TOKEN_PREFIX)
            .users(directory)
            .store(store.store())
            .clock(clock)
            .usageFlushInterval(Duration.ofSeconds(5))
            .auditListener(events)
            .build();
    InetAddress bind = ClientAddresses.parse(options.bind());
    String host = urlHost(bind);
    Server server;
    Bootstrap bootstrap;
    try {
      bootstrap = issueBootstrapTokens(core, users);
      if (options.tokensOut() != null) {
        writePrivately(options.tokensOut(), bootstrap.lines());
      }
      keepRequestLinesOutOfLogs();
      server =
          server(
              bind,
              options.port(),
              ConsoleFiles.load()
                  .beside(
                      new ApiHandler(
                              core, fakeClock, clients, users, Instant.ofEpochMilli(clock.millis()))
                          ::handle));
      try {
        server.start();
      } catch (Exception e) {
        stopQuietly(server);
        if (options.tokensOut() != null) {
          Files.deleteIfExists(options.tokensOut()); // its tokens die with this process
        }
        Throwable cause = e instanceof IOException && e.getCause() != null ? e.getCause() : e;
        if (e instanceof BindException || cause instanceof BindException) {
          throw new IOException(
              "cannot listen on "
                  + hostPort(options.bind(), options.port())
                  + " ("
                  + cause.getMessage()
                  + "); pick another with --port or --bind",
              e);
        }
        throw new IOException(
            "cannot listen on " + hostPort(options.bind(), options.port()) + ": " + e, e);
      }
    } catch (IOException | RuntimeException e) {
      core.close();
      closeQuietly(store.closer());
      events.close();
      audit.close();
      throw e;
    }
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    for (String email : bootstrap.kept()) {
      err.println(
          "gateway: "
              + email
              + " already has a token named '"
              + BOOTSTRAP
              + "' (from an earlier start or another gateway on this database); kept it and"
              + " issued none");
    }
    if (options.tokensOut() == null) {
      out.print(bootstrap.lines());
    }
    out.println(curlCommand(bootstrap, options.tokensOut(), host, port));
    out.println("console: http://" + host + ":" + port + "/ (sign in with an email and its token)");
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
                    + " (the client is read from "
                    + clients.header().headerName()
                    + " behind them)"));
    out.println(
        "listening on http://"
            + host
            + ":"
            + port
            + (bind.isAnyLocalAddress()
                ? " (bound to " + options.bind() + ", every interface)"
                : ""));
    out.flush();
    NoticeSchedule notices = NoticeSchedule.start(core, clock);
    return new Gateway(server, core, audit, events, err, store.closer(), notices, port, host);
  }

  /**
   * A Jetty server for {@code api} with the bounds of the class description, not started. The one
   * place the gateway's HTTP server is configured; a load test's floor builds the same server with
   * a handler that answers a constant body.
   */
  static Server server(InetAddress bind, int port, Function<ApiRequest, ApiResponse> api) {
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4);
    threads.setName("gateway-http");
    threads.setReservedThreads(0);
    Server server = new Server(threads);
    ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("gateway-timer", true);
    server.addBean(scheduler);

    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(MAX_HEADER_BYTES);
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setHttpCompliance(HttpCompliance.RFC9110);
    HttpConnectionFactory factory = new CredentialHeaderGuard(http);

    ServerConnector connector = new ServerConnector(server, null, scheduler, null, 1, 1, factory);
    connector.setHost(bind.getHostAddress());
    connector.setPort(port);
    connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
    connector.setReuseAddress(true);
    ReadDeadline deadline = new ReadDeadline(scheduler, READ_DEADLINE_MILLIS);
    connector.addEventListener(deadline);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));

    server.setErrorHandler(new JettyAdapter.JsonErrors(MAX_HEADER_BYTES));
    server.setHandler(new JettyAdapter(api, deadline));
    server.setStopTimeout(5_000);
    return server;
  }

  /** {@code address} as the host of a URL a client can use: loopback for a wildcard bind. */
  static String urlHost(InetAddress address) {
    InetAddress usable = address;
    if (address.isAnyLocalAddress()) {
      usable = ClientAddresses.parse(address instanceof Inet6Address ? "::1" : "127.0.0.1");
    }
    String text = ClientAddresses.format(usable);
    return text.indexOf(':') >= 0 ? "[" + text + "]" : text;
  }

  private static String hostPort(String bind, int port) {
    return (bind.indexOf(':') >= 0 ? "[" + bind + "]" : bind) + ":" + port;
  }

  /**
   * The bootstrap tokens of this start.
   *
   * @param lines {@code <email> <token>} lines, one per user issued a token now
   * @param firstIssued the first user issued a token now, or {@code null} if none was
   * @param firstToken that user's token, or {@code null}
   * @param kept users who already had a bootstrap token, which was left alone
   */
  private record Bootstrap(
      String lines, @Nullable String firstIssued, @Nullable String firstToken, List<String> kept) {}

  /**
   * Issues a token named {@code bootstrap} to each user who has none. A user who already has one (a
   * persistent store written by an earlier start, or by another gateway on the same database, maybe
   * starting at the same moment) keeps it and gets no new one: the tokens another node printed keep
   * working, and gateways may start together in any order. Its plaintext is with whoever started
   * that node; delete it (as its user, or as an owner) to have the next start issue a fresh one.
   */
  private static Bootstrap issueBootstrapTokens(AuthCore core, List<UserAccount> users) {
    TokenConsole console = TokenConsole.of(core);
    StringBuilder lines = new StringBuilder();
    List<String> kept = new ArrayList<>();
    @Nullable String firstIssued = null;
    @Nullable String firstToken = null;
    for (UserAccount user : users) {
      boolean has = false;
      for (TokenRow row : console.listOwn(user.email())) {
        has |= row.name().equalsIgnoreCase(BOOTSTRAP);
      }
      if (has) {
        kept.add(user.email());
        continue;
      }
      IssuedToken token;
      try {
        token = core.issuer().issue(user.email(), BOOTSTRAP);
      } catch (ConflictException e) {
        if (e.kind() != ConflictException.Kind.NAME_TAKEN) {
          throw e;
        }
        kept.add(user.email()); // another gateway issued it between the listing and now
        continue;
      }
      lines.append(user.email()).append(' ').append(token.revealPlaintext()).append('\n');
      if (firstIssued == null) {
        firstIssued = user.email();
        firstToken = token.revealPlaintext();
      }
    }
    return new Bootstrap(lines.toString(), firstIssued, firstToken, List.copyOf(kept));
  }

  /** Raises Jetty's logger to WARNING if it is lower or inherits (see the field). */
  private static void keepRequestLinesOutOfLogs() {
    java.util.logging.Level level = JETTY_LOG.getLevel();
    if (level == null || level.intValue() < java.util.logging.Level.WARNING.intValue()) {
      JETTY_LOG.setLevel(java.util.logging.Level.WARNING);
    }
  }

  /**
   * The {@code curl} command calling {@code GET /api/v0/corps} as the first user issued a token
   * now. Standard output carries a live token only when the tokens go there anyway: with {@code
   * --tokens-out} the command reads the token from that file when it runs; when no user was issued
   * a token, it holds a placeholder to replace.
   */
  private static String curlCommand(
      Bootstrap bootstrap, @Nullable Path tokensOut, String host, int port) {
    String url = " http://" + host + ":" + port + "/api/v0/corps";
    String email = bootstrap.firstIssued();
    String token = bootstrap.firstToken();
    if (email == null || token == null) {
      return "curl -sS -H "
          + shellQuote("x-api-user: <email>")
          + " -H "
          + shellQuote("x-api-token: <bootstrap token>")
          + url;
    }
    String tokenHeader =
        tokensOut == null
            ? shellQuote("x-api-token: " + token)
            : "\"x-api-token: $(awk -v u="
                + shellQuote(email)
                + " '$1 == u {print $2}' "
                + shellQuote(tokensOut.toString())
                + ")\"";
    return "curl -sS -H " + shellQuote("x-api-user: " + email) + " -H " + tokenHeader + url;
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

  /** {@code http://<host>:<port>}, the host as a client can reach it (loopback for a wildcard). */
  URI baseUri() {
    return URI.create("http://" + host + ":" + port);
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

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      // it never served; the process reports why it could not start
    }
  }

  /**
   * Stops serving and the expiry-notice schedule, then writes the usage recorded so far and closes
   * the audit log. Idempotent.
   */
  /**
   * Waits until the audit events published so far are written, for at most {@code timeout}; returns
   * whether they were.
   */
  boolean awaitAuditWritten(Duration timeout) {
    return events.awaitDelivered(timeout);
  }

  @Override
  public void close() {
    stopQuietly(server);
    notices.close();
    core.close();
    closeQuietly(storeCloser);
    events.close();
    if (events.dropped() > 0) {
      err.println(
          "gateway: " + events.dropped() + " audit events were dropped (the queue was full)");
    }
    try {
      audit.close();
    } catch (IOException e) {
      // the audit stream is gone; nothing left to report it to
    }
  }
}
