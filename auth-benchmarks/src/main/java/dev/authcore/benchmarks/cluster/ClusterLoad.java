package dev.authcore.benchmarks.cluster;

import dev.authcore.benchmarks.cluster.Api.Caller;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The driver of {@code auth-benchmarks/cluster/run}: gateways on one PostgreSQL under mixed load,
 * measured for three things.
 *
 * <ol>
 *   <li><b>Propagation.</b> A change made through one node (a token deleted, a corp restricted to
 *       permitted users, a user's permission revoked), timed from the moment its request is sent to
 *       the first {@code 401} from each other node, which polls with the affected token in a tight
 *       loop from that moment. Before each change the token is accepted by every node, so their
 *       caches hold it: the delay is the invalidation's, not a cache miss's. The node that changes
 *       rotates from sample to sample.
 *   <li><b>Database statements per node</b> while that and the background load run: PostgreSQL logs
 *       every statement with its connection's application name (one per node), counted by {@link
 *       StatementLog} over the window and divided by the requests the driver sent to that node in
 *       it.
 *   <li><b>Usage on a clean stop.</b> Tokens never used before are used once each on the last node
 *       only; that node is then stopped ({@code SIGTERM}, its shutdown hook closes the gateway) and
 *       the owners' listing on the first node must show every one of them used, from 127.0.0.1, no
 *       earlier than the uses began.
 * </ol>
 *
 * The background load is {@code GET /api/v0/corps} with the load corps' tokens at a fixed rate,
 * spread evenly over every (token, node) pair in a shuffled order, so every node caches every token
 * during the warm-up. The propagation samples add token creations, deletions, settings and
 * permission changes. Every answer is checked; an unexpected status fails the run.
 *
 * <pre>
 * java -cp benchmarks.jar dev.authcore.benchmarks.cluster.ClusterLoad users --tokens N &gt; users.txt
 * java -cp benchmarks.jar dev.authcore.benchmarks.cluster.ClusterLoad run --nodes URL,URL,URL \
 *     --bootstrap FILE --pg-log FILE --stop-pid PID [options]
 * </pre>
 *
 * Exit status: 0 when every check passed, 1 when one failed (the tables are printed first), 2 for a
 * bad command line.
 */
public final class ClusterLoad {
  private static final String USAGE =
      """
      usage: ClusterLoad users --tokens N
             ClusterLoad run --nodes URL,URL[,URL...] --bootstrap FILE --pg-log FILE --stop-pid PID
                 [--tokens N] [--rate R] [--workers N] [--warmup S] [--samples N]
                 [--probe-gap MS] [--stop-signal TERM|KILL] [--seed N]
        --tokens N        background tokens (default 600; rounded up to whole users of 4)
        --rate R          background verifications per second, all nodes together (default 600)
        --workers N       threads sending them (default 8)
        --warmup S        seconds of background load before measuring (default 10)
        --samples N       samples of each kind of change (default 200)
        --probe-gap MS    pause between samples (default 50)
        --stop-signal S   how the last node is stopped for the usage check (default TERM)""";

  /** How long a node may take to reject or accept again before the sample fails. */
  private static final long PROPAGATION_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Api api = new Api();
  private final List<String> nodes;
  private final Map<String, String> bootstrap;
  private final Layout layout;
  private final StatementLog log;
  private final long stopPid;
  private final boolean stopHard;
  private final int rate;
  private final int workers;
  private final int warmupSeconds;
  private final int samples;
  private final int probeGapMillis;
  private final SplittableRandom random;

  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());

  // The measured window: requests sent to each node while it is open.
  private volatile boolean windowOpen;
  private final AtomicLongArray windowRequests;
  private final AtomicLongArray windowUnexpected;
  private final List<List<Long>> verifyMicros;

  private ClusterLoad(Options o) throws IOException {
    this.nodes = o.nodes;
    this.bootstrap = readBootstrap(o.bootstrap);
    this.layout = new Layout(o.tokens);
    this.log = new StatementLog(o.pgLog);
    this.stopPid = o.stopPid;
    this.stopHard = o.stopHard;
    this.rate = o.rate;
    this.workers = o.workers;
    this.warmupSeconds = o.warmup;
    this.samples = o.samples;
    this.probeGapMillis = o.probeGap;
    this.random = new SplittableRandom(o.seed);
    this.windowRequests = new AtomicLongArray(nodes.size());
    this.windowUnexpected = new AtomicLongArray(nodes.size());
    this.verifyMicros = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      verifyMicros.add(Collections.synchronizedList(new ArrayList<>()));
    }
  }

  /**
   * Runs the {@code users} or {@code run} command.
   *
   * @param args see the class description
   */
  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (options.usersOnly) {
      StringBuilder out = new StringBuilder();
      for (Layout.User user : new Layout(options.tokens).all()) {
        out.append(user.line()).append('\n');
      }
      System.out.print(out);
      return;
    }
    boolean passed = new ClusterLoad(options).run();
    System.exit(passed ? 0 : 1);
  }

  private static Map<String, String> readBootstrap(Path file) throws IOException {
    Map<String, String> tokens = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] fields = line.strip().split(" ", -1);
      if (fields.length == 2) {
        tokens.put(fields[0], fields[1]);
      }
    }
    return tokens;
  }

  private Caller bootstrapOf(String email) {
    String token = bootstrap.get(email);
    if (token == null) {
      throw new IllegalStateException(
          "no bootstrap token for "
              + email
              + " in the tokens file; was it started with the users"
              + " file of the same --tokens?");
    }
    return new Caller(email, token);
  }

  private static void note(String text) {
    System.err.println("cluster: " + text);
  }

  // ---- the run ---------------------------------------------------------------------------------

  private boolean run() throws Exception {
    note("setting up: " + layout.loadTokens() + " background tokens, " + nodes.size() + " nodes");
    List<Caller> loadTokens = createLoadTokens();
    List<Created> usageTokens = createUsageTokens();
    preparePolicyCorps();

    List<int[]> pairs = new ArrayList<>();
    for (int t = 0; t < loadTokens.size(); t++) {
      for (int n = 0; n < nodes.size(); n++) {
        pairs.add(new int[] {t, n});
      }
    }
    Collections.shuffle(pairs, new java.util.Random(random.nextLong()));
    Background background = new Background(loadTokens, pairs);
    note("warming up for " + warmupSeconds + " s at " + rate + " verifications/s");
    background.start();
    Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));

    note("measuring: " + samples + " samples of each change, background load running");
    long logFrom = log.offset();
    long started = System.nanoTime();
    windowOpen = true;
    Map<String, Propagation> propagation = propagationSamples();
    windowOpen = false;
    long windowNanos = System.nanoTime() - started;
    long logTo = log.offset();
    background.stop();
    Map<String, StatementLog.Counts> statements = log.count(logFrom, logTo);

    note("usage check: " + usageTokens.size() + " unused tokens, used once each on the last node");
    UsageCheck usage = usageCheck(usageTokens);

    printPropagation(propagation);
    printStatements(statements, windowNanos, background, propagation);
    printUsage(usage);
    for (int n = 0; n < nodes.size(); n++) {
      if (windowUnexpected.get(n) > 0) {
        failures.add(
            windowUnexpected.get(n) + " background verifications on node" + (n + 1) + " not 200");
      }
    }
    if (!usage.passed()) {
      failures.add("usage lost on the stop of the last node");
    }
    for (String failure : failures) {
      System.out.println("FAILED: " + failure);
    }
    return failures.isEmpty();
  }

  // ---- setup ----------------------------------------------------------------------------------

  /** A token created through the API: its owner's credentials with it, and its id. */
  private record Created(Caller caller, String id) {}

  private Created create(int node, Caller owner, String name) {
    JsonNode created =
        api.expect(
                201,
                nodes.get(node),
                "POST",
                "/api/v0/me/tokens",
                owner,
                "{\"name\":\"" + name + "\"}")
            .json();
    return new Created(new Caller(owner.email(), text(created, "token")), text(created, "id"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isString()) {
      throw new IllegalStateException("expected a string " + field + " in " + node);
    }
    return value.asString();
  }

  /** Each load user's bootstrap token and the tokens it creates, created on every node in turn. */
  private List<Caller> createLoadTokens() throws Exception {
    List<Layout.User> users = layout.loadUsers();
    List<Caller> tokens = Collections.synchronizedList(new ArrayList<>());
    parallel(
        users.size(),
        i -> {
          Caller owner = bootstrapOf(users.get(i).email());
          tokens.add(owner);
          for (int k = 1; k <= Layout.CREATED_PER_LOAD_USER; k++) {
            tokens.add(create((i + k) % nodes.size(), owner, "load" + k).caller());
          }
        });
    List<Caller> sorted = new ArrayList<>(tokens);
    sorted.sort((a, b) -> a.token().compareTo(b.token()));
    return sorted;
  }

  private List<Created> createUsageTokens() throws Exception {
    List<String> users = Layout.usageUsers();
    List<Created> tokens = Collections.synchronizedList(new ArrayList<>());
    parallel(
        users.size(),
        i -> {
          Caller owner = bootstrapOf(users.get(i));
          for (int k = 1; k <= Layout.CREATED_PER_USAGE_USER; k++) {
            tokens.add(create(0, owner, "unused" + k));
          }
        });
    return new ArrayList<>(tokens);
  }

  /**
   * The settings corp's owner holds the permission (so restricting cannot lock the corp out); the
   * permission corp is restricted, its owner and user permitted.
   */
  private void preparePolicyCorps() {
    String base = nodes.get(0);
    Caller settingsOwner = bootstrapOf(Layout.owner(Layout.SETTINGS_CORP));
    api.expect(
        204,
        base,
        "PUT",
        permissionPath(Layout.SETTINGS_CORP, settingsOwner.email()),
        settingsOwner,
        "{\"allowed\":true}");
    Caller permissionOwner = bootstrapOf(Layout.owner(Layout.PERMISSION_CORP));
    for (String email : List.of(permissionOwner.email(), Layout.permissionUser())) {
      api.expect(
          204,
          base,
          "PUT",
          permissionPath(Layout.PERMISSION_CORP, email),
          permissionOwner,
          "{\"allowed\":true}");
    }
    api.expect(
        200, base, "PUT", settingsPath(Layout.PERMISSION_CORP), permissionOwner, settings(true));
  }

  private static String permissionPath(String corp, String email) {
    return "/api/v0/corps/" + corp + "/users/" + email + "/tokenPermission";
  }

  private static String settingsPath(String corp) {
    return "/api/v0/corps/" + corp + "/tokenSettings";
  }

  private static String settings(boolean restricted) {
    return "{\"expiryDays\":null,\"restricted\":" + restricted + ",\"allowedIps\":\"\"}";
  }

  @FunctionalInterface
  private interface Task {
    void run(int i) throws Exception;
  }

  /** Runs {@code task(0 .. count-1)} on four threads; the first failure fails the run. */
  private static void parallel(int count, Task task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(
            pool.submit(
                () -> {
                  task.run(index);
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        try {
          future.get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          throw cause instanceof Exception ex ? ex : e;
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- background load ------------------------------------------------------------------------

  /** Verifications at {@link #rate} per second from {@link #workers} threads. */
  private final class Background {
    private final List<Caller> tokens;
    private final List<int[]> pairs;
    private final AtomicLong ticket = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;
    private long startNanos;
    final AtomicLong sent = new AtomicLong();

    Background(List<Caller> tokens, List<int[]> pairs) {
      this.tokens = tokens;
      this.pairs = pairs;
    }

    void start() {
      startNanos = System.nanoTime();
      long interval = TimeUnit.SECONDS.toNanos(1) / rate;
      for (int w = 0; w < workers; w++) {
        Thread thread =
            new Thread(
                () -> {
                  while (!stopping) {
                    long t = ticket.getAndIncrement();
                    long due = startNanos + t * interval;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                      LockSupport.parkNanos(wait);
                    }
                    if (stopping) {
                      return;
                    }
                    int[] pair = pairs.get((int) (t % pairs.size()));
                    send(tokens.get(pair[0]), pair[1]);
                  }
                },
                "background-" + w);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
      }
    }

    private void send(Caller caller, int node) {
      boolean counted = windowOpen;
      long begin = System.nanoTime();
      int status;
      try {
        status = api.verify(nodes.get(node), caller);
      } catch (RuntimeException e) {
        status = -1;
        if (!stopping) {
          failures.add("background request to node" + (node + 1) + ": " + e.getMessage());
        }
      }
      sent.incrementAndGet();
      if (counted) {
        windowRequests.incrementAndGet(node);
        verifyMicros.get(node).add((System.nanoTime() - begin) / 1000);
        if (status != 200) {
          windowUnexpected.incrementAndGet(node);
        }
      }
    }

    void stop() throws InterruptedException {
      stopping = true;
      for (Thread thread : threads) {
        thread.join(15_000);
      }
    }
  }

  // ---- propagation ----------------------------------------------------------------------------

  /** The samples of one kind of change. */
  private static final class Propagation {
    /** Milliseconds from sending the change to the first 401, one per sample and observing node. */
    final List<Double> delays = new ArrayList<>();

    /**
     * Milliseconds from the change's answer to the first 401, per sample and observing node;
     * negative when another node rejected before the answer reached the driver.
     */
    final List<Double> afterAnswer = new ArrayList<>();

    /** Milliseconds the changing request itself took, one per sample. */
    final List<Double> changeLatency = new ArrayList<>();

    int samples;
  }

  private static final String DELETED = "token deleted";
  private static final String RESTRICTED = "corp restricted (settings)";
  private static final String REVOKED = "user's permission revoked";

  private Map<String, Propagation> propagationSamples() throws Exception {
    Propagation deleted = new Propagation();
    Propagation restricted = new Propagation();
    Propagation revoked = new Propagation();
    Map<String, Propagation> results = new LinkedHashMap<>();
    results.put(DELETED, deleted);
    results.put(RESTRICTED, restricted);
    results.put(REVOKED, revoked);
    ExecutorService pollers = Executors.newFixedThreadPool(nodes.size());
    Caller settingsOwner = bootstrapOf(Layout.owner(Layout.SETTINGS_CORP));
    Caller settingsUser = bootstrapOf(Layout.settingsUser());
    Caller permissionOwner = bootstrapOf(Layout.owner(Layout.PERMISSION_CORP));
    Caller permissionUser = bootstrapOf(Layout.permissionUser());
    List<String> deleters = Layout.deletionUsers();
    try {
      awaitAccepted(settingsUser, -1, pollers);
      awaitAccepted(permissionUser, -1, pollers);
      for (int i = 0; i < samples; i++) {
        int node = i % nodes.size();
        String base = nodes.get(node);

        Caller deleter = bootstrapOf(deleters.get(i % deleters.size()));
        Created token = create(node, deleter, "probe" + i);
        awaitAccepted(token.caller(), node, pollers);
        sample(
            deleted,
            node,
            token.caller(),
            pollers,
            () ->
                api.expect(204, base, "DELETE", "/api/v0/me/tokens/" + token.id(), deleter, null));
        pause();

        sample(
            restricted,
            node,
            settingsUser,
            pollers,
            () ->
                api.expect(
                    200,
                    base,
                    "PUT",
                    settingsPath(Layout.SETTINGS_CORP),
                    settingsOwner,
                    settings(true)));
        api.expect(
            200, base, "PUT", settingsPath(Layout.SETTINGS_CORP), settingsOwner, settings(false));
        awaitAccepted(settingsUser, -1, pollers);
        pause();

        String path = permissionPath(Layout.PERMISSION_CORP, permissionUser.email());
        sample(
            revoked,
            node,
            permissionUser,
            pollers,
            () -> api.expect(204, base, "PUT", path, permissionOwner, "{\"allowed\":false}"));
        api.expect(204, base, "PUT", path, permissionOwner, "{\"allowed\":true}");
        awaitAccepted(permissionUser, -1, pollers);
        pause();
        if ((i + 1) % 50 == 0) {
          note((i + 1) + " of " + samples + " samples of each change");
        }
      }
    } finally {
      pollers.shutdownNow();
    }
    return results;
  }

  private void pause() throws InterruptedException {
    if (probeGapMillis > 0) {
      Thread.sleep(probeGapMillis);
    }
  }

  /**
   * Waits until every node but {@code except} (-1 for none) accepts {@code caller}, polling each;
   * an accepted request leaves the token and its corp in that node's cache.
   */
  private void awaitAccepted(Caller caller, int except, ExecutorService pollers) throws Exception {
    List<Future<Long>> waits = new ArrayList<>();
    for (int n = 0; n < nodes.size(); n++) {
      if (n != except) {
        waits.add(pollers.submit(pollUntil(n, caller, 200, null)));
      }
    }
    for (Future<Long> wait : waits) {
      wait.get();
    }
  }

  /**
   * A poll of node {@code n} with {@code caller}'s token until it answers {@code status}; returns
   * when (System.nanoTime) that answer arrived. Starts when {@code go} opens, if given.
   */
  private java.util.concurrent.Callable<Long> pollUntil(
      int n, Caller caller, int status, @Nullable CountDownLatch go) {
    return () -> {
      if (go != null) {
        go.await();
      }
      long begin = System.nanoTime();
      while (true) {
        int answer = api.verify(nodes.get(n), caller);
        long now = System.nanoTime();
        if (windowOpen) {
          windowRequests.incrementAndGet(n);
        }
        if (answer == status) {
          return now;
        }
        if (answer != 200 && answer != 401) {
          throw new IllegalStateException("node" + (n + 1) + " answered " + answer);
        }
        if (now - begin > PROPAGATION_LIMIT_NANOS) {
          throw new TimeoutException(
              "node" + (n + 1) + " still answered " + answer + " after 10 s, expected " + status);
        }
      }
    };
  }

  /**
   * One sample: the other nodes poll with {@code affected} from the moment {@code change} is sent
   * through node {@code node}, until each rejects it.
   */
  private void sample(
      Propagation into, int node, Caller affected, ExecutorService pollers, Runnable change)
      throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Long>> polls = new ArrayList<>();
    for (int n = 0; n < nodes.size(); n++) {
      if (n != node) {
        polls.add(pollers.submit(pollUntil(n, affected, 401, go)));
      }
    }
    long sent = System.nanoTime();
    go.countDown();
    change.run();
    long changed = System.nanoTime();
    if (windowOpen) {
      windowRequests.incrementAndGet(node);
    }
    into.changeLatency.add((changed - sent) / 1e6);
    for (Future<Long> poll : polls) {
      long rejected;
      try {
        rejected =
            poll.get(PROPAGATION_LIMIT_NANOS + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw cause instanceof Exception ex ? ex : e;
      }
      into.delays.add((rejected - sent) / 1e6);
      into.afterAnswer.add((rejected - changed) / 1e6);
    }
    into.samples++;
  }

  // ---- usage on a clean stop ------------------------------------------------------------------

  private record UsageCheck(
      int tokens, int storedBeforeStop, int storedAfterStop, long stopMillis, String signal) {
    boolean passed() {
      return storedAfterStop == tokens;
    }
  }

  private UsageCheck usageCheck(List<Created> tokens) throws Exception {
    int last = nodes.size() - 1;
    Instant begin = Instant.ofEpochMilli(System.currentTimeMillis());
    for (Created token : tokens) {
      api.expect(200, nodes.get(last), "GET", "/api/v0/corps", token.caller(), null);
    }
    int before = usedSince(tokens, begin);
    Optional<ProcessHandle> process = ProcessHandle.of(stopPid);
    if (process.isEmpty()) {
      throw new IllegalStateException("process " + stopPid + " (the last node) is not running");
    }
    long stopStart = System.nanoTime();
    if (stopHard) {
      process.get().destroyForcibly();
    } else {
      process.get().destroy();
    }
    try {
      process.get().onExit().get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the last node did not stop within 30 s", e);
    }
    long stopMillis = (System.nanoTime() - stopStart) / 1_000_000;
    int after = usedSince(tokens, begin);
    return new UsageCheck(
        tokens.size(), before, after, stopMillis, stopHard ? "SIGKILL" : "SIGTERM");
  }

  /**
   * How many of {@code tokens} the owners' listing on the first node shows used no earlier than
   * {@code begin} (to the millisecond) from 127.0.0.1.
   */
  private int usedSince(List<Created> tokens, Instant begin) {
    Caller owner = bootstrapOf(Layout.owner(Layout.USAGE_CORP));
    Map<String, JsonNode> rows = new HashMap<>();
    @Nullable String cursor = null;
    do {
      String path =
          "/api/v0/corps/"
              + Layout.USAGE_CORP
              + "/tokens?limit=1000"
              + (cursor == null
                  ? ""
                  : "&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      JsonNode page = api.expect(200, nodes.get(0), "GET", path, owner, null).json();
      JsonNode data = page.get("data");
      for (int i = 0; data != null && i < data.size(); i++) {
        JsonNode row = data.get(i);
        rows.put(text(row, "id"), row);
      }
      JsonNode next = page.get("next");
      cursor = next == null || next.isNull() ? null : next.asString();
    } while (cursor != null);
    int used = 0;
    for (Created token : tokens) {
      JsonNode row = rows.get(token.id());
      if (row == null) {
        continue;
      }
      JsonNode lastUsed = row.get("lastUsed");
      JsonNode ips = row.get("ips");
      boolean fromHere = false;
      for (int i = 0; ips != null && i < ips.size(); i++) {
        fromHere |= ips.get(i).asString().equals("127.0.0.1");
      }
      if (lastUsed != null
          && lastUsed.isString()
          && !Instant.parse(lastUsed.asString()).isBefore(begin)
          && fromHere) {
        used++;
      }
    }
    return used;
  }

  // ---- output ---------------------------------------------------------------------------------

  private void printPropagation(Map<String, Propagation> results) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "propagation: from sending the change to one node to the first 401 from each other node%n"
            + "(one observation per sample and other node; the node that changes rotates)%n");
    System.out.printf(
        Locale.ROOT,
        "%-28s %8s %8s %8s %8s   %-29s %s%n",
        "change",
        "observed",
        "p50 ms",
        "p99 ms",
        "max ms",
        "after its answer: p50/p99/max",
        "the change request: p50/p99");
    for (Map.Entry<String, Propagation> entry : results.entrySet()) {
      Propagation p = entry.getValue();
      double[] d = sorted(p.delays);
      double[] a = sorted(p.afterAnswer);
      double[] c = sorted(p.changeLatency);
      System.out.printf(
          Locale.ROOT,
          "%-28s %8d %8.1f %8.1f %8.1f   %-29s %.1f / %.1f%n",
          entry.getKey(),
          d.length,
          percentile(d, 50),
          percentile(d, 99),
          percentile(d, 100),
          String.format(
              Locale.ROOT,
              "%.1f / %.1f / %.1f",
              percentile(a, 50),
              percentile(a, 99),
              percentile(a, 100)),
          percentile(c, 50),
          percentile(c, 99));
    }
  }

  private void printStatements(
      Map<String, StatementLog.Counts> statements,
      long windowNanos,
      Background background,
      Map<String, Propagation> propagation) {
    double seconds = windowNanos / 1e9;
    int changes = 0;
    for (Propagation p : propagation.values()) {
      changes += p.samples;
    }
    // Each settings and permission sample is two changes (made, then undone); a deletion one.
    int deletions = samplesOf(propagation, DELETED);
    int committedChanges =
        deletions + 2 * samplesOf(propagation, RESTRICTED) + 2 * samplesOf(propagation, REVOKED);
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "database statements per node over the measured window: %.1f s, %d change samples"
            + " (%d committed changes, %.1f/s), %d token creations%n",
        seconds,
        changes,
        committedChanges,
        committedChanges / seconds,
        deletions);
    System.out.printf(
        Locale.ROOT,
        "%-6s %9s %7s %9s %9s %9s %9s %9s %9s %8s %8s%n",
        "node",
        "requests",
        "req/s",
        "verify50",
        "verify99",
        "stmts",
        "stmts/s",
        "queries",
        "queries/s",
        "q/1000r",
        "feed q");
    long totalRequests = 0;
    long totalQueries = 0;
    long totalStatements = 0;
    for (int n = 0; n < nodes.size(); n++) {
      String name = "node" + (n + 1);
      StatementLog.Counts c = statements.getOrDefault(name, new StatementLog.Counts());
      long requests = windowRequests.get(n);
      double[] v = sortedLongs(verifyMicros.get(n));
      totalRequests += requests;
      totalQueries += c.queries;
      totalStatements += c.total;
      System.out.printf(
          Locale.ROOT,
          "%-6s %9d %7.0f %9.2f %9.2f %9d %9.1f %9d %9.1f %8.1f %8d%n",
          name,
          requests,
          requests / seconds,
          percentile(v, 50) / 1000,
          percentile(v, 99) / 1000,
          c.total,
          c.total / seconds,
          c.queries,
          c.queries / seconds,
          requests == 0 ? Double.NaN : 1000.0 * c.queries / requests,
          feedQueries(c));
    }
    System.out.printf(
        Locale.ROOT,
        "%-6s %9d %7.0f %9s %9s %9d %9.1f %9d %9.1f %8.1f%n",
        "all",
        totalRequests,
        totalRequests / seconds,
        "",
        "",
        totalStatements,
        totalStatements / seconds,
        totalQueries,
        totalQueries / seconds,
        totalRequests == 0 ? Double.NaN : 1000.0 * totalQueries / totalRequests);
    System.out.println(
        "verify50/99: background GET latency in ms; stmts: every statement logged (BEGIN, COMMIT,"
            + " SET, SHOW and the pool's empty check included);");
    System.out.println(
        "queries: SELECT, INSERT, UPDATE, DELETE and WITH only; q/1000r: queries per 1,000"
            + " requests sent to that node; feed q: queries of its change feed's connection.");
    System.out.println();
    System.out.printf(Locale.ROOT, "statements by kind, per second over the window%n");
    Map<String, long[]> byKind = new java.util.TreeMap<>();
    for (int n = 0; n < nodes.size(); n++) {
      StatementLog.Counts c = statements.get("node" + (n + 1));
      if (c == null) {
        continue;
      }
      for (Map.Entry<String, Long> e : c.byKind.entrySet()) {
        byKind.computeIfAbsent(e.getKey(), k -> new long[nodes.size()])[n] = e.getValue();
      }
    }
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-62s", "kind"));
    for (int n = 0; n < nodes.size(); n++) {
      header.append(String.format(Locale.ROOT, " %8s", "node" + (n + 1)));
    }
    System.out.println(header);
    for (Map.Entry<String, long[]> e : byKind.entrySet()) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-62s", e.getKey()));
      for (long count : e.getValue()) {
        row.append(String.format(Locale.ROOT, " %8.2f", count / seconds));
      }
      System.out.println(row);
    }
    if (background.sent.get() == 0) {
      failures.add("the background load sent nothing");
    }
  }

  private static int samplesOf(Map<String, Propagation> results, String kind) {
    Propagation p = results.get(kind);
    return p == null ? 0 : p.samples;
  }

  private static long feedQueries(StatementLog.Counts c) {
    long feed = 0;
    for (Map.Entry<String, Long> e : c.byKind.entrySet()) {
      String kind = e.getKey();
      if (kind.startsWith("feed: ") && StatementLog.isData(kind.substring(6))) {
        feed += e.getValue();
      }
    }
    return feed;
  }

  private void printUsage(UsageCheck u) {
    System.out.println();
    System.out.printf(
        Locale.ROOT,
        "usage on stop: %d tokens never used before, used once each on node%d only;%n"
            + "  shown used (since the uses began, from 127.0.0.1) in node1's listing before the"
            + " stop: %d; node%d stopped with %s in %d ms;%n"
            + "  after the stop: %d of %d -> %s%n",
        u.tokens(),
        nodes.size(),
        u.storedBeforeStop(),
        nodes.size(),
        u.signal(),
        u.stopMillis(),
        u.storedAfterStop(),
        u.tokens(),
        u.passed() ? "PASS" : "FAIL");
  }

  private static double[] sorted(List<Double> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    Arrays.sort(out);
    return out;
  }

  private static double[] sortedLongs(List<Long> values) {
    double[] out;
    synchronized (values) {
      out = new double[values.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = values.get(i);
      }
    }
    Arrays.sort(out);
    return out;
  }

  /** The nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  // ---- command line ---------------------------------------------------------------------------

  private static final class Options {
    boolean usersOnly;
    List<String> nodes = List.of();
    Path bootstrap = Path.of("");
    Path pgLog = Path.of("");
    long stopPid = -1;
    boolean stopHard;
    int tokens = 600;
    int rate = 600;
    int workers = 8;
    int warmup = 10;
    int samples = 200;
    int probeGap = 50;
    long seed = 1;

    static Options parse(String[] args) {
      Options o = new Options();
      if (args.length == 0 || !(args[0].equals("users") || args[0].equals("run"))) {
        throw new IllegalArgumentException("the first argument must be users or run");
      }
      o.usersOnly = args[0].equals("users");
      boolean nodesSeen = false;
      boolean bootstrapSeen = false;
      boolean logSeen = false;
      for (int i = 1; i < args.length; i++) {
        String flag = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        String value = args[++i];
        switch (flag) {
          case "--tokens" -> o.tokens = number(flag, value, 1, 100_000);
          case "--nodes" -> {
            o.nodes = List.of(value.split(",", -1));
            for (String node : o.nodes) {
              if (!node.startsWith("http://127.0.0.1:")) {
                throw new IllegalArgumentException(
                    "--nodes must be http://127.0.0.1:PORT addresses, got '" + node + "'");
              }
            }
            if (o.nodes.size() < 2) {
              throw new IllegalArgumentException("--nodes needs at least two addresses");
            }
            nodesSeen = true;
          }
          case "--bootstrap" -> {
            o.bootstrap = Path.of(value);
            bootstrapSeen = true;
          }
          case "--pg-log" -> {
            o.pgLog = Path.of(value);
            logSeen = true;
          }
          case "--stop-pid" -> o.stopPid = number(flag, value, 1, Integer.MAX_VALUE);
          case "--stop-signal" -> {
            if (!value.equals("TERM") && !value.equals("KILL")) {
              throw new IllegalArgumentException(
                  "--stop-signal must be TERM or KILL, got '" + value + "'");
            }
            o.stopHard = value.equals("KILL");
          }
          case "--rate" -> o.rate = number(flag, value, 1, 100_000);
          case "--workers" -> o.workers = number(flag, value, 1, 256);
          case "--warmup" -> o.warmup = number(flag, value, 0, 600);
          case "--samples" -> o.samples = number(flag, value, 1, 100_000);
          case "--probe-gap" -> o.probeGap = number(flag, value, 0, 10_000);
          case "--seed" -> o.seed = number(flag, value, 0, Integer.MAX_VALUE);
          default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
        }
      }
      if (!o.usersOnly && !(nodesSeen && bootstrapSeen && logSeen && o.stopPid > 0)) {
        throw new IllegalArgumentException(
            "run needs --nodes, --bootstrap, --pg-log and --stop-pid");
      }
      return o;
    }

    private static int number(String flag, String value, int low, int high) {
      int n;
      try {
        n = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        n = Integer.MIN_VALUE;
      }
      if (n < low || n > high) {
        throw new IllegalArgumentException(
            flag + " must be a whole number from " + low + " to " + high + ", got '" + value + "'");
      }
      return n;
    }
  }
}
