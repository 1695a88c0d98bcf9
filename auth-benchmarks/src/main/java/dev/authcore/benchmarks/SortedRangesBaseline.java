package dev.authcore.benchmarks;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The structure considered for {@code IpAllowList} and rejected: sorted, merged ranges with a plain
 * binary search over all of them (IPv4 as {@code long}s, IPv6 as pairs of longs). Its cost grows
 * with {@code log2(n)}: about 17 dependent, branchy steps at 100,000 ranges against 3 at 10, which
 * misses the "at most 1.5x from 10 to 100,000 entries" goal that the bucket index in auth-core
 * meets. Kept as a benchmark baseline only.
 */
final class SortedRangesBaseline {

  private final long[] v4Starts;
  private final long[] v4Ends;
  private final long[] v6StartHi;
  private final long[] v6StartLo;
  private final long[] v6EndHi;
  private final long[] v6EndLo;

  /**
   * @param ranges {@code {ipv6 ? 1 : 0, startHi, startLo, endHi, endLo}} per range, unsigned
   */
  SortedRangesBaseline(long[][] ranges) {
    long[][] sorted = ranges.clone();
    Arrays.sort(
        sorted,
        Comparator.<long[]>comparingLong(r -> r[0])
            .thenComparing((a, b) -> Long.compareUnsigned(a[1], b[1]))
            .thenComparing((a, b) -> Long.compareUnsigned(a[2], b[2])));
    long[][] merged = new long[sorted.length][];
    int n = 0;
    for (long[] r : sorted) {
      if (n > 0 && merged[n - 1][0] == r[0] && touches(merged[n - 1], r)) {
        long[] last = merged[n - 1];
        if (compare(r[3], r[4], last[3], last[4]) > 0) {
          last[3] = r[3];
          last[4] = r[4];
        }
      } else {
        merged[n++] = r.clone();
      }
    }
    int v4 = 0;
    while (v4 < n && merged[v4][0] == 0) {
      v4++;
    }
    v4Starts = new long[v4];
    v4Ends = new long[v4];
    for (int i = 0; i < v4; i++) {
      v4Starts[i] = merged[i][2];
      v4Ends[i] = merged[i][4];
    }
    int v6 = n - v4;
    v6StartHi = new long[v6];
    v6StartLo = new long[v6];
    v6EndHi = new long[v6];
    v6EndLo = new long[v6];
    for (int i = 0; i < v6; i++) {
      long[] r = merged[v4 + i];
      v6StartHi[i] = r[1];
      v6StartLo[i] = r[2];
      v6EndHi[i] = r[3];
      v6EndLo[i] = r[4];
    }
  }

  private static boolean touches(long[] last, long[] next) {
    if (compare(next[1], next[2], last[3], last[4]) <= 0) {
      return true;
    }
    long lo = last[4] + 1;
    long hi = lo == 0 ? last[3] + 1 : last[3];
    return next[1] == hi && next[2] == lo;
  }

  private static int compare(long aHi, long aLo, long bHi, long bLo) {
    int c = Long.compareUnsigned(aHi, bHi);
    return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
  }

  /** {@code address} is the unsigned IPv4 address. */
  boolean containsIpv4(long address) {
    int lo = 0;
    int hi = v4Starts.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (v4Ends[mid] < address) {
        lo = mid + 1;
      } else if (v4Starts[mid] > address) {
        hi = mid - 1;
      } else {
        return true;
      }
    }
    return false;
  }

  boolean containsIpv6(long addressHi, long addressLo) {
    int lo = 0;
    int hi = v6StartHi.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (compare(v6EndHi[mid], v6EndLo[mid], addressHi, addressLo) < 0) {
        lo = mid + 1;
      } else if (compare(v6StartHi[mid], v6StartLo[mid], addressHi, addressLo) > 0) {
        hi = mid - 1;
      } else {
        return true;
      }
    }
    return false;
  }
}
