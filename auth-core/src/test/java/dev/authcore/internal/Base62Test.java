package dev.authcore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.authcore.testkit.Seeds;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Base62Test {
  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);
  private static final BigInteger SIXTY_TWO = BigInteger.valueOf(62);

  /** Base62 written independently of {@link Base62}: BigInteger arithmetic, zero-padded. */
  static String encodeIndependently(BigInteger value, int width) {
    StringBuilder reversed = new StringBuilder();
    BigInteger rest = value;
    for (int i = 0; i < width; i++) {
      BigInteger[] qr = rest.divideAndRemainder(SIXTY_TWO);
      reversed.append(
          "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
              .charAt(qr[1].intValue()));
      rest = qr[0];
    }
    assertThat(rest).as("test bug: value too wide").isEqualTo(BigInteger.ZERO);
    return reversed.reverse().toString();
  }

  private static BigInteger unsigned(long value) {
    return new BigInteger(Long.toUnsignedString(value));
  }

  private static String encode(long value, int width) {
    StringBuilder out = new StringBuilder();
    Base62.appendUnsigned(out, value, width);
    return out.toString();
  }

  @Test
  void alphabet_isDigitsUpperLower_inAsciiOrder() {
    String alphabet = Base62.ALPHABET;
    assertThat(alphabet).hasSize(62);
    for (int i = 1; i < alphabet.length(); i++) {
      assertThat(alphabet.charAt(i)).isGreaterThan(alphabet.charAt(i - 1));
    }
  }

  @Test
  void widths_areTheSmallestThatHoldTheirRange() {
    // 62^11 > 2^64 > 62^10 and 62^6 > 2^32 > 62^5: no narrower fixed width would do.
    assertThat(SIXTY_TWO.pow(Base62.LONG_WIDTH)).isGreaterThan(TWO_TO_64);
    assertThat(SIXTY_TWO.pow(Base62.LONG_WIDTH - 1)).isLessThan(TWO_TO_64);
    assertThat(SIXTY_TWO.pow(Base62.INT_WIDTH)).isGreaterThan(BigInteger.ONE.shiftLeft(32));
    assertThat(SIXTY_TWO.pow(Base62.INT_WIDTH - 1)).isLessThan(BigInteger.ONE.shiftLeft(32));
  }

  @Test
  void digit_everyChar_valueOnlyForAlphabet() {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      int index = Base62.ALPHABET.indexOf(c);
      assertThat(Base62.digit((char) c)).as("U+%04X", c).isEqualTo(index);
    }
  }

  @Test
  void appendUnsigned_zero_paddedToFixedWidth() {
    assertThat(encode(0, Base62.LONG_WIDTH)).isEqualTo("00000000000");
    assertThat(encode(61, Base62.INT_WIDTH)).isEqualTo("00000z");
    assertThat(encode(62, Base62.INT_WIDTH)).isEqualTo("000010");
  }

  @Test
  void appendUnsigned_allOnes_readAsUnsigned() {
    // 2^64 - 1, the largest unsigned long: must not be written as a negative number.
    assertThat(encode(-1L, Base62.LONG_WIDTH))
        .isEqualTo(encodeIndependently(TWO_TO_64.subtract(BigInteger.ONE), Base62.LONG_WIDTH))
        .isEqualTo("LygHa16AHYF");
  }

  @Test
  void appendUnsigned_valueWiderThanWidth_refusedAndNothingAppended() {
    StringBuilder out = new StringBuilder("keep");
    long tooWide = SIXTY_TWO.pow(Base62.INT_WIDTH).longValueExact();
    assertThatThrownBy(() -> Base62.appendUnsigned(out, tooWide, Base62.INT_WIDTH))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Long.toString(tooWide))
        .hasMessageContaining("6 base62 digits");
    assertThat(out).hasToString("keep");
    assertThat(encode(tooWide - 1, Base62.INT_WIDTH)).isEqualTo("zzzzzz");
  }

  @TestFactory
  Stream<DynamicTest> appendUnsigned_randomLongs_matchIndependentEncodingAndRoundTrip() {
    Random random = new Random(Seeds.seed("Base62Test.appendUnsigned_randomLongs", 0x62_62_62L));
    List<Long> values = new ArrayList<>(List.of(0L, 1L, 61L, 62L, Long.MAX_VALUE, Long.MIN_VALUE));
    values.add(-2L); // 2^64 - 2, the largest value that decodes unambiguously
    for (int i = 0; i < 200; i++) {
      // Vary magnitude too, so short numbers (many leading zeros) are covered.
      values.add(random.nextLong() >>> random.nextInt(64));
    }
    return values.stream()
        .map(
            value ->
                dynamicTest(
                    Long.toUnsignedString(value),
                    () -> {
                      String text = encode(value, Base62.LONG_WIDTH);
                      assertThat(text)
                          .hasSize(Base62.LONG_WIDTH)
                          .isEqualTo(encodeIndependently(unsigned(value), Base62.LONG_WIDTH));
                      assertThat(Base62.decodeUnsigned("xx" + text + "yy", 2, Base62.LONG_WIDTH))
                          .isEqualTo(value);
                      assertThat(Base62.decodeDigits64(ascii("xx" + text + "yy"), 2))
                          .isEqualTo(value);
                    }));
  }

  @Test
  void decodeUnsigned_valuesFrom2To64Up_rejected() {
    List<BigInteger> tooLarge = new ArrayList<>();
    for (int k = 0; k < 200; k++) {
      tooLarge.add(TWO_TO_64.add(BigInteger.valueOf(k))); // would wrap to small numbers
    }
    BigInteger max = SIXTY_TWO.pow(Base62.LONG_WIDTH).subtract(BigInteger.ONE); // "zzzzzzzzzzz"
    tooLarge.add(max);
    tooLarge.add(TWO_TO_64.multiply(BigInteger.TWO));
    tooLarge.add(TWO_TO_64.shiftLeft(1).add(BigInteger.valueOf(5)));
    Random random = new Random(Seeds.seed("Base62Test.decodeUnsigned_valuesFrom2To64Up", 64L));
    BigInteger span = max.subtract(TWO_TO_64);
    for (int i = 0; i < 500; i++) {
      tooLarge.add(TWO_TO_64.add(new BigInteger(span.bitLength(), random).mod(span)));
    }
    for (BigInteger value : tooLarge) {
      String text = encodeIndependently(value, Base62.LONG_WIDTH);
      assertThat(Base62.decodeUnsigned(text, 0, Base62.LONG_WIDTH))
          .as("%s (%s)", text, value)
          .isEqualTo(Base62.INVALID);
      assertThat(Base62.decodeDigits64(ascii(text), 0))
          .as("decodeDigits64 %s (%s)", text, value)
          .isEqualTo(Base62.INVALID);
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /**
   * {@link Base62#allDigits} against {@link Base62#digit} byte by byte: every byte value at every
   * position of ranges of 8 to 70 bytes (so each of the eight-byte reads, the overlapping last one
   * included, meets it), then seeded random ranges of base62 and other bytes.
   */
  @Test
  void allDigits_agreesWithDigitForEveryByteAtEveryPosition() {
    Random random = new Random(Seeds.seed("Base62Test.allDigits", 0xA11D1L));
    for (int length = 8; length <= 70; length += 31) {
      for (int from : new int[] {0, 3}) {
        byte[] bytes = new byte[from + length + 2];
        for (int i = 0; i < bytes.length; i++) {
          bytes[i] = (byte) Base62.ALPHABET.charAt(random.nextInt(62));
        }
        bytes[from - 1 < 0 ? bytes.length - 1 : from - 1] = '!'; // outside the range: ignored
        bytes[from + length] = (byte) 0xFF;
        assertThat(Base62.allDigits(bytes, from, from + length)).as("all base62").isTrue();
        for (int at = from; at < from + length; at++) {
          byte kept = bytes[at];
          for (int b = 0; b < 256; b++) {
            bytes[at] = (byte) b;
            boolean expected = Base62.digit((char) b) >= 0;
            if (Base62.allDigits(bytes, from, from + length) != expected) {
              throw new AssertionError(
                  "byte 0x"
                      + Integer.toHexString(b)
                      + " at "
                      + at
                      + " of "
                      + from
                      + ".."
                      + (from + length)
                      + ": expected "
                      + expected);
            }
          }
          bytes[at] = kept;
        }
      }
    }
    for (int n = 0; n < 2_000; n++) {
      int length = 8 + random.nextInt(60);
      byte[] bytes = new byte[length];
      boolean expected = true;
      for (int i = 0; i < length; i++) {
        bytes[i] =
            random.nextInt(20) == 0
                ? (byte) random.nextInt(256)
                : (byte) Base62.ALPHABET.charAt(random.nextInt(62));
        expected &= Base62.digit((char) (bytes[i] & 0xFF)) >= 0;
      }
      assertThat(Base62.allDigits(bytes, 0, length)).as("random range #%s", n).isEqualTo(expected);
    }
  }

  @Test
  void allDigits_rangeShorterThanEightBytes_refused() {
    assertThatThrownBy(() -> Base62.allDigits(new byte[16], 2, 9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("range of 7 bytes, at least 8 needed");
  }

  @Test
  void decodeUnsigned_justBelow2To64_decodesExactly() {
    for (int k = 1; k <= 200; k++) {
      BigInteger value = TWO_TO_64.subtract(BigInteger.valueOf(k));
      String text = encodeIndependently(value, Base62.LONG_WIDTH);
      assertThat(unsigned(Base62.decodeUnsigned(text, 0, Base62.LONG_WIDTH))).isEqualTo(value);
      assertThat(unsigned(Base62.decodeDigits64(ascii(text), 0))).isEqualTo(value);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-", "_", " ", "/", ":", "@", "[", "`", "{", "+", "=", "\u0000", "\u00e9", "\u0660",
        "\uff10", "\u0131", "\u212a"
      })
  void decodeUnsigned_nonBase62CharacterAnywhere_rejected(String bad) {
    String valid = "0123456789A";
    for (int i = 0; i < valid.length(); i++) {
      String text = valid.substring(0, i) + bad + valid.substring(i + 1);
      assertThat(Base62.decodeUnsigned(text, 0, Base62.LONG_WIDTH))
          .as("%s at %s", LogSafe.escape(bad), i)
          .isEqualTo(Base62.INVALID);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 9, 10, 11, 32, 100})
  void appendRandom_writesExactlyCountAlphabetCharacters(int count) {
    StringBuilder out = new StringBuilder("p_");
    Base62.appendRandom(out, new Random(count), count);
    assertThat(out.substring(2)).hasSize(count).matches("[0-9A-Za-z]*");
    assertThat(out.substring(0, 2)).isEqualTo("p_");
  }

  @Test
  void appendRandom_sixBitValues62And63_skippedNotFolded() {
    // Six-bit groups, low bits first: 62 and 63 must be dropped, never mapped onto '0' and '1'.
    int[] groups = {62, 63, 5, 61, 0, 62, 63, 63, 1, 2};
    long bits = 0;
    for (int i = groups.length - 1; i >= 0; i--) {
      bits = (bits << 6) | groups[i];
    }
    long crafted = bits;
    RandomGenerator generator = () -> crafted;
    StringBuilder out = new StringBuilder();
    Base62.appendRandom(out, generator, 10);
    // 5 characters per long: 5, 61, 0, 1, 2 — then the next (same) long again.
    assertThat(out).hasToString("5z012" + "5z012");
  }

  /** Pearson's chi-square statistic of {@code counts} against a uniform distribution. */
  private static double chiSquare(long[] counts, long draws) {
    double expected = (double) draws / counts.length;
    double sum = 0;
    for (long count : counts) {
      double d = count - expected;
      sum += d * d / expected;
    }
    return sum;
  }

  /*
   * Threshold: with 62 categories the statistic follows chi-square with 61 degrees of freedom when
   * the characters are uniform (mean 61, sd 11). Its upper 10^-6 tail starts at about 128.9
   * (Wilson-Hilferty: 61 * (1 - 2/549 + 4.753 * sqrt(2/549))^3), so a fair generator fails with
   * probability under one in a million for any seed; we use 129. A modulo-biased generator is far
   * beyond it: folding the six-bit values 62 and 63 onto '0' and '1' doubles those two characters
   * and, with 20,000 expected draws per character, scores about 36,000 (checked below).
   */
  private static final double CHI_SQUARE_61_DF_P_1E6 = 129.0;

  private static final int DRAWS = 62 * 20_000;

  @Test
  void appendRandom_manyDraws_uniformByChiSquare() {
    Random random = new Random(Seeds.seed("Base62Test.appendRandom_uniform", 0xC41L));
    StringBuilder out = new StringBuilder(DRAWS);
    Base62.appendRandom(out, random, DRAWS);
    long[] counts = new long[62];
    for (int i = 0; i < out.length(); i++) {
      counts[Base62.digit(out.charAt(i))]++;
    }
    assertThat(chiSquare(counts, DRAWS)).isLessThan(CHI_SQUARE_61_DF_P_1E6);
  }

  @Test
  void chiSquare_moduloBiasedSampler_exceedsThreshold() {
    // The statistic's power: the biased sampler this test guards against must fail it.
    Random random = new Random(7);
    long[] counts = new long[62];
    for (int i = 0; i < DRAWS; i++) {
      counts[(random.nextInt() & 0x3F) % 62]++;
    }
    assertThat(chiSquare(counts, DRAWS)).isGreaterThan(100 * CHI_SQUARE_61_DF_P_1E6);
  }
}
