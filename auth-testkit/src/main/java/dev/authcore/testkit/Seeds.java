package dev.authcore.testkit;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Seeds for generated tests, so any failure can be replayed.
 *
 * <p>{@link #seed(String)} reads the seed from the system property {@value #PROPERTY} when it is
 * set ({@code mvn test -Dauthcore.seed=42}), and otherwise draws a fresh one; either way it prints
 * the seed and the flag that replays it. Put {@link #replayHint(long)} in assertion messages too.
 *
 * <pre>{@code
 * long seed = Seeds.seed("token names");
 * RandomGenerator random = Seeds.random(seed);
 * }</pre>
 *
 * <p>{@link #random(long)} returns a {@link SplittableRandom}, whose algorithm is specified by the
 * JDK, so a seed gives the same values on every run and JDK version. Stateless and thread-safe; the
 * generators it returns are not thread-safe.
 */
public final class Seeds {
  /** The system property that fixes the seed: {@value}. */
  public static final String PROPERTY = "authcore.seed";

  private static final SecureRandom FRESH = new SecureRandom();

  private Seeds() {}

  /**
   * The seed for {@code purpose}: the value of {@value #PROPERTY} if set, else a fresh random one.
   * Prints it to standard output with the flag that replays it.
   *
   * @param purpose what the seed drives, for the printed line (e.g. the test's name)
   * @throws IllegalArgumentException if {@value #PROPERTY} is set but not a decimal or {@code 0x}
   *     hexadecimal {@code long}
   */
  public static long seed(String purpose) {
    return seed(purpose, System.getProperty(PROPERTY), System.out);
  }

  /**
   * The seed for {@code purpose}: {@code configured} parsed if not {@code null}, else a fresh
   * random one. Prints it to {@code out} with the flag that replays it. {@link #seed(String)} calls
   * this with the system property and standard output.
   *
   * @throws IllegalArgumentException if {@code configured} is not a decimal or {@code 0x}
   *     hexadecimal {@code long}
   */
  public static long seed(String purpose, @Nullable String configured, PrintStream out) {
    long seed;
    String origin;
    if (configured != null && !configured.isBlank()) {
      seed = parse(configured.strip());
      origin = "from -D" + PROPERTY;
    } else {
      seed = FRESH.nextLong();
      origin = "fresh";
    }
    out.println(
        "[auth-testkit] seed for "
            + purpose
            + ": "
            + seed
            + " ("
            + origin
            + "); "
            + replayHint(seed));
    return seed;
  }

  /** A generator for {@code seed}: the same seed gives the same values on every JDK. */
  public static RandomGenerator random(long seed) {
    return new SplittableRandom(seed);
  }

  /** {@code "replay with -Dauthcore.seed=<seed>"}, for assertion messages. */
  public static String replayHint(long seed) {
    return "replay with -D" + PROPERTY + "=" + seed;
  }

  private static long parse(String text) {
    try {
      if (text.startsWith("0x") || text.startsWith("0X")) {
        return Long.parseUnsignedLong(text.substring(2), 16);
      }
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "system property "
              + PROPERTY
              + " must be a decimal or 0x-hexadecimal long, got '"
              + text
              + "'",
          e);
    }
  }
}
