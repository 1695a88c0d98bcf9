package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Ipv6Ranges} against a linear scan, for range sets whose bucket index takes each of its
 * shapes: buckets narrower than one address step (no shift), a shift inside the low word with a
 * span that crosses into the high word, a shift of the high word only, and ranges crowded into a
 * few buckets. Every range is probed just before, at and just after both of its ends.
 */
class Ipv6RangesTest {

  private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);
  private static final BigInteger LOW_MASK = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private record Range(BigInteger start, BigInteger end) {}

  @Test
  void contains_everyAddressStepIndexed_noShift() {
    List<Range> ranges = new ArrayList<>();
    for (int i = 0; i < 16; i += 2) {
      BigInteger a = big(7, 0x40 + i);
      ranges.add(new Range(a, a));
    }
    checkAgainstLinearScan(ranges);
  }

  @Test
  void contains_shiftInsideTheLowWord_spanCrossingIntoTheHighWord() {
    // 200 ranges 2^58 apart starting near the top of a low word: the span is about 2^66
    checkAgainstLinearScan(spaced(big(5, 0xF000_0000_0000_0000L), 58, 200, 1));
  }

  @Test
  void contains_shiftOfTheHighWordOnly() {
    checkAgainstLinearScan(spaced(big(0x2001_0db8_0000_0000L, 0), 72, 100, 2));
  }

  @Test
  void contains_spanJustBelowOneHighWordStep() {
    checkAgainstLinearScan(spaced(big(9, 1), 50, 300, 3));
  }

  @Test
  void contains_rangesCrowdedIntoFewBuckets() {
    List<Range> ranges = new ArrayList<>(spaced(big(3, 0), 20, 150, 4));
    BigInteger far = big(3, 0).add(BigInteger.ONE.shiftLeft(90));
    ranges.add(new Range(far, far.add(BigInteger.TEN)));
    ranges.add(new Range(far.add(BigInteger.valueOf(1000)), far.add(BigInteger.valueOf(1000))));
    checkAgainstLinearScan(ranges);
  }

  @Test
  void contains_singleRangeAtTheTopOfTheSpace() {
    BigInteger top = TWO_128.subtract(BigInteger.ONE);
    checkAgainstLinearScan(List.of(new Range(top.subtract(BigInteger.TEN), top)));
  }

  /** {@code count} ranges, one per step of 2^{@code log2Step} from {@code base}, jittered. */
  private static List<Range> spaced(BigInteger base, int log2Step, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    BigInteger step = BigInteger.ONE.shiftLeft(log2Step);
    BigInteger quarter = step.shiftRight(2);
    List<Range> ranges = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      BigInteger start =
          base.add(step.multiply(BigInteger.valueOf(i))).add(fraction(quarter, random));
      ranges.add(new Range(start, start.add(fraction(quarter, random))));
    }
    return ranges;
  }

  private static BigInteger fraction(BigInteger bound, SplittableRandom random) {
    return bound
        .multiply(BigInteger.valueOf(random.nextInt(1000)))
        .divide(BigInteger.valueOf(1000));
  }

  private static BigInteger big(long hi, long lo) {
    return new BigInteger(Long.toUnsignedString(hi))
        .shiftLeft(64)
        .or(new BigInteger(Long.toUnsignedString(lo)));
  }

  private static void checkAgainstLinearScan(List<Range> ranges) {
    int n = ranges.size();
    long[] startHi = new long[n];
    long[] startLo = new long[n];
    long[] endHi = new long[n];
    long[] endLo = new long[n];
    for (int i = 0; i < n; i++) {
      startHi[i] = ranges.get(i).start().shiftRight(64).longValue();
      startLo[i] = ranges.get(i).start().and(LOW_MASK).longValue();
      endHi[i] = ranges.get(i).end().shiftRight(64).longValue();
      endLo[i] = ranges.get(i).end().and(LOW_MASK).longValue();
    }
    Ipv6Ranges set = new Ipv6Ranges(startHi, startLo, endHi, endLo);
    List<BigInteger> probes = new ArrayList<>();
    for (Range r : ranges) {
      for (BigInteger edge : List.of(r.start(), r.end())) {
        probes.add(edge.subtract(BigInteger.ONE));
        probes.add(edge);
        probes.add(edge.add(BigInteger.ONE));
      }
      probes.add(r.start().add(r.end()).shiftRight(1));
    }
    for (BigInteger probe : probes) {
      BigInteger address = probe.mod(TWO_128);
      boolean expected =
          ranges.stream()
              .anyMatch(r -> r.start().compareTo(address) <= 0 && address.compareTo(r.end()) <= 0);
      long hi = address.shiftRight(64).longValue();
      long lo = address.and(LOW_MASK).longValue();
      assertThat(set.contains(hi, lo)).as("%s", address.toString(16)).isEqualTo(expected);
    }
  }
}
