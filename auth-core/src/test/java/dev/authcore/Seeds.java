package dev.authcore;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * Seeds for property tests: fixed by default so a build is reproducible, overridable with {@code
 * -Dauthcore.seed=<long>} to replay a reported failure, or {@code -Dauthcore.seed=random} to
 * explore new inputs. Every use prints the seed and how to replay it.
 */
public final class Seeds {
  /** The system property that overrides every property test's seed. */
  public static final String PROPERTY = "authcore.seed";

  private Seeds() {}

  /**
   * The seed for one property test: {@code defaultSeed} unless the system property overrides it.
   * Prints it, naming the test, so a failure can be replayed.
   */
  public static long seed(String test, long defaultSeed) {
    String override = System.getProperty(PROPERTY);
    long seed;
    if (override == null || override.isBlank()) {
      seed = defaultSeed;
    } else if (override.equals("random")) {
      seed = new SplittableRandom().nextLong();
    } else {
      seed = Long.parseLong(override.trim());
    }
    System.out.println(test + ": seed " + seed + " (replay with -D" + PROPERTY + "=" + seed + ")");
    return seed;
  }

  /**
   * A {@link Random} for {@code test}: its algorithm is fixed by the Java SE specification, so a
   * seed replays the same values on every JDK.
   */
  public static Random random(String test, long defaultSeed) {
    return new Random(seed(test, defaultSeed));
  }
}
