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
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Whether an attacker timing single verifications in process can tell an unknown token id from a
 * known id presented with a wrong secret: the verifier promises that the two cost the same.
 *
 * <p>An average (JMH's {@code RejectionBenchmark}) can hide a small, steady difference under its
 * error bars; an attacker compares samples instead. So this probe takes interleaved samples: each
 * round verifies four presented tokens once each, in a random order, timing each call alone with
 * {@link System#nanoTime()}:
 *
 * <ul>
 *   <li>{@code unknownA}, {@code unknownB}: well-formed tokens whose ids are not stored (rejected
 *       {@code UNKNOWN}; the verifier remembers unknown ids, so this is the steady state of a probe
 *       that repeats an id);
 *   <li>{@code wrongA}, {@code wrongB}: the ids of two stored, cached tokens with wrong secrets
 *       (rejected {@code INVALID}).
 * </ul>
 *
 * <p>It reports, for pairs of kinds, P(x faster), the probability that a sample of x is shorter
 * than the sample of y taken in the same round (ties count half): 0.50 means an attacker comparing
 * samples learns nothing. The comparisons that matter are {@code unknownA} vs {@code wrongA} and
 * {@code unknownB} vs {@code wrongB}; the controls {@code wrongB} vs {@code wrongA} and {@code
 * unknownB} vs {@code unknownA} compare a kind with itself and show the noise of the machine (with
 * 200,000 samples the standard error of each figure is about 0.001). Every result is checked to be
 * the expected rejection, outside the timed region.
 *
 * <p>Not a JMH benchmark (JMH reports averages) and not part of the smoke run. Command (from the
 * repository root, after {@code mvn -B -DskipTests package}):
 *
 * <pre>
 * java -cp auth-benchmarks/target/benchmarks.jar dev.authcore.benchmarks.IdTimingProbe \
 *     [--samples 200000] [--warmup 200000] [--repeats 3] [--listener none|noop]
 * </pre>
 */
public final class IdTimingProbe {
  private static final String EMAIL = "ann@example.com";
  private static final String[] KINDS = {"unknownA", "unknownB", "wrongA", "wrongB"};

  private final TokenVerifier verifier;
  private final InetAddress client = Fixtures.client();
  private final String[] tokens = new String[KINDS.length];
  private final RejectionReason[] expected = {
    RejectionReason.UNKNOWN,
    RejectionReason.UNKNOWN,
    RejectionReason.INVALID,
    RejectionReason.INVALID
  };
  private final SplittableRandom random = new SplittableRandom(17);

  private IdTimingProbe(AuthCore core) {
    this.verifier = core.verifier();
    SplittableRandom fixture = new SplittableRandom(13);
    String a = core.issuer().issue(EMAIL, "a").revealPlaintext();
    String b = core.issuer().issue(EMAIL, "b").revealPlaintext();
    tokens[0] = Fixtures.tokenText(Fixtures.id(fixture), Fixtures.secret(fixture));
    tokens[1] = Fixtures.tokenText(Fixtures.id(fixture), Fixtures.secret(fixture));
    tokens[2] = Fixtures.withSecret(a, Fixtures.secret(fixture));
    tokens[3] = Fixtures.withSecret(b, Fixtures.secret(fixture));
    Fixtures.expectAuthenticated(verifier.verify(EMAIL, a, client), "token a");
    Fixtures.expectAuthenticated(verifier.verify(EMAIL, b, client), "token b");
  }

  /** Keeps the last event, so that building it cannot be optimised away. */
  static final class KeepLast implements AuditListener {
    @Nullable AuditEvent last;

    @Override
    public void onEvent(AuditEvent event) {
      last = event;
    }
  }

  public static void main(String[] args) {
    int samples = 200_000;
    int warmup = 200_000;
    int repeats = 3;
    String listener = "none";
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--samples" -> samples = Integer.parseInt(value);
        case "--warmup" -> warmup = Integer.parseInt(value);
        case "--repeats" -> repeats = Integer.parseInt(value);
        case "--listener" -> listener = value;
        default ->
            throw new IllegalArgumentException(
                "unknown argument "
                    + args[i]
                    + "; expected --samples, --warmup, --repeats, --listener");
      }
    }
    AuthCore.Builder builder =
        AuthCore.builder()
            .tokenPrefix(Fixtures.PREFIX)
            .users(new InMemoryUserDirectory().add(Fixtures.CORP, EMAIL, Role.USER))
            .store(new InMemoryTokenStore());
    switch (listener) {
      case "none" -> {}
      case "noop" -> builder.auditListener(new KeepLast());
      default -> throw new IllegalArgumentException("--listener must be none or noop: " + listener);
    }
    try (AuthCore core = builder.build()) {
      IdTimingProbe probe = new IdTimingProbe(core);
      System.out.printf(
          Locale.ROOT,
          "IdTimingProbe: %s, listener %s, %d warm-up rounds, %d samples per kind%n",
          System.getProperty("java.vm.version"),
          listener,
          warmup,
          samples);
      probe.run(warmup);
      for (int r = 1; r <= repeats; r++) {
        long[][] times = probe.run(samples);
        System.out.printf(
            Locale.ROOT,
            "repeat %d: P(unknownA faster than wrongA) = %.3f, P(unknownB faster than wrongB) = %.3f;"
                + " controls: P(wrongB faster than wrongA) = %.3f,"
                + " P(unknownB faster than unknownA) = %.3f; medians ns: %s%n",
            r,
            faster(times[0], times[2]),
            faster(times[1], times[3]),
            faster(times[3], times[2]),
            faster(times[1], times[0]),
            medians(times));
      }
    }
  }

  /** {@code rounds} rounds of the four verifications in a random order; times[kind][round]. */
  private long[][] run(int rounds) {
    long[][] times = new long[KINDS.length][rounds];
    int[] order = {0, 1, 2, 3};
    for (int round = 0; round < rounds; round++) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int swap = order[i];
        order[i] = order[j];
        order[j] = swap;
      }
      for (int kind : order) {
        String token = tokens[kind];
        long start = System.nanoTime();
        Verification v = verifier.verify(EMAIL, token, client);
        long end = System.nanoTime();
        times[kind][round] = end - start;
        if (!(v instanceof Verification.Rejected rejected) || rejected.reason() != expected[kind]) {
          throw new IllegalStateException(KINDS[kind] + " was not rejected " + expected[kind]);
        }
      }
    }
    return times;
  }

  /** P(x[i] < y[i]) over the rounds, ties counting half. */
  static double faster(long[] x, long[] y) {
    double wins = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] < y[i]) {
        wins += 1;
      } else if (x[i] == y[i]) {
        wins += 0.5;
      }
    }
    return wins / x.length;
  }

  private static String medians(long[][] times) {
    StringBuilder out = new StringBuilder();
    for (int kind = 0; kind < KINDS.length; kind++) {
      long[] sorted = times[kind].clone();
      Arrays.sort(sorted);
      out.append(kind == 0 ? "" : ", ").append(KINDS[kind]).append(' ');
      out.append(sorted[sorted.length / 2]);
    }
    return out.toString();
  }
}
