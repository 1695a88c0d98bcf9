package dev.authcore.benchmarks;

import dev.authcore.AuthCore;
import dev.authcore.TokenVerifier;
import dev.authcore.model.Role;
import dev.authcore.model.TokenId;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Heap retained per token, measured: each shot fills a new in-memory store and a new deployment's
 * cache, and reads the heap in use after a full collection between the steps.
 *
 * <ul>
 *   <li>{@code storedTokenBytes}: per token held by {@link InMemoryTokenStore} (never used): the
 *       {@link TokenRecord} with its id, name, creation instant and {@link SecretHash}, and the
 *       store's indexes by id, owner and corp. The owner's email and corp strings are the user
 *       directory's, shared by a user's tokens, as when auth-core issues them.
 *   <li>{@code cachedEntryBytes}: per token after its first verification: auth-core's cache entry
 *       (the prepared token, its hash bytes, the answer it returns, the cache's own node) plus the
 *       recent-address array and the pending-usage queue entry a use adds until the next usage
 *       write.
 *   <li>{@code usageWrittenBytes}: the net change per token when that usage is written to the store
 *       (the record replaced by one with a last-use instant and one address; the queue emptied).
 * </ul>
 *
 * <p>Inputs that a request brings or that exist without auth-core (token texts, the user directory)
 * are made before the first reading. The heap is read with {@link MemoryMXBean} after {@code
 * System.gc()} until two readings agree within 64 KiB, on the parallel collector (its full
 * collection compacts the whole heap, so the reading is the live data; object layout is the same
 * under every collector: 64-bit JVM, compressed references, 4 GB heap). The serial collector gave
 * the same per-token figures but sometimes kept a previous shot's data into the next shot's first
 * reading; G1 reads about 10 bytes per token more (region granularity). A shot that starts with
 * more than 8 MiB left over from earlier shots fails rather than report. {@code maxCachedTokens} is
 * four times the token count, so the cache stays under half full and its frequency sketch is not
 * allocated: that is a fixed cost per cache, not per entry (8 bytes times the next power of two of
 * {@code maxCachedTokens}, 1 MiB at the default 100,000, once the cache is half full). The time
 * score means nothing here: read the {@code *Bytes} counters (also printed). No target; the figures
 * size a deployment. Command:
 *
 * <pre>
 * java -jar auth-benchmarks/target/benchmarks.jar MemoryBenchmark -f 1 -wi 1 -i 3
 * </pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC"})
public class MemoryBenchmark {
  private static final int TOKENS_PER_USER = 5;
  private static final int TOKENS_PER_CORP = 1_000;
  private static final long STABLE_BYTES = 64 * 1024;
  private static final long LEFTOVER_BYTES = 8 * 1024 * 1024;

  /** Everything that exists before auth-core holds any token. */
  @State(Scope.Benchmark)
  @SuppressWarnings("NullAway.Init") // JMH runs @Setup before any benchmark method
  public static class Inputs {
    /** How many tokens each shot stores and caches. */
    @Param({"100000"})
    public int tokens = 100_000;

    final InetAddress client = Fixtures.client();
    InMemoryUserDirectory users;
    String[] corps;
    String[] emails;
    long[] ids;
    byte[][] digests;
    String[] texts;

    /** The heap in use at the start of the first shot, or -1. */
    long firstEmpty = -1;

    @Setup(Level.Trial)
    public void setUp() {
      if (tokens < TOKENS_PER_CORP || tokens % TOKENS_PER_CORP != 0) {
        throw new IllegalArgumentException("tokens must be a multiple of " + TOKENS_PER_CORP);
      }
      SplittableRandom random = new SplittableRandom(19);
      MessageDigest sha256 = Fixtures.sha256();
      users = new InMemoryUserDirectory();
      corps = new String[tokens];
      emails = new String[tokens];
      ids = new long[tokens];
      digests = new byte[tokens][];
      texts = new String[tokens];
      for (int i = 0; i < tokens; i++) {
        corps[i] = i % TOKENS_PER_CORP == 0 ? "corp-" + (i / TOKENS_PER_CORP) : corps[i - 1];
        if (i % TOKENS_PER_USER == 0) {
          emails[i] = "user" + (i / TOKENS_PER_USER) + "@example.com";
          users.add(corps[i], emails[i], Role.USER);
        } else {
          emails[i] = emails[i - 1];
        }
        TokenId id = Fixtures.id(random);
        String secret = Fixtures.secret(random);
        ids[i] = id.asLong();
        digests[i] = sha256.digest(secret.getBytes(StandardCharsets.US_ASCII));
        texts[i] = Fixtures.tokenText(id, secret);
      }
    }
  }

  /**
   * The measured figures, bytes per token. JMH adds up {@code EVENTS} counters over the measurement
   * iterations, so each shot contributes its figures divided by their number: the result table
   * shows the mean. Warmup shots are not counted.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Bytes {
    public double storedTokenBytes;
    public double cachedEntryBytes;
    public double usageWrittenBytes;
    private int shots = 1;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
      shots = Math.max(1, params.getMeasurement().getCount());
    }

    void set(double stored, double cached, double written) {
      storedTokenBytes = stored / shots;
      cachedEntryBytes = cached / shots;
      usageWrittenBytes = written / shots;
    }
  }

  @Benchmark
  public void measure(Inputs in, Bytes out) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    Instant created = Fixtures.CREATED;

    long empty = usedAfterGc(memory);
    if (in.firstEmpty < 0) {
      in.firstEmpty = empty;
    } else if (empty - in.firstEmpty > LEFTOVER_BYTES) {
      throw new IllegalStateException(
          "the heap holds "
              + (empty - in.firstEmpty)
              + " bytes more than before the first shot: a previous shot's data is still"
              + " reachable, so this shot's figures would be wrong");
    }
    TokenStore store = new InMemoryTokenStore();
    for (int i = 0; i < in.tokens; i++) {
      TokenRecord record =
          TokenRecord.issued(
              TokenId.fromLong(in.ids[i]),
              in.corps[i],
              in.emails[i],
              "token-" + i,
              created.plusMillis(i),
              null,
              SecretHash.of(SecretHash.Algorithm.SHA256, null, in.digests[i]));
      if (store.insert(record, TOKENS_PER_USER) != TokenStore.InsertOutcome.INSERTED) {
        throw new IllegalStateException("fixture insert " + i + " failed");
      }
    }
    long stored = usedAfterGc(memory);

    long warm;
    long cached;
    long written;
    int cachedNow = 0;
    // The deployment, and through it the store, stays reachable until close() after the last
    // reading.
    try (AuthCore core =
        AuthCore.builder()
            .tokenPrefix(Fixtures.PREFIX)
            .users(in.users)
            .store(store)
            .maxCachedTokens(4L * in.tokens)
            .cacheBound(Duration.ofHours(1))
            .usageFlushInterval(Duration.ZERO)
            .build()) {
      TokenVerifier verifier = core.verifier();
      // One verification per corp first, so corp settings and the code's own state are in place.
      for (int i = 0; i < in.tokens; i += TOKENS_PER_CORP) {
        Fixtures.expectAuthenticated(
            verifier.verify(in.emails[i], in.texts[i], in.client), "stored token " + i);
      }
      warm = usedAfterGc(memory);
      for (int i = 0; i < in.tokens; i++) {
        if (i % TOKENS_PER_CORP != 0) {
          Fixtures.expectAuthenticated(
              verifier.verify(in.emails[i], in.texts[i], in.client), "stored token " + i);
          cachedNow++;
        }
      }
      cached = usedAfterGc(memory);
      core.flushUsage();
      written = usedAfterGc(memory);
    }

    double storedBytes = (double) (stored - empty) / in.tokens;
    double cachedBytes = (double) (cached - warm) / cachedNow;
    double writtenBytes = (double) (written - cached) / in.tokens;
    out.set(storedBytes, cachedBytes, writtenBytes);
    System.out.printf(
        Locale.ROOT,
        "%n%,d tokens: %.1f B per stored token, %.1f B per cached entry (with pending usage),"
            + " %+.1f B per token once usage is written%n",
        in.tokens,
        storedBytes,
        cachedBytes,
        writtenBytes);
  }

  /**
   * Heap in use after full collections, once two readings agree within 64 KiB. Waits first for the
   * common pool to go quiet (the cache runs its maintenance there, and a pending task can keep a
   * closed deployment's cache reachable), and pauses after each collection so that reference
   * processing (finalizers, cleaners) can run before the next one.
   */
  @SuppressWarnings("SystemGc") // a full collection is what this measurement needs
  static long usedAfterGc(MemoryMXBean memory) {
    if (!ForkJoinPool.commonPool().awaitQuiescence(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the common pool stayed busy for 10 s");
    }
    long previous = Long.MAX_VALUE;
    for (int attempt = 0; attempt < 10; attempt++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while measuring the heap", e);
      }
      long used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(used - previous) < STABLE_BYTES) {
        return used;
      }
      previous = used;
    }
    throw new IllegalStateException("heap use did not settle after 10 full collections");
  }
}
