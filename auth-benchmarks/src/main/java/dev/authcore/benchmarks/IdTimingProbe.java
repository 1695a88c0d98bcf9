package dev.authcore.benchmarks;

import dev.authcore.AuditEvent;
import dev.authcore.AuditListener;
import dev.authcore.AuthCore;
import dev.authcore.RejectionReason;
import dev.authcore.TokenVerifier;
import dev.authcore.Verification;
import dev.authcore.model.Role;
import dev.authcore.model.TokenId;
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
 *   <li>{@code wrongA}, {@code wrongB}: the ids of stored, cached tokens with wrong secrets
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
 * <p><b>Ids.</b> The ids are drawn from {@code --seed}, so a run can be repeated. With {@code --ids
 * 1} (the default) each kind is one token, and a figure far from 0.50 can come from one id alone:
 * where a hash table puts an id (sharing a bucket with another entry) costs a few nanoseconds
 * whether the id exists or not, and then the control that includes that id is as far from 0.50.
 * With {@code --ids N} each kind draws one of N tokens per round, which spreads that effect over
 * both kinds as an attacker probing many ids meets it.
 *
 * <p>Not a JMH benchmark (JMH reports averages) and not part of the smoke run. Command (from the
 * repository root, after {@code mvn -B -DskipTests package}):
 *
 * <pre>
 * java -cp auth-benchmarks/target/benchmarks.jar dev.authcore.benchmarks.IdTimingProbe \
 *     [--samples 200000] [--warmup 200000] [--repeats 3] [--listener none|noop] \
 *     [--seed 13] [--ids 1]
 * </pre>
 */
public final class IdTimingProbe {
  private static final String[] KINDS = {"unknownA", "unknownB", "wrongA", "wrongB"};

  private final TokenVerifier verifier;
  private final InetAddress client = Fixtures.client();

  /** The presented tokens by kind, and the user each names. */
  private final String[][] tokens;

  private final String[][] emails;
  private final RejectionReason[] expected = {
    RejectionReason.UNKNOWN,
    RejectionReason.UNKNOWN,
    RejectionReason.INVALID,
    RejectionReason.INVALID
  };
  private final SplittableRandom random = new SplittableRandom(17);

  private IdTimingProbe(
      AuthCore core, InMemoryTokenStore store, InMemoryUserDirectory users, long seed, int ids) {
    this.verifier = core.verifier();
    this.tokens = new String[KINDS.length][ids];
    this.emails = new String[KINDS.length][ids];
    SplittableRandom fixture = new SplittableRandom(seed);
    for (int i = 0; i < ids; i++) {
      // One user per index, holding that index's two stored tokens, and named by all four kinds.
      String email = "user" + i + "@example.com";
      users.add(Fixtures.CORP, email, Role.USER);
      for (int kind = 0; kind < KINDS.length; kind++) {
        emails[kind][i] = email;
      }
      tokens[0][i] = Fixtures.tokenText(Fixtures.id(fixture), Fixtures.secret(fixture));
      tokens[1][i] = Fixtures.tokenText(Fixtures.id(fixture), Fixtures.secret(fixture));
      String a = stored(store, email, "a", fixture);
      String b = stored(store, email, "b", fixture);
      tokens[2][i] = Fixtures.withSecret(a, Fixtures.secret(fixture));
      tokens[3][i] = Fixtures.withSecret(b, Fixtures.secret(fixture));
      Fixtures.expectAuthenticated(verifier.verify(email, a, client), "token a " + i);
      Fixtures.expectAuthenticated(verifier.verify(email, b, client), "token b " + i);
    }
  }

  /** Stores a token of {@code email} with a random id and secret, as issued; returns its text. */
  private static String stored(
      InMemoryTokenStore store, String email, String name, SplittableRandom fixture) {
    TokenId id = Fixtures.id(fixture);
    String secret = Fixtures.secret(fixture);
    store.insert(Fixtures.record(id, Fixtures.CORP, email, name, Fixtures.sha256Hash(secret)), 5);
    return Fixtures.tokenText(id, secret);
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
    long seed = 13;
    int ids = 1;
    for (int i = 0; i < args.length; i += 2) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--samples" -> samples = Integer.parseInt(value);
        case "--warmup" -> warmup = Integer.parseInt(value);
        case "--repeats" -> repeats = Integer.parseInt(value);
        case "--listener" -> listener = value;
        case "--seed" -> seed = Long.parseLong(value);
        case "--ids" -> ids = Integer.parseInt(value);
        default ->
            throw new IllegalArgumentException(
                "unknown argument "
                    + args[i]
                    + "; expected --samples, --warmup, --repeats, --listener, --seed, --ids");
      }
    }
    if (ids < 1) {
      throw new IllegalArgumentException("--ids must be at least 1: " + ids);
    }
    InMemoryTokenStore store = new InMemoryTokenStore();
    InMemoryUserDirectory users = new InMemoryUserDirectory();
    AuthCore.Builder builder =
        AuthCore.builder().tokenPrefix(Fixtures.PREFIX).users(users).store(store);
    switch (listener) {
      case "none" -> {}
      case "noop" -> builder.auditListener(new KeepLast());
      default -> throw new IllegalArgumentException("--listener must be none or noop: " + listener);
    }
    try (AuthCore core = builder.build()) {
      IdTimingProbe probe = new IdTimingProbe(core, store, users, seed, ids);
      System.out.printf(
          Locale.ROOT,
          "IdTimingProbe: %s, listener %s, seed %d, %d ids per kind, %d warm-up rounds,"
              + " %d samples per kind%n",
          System.getProperty("java.vm.version"),
          listener,
          seed,
          ids,
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
    int ids = tokens[0].length;
    for (int round = 0; round < rounds; round++) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int swap = order[i];
        order[i] = order[j];
        order[j] = swap;
      }
      for (int kind : order) {
        int pick = ids == 1 ? 0 : random.nextInt(ids);
        String token = tokens[kind][pick];
        String email = emails[kind][pick];
        long start = System.nanoTime();
        Verification v = verifier.verify(email, token, client);
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
