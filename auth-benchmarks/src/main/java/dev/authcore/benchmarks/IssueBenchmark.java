package dev.authcore.benchmarks;

import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.TokenIssuer;
import dev.authcore.model.Role;
import dev.authcore.model.TokenId;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issuing a token ({@code TokenIssuer.issue(actor, name)}): user lookup, name check, corp settings,
 * a random id and secret from a {@link SecureRandom}, hashing the secret, and the store's atomic
 * limit-checked insert (in-memory store, default hashing, no audit listener).
 *
 * <ul>
 *   <li>{@code issue}: one issue by a user who holds 4 tokens (one below the limit of 5). The token
 *       is deleted after each call, outside the timing (a per-invocation teardown: JMH timestamps
 *       each call, which adds two clock reads to the score).
 *   <li>{@code issueAndDelete}: an issue and the delete that follows it, both timed: a steady-state
 *       issue rate with no per-invocation fixture.
 *   <li>{@code floorRandomAndHash}: the baseline, what issuing cannot avoid: drawing the id and
 *       secret's randomness (five {@code nextLong()} from a default {@code new SecureRandom()}, as
 *       auth-core does) and one SHA-256 of a 32-byte secret.
 * </ul>
 *
 * <p>No target is set for issuing; the ratio to the floor shows what the bookkeeping costs.
 * Command:
 *
 * <pre>
 * java -jar auth-benchmarks/target/benchmarks.jar IssueBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IssueBenchmark {

  /** A deployment with one user holding 4 tokens. */
  @State(Scope.Benchmark)
  @SuppressWarnings("NullAway.Init") // JMH runs @Setup before any benchmark method
  public static class Deployment {
    final String email = "ann@example.com";
    final InMemoryTokenStore store = new InMemoryTokenStore();
    AuthCore core;
    TokenIssuer issuer;

    @Setup(Level.Trial)
    public void setUp() {
      core =
          AuthCore.builder()
              .tokenPrefix(Fixtures.PREFIX)
              .users(new InMemoryUserDirectory().add(Fixtures.CORP, email, Role.USER))
              .store(store)
              .build();
      issuer = core.issuer();
      for (int i = 0; i < 4; i++) {
        issuer.issue(email, "kept-" + i);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      int held = store.listByOwner(Fixtures.CORP, email).size();
      core.close();
      if (held != 4) {
        throw new IllegalStateException("the user should hold 4 tokens again, holds " + held);
      }
    }
  }

  /** The token the last {@code issue} call made, deleted after the call. */
  @State(Scope.Thread)
  public static class LastIssued {
    @Nullable TokenId id;
    @Nullable Deployment deployment;

    @TearDown(Level.Invocation)
    public void delete() {
      if (id != null && deployment != null) {
        deployment.issuer.delete(deployment.email, id);
        id = null;
      }
    }
  }

  /** A default {@link SecureRandom}, a SHA-256 digest and buffers, per thread. */
  @State(Scope.Thread)
  public static class Floor {
    final SecureRandom random = new SecureRandom();
    final MessageDigest sha256 = Fixtures.sha256();
    final byte[] secret = new byte[32];
    final byte[] out = new byte[32];
  }

  @Benchmark
  public IssuedToken issue(Deployment d, LastIssued last) {
    IssuedToken token = d.issuer.issue(d.email, "bench");
    last.id = token.id();
    last.deployment = d;
    return token;
  }

  @Benchmark
  public IssuedToken issueAndDelete(Deployment d) {
    IssuedToken token = d.issuer.issue(d.email, "bench");
    d.issuer.delete(d.email, token.id());
    return token;
  }

  @Benchmark
  public byte[] floorRandomAndHash(Floor f) throws DigestException {
    long bits = 0;
    for (int i = 0; i < 5; i++) {
      bits ^= f.random.nextLong();
    }
    f.secret[0] = (byte) bits;
    f.sha256.update(f.secret, 0, 32);
    f.sha256.digest(f.out, 0, 32);
    return f.out;
  }
}
