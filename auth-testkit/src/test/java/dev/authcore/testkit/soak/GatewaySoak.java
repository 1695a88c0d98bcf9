package dev.authcore.testkit.soak;

import dev.authcore.store.jdbc.FaultProxy;
import dev.authcore.testkit.TokenTexts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A long run of the reference gateway as an operator would see it: the gateway jar in its own
 * process, on PostgreSQL behind a {@link FaultProxy}, under mixed load from many tokens, with
 * hundreds of slow clients trickling bytes the whole time and one database freeze half-way through.
 * Prints, per phase (before, during and after the freeze), requests, latency percentiles and
 * statuses per kind of request, the unexpected answers, and the gateway's memory at the start and
 * the end. Exits 1 if any answer was unexpected or the gateway died.
 *
 * <p>Not a test (surefire does not run it): {@code auth-testkit/soak/run.sh [minutes]} builds and
 * starts it. Everything runs on 127.0.0.1.
 */
public final class GatewaySoak {

  /** Kinds of request, each with the statuses that are correct for it. */
  enum Kind {
    /** A valid token, cached after its first use: 200, and 200 during the freeze too. */
    VERIFY("200"),
    /** A well-formed token whose id does not exist: 401; 503 only while the database is frozen. */
    UNKNOWN("401"),
    /** A token with a broken checksum: 401 without touching the store, whatever the database. */
    MALFORMED("401"),
    /** The user lists their own tokens (a store read): 200; 503 while frozen. */
    LIST_OWN("200"),
    /** Create a token and delete it (store writes): 201 then 204; 503 (either) while frozen. */
    CREATE_DELETE("201/204"),
    /** The owner's first page of the corp's tokens: 200; 503 while frozen. */
    LIST_CORP("200"),
    /** The owner changes the expiry window (a settings write): 200; 503 while frozen. */
    SETTINGS("200");

    final String expected;

    Kind(String expected) {
      this.expected = expected;
    }

    /** Whether this kind may answer 503 while the database is frozen. */
    boolean needsStore() {
      return this != VERIFY && this != MALFORMED;
    }
  }

  enum Phase {
    BEFORE,
    FREEZE,
    AFTER
  }

  /** Latency buckets: 1 µs to about 60 s, 16 per power of two. */
  static final class Histogram {
    private static final int PER_OCTAVE = 16;
    private final AtomicLongArray buckets = new AtomicLongArray(27 * PER_OCTAVE);
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong max = new AtomicLong();

    void record(long nanos) {
      long micros = Math.max(1, nanos / 1_000);
      double index = Math.log((double) micros) / Math.log(2) * PER_OCTAVE;
      buckets.incrementAndGet((int) Math.min(buckets.length() - 1, index));
      count.incrementAndGet();
      max.accumulateAndGet(nanos, Math::max);
    }

    long count() {
      return count.get();
    }

    /** The upper bound of the bucket holding quantile {@code q}, in milliseconds. */
    double quantileMillis(double q) {
      long n = count.get();
      if (n == 0) {
        return Double.NaN;
      }
      long rank = (long) Math.ceil(q * n);
      long seen = 0;
      for (int i = 0; i < buckets.length(); i++) {
        seen += buckets.get(i);
        if (seen >= rank) {
          return Math.pow(2, (i + 1) / (double) PER_OCTAVE) / 1_000;
        }
      }
      return max.get() / 1e6;
    }

    double maxMillis() {
      return max.get() / 1e6;
    }
  }

  private record Credential(String email, String token) {}

  private final int minutes;
  private final Path jar;
  private final int slowClients;
  private final Duration freeze;
  private final int workers;
  private final Path dir;

  private final Map<Phase, Map<Kind, Histogram>> latency = new EnumMap<>(Phase.class);
  private final Map<Phase, Map<Kind, Map<String, AtomicLong>>> statuses =
      new EnumMap<>(Phase.class);
  private final List<String> unexpected = new CopyOnWriteArrayList<>();
  private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.BEFORE);
  private final AtomicLong slowClosedByServer = new AtomicLong();
  private final AtomicLong slowOpened = new AtomicLong();
  private volatile boolean running = true;

  private GatewaySoak(
      int minutes, Path jar, int slowClients, Duration freeze, int workers, Path dir) {
    this.minutes = minutes;
    this.jar = jar;
    this.slowClients = slowClients;
    this.freeze = freeze;
    this.workers = workers;
    this.dir = dir;
    for (Phase p : Phase.values()) {
      Map<Kind, Histogram> byKind = new EnumMap<>(Kind.class);
      Map<Kind, Map<String, AtomicLong>> counts = new EnumMap<>(Kind.class);
      for (Kind k : Kind.values()) {
        byKind.put(k, new Histogram());
        counts.put(k, new ConcurrentHashMap<>());
      }
      latency.put(p, byKind);
      statuses.put(p, counts);
    }
  }

  public static void main(String[] args) throws Exception {
    int minutes = 30;
    Path jar = Path.of("auth-testkit/target/auth-gateway.jar");
    int slow = 200;
    int freezeSeconds = 45;
    int workers = 8;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--minutes" -> minutes = Integer.parseInt(args[++i]);
        case "--jar" -> jar = Path.of(args[++i]);
        case "--slow-clients" -> slow = Integer.parseInt(args[++i]);
        case "--freeze-seconds" -> freezeSeconds = Integer.parseInt(args[++i]);
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        default -> {
          System.err.println(
              "usage: GatewaySoak [--minutes N] [--jar PATH] [--slow-clients N]"
                  + " [--freeze-seconds N] [--workers N]");
          System.exit(2);
        }
      }
    }
    if (!Files.isRegularFile(jar)) {
      System.err.println("no gateway jar at " + jar + ": build it first (see soak/run.sh)");
      System.exit(2);
    }
    Path dir = Files.createTempDirectory("authcore-soak");
    boolean ok =
        new GatewaySoak(minutes, jar, slow, Duration.ofSeconds(freezeSeconds), workers, dir).run();
    System.exit(ok ? 0 : 1);
  }

  private boolean run() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        FaultProxy proxy =
            FaultProxy.start(postgres.getPort(), Duration.ofMinutes(minutes + 10L))) {
      int port = freePort();
      Path users = dir.resolve("users.txt");
      StringBuilder lines = new StringBuilder("soak owner@soak.example OWNER\n");
      int userCount = workers * 3;
      for (int i = 0; i < userCount; i++) {
        lines.append("soak user").append(i).append("@soak.example USER\n");
      }
      Files.writeString(users, lines);
      Path tokensFile = dir.resolve("tokens.txt");
      String jdbcUrl = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres?user=postgres";
      Process gateway =
          new ProcessBuilder(
                  javaBin(),
                  "-Xmx256m",
                  "-jar",
                  jar.toString(),
                  "--port",
                  String.valueOf(port),
                  "--users",
                  users.toString(),
                  "--tokens-out",
                  tokensFile.toString(),
                  "--audit-log",
                  dir.resolve("audit.log").toString(),
                  "--jdbc-url",
                  jdbcUrl)
              .redirectError(dir.resolve("gateway.err").toFile())
              .start();
      try {
        awaitListening(gateway);
        URI base = URI.create("http://127.0.0.1:" + port);
        return soak(gateway, base, readTokens(tokensFile), proxy);
      } finally {
        running = false;
        gateway.destroy();
        if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
          gateway.destroyForcibly();
        }
      }
    }
  }

  private boolean soak(Process gateway, URI base, Map<String, String> bootstrap, FaultProxy proxy)
      throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newFixedThreadPool(4))
            .build();
    String owner = "owner@soak.example";
    Credential ownerCredential = new Credential(owner, bootstrap.get(owner));
    // Two more tokens per user, so requests come from many tokens.
    List<Credential> valid = new ArrayList<>();
    List<String> userEmails = new ArrayList<>();
    for (Map.Entry<String, String> e : bootstrap.entrySet()) {
      valid.add(new Credential(e.getKey(), e.getValue()));
      if (!e.getKey().equals(owner)) {
        userEmails.add(e.getKey());
        for (int i = 0; i < 2; i++) {
          HttpResponse<String> created =
              send(
                  http,
                  base,
                  e.getKey(),
                  e.getValue(),
                  "POST",
                  "/api/v0/me/tokens",
                  "{\"name\":\"job-" + i + "\"}");
          valid.add(new Credential(e.getKey(), field(created.body(), "token")));
        }
      }
    }
    Credential any = valid.get(0);
    String unknownToken = unknownToken(any.token());
    String malformedToken = breakChecksum(any.token());

    ExecutorService slow = startSlowClients(base.getPort());
    long start = System.nanoTime();
    long end = start + TimeUnit.MINUTES.toNanos(minutes);
    long freezeAt = start + (end - start) / 2;
    ExecutorService load = Executors.newFixedThreadPool(workers);
    for (int w = 0; w < workers; w++) {
      int worker = w;
      load.execute(
          () ->
              work(
                  worker,
                  http,
                  base,
                  valid,
                  ownerCredential,
                  userEmails,
                  bootstrap,
                  unknownToken,
                  malformedToken,
                  end));
    }
    Thread.sleep(20_000); // warmed up
    Memory startMemory = Memory.of(gateway.pid());
    sleepUntil(freezeAt);
    proxy.freeze();
    phase.set(Phase.FREEZE);
    Thread.sleep(freeze.toMillis());
    proxy.pass();
    phase.set(Phase.AFTER);
    sleepUntil(end);
    running = false;
    load.shutdown();
    load.awaitTermination(2, TimeUnit.MINUTES);
    slow.shutdownNow();
    Memory endMemory = Memory.of(gateway.pid());
    boolean alive = gateway.isAlive();
    report(start, startMemory, endMemory, alive);
    return alive && unexpected.isEmpty();
  }

  private void work(
      int worker,
      HttpClient http,
      URI base,
      List<Credential> valid,
      Credential owner,
      List<String> userEmails,
      Map<String, String> bootstrap,
      String unknownToken,
      String malformedToken,
      long end) {
    SplittableRandom random = new SplittableRandom(worker);
    // Creations and deletions only for this worker's own users, so the limit of 5 is never hit.
    List<String> mine = new ArrayList<>();
    for (int i = worker; i < userEmails.size(); i += workers) {
      mine.add(userEmails.get(i));
    }
    while (running && System.nanoTime() < end) {
      int roll = random.nextInt(1000);
      Kind kind =
          roll < 880
              ? Kind.VERIFY
              : roll < 920
                  ? Kind.UNKNOWN
                  : roll < 950
                      ? Kind.MALFORMED
                      : roll < 970
                          ? Kind.LIST_OWN
                          : roll < 985
                              ? Kind.CREATE_DELETE
                              : roll < 995 ? Kind.LIST_CORP : Kind.SETTINGS;
      Phase at = phase.get();
      long t0 = System.nanoTime();
      String status;
      try {
        status =
            switch (kind) {
              case VERIFY -> {
                Credential c = valid.get(random.nextInt(valid.size()));
                yield code(send(http, base, c.email(), c.token(), "GET", "/api/v0/corps", null));
              }
              case UNKNOWN ->
                  code(send(http, base, owner.email(), unknownToken, "GET", "/api/v0/corps", null));
              case MALFORMED ->
                  code(
                      send(
                          http, base, owner.email(), malformedToken, "GET", "/api/v0/corps", null));
              case LIST_OWN -> {
                Credential c = valid.get(random.nextInt(valid.size()));
                yield code(
                    send(http, base, c.email(), c.token(), "GET", "/api/v0/me/tokens", null));
              }
              case CREATE_DELETE -> {
                String email = mine.get(random.nextInt(mine.size()));
                String token = bootstrap.get(email);
                HttpResponse<String> created =
                    send(
                        http,
                        base,
                        email,
                        token,
                        "POST",
                        "/api/v0/me/tokens",
                        "{\"name\":\"soak-" + worker + "-" + random.nextInt(1_000_000) + "\"}");
                if (created.statusCode() != 201) {
                  yield code(created);
                }
                String id = field(created.body(), "id");
                yield "201/"
                    + code(
                        send(http, base, email, token, "DELETE", "/api/v0/me/tokens/" + id, null));
              }
              case LIST_CORP ->
                  code(
                      send(
                          http,
                          base,
                          owner.email(),
                          owner.token(),
                          "GET",
                          "/api/v0/corps/soak/tokens?limit=50",
                          null));
              case SETTINGS ->
                  code(
                      send(
                          http,
                          base,
                          owner.email(),
                          owner.token(),
                          "PUT",
                          "/api/v0/corps/soak/tokenSettings",
                          "{\"expiryDays\":"
                              + (random.nextBoolean() ? "null" : "3650")
                              + ",\"restricted\":false,\"allowedIps\":\"\"}"));
            };
      } catch (IOException e) {
        status = "io:" + e.getClass().getSimpleName();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      long nanos = System.nanoTime() - t0;
      latency.get(at).get(kind).record(nanos);
      statuses.get(at).get(kind).computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
      boolean expected =
          status.equals(kind.expected)
              || (status.endsWith("503")
                  && kind.needsStore()
                  && (at != Phase.BEFORE || phase.get() != Phase.BEFORE));
      if (!expected && unexpected.size() < 1_000) {
        unexpected.add(
            at + " " + kind + " answered " + status + " after " + nanos / 1_000_000 + " ms");
      }
    }
  }

  /** Connections that send a request line and a header a byte every 500 ms, reopened if closed. */
  private ExecutorService startSlowClients(int port) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, slowClients));
    for (int i = 0; i < slowClients; i++) {
      pool.execute(
          () -> {
            while (running && !Thread.currentThread().isInterrupted()) {
              try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
                slowOpened.incrementAndGet();
                OutputStream out = s.getOutputStream();
                out.write(
                    "GET /api/v0/corps HTTP/1.1\r\nHost: soak\r\nX-Slow: "
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                while (running) {
                  Thread.sleep(500);
                  out.write('a');
                  out.flush();
                }
              } catch (IOException e) {
                slowClosedByServer.incrementAndGet();
              } catch (InterruptedException e) {
                return;
              }
            }
          });
    }
    return pool;
  }

  private void report(long start, Memory startMemory, Memory endMemory, boolean alive) {
    PrintStreamTable out = new PrintStreamTable();
    out.line(
        "soak: %d min, %d workers, %d slow clients, database frozen %d s at half-time",
        minutes, workers, slowClients, freeze.toSeconds());
    out.line("");
    out.line(
        "%-7s %-14s %9s %9s %9s %9s %9s  %s",
        "phase", "request", "count", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "statuses");
    for (Phase p : Phase.values()) {
      for (Kind k : Kind.values()) {
        Histogram h = latency.get(p).get(k);
        if (h.count() == 0) {
          continue;
        }
        out.line(
            "%-7s %-14s %9d %9.2f %9.2f %9.2f %9.1f  %s",
            p,
            k,
            h.count(),
            h.quantileMillis(0.50),
            h.quantileMillis(0.99),
            h.quantileMillis(0.999),
            h.maxMillis(),
            statuses.get(p).get(k));
      }
    }
    out.line("");
    out.line(
        "slow clients: %d connections opened, %d closed by the gateway's deadlines",
        slowOpened.get(), slowClosedByServer.get());
    out.line("gateway memory at start: %s", startMemory);
    out.line("gateway memory at end:   %s", endMemory);
    out.line("gateway alive at end: %s", alive);
    out.line("unexpected answers: %d", unexpected.size());
    unexpected.stream().limit(20).forEach(u -> out.line("  %s", u));
    out.line("files (audit log, gateway stderr): %s", dir);
    out.line("elapsed: %.1f min", (System.nanoTime() - start) / 60e9);
  }

  /** Formats lines to standard output with the root locale, whatever the machine's. */
  private static final class PrintStreamTable {
    void line(String format, Object... args) {
      System.out.println(String.format(Locale.ROOT, format, args));
    }
  }

  /** The gateway's resident set and its heap after a full collection, read with jcmd. */
  record Memory(long rssKib, @Nullable String heapAfterGc) {
    static Memory of(long pid) {
      long rss = -1;
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith("VmRSS:")) {
            rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (IOException | NumberFormatException e) {
        // not Linux, or the process is gone: reported as -1
      }
      String heap = null;
      try {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        run(jcmd.toString(), String.valueOf(pid), "GC.run");
        String info = run(jcmd.toString(), String.valueOf(pid), "GC.heap_info");
        Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
        if (m.find()) {
          heap =
              Long.parseLong(m.group(2)) / 1024
                  + " MiB used of "
                  + Long.parseLong(m.group(1)) / 1024
                  + " MiB";
        }
      } catch (IOException e) {
        heap = "jcmd failed: " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new Memory(rss, heap);
    }

    private static String run(String... command) throws IOException, InterruptedException {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(30, TimeUnit.SECONDS);
      return out;
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT, "RSS %d MiB, heap after GC: %s", rssKib / 1024, heapAfterGc);
    }
  }

  // ---- HTTP

  private static HttpResponse<String> send(
      HttpClient http,
      URI base,
      String email,
      String token,
      String method,
      String path,
      @Nullable String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("x-api-user", email)
            .header("x-api-token", token);
    if (body != null) {
      request.header("content-type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String code(HttpResponse<String> response) {
    return String.valueOf(response.statusCode());
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no \"" + name + "\" in the gateway's answer");
    }
    return m.group(1);
  }

  // ---- setup

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void awaitListening(Process gateway) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("listening on")) {
        // Keep draining standard output so the gateway never blocks on it.
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (out.readLine() != null) {
                      // discarded
                    }
                  } catch (IOException e) {
                    // the gateway ended
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return;
      }
    }
    throw new IOException("the gateway ended before it listened; see its stderr");
  }

  private static Map<String, String> readTokens(Path file) throws IOException {
    Map<String, String> tokens = new ConcurrentHashMap<>();
    for (String line : Files.readAllLines(file)) {
      int space = line.indexOf(' ');
      if (space > 0) {
        tokens.put(line.substring(0, space), line.substring(space + 1).trim());
      }
    }
    if (tokens.isEmpty()) {
      throw new IOException("no bootstrap tokens in " + file);
    }
    return tokens;
  }

  /** A well-formed token (checksum right) for the gateway's prefix whose id was never issued. */
  private static String unknownToken(String issued) {
    String prefix = issued.substring(0, issued.indexOf('_'));
    return TokenTexts.wellFormed(new SplittableRandom(7), prefix);
  }

  private static String breakChecksum(String token) {
    char last = token.charAt(token.length() - 1);
    return token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      Thread.sleep(Math.min(1_000, TimeUnit.NANOSECONDS.toMillis(left) + 1));
    }
  }
}
