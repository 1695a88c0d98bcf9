package dev.authcore.testkit;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * Seeds for generated tests, so any failure can be replayed.
 *
 * <p>Two kinds of test, one system property, {@value #PROPERTY}:
 *
 * <ul>
 *   <li>{@link #seed(String)}: a fresh seed on every run unless the property fixes it, for tests
 *       that explore ({@code mvn test -Dauthcore.seed=42} replays one run).
 *   <li>{@link #seed(String, long)}: the test's own fixed seed unless the property overrides it,
 *       for tests whose inputs must be the same in every build; {@code -Dauthcore.seed=random}
 *       explores with a fresh one.
 * </ul>
 *
 * <p>Either way the seed is printed with the flag that replays it; put {@link #replayHint(long)} in
 * assertion messages too.
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
@NullMarked
public final class Seeds {
  /** The system property that fixes the seed: {@value}. */
  public static final String PROPERTY = "authcore.seed";

  /** The value of {@value #PROPERTY} that asks for a fresh seed: {@value}. */
  public static final String RANDOM = "random";

  private static final SecureRandom FRESH = new SecureRandom();

  private Seeds() {}

  /**
   * The seed for {@code purpose}: the value of {@value #PROPERTY} if set, else a fresh random one.
   * Prints it to standard output with the flag that replays it.
   *
   * @param purpose what the seed drives, for the printed line (e.g. the test's name)
   * @throws IllegalArgumentException if {@value #PROPERTY} is set but neither a decimal or {@code
   *     0x} hexadecimal {@code long} nor {@value #RANDOM}
   */
  public static long seed(String purpose) {
    return seed(purpose, System.getProperty(PROPERTY), System.out);
  }

  /**
   * The seed for {@code purpose}: the value of {@value #PROPERTY} if set, else {@code defaultSeed},
   * so the test sees the same inputs in every build. Prints it to standard output with the flag
   * that replays it.
   *
   * @param purpose what the seed drives, for the printed line (e.g. the test's name)
   * @param defaultSeed the seed when the property is not set
   * @throws IllegalArgumentException if {@value #PROPERTY} is set but neither a decimal or {@code
   *     0x} hexadecimal {@code long} nor {@value #RANDOM}
   */
  public static long seed(String purpose, long defaultSeed) {
    return seed(purpose, System.getProperty(PROPERTY), defaultSeed, System.out);
  }

  /**
   * The seed for {@code purpose}: {@code configured} parsed if not {@code null} (or blank), else a
   * fresh random one. Prints it to {@code out} with the flag that replays it. {@link #seed(String)}
   * calls this with the system property and standard output.
   *
   * @throws IllegalArgumentException if {@code configured} is neither a decimal or {@code 0x}
   *     hexadecimal {@code long} nor {@value #RANDOM}
   */
  public static long seed(String purpose, @Nullable String configured, PrintStream out) {
    return choose(purpose, configured, null, out);
  }

  /** {@link #seed(String, long)} with the property's value and the output given. */
  static long seed(String purpose, @Nullable String configured, long defaultSeed, PrintStream out) {
    return choose(purpose, configured, defaultSeed, out);
  }

  /** A generator for {@code seed}: the same seed gives the same values on every JDK. */
  public static RandomGenerator random(long seed) {
    return new SplittableRandom(seed);
  }

  /** {@code "replay with -Dauthcore.seed=<seed>"}, for assertion messages. */
  public static String replayHint(long seed) {
    return "replay with -D" + PROPERTY + "=" + seed;
  }

  private static long choose(
      String purpose, @Nullable String configured, @Nullable Long defaultSeed, PrintStream out) {
    long seed;
    String origin;
    String text = configured == null ? "" : configured.strip();
    if (text.equals(RANDOM)) {
      seed = FRESH.nextLong();
      origin = "fresh, as -D" + PROPERTY + "=" + RANDOM + " asks";
    } else if (!text.isEmpty()) {
      seed = parse(text);
      origin = "from -D" + PROPERTY;
    } else if (defaultSeed != null) {
      seed = defaultSeed;
      origin = "the test's default";
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
              + " must be a decimal or 0x-hexadecimal long, or '"
              + RANDOM
              + "', got '"
              + text
              + "'",
          e);
    }
  }
}
