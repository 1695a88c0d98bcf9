package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Edges of the bucket-indexed range sets that random testing reaches only by luck: the ends of the
 * address space, spans that cross the 64-bit word boundary, and empty sets.
 */
class RangeIndexTest {

  @Test
  void ipv4_emptySet_containsNothing() {
    assertThat(Ipv4Ranges.EMPTY.contains(0)).isFalse();
    assertThat(Ipv4Ranges.EMPTY.contains(-1)).isFalse();
  }

  @Test
  void ipv4_rangesAtBothEndsOfTheSpace() {
    Ipv4Ranges r = new Ipv4Ranges(new long[] {0, 0xFFFF_FFF0L}, new long[] {5, 0xFFFF_FFFFL});
    assertThat(r.contains(0)).isTrue();
    assertThat(r.contains(5)).isTrue();
    assertThat(r.contains(6)).isFalse();
    assertThat(r.contains(0x7FFF_FFFF)).isFalse();
    assertThat(r.contains(0x8000_0000)).isFalse();
    assertThat(r.contains(0xFFFF_FFEF)).isFalse();
    assertThat(r.contains(0xFFFF_FFF0)).isTrue();
    assertThat(r.contains(-1)).isTrue();
  }

  @Test
  void ipv4_singleAddress() {
    Ipv4Ranges r = new Ipv4Ranges(new long[] {0x8000_0000L}, new long[] {0x8000_0000L});
    assertThat(r.contains(0x8000_0000)).isTrue();
    assertThat(r.contains(0x7FFF_FFFF)).isFalse();
    assertThat(r.contains(0x8000_0001)).isFalse();
  }

  @Test
  void ipv4_manyRangesInOneBucketRegion_binarySearchInsideTheBucket() {
    // 1,000 single addresses clustered in one /22, plus one far away: most share few buckets.
    long[] starts = new long[1001];
    long[] ends = new long[1001];
    for (int i = 0; i < 1000; i++) {
      starts[i] = 0x0A00_0000L + 2L * i;
      ends[i] = starts[i];
    }
    starts[1000] = 0xC000_0000L;
    ends[1000] = 0xC000_0000L;
    Ipv4Ranges r = new Ipv4Ranges(starts, ends);
    for (int i = 0; i < 2000; i++) {
      assertThat(r.contains(0x0A00_0000 + i)).as("offset %d", i).isEqualTo(i % 2 == 0);
    }
    assertThat(r.contains(0xC000_0000)).isTrue();
    assertThat(r.contains(0xBFFF_FFFF)).isFalse();
  }

  @Test
  void ipv6_emptySet_containsNothing() {
    assertThat(Ipv6Ranges.EMPTY.contains(0, 0)).isFalse();
    assertThat(Ipv6Ranges.EMPTY.contains(-1, -1)).isFalse();
  }

  @Test
  void ipv6_spanCrossingTheWordBoundary() {
    // [0:0:0:1::, 0:0:0:1::] and [0:0:0:2::ffff, 0:0:0:3::] and the very top address.
    Ipv6Ranges r =
        new Ipv6Ranges(
            new long[] {1, 2, -1L},
            new long[] {0, 0xFFFF, -1L},
            new long[] {1, 3, -1L},
            new long[] {0, 0, -1L});
    assertThat(r.contains(1, 0)).isTrue();
    assertThat(r.contains(1, 1)).isFalse();
    assertThat(r.contains(0, -1L)).isFalse();
    assertThat(r.contains(2, 0xFFFE)).isFalse();
    assertThat(r.contains(2, 0xFFFF)).isTrue();
    assertThat(r.contains(2, -1L)).isTrue();
    assertThat(r.contains(3, 0)).isTrue();
    assertThat(r.contains(3, 1)).isFalse();
    assertThat(r.contains(-1L, -2L)).isFalse();
    assertThat(r.contains(-1L, -1L)).isTrue();
    assertThat(r.contains(0, 0)).isFalse();
  }

  @Test
  void ipv6_narrowSpanInTheLowWord() {
    Ipv6Ranges r =
        new Ipv6Ranges(
            new long[] {7, 7}, new long[] {0x10, 0x20}, new long[] {7, 7}, new long[] {0x17, 0x20});
    for (long lo = 0; lo < 0x30; lo++) {
      boolean expected = (lo >= 0x10 && lo <= 0x17) || lo == 0x20;
      assertThat(r.contains(7, lo)).as("lo %x", lo).isEqualTo(expected);
    }
    assertThat(r.contains(6, 0x10)).isFalse();
    assertThat(r.contains(8, 0x10)).isFalse();
  }

  @Test
  void ipv6_wholeSpaceButOne() {
    Ipv6Ranges r =
        new Ipv6Ranges(new long[] {0}, new long[] {1}, new long[] {-1L}, new long[] {-1L});
    assertThat(r.contains(0, 0)).isFalse();
    assertThat(r.contains(0, 1)).isTrue();
    assertThat(r.contains(Long.MIN_VALUE, 0)).isTrue();
    assertThat(r.contains(-1L, -1L)).isTrue();
  }
}
