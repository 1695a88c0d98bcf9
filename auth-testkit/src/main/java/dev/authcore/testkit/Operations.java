package dev.authcore.testkit;

import static com.google.common.base.Preconditions.checkArgument;

import dev.authcore.model.UserAccount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Seeded sequences of {@link Operation}s by a set of users, for stateful (model-based) tests: run
 * each operation against auth-core and against a simple model of SPEC, and compare.
 *
 * <p>The mix favours verifications and issues, and draws values near the rules' edges: token names
 * from a small pool in varying case (so names collide, ignoring case), expiry presets and the
 * limits 1 and 3,650 days and just beyond, days of inactivity at 7 and 365 and just beyond,
 * rotation grace periods of 0 to 10,080 minutes and just beyond, requests with a token's previous
 * secrets, clock steps from a minute to 100 days, actors of every role on owner operations, users
 * claiming other users' tokens, leak reports mixing issued tokens (deleted ones too), wrong secrets
 * and made-up tokens, expiry-notice sweeps (some by a restarted deployment), and IP allow lists (a
 * token's own, the corp's, the corp's staged and enforced, or none) with requests from a few client
 * addresses, so that lists often refuse them.
 *
 * <p>Allow lists are drawn from {@link #ALLOW_ENTRIES} and clients from {@link #CLIENTS}. The
 * entries are nested or disjoint, and each holds a client address that no entry inside it holds: so
 * whether one list lies within, partly outside or wholly outside another can be told from which of
 * the clients each allows. Stateless and thread-safe.
 */
public final class Operations {
  private static final String[] NAMES = {"ci", "CI", "deploy", "Deploy", "laptop", "backup", "x"};
  private static final int[] DAYS = {1, 29, 30, 31, 59, 60, 61, 90, 180, 365, 3650, 0, 3651};

  /** Days of inactivity: the limits 7 and 365, just beyond either, and a few between. */
  private static final int[] INACTIVE_DAYS = {7, 7, 8, 10, 30, 60, 90, 365, 6, 366};

  /** Rotation grace periods in minutes: none, short, the limit, and just beyond either end. */
  private static final int[] GRACE_MINUTES = {0, 0, 1, 30, 60, 600, 10080, -1, 10081};

  /**
   * The entries allow lists are made of: {@code 10.0.0.0/8} holds {@code 10.1.0.0/16} and the
   * client {@code 10.0.0.1}; the others are disjoint, each holding one client.
   */
  public static final List<String> ALLOW_ENTRIES =
      List.of("10.0.0.0/8", "10.1.0.0/16", "192.0.2.0-192.0.2.9", "2001:db8::/32", "127.0.0.1");

  /** The client addresses requests come from, each allowed by some of {@link #ALLOW_ENTRIES}. */
  public static final List<String> CLIENTS =
      List.of("10.0.0.1", "10.1.2.3", "192.0.2.7", "2001:db8::1", "127.0.0.1");

  private Operations() {}

  /**
   * {@code length} operations by {@code users}.
   *
   * @param users the acting users, of one or more corps; at least one
   * @throws IllegalArgumentException if {@code users} is empty or {@code length} negative
   */
  public static List<Operation> sequence(
      RandomGenerator random, List<UserAccount> users, int length) {
    checkArgument(!users.isEmpty(), "at least one user is needed");
    checkArgument(length >= 0, "length must not be negative, got %s", length);
    List<Operation> out = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      out.add(next(random, users));
    }
    return List.copyOf(out);
  }

  /** One operation by one of {@code users}. */
  public static Operation next(RandomGenerator random, List<UserAccount> users) {
    UserAccount actor = users.get(random.nextInt(users.size()));
    int roll = random.nextInt(100);
    if (roll < 24) {
      String name = NAMES[random.nextInt(NAMES.length)];
      return new Operation.Issue(actor.email(), name, random.nextInt(4) == 0 ? days(random) : null);
    }
    if (roll < 43) {
      @Nullable String claimed =
          random.nextInt(8) == 0 ? users.get(random.nextInt(users.size())).email() : null;
      return new Operation.Verify(
          random.nextInt(Integer.MAX_VALUE), claimed, CLIENTS.get(random.nextInt(CLIENTS.size())));
    }
    if (roll < 47) {
      return new Operation.VerifyPrevious(
          random.nextInt(Integer.MAX_VALUE), random.nextInt(4) == 0 ? 2 : 1);
    }
    if (roll < 50) {
      return new Operation.ReportLeak(
          picks(random, random.nextInt(3)),
          picks(random, random.nextInt(2)),
          random.nextInt(3),
          random.nextLong());
    }
    if (roll < 53) {
      return new Operation.Delete(actor.email(), random.nextInt(Integer.MAX_VALUE));
    }
    if (roll < 57) {
      return new Operation.Rotate(
          actor.email(),
          random.nextInt(Integer.MAX_VALUE),
          GRACE_MINUTES[random.nextInt(GRACE_MINUTES.length)]);
    }
    if (roll < 61) {
      return new Operation.SetExpiry(actor.email(), random.nextInt(4) == 0 ? null : days(random));
    }
    if (roll < 64) {
      return new Operation.SetInactivity(
          actor.email(),
          random.nextInt(4) == 0 ? null : INACTIVE_DAYS[random.nextInt(INACTIVE_DAYS.length)]);
    }
    if (roll < 68) {
      return new Operation.SetRestricted(actor.email(), random.nextBoolean());
    }
    if (roll < 76) {
      UserAccount user = users.get(random.nextInt(users.size()));
      boolean allowed = random.nextInt(3) != 0;
      // A third of the grants end by themselves, some soon, some after the usual clock steps.
      @Nullable Duration endsAfter = allowed && random.nextInt(3) == 0 ? step(random) : null;
      return new Operation.SetPermission(actor.email(), user.email(), allowed, endsAfter);
    }
    if (roll < 82) {
      return new Operation.AdvanceClock(step(random));
    }
    if (roll < 86) {
      return new Operation.SweepNotices(random.nextInt(4) == 0);
    }
    if (roll < 91) {
      return new Operation.SetTokenAllowList(
          actor.email(), random.nextInt(Integer.MAX_VALUE), allowList(random, 5));
    }
    if (roll < 94) {
      // Lists in force more often than none, but none often enough that requests pass again.
      return new Operation.SetCorpAllowList(actor.email(), allowList(random, 3));
    }
    if (roll < 98) {
      // One entry, the first half the time, so that the same list is often staged again (keeping
      // its counts).
      return new Operation.StageAllowList(
          actor.email(),
          random.nextInt(4) == 0
              ? List.of()
              : List.of(
                  ALLOW_ENTRIES.get(
                      random.nextBoolean() ? 0 : random.nextInt(ALLOW_ENTRIES.size()))));
    }
    return new Operation.EnforceStaged(actor.email());
  }

  /**
   * One or two distinct entries of {@link #ALLOW_ENTRIES}, in any order, or none once in {@code
   * noneOneIn} draws.
   */
  private static List<String> allowList(RandomGenerator random, int noneOneIn) {
    if (random.nextInt(noneOneIn) == 0) {
      return List.of();
    }
    List<String> entries = new ArrayList<>(2);
    entries.add(ALLOW_ENTRIES.get(random.nextInt(ALLOW_ENTRIES.size())));
    String second = ALLOW_ENTRIES.get(random.nextInt(ALLOW_ENTRIES.size()));
    if (random.nextBoolean() && !entries.contains(second)) {
      entries.add(second);
    }
    return List.copyOf(entries);
  }

  private static List<Integer> picks(RandomGenerator random, int count) {
    List<Integer> picks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      picks.add(random.nextInt(Integer.MAX_VALUE));
    }
    return picks;
  }

  private static int days(RandomGenerator random) {
    return random.nextInt(3) == 0 ? 1 + random.nextInt(400) : DAYS[random.nextInt(DAYS.length)];
  }

  private static Duration step(RandomGenerator random) {
    return switch (random.nextInt(4)) {
      case 0 -> Duration.ofMinutes(1 + random.nextInt(600));
      case 1 -> Duration.ofDays(1 + random.nextInt(5));
      case 2 -> Duration.ofDays(25 + random.nextInt(10));
      default -> Duration.ofDays(1 + random.nextInt(100));
    };
  }
}
