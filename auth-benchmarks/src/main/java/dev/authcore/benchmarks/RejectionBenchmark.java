package dev.authcore.benchmarks;

import dev.authcore.AuditEvent;
import dev.authcore.AuditListener;
import dev.authcore.AuthCore;
import dev.authcore.RejectionReason;
import dev.authcore.TokenVerifier;
import dev.authcore.Verification;
import dev.authcore.model.Role;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import java.net.InetAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What each kind of presented token costs to verify, to show that a malformed token is cheap and
 * that an attacker cannot time the difference between an unknown id, a wrong secret and the right
 * one.
 *
 * <ul>
 *   <li>{@code malformed}: the issued token with its last checksum character changed (right length,
 *       prefix and alphabet; checksum wrong). Rejected {@code MALFORMED} with no store call
 *       (checked: the trial fails if the store was asked) and no hashing.
 *   <li>{@code unknownId}: a well-formed token whose id is not stored. Rejected {@code UNKNOWN}
 *       after hashing against a decoy; auth-core remembers unknown ids briefly (5 s by default), so
 *       this is the steady state of a flood of the same unknown token, with about one store call
 *       per 5 seconds.
 *   <li>{@code wrongSecret}: the stored id with another secret (checksum recomputed). Rejected
 *       {@code INVALID}.
 *   <li>{@code rightSecret}: the issued token, cached. Authenticated. The baseline of the others.
 * </ul>
 *
 * <p>{@code listener}: {@code none}, or {@code noop}, one audit listener that only keeps a
 * reference to the last event (so the event must really be built). Rejections publish an event;
 * successes from a known address do not.
 *
 * <p>Targets, in the same run: {@code malformed} under 50 ns; {@code unknownId} within 10% of
 * {@code rightSecret}. Command:
 *
 * <pre>
 * java -jar auth-benchmarks/target/benchmarks.jar RejectionBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RejectionBenchmark {

  /** Keeps the last event, so building it cannot be optimised away, and counts events. */
  static final class KeepLast implements AuditListener {
    @Nullable AuditEvent last;
    long events;

    @Override
    public void onEvent(AuditEvent event) {
      last = event;
      events++;
    }
  }

  /** One deployment, one issued and cached token, and the four kinds of presented token. */
  @State(Scope.Benchmark)
  @SuppressWarnings("NullAway.Init") // JMH runs @Setup before any benchmark method
  public static class Requests {
    /** Audit listeners: {@code none} or {@code noop} (one that keeps the last event). */
    @Param({"none", "noop"})
    public String listener = "none";

    final String email = "ann@example.com";
    final InetAddress client = Fixtures.client();
    final KeepLast events = new KeepLast();
    CountingTokenStore store;
    AuthCore core;
    TokenVerifier verifier;
    String right;
    String wrong;
    String unknown;
    String malformed;
    String benchmark;
    long findsAfterSetup;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
      benchmark = params.getBenchmark();
      store = new CountingTokenStore(new InMemoryTokenStore());
      AuthCore.Builder builder =
          AuthCore.builder()
              .tokenPrefix(Fixtures.PREFIX)
              .users(new InMemoryUserDirectory().add(Fixtures.CORP, email, Role.USER))
              .store(store);
      switch (listener) {
        case "none" -> {}
        case "noop" -> builder.auditListener(events);
        default -> throw new IllegalArgumentException("listener must be none or noop: " + listener);
      }
      core = builder.build();
      verifier = core.verifier();
      SplittableRandom random = new SplittableRandom(13);
      right = core.issuer().issue(email, "gateway").revealPlaintext();
      wrong = Fixtures.withSecret(right, Fixtures.secret(random));
      unknown = Fixtures.tokenText(Fixtures.id(random), Fixtures.secret(random));
      malformed = Fixtures.withBadChecksum(right);
      Fixtures.expectAuthenticated(verifier.verify(email, right, client), "the right secret");
      Fixtures.expectRejected(
          verifier.verify(email, wrong, client), RejectionReason.INVALID, "a wrong secret");
      Fixtures.expectRejected(
          verifier.verify(email, unknown, client), RejectionReason.UNKNOWN, "an unknown id");
      Fixtures.expectRejected(
          verifier.verify(email, malformed, client), RejectionReason.MALFORMED, "a bad checksum");
      findsAfterSetup = store.finds();
    }

    @TearDown(Level.Trial)
    public void check() {
      core.close();
      long finds = store.finds() - findsAfterSetup;
      if (benchmark.endsWith(".malformed") && finds != 0) {
        throw new IllegalStateException("a malformed token reached the store " + finds + " times");
      }
      if (listener.equals("noop") && !benchmark.endsWith(".rightSecret") && events.events == 0) {
        throw new IllegalStateException("rejections published no audit event");
      }
    }
  }

  @Benchmark
  public Verification malformed(Requests r) {
    return r.verifier.verify(r.email, r.malformed, r.client);
  }

  @Benchmark
  public Verification unknownId(Requests r) {
    return r.verifier.verify(r.email, r.unknown, r.client);
  }

  @Benchmark
  public Verification wrongSecret(Requests r) {
    return r.verifier.verify(r.email, r.wrong, r.client);
  }

  @Benchmark
  public Verification rightSecret(Requests r) {
    return r.verifier.verify(r.email, r.right, r.client);
  }
}
