package dev.authcore.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.random.RandomGenerator;

/**
 * Base62 (digits, upper case, lower case) for token text: fixed-width numbers and uniformly random
 * characters.
 *
 * <p>Numbers are written most significant digit first, zero-padded to a fixed width, so every value
 * has exactly one spelling. Random characters are drawn by rejection sampling from six random bits,
 * so each of the 62 characters is equally likely (no modulo bias).
 */
public final class Base62 {
  /** The alphabet, in digit order. */
  public static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /** Width of an unsigned 64-bit number: 62^11 exceeds 2^64. */
  public static final int LONG_WIDTH = 11;

  /** Width of an unsigned 32-bit number: 62^6 exceeds 2^32. */
  public static final int INT_WIDTH = 6;

  private static final byte[] DIGIT_OF = new byte[128];

  static {
    java.util.Arrays.fill(DIGIT_OF, (byte) -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      DIGIT_OF[ALPHABET.charAt(i)] = (byte) i;
    }
  }

  private Base62() {}

  /** Returns the digit value of {@code c}, or -1 if it is not a base62 character. */
  public static int digit(char c) {
    return c < 128 ? DIGIT_OF[c] : -1;
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long ONES = 0x0101010101010101L;

  /**
   * Whether every byte of {@code bytes[from, to)} is a base62 character, with no branch per byte:
   * the range is read eight bytes at a time (the last read overlapping the one before it) and each
   * byte tested against the three ranges at once. The request path's format check; the answer is
   * the same as testing {@link #digit} byte by byte.
   *
   * @throws IllegalArgumentException if the range is shorter than eight bytes
   */
  public static boolean allDigits(byte[] bytes, int from, int to) {
    if (to - from < Long.BYTES) {
      throw new IllegalArgumentException("range of " + (to - from) + " bytes, at least 8 needed");
    }
    long valid = HIGH_BITS;
    int last = to - Long.BYTES;
    for (int at = from; at < last; at += Long.BYTES) {
      valid &= digitBits((long) LONGS.get(bytes, at));
    }
    valid &= digitBits((long) LONGS.get(bytes, last));
    return valid == HIGH_BITS;
  }

  /** The high bit of each byte of the result is set iff that byte of {@code x} is base62. */
  private static long digitBits(long x) {
    long ascii = ~x & HIGH_BITS;
    return (inRange(x, '0', '9') | inRange(x, 'A', 'Z') | inRange(x, 'a', 'z')) & ascii;
  }

  /**
   * The high bit of each byte is set iff that byte lies in {@code [low, high]}, for bytes below
   * 0x80. A byte of 0x80 or more may disturb its neighbours' bits here, but {@link #digitBits}
   * clears the whole word's verdict for it anyway.
   */
  private static long inRange(long x, int low, int high) {
    return ((x | HIGH_BITS) - low * ONES) & ((high + 0x80) * ONES - x);
  }

  /**
   * Decodes {@code width} bytes of {@code bytes} starting at {@code from}, already known to be
   * base62 characters (see {@link #allDigits}), as a number below 2^60: {@code width} at most 10.
   */
  public static long decodeDigits(byte[] bytes, int from, int width) {
    long value = 0;
    for (int i = from; i < from + width; i++) {
      value = value * 62 + DIGIT_OF[bytes[i] & 0x7F];
    }
    return value;
  }

  /**
   * Decodes the {@value #LONG_WIDTH} bytes of {@code bytes} starting at {@code from}, already known
   * to be base62 characters (see {@link #allDigits}), as an unsigned 64-bit number.
   *
   * @return the value, or {@link #INVALID} for a value of 2^64 or more
   */
  public static long decodeDigits64(byte[] bytes, int from) {
    // Ten digits stay below 62^10 < 2^60; only the last step can pass 2^64.
    long high = decodeDigits(bytes, from, LONG_WIDTH - 1);
    long times62 = high * 62;
    long value = times62 + DIGIT_OF[bytes[from + LONG_WIDTH - 1] & 0x7F];
    if (Math.multiplyHigh(high, 62) != 0 || Long.compareUnsigned(value, times62) < 0) {
      return INVALID;
    }
    return value;
  }

  /** Appends {@code value}, read as unsigned, as exactly {@code width} digits. */
  public static void appendUnsigned(StringBuilder out, long value, int width) {
    char[] digits = new char[width];
    long rest = value;
    for (int i = width - 1; i >= 0; i--) {
      digits[i] = ALPHABET.charAt((int) Long.remainderUnsigned(rest, 62));
      rest = Long.divideUnsigned(rest, 62);
    }
    if (rest != 0) {
      throw new IllegalArgumentException(
          "value " + Long.toUnsignedString(value) + " does not fit in " + width + " base62 digits");
    }
    out.append(digits);
  }

  /**
   * Decodes {@code width} digits of {@code text} starting at {@code from} as an unsigned number
   * that must fit in 64 bits.
   *
   * @return the value, or {@link #INVALID} for any non-base62 character or a value of 2^64 or more
   */
  public static long decodeUnsigned(CharSequence text, int from, int width) {
    long value = 0;
    for (int i = from; i < from + width; i++) {
      int d = digit(text.charAt(i));
      if (d < 0) {
        return INVALID;
      }
      // value * 62 + d must stay below 2^64 (unsigned).
      long high = Math.multiplyHigh(value, 62) + ((value >> 63) & 62);
      long low = value * 62;
      long sum = low + d;
      if (high != 0 || Long.compareUnsigned(sum, low) < 0) {
        return INVALID;
      }
      value = sum;
    }
    return value;
  }

  /**
   * The failure value of {@link #decodeUnsigned}. It is also a valid 64-bit value (2^64 - 1), so
   * callers that decode full 64-bit numbers must check the range separately; auth-core never mints
   * this value (see {@code TokenId}).
   */
  public static final long INVALID = -1L;

  /** Appends {@code count} uniformly random base62 characters drawn from {@code random}. */
  public static void appendRandom(StringBuilder out, RandomGenerator random, int count) {
    int written = 0;
    while (written < count) {
      long bits = random.nextLong();
      // Ten 6-bit draws per long; values 62 and 63 are rejected so each character has p = 1/62.
      for (int i = 0; i < 10 && written < count; i++) {
        int six = (int) (bits & 0x3F);
        bits >>>= 6;
        if (six < 62) {
          out.append(ALPHABET.charAt(six));
          written++;
        }
      }
    }
  }
}
