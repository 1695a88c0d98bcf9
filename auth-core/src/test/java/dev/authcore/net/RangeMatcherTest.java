package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How entries are merged into ranges: overlapping and adjacent ranges of one family become one,
 * ranges with a gap between them stay apart, and the two families never merge. Merging does not
 * change which addresses match; it keeps the lookup tables small.
 */
class RangeMatcherTest {

  private static Entry v4(long start, long end) {
    return new Entry(false, 0, start, 0, end);
  }

  private static Entry v6(long startHi, long startLo, long endHi, long endLo) {
    return new Entry(true, startHi, startLo, endHi, endLo);
  }

  @Test
  void of_adjacentIpv4Ranges_mergeIntoOne() {
    RangeMatcher m = RangeMatcher.of(List.of(v4(10, 20), v4(21, 30)));
    assertThat(m.rangeCount()).isEqualTo(1);
    assertThat(m.containsIpv4(20)).isTrue();
    assertThat(m.containsIpv4(21)).isTrue();
    assertThat(m.containsIpv4(31)).isFalse();
  }

  @Test
  void of_rangesSharingOneAddress_mergeIntoOne() {
    RangeMatcher m = RangeMatcher.of(List.of(v4(10, 20), v4(20, 30)));
    assertThat(m.rangeCount()).isEqualTo(1);
  }

  @Test
  void of_rangesWithAOneAddressGap_stayApart() {
    RangeMatcher m = RangeMatcher.of(List.of(v4(10, 20), v4(22, 30)));
    assertThat(m.rangeCount()).isEqualTo(2);
    assertThat(m.containsIpv4(21)).isFalse();
    assertThat(m.containsIpv4(22)).isTrue();
  }

  @Test
  void of_nestedRange_keepsTheOuterEnd() {
    RangeMatcher m = RangeMatcher.of(List.of(v4(10, 30), v4(12, 14)));
    assertThat(m.rangeCount()).isEqualTo(1);
    assertThat(m.containsIpv4(30)).isTrue();
  }

  @Test
  void of_ipv6RangesAdjacentAcrossTheWordBoundary_mergeIntoOne() {
    // the first ends at 0:ffff...ffff (low word all ones), the next starts at 1:0
    RangeMatcher m = RangeMatcher.of(List.of(v6(0, 5, 0, -1L), v6(1, 0, 1, 9)));
    assertThat(m.rangeCount()).isEqualTo(1);
    assertThat(m.containsIpv6(0, -1L)).isTrue();
    assertThat(m.containsIpv6(1, 0)).isTrue();
  }

  @Test
  void of_ipv6RangesWithAGapAcrossTheWordBoundary_stayApart() {
    RangeMatcher m = RangeMatcher.of(List.of(v6(0, 5, 0, -2L), v6(1, 0, 1, 9)));
    assertThat(m.rangeCount()).isEqualTo(2);
    assertThat(m.containsIpv6(0, -1L)).isFalse();
  }

  @Test
  void of_lastIpv4AddressAndFirstIpv6Address_neverMerge() {
    RangeMatcher m = RangeMatcher.of(List.of(v4(0xFFFF_FF00L, 0xFFFF_FFFFL), v6(0, 0, 0, 0xFF)));
    assertThat(m.rangeCount()).isEqualTo(2);
  }

  @Test
  void of_countsRangesOfBothFamilies() {
    RangeMatcher m =
        RangeMatcher.of(List.of(v4(1, 1), v4(3, 3), v4(5, 5), v6(7, 0, 7, 0), v6(9, 0, 9, 0)));
    assertThat(m.rangeCount()).isEqualTo(5);
    assertThat(RangeMatcher.of(List.of()).rangeCount()).isZero();
  }
}
