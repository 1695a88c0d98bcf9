package dev.authcore.testkit;

import static com.google.common.base.Preconditions.checkArgument;

import dev.authcore.model.TokenId;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.zip.CRC32;

/**
 * Seeded token texts in auth-core's format, {@code <prefix>_<id><secret><checksum>}: well-formed
 * ones, and ones malformed in exactly one subtle way ({@link Flaw}).
 *
 * <p>This class writes the format from SPEC independently of auth-core (base62 digits {@code
 * 0-9A-Za-z}; an 11-character id, the {@link TokenId}'s 64 bits; a 32-character secret; a
 * 6-character CRC32 of everything before it), so a test that feeds these texts to a verifier checks
 * auth-core against the specification, not against itself.
 *
 * <p>A well-formed text is not a valid token: its secret is random, so a verifier answers {@code
 * UNKNOWN} (a random id) or {@code INVALID} (the id of a stored token); only a malformed one is
 * answered {@code MALFORMED}. These texts are test data, not secrets. Stateless and thread-safe.
 */
public final class TokenTexts {
  /** The base62 alphabet in digit order. */
  public static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /** Characters of the secret part. */
  public static final int SECRET_LENGTH = 32;

  /** Characters of the checksum part. */
  public static final int CHECKSUM_LENGTH = 6;

  private static final String NOT_BASE62 = "-_+/=.~! é€О\u0000";

  private TokenTexts() {}

  /** How a {@linkplain #malformed malformed} token is wrong. */
  public enum Flaw {
    /** One character of the id or secret changed (still base62): the checksum no longer holds. */
    BAD_CHECKSUM,
    /**
     * Another prefix (one character changed, or upper-cased), with a checksum that holds for it.
     */
    WRONG_PREFIX,
    /** One base62 character too few or too many in the secret, with a checksum that holds. */
    WRONG_LENGTH,
    /** One character after the separator replaced by a character outside base62. */
    NON_BASE62,
    /** The {@code _} between prefix and id replaced by another character. */
    WRONG_SEPARATOR
  }

  /**
   * A malformed token text.
   *
   * @param text the text
   * @param flaw how it is wrong
   */
  public record Malformed(String text, Flaw flaw) {}

  /** The full length of a token for {@code prefix}. */
  public static int length(String prefix) {
    return prefix.length() + 1 + TokenId.LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH;
  }

  /**
   * A well-formed token text for a random id.
   *
   * @throws IllegalArgumentException if {@code prefix} is not 1 to 16 lower-case letters and digits
   *     starting with a letter
   */
  public static String wellFormed(RandomGenerator random, String prefix) {
    return wellFormed(random, prefix, TokenId.random(random));
  }

  /**
   * A well-formed token text for {@code id} with a random secret: the text of a token whose id
   * exists but whose secret is wrong.
   *
   * @throws IllegalArgumentException if {@code prefix} is malformed
   */
  public static String wellFormed(RandomGenerator random, String prefix, TokenId id) {
    checkPrefix(prefix);
    StringBuilder out = new StringBuilder(length(prefix));
    out.append(prefix).append('_').append(id);
    appendRandom(out, random, SECRET_LENGTH);
    return withChecksum(out.toString());
  }

  /** A token text malformed in one way chosen at random. */
  public static Malformed malformed(RandomGenerator random, String prefix) {
    Flaw[] flaws = Flaw.values();
    return malformed(random, prefix, flaws[random.nextInt(flaws.length)]);
  }

  /**
   * A token text malformed in exactly the way {@code flaw} says, otherwise well-formed for {@code
   * prefix}.
   *
   * @throws IllegalArgumentException if {@code prefix} is malformed
   */
  public static Malformed malformed(RandomGenerator random, String prefix, Flaw flaw) {
    String good = wellFormed(random, prefix);
    int idStart = prefix.length() + 1;
    int checksumStart = good.length() - CHECKSUM_LENGTH;
    String text =
        switch (flaw) {
          case BAD_CHECKSUM -> {
            // CRC32 detects every single-character change, so the checksum cannot hold by chance.
            int at = idStart + random.nextInt(checksumStart - idStart);
            yield replaceAt(good, at, otherBase62(random, good.charAt(at)));
          }
          case WRONG_PREFIX -> {
            String other;
            if (random.nextBoolean()) {
              other = prefix.toUpperCase(Locale.ROOT);
            } else {
              int at = random.nextInt(prefix.length());
              other = replaceAt(prefix, at, neighbour(prefix.charAt(at)));
            }
            yield withChecksum(other + good.substring(prefix.length(), checksumStart));
          }
          case WRONG_LENGTH -> {
            String body = good.substring(0, checksumStart);
            yield withChecksum(
                random.nextBoolean()
                    ? body.substring(0, body.length() - 1)
                    : body + BASE62.charAt(random.nextInt(BASE62.length())));
          }
          case NON_BASE62 -> {
            int at = idStart + random.nextInt(good.length() - idStart);
            yield replaceAt(good, at, NOT_BASE62.charAt(random.nextInt(NOT_BASE62.length())));
          }
          case WRONG_SEPARATOR -> {
            String separators = "-.:=+ ";
            yield withChecksum(
                replaceAt(
                    good.substring(0, checksumStart),
                    prefix.length(),
                    separators.charAt(random.nextInt(separators.length()))));
          }
        };
    return new Malformed(text, flaw);
  }

  /** {@code body} followed by the base62 CRC32 of its ASCII characters. */
  static String withChecksum(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.ISO_8859_1));
    StringBuilder out = new StringBuilder(body.length() + CHECKSUM_LENGTH).append(body);
    appendFixed(out, crc.getValue(), CHECKSUM_LENGTH);
    return out.toString();
  }

  private static void appendFixed(StringBuilder out, long value, int width) {
    char[] digits = new char[width];
    long rest = value;
    for (int i = width - 1; i >= 0; i--) {
      digits[i] = BASE62.charAt((int) Long.remainderUnsigned(rest, 62));
      rest = Long.divideUnsigned(rest, 62);
    }
    out.append(digits);
  }

  private static void appendRandom(StringBuilder out, RandomGenerator random, int count) {
    for (int i = 0; i < count; i++) {
      out.append(BASE62.charAt(random.nextInt(BASE62.length())));
    }
  }

  private static char otherBase62(RandomGenerator random, char current) {
    char c;
    do {
      c = BASE62.charAt(random.nextInt(BASE62.length()));
    } while (c == current);
    return c;
  }

  /** Another lower-case letter or digit, close to {@code c}. */
  private static char neighbour(char c) {
    if (c == 'z') {
      return 'y';
    }
    if (c == '9') {
      return '8';
    }
    return (char) (c + 1);
  }

  private static String replaceAt(String text, int at, char c) {
    return text.substring(0, at) + c + text.substring(at + 1);
  }

  private static void checkPrefix(String prefix) {
    checkArgument(
        prefix.matches("[a-z][a-z0-9]{0,15}"),
        "token prefix must be 1 to 16 lower-case letters and digits starting with a letter, got"
            + " '%s'",
        prefix);
  }
}
