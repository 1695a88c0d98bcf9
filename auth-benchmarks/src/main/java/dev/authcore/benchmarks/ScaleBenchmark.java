package dev.authcore.benchmarks;

import dev.authcore.AuthCore;
import dev.authcore.TokenVerifier;
import dev.authcore.Verification;
import dev.authcore.model.Role;
import dev.authcore.model.TokenId;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.TokenStore;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The verification hit path as the number of stored tokens and of request threads grows: every call
 * verifies the next of all stored tokens in a shuffled order (so the CPU caches do not hold the one
 * token a single-token benchmark would reuse), each already cached by auth-core.
 *
 * <p>Workload: {@code storedTokens} tokens (1,000 or 1,000,000), 5 per user, 1,000 per corp, in the
 * in-memory store, default hashing, no audit listener, default usage writing (every 10 s, on
 * auth-core's own thread). {@code maxCachedTokens} is set above the token count and the cache bound
 * to its maximum (1 hour) so that every call is a hit, and the setup verifies every token once
 * (checking that it authenticates) before measuring. Records are inserted straight into the store
 * with precomputed SHA-256 hashes (see {@link Fixtures}), to keep setup to seconds.
 *
 * <p>{@code oneThread} and {@code twoThreads} run the same path on 1 and 2 threads (this machine
 * has 2 cores); each thread walks the tokens from its own starting point. Scores are throughput,
 * all threads together. {@code floorOneThread} is the baseline at the same scale: the same walk
 * doing only what any verification must (parse the id, find the stored hash in one {@link
 * ConcurrentHashMap} of all tokens, hash the secret, compare), so it shows how much of the cost of
 * a million tokens is the memory hierarchy rather than auth-core; {@code floorTwoThreads} shows how
 * far this machine scales that work on two threads. The floor does this work the way auth-core does
 * (the id decoded in place, the hashes compared as four {@code long}s), so it is the real minimum
 * rather than an overstated one.
 *
 * <p>Targets, in the same run: 1,000,000 tokens within 1.3 times the time per verification of 1,000
 * (that is, at least 1/1.3 of its throughput); two threads at least 1.7 times the throughput of
 * one. Command (4 GB heap per fork, set below):
 *
 * <pre>
 * java -jar auth-benchmarks/target/benchmarks.jar ScaleBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class ScaleBenchmark {
  private static final int TOKENS_PER_USER = 5;
  private static final int TOKENS_PER_CORP = 1_000;

  /** The stored tokens, all cached, and what requests present. */
  @State(Scope.Benchmark)
  @SuppressWarnings("NullAway.Init") // JMH runs @Setup before any benchmark method
  public static class Deployment {
    /** How many tokens the store holds, all of them cached. */
    @Param({"1000", "1000000"})
    public int storedTokens = 1000;

    final InetAddress client = Fixtures.client();
    AuthCore core;
    ConcurrentHashMap<TokenId, byte[]> floorHashes;
    TokenVerifier verifier;
    String[] emails;
    String[] tokens;

    @Setup(Level.Trial)
    public void setUp() {
      if (storedTokens < TOKENS_PER_USER || storedTokens % TOKENS_PER_USER != 0) {
        throw new IllegalArgumentException(
            "storedTokens must be a positive multiple of " + TOKENS_PER_USER);
      }
      SplittableRandom random = new SplittableRandom(17);
      InMemoryUserDirectory users = new InMemoryUserDirectory();
      TokenStore store = new InMemoryTokenStore();
      emails = new String[storedTokens];
      tokens = new String[storedTokens];
      floorHashes = new ConcurrentHashMap<>(2 * storedTokens);
      String email = "";
      String corp = "";
      for (int i = 0; i < storedTokens; i++) {
        if (i % TOKENS_PER_CORP == 0) {
          corp = "corp-" + (i / TOKENS_PER_CORP);
        }
        if (i % TOKENS_PER_USER == 0) {
          email = "user" + (i / TOKENS_PER_USER) + "@example.com";
          users.add(corp, email, Role.USER);
        }
        TokenId id = Fixtures.id(random);
        String secret = Fixtures.secret(random);
        SecretHash hash = Fixtures.sha256Hash(secret);
        floorHashes.put(id, hash.toByteArray());
        TokenStore.InsertOutcome outcome =
            store.insert(Fixtures.record(id, corp, email, "token-" + i, hash), TOKENS_PER_USER);
        if (outcome != TokenStore.InsertOutcome.INSERTED) {
          throw new IllegalStateException("fixture insert " + i + " gave " + outcome);
        }
        emails[i] = email;
        tokens[i] = Fixtures.tokenText(id, secret);
      }
      shuffle(random);
      core =
          AuthCore.builder()
              .tokenPrefix(Fixtures.PREFIX)
              .users(users)
              .store(store)
              .maxCachedTokens(2L * storedTokens)
              .cacheBound(Duration.ofHours(1))
              .build();
      verifier = core.verifier();
      for (int i = 0; i < storedTokens; i++) {
        Fixtures.expectAuthenticated(
            verifier.verify(emails[i], tokens[i], client), "stored token " + i);
      }
    }

    private void shuffle(SplittableRandom random) {
      for (int i = storedTokens - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        String e = emails[i];
        emails[i] = emails[j];
        emails[j] = e;
        String t = tokens[i];
        tokens[i] = tokens[j];
        tokens[j] = t;
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      core.close();
    }
  }

  /** Where one thread is in the walk over the tokens, and its buffers for the floor. */
  @State(Scope.Thread)
  public static class Cursor {
    final MessageDigest sha256 = Fixtures.sha256();
    final byte[] secret = new byte[Fixtures.SECRET_LENGTH];
    final byte[] digest = new byte[32];
    int next;

    @Setup(Level.Trial)
    public void setUp(Deployment d, ThreadParams thread) throws DigestException {
      // The floor must accept every stored token, or it measures a shortcut (a failed lookup).
      for (int i = 0; i < d.storedTokens; i++) {
        if (!floor(d, this)) {
          throw new IllegalStateException(
              "the floor rejects stored token " + i + "; its id or hash lookup is wrong");
        }
      }
      next = (int) ((long) d.storedTokens * thread.getThreadIndex() / thread.getThreadCount());
    }
  }

  private static Verification verifyNext(Deployment d, Cursor c) {
    int i = c.next;
    c.next = i + 1 == d.storedTokens ? 0 : i + 1;
    return d.verifier.verify(d.emails[i], d.tokens[i], d.client);
  }

  /**
   * The floor: what any verification of the next token must do, with nothing else, done the
   * cheapest way auth-core itself uses. Decode the id in place from the token text (no substring),
   * find its stored hash in a {@link ConcurrentHashMap} of all tokens, hash the presented secret
   * (SHA-256) and compare in constant time eight bytes at a time.
   */
  @Benchmark
  @Threads(1)
  public boolean floorOneThread(Deployment d, Cursor c) throws DigestException {
    return floor(d, c);
  }

  /** The floor on two threads: how far this machine itself scales the unavoidable work. */
  @Benchmark
  @Threads(2)
  public boolean floorTwoThreads(Deployment d, Cursor c) throws DigestException {
    return floor(d, c);
  }

  private static boolean floor(Deployment d, Cursor c) throws DigestException {
    int i = c.next;
    c.next = i + 1 == d.storedTokens ? 0 : i + 1;
    String token = d.tokens[i];
    // The id read in place, as auth-core's format check does: no substring.
    TokenId id = TokenId.tryParse(token, Fixtures.ID_START);
    byte[] stored = id == null ? null : d.floorHashes.get(id);
    int from = token.length() - Fixtures.SECRET_LENGTH - Fixtures.CHECKSUM_WIDTH;
    for (int k = 0; k < Fixtures.SECRET_LENGTH; k++) {
      c.secret[k] = (byte) token.charAt(from + k);
    }
    c.sha256.update(c.secret, 0, Fixtures.SECRET_LENGTH);
    c.sha256.digest(c.digest, 0, 32);
    return stored != null && equalHashes(c.digest, stored);
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /**
   * Constant-time equality of two 32-byte hashes, eight bytes at a time: the comparison auth-core
   * makes (a byte loop such as {@link MessageDigest#isEqual} costs about 20 ns more).
   */
  private static boolean equalHashes(byte[] a, byte[] b) {
    long difference =
        ((long) LONGS.get(a, 0) ^ (long) LONGS.get(b, 0))
            | ((long) LONGS.get(a, 8) ^ (long) LONGS.get(b, 8))
            | ((long) LONGS.get(a, 16) ^ (long) LONGS.get(b, 16))
            | ((long) LONGS.get(a, 24) ^ (long) LONGS.get(b, 24));
    return difference == 0;
  }

  @Benchmark
  @Threads(1)
  public Verification oneThread(Deployment d, Cursor c) {
    return verifyNext(d, c);
  }

  @Benchmark
  @Threads(2)
  public Verification twoThreads(Deployment d, Cursor c) {
    return verifyNext(d, c);
  }
}
