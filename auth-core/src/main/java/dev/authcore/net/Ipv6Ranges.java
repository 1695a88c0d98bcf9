package dev.authcore.net;

/**
 * An immutable set of IPv6 addresses as sorted, disjoint, non-adjacent ranges with a bucket index:
 * the 128-bit twin of {@link Ipv4Ranges} (see there for the idea). Addresses are pairs of longs
 * (high and low 64 bits); {@code bounds} holds {@code startHi, startLo, endHi, endLo} per range,
 * each biased by {@code Long.MIN_VALUE} so that signed comparison orders them as unsigned. The
 * index covers {@code [min, max]} only, so a list clustered in one {@code /32} is indexed by the
 * bits below that prefix. As there, each bucket keeps its first range inline ({@code candidate},
 * four longs) so that the common lookup reads one cache line of index. No allocation, no locking.
 */
final class Ipv6Ranges {

  static final Ipv6Ranges EMPTY =
      new Ipv6Ranges(new long[0], new long[0], new long[0], new long[0]);

  private final long[] bounds;
  private final int[] first;
  private final long[] candidate;
  private final long minHi;
  private final long minLo;
  private final long spanHi;
  private final long spanLo;
  private final int shift;

  /** Ranges given as unsigned 128-bit values, sorted, disjoint and non-adjacent. */
  Ipv6Ranges(long[] startHi, long[] startLo, long[] endHi, long[] endLo) {
    int n = startHi.length;
    bounds = new long[4 * n];
    for (int i = 0; i < n; i++) {
      bounds[4 * i] = startHi[i] ^ Long.MIN_VALUE;
      bounds[4 * i + 1] = startLo[i] ^ Long.MIN_VALUE;
      bounds[4 * i + 2] = endHi[i] ^ Long.MIN_VALUE;
      bounds[4 * i + 3] = endLo[i] ^ Long.MIN_VALUE;
    }
    if (n == 0) {
      first = new int[0];
      candidate = new long[0];
      minHi = 0;
      minLo = 0;
      spanHi = 0;
      spanLo = 0;
      shift = 0;
      return;
    }
    minHi = startHi[0];
    minLo = startLo[0];
    spanLo = endLo[n - 1] - minLo;
    spanHi = endHi[n - 1] - minHi - (Long.compareUnsigned(endLo[n - 1], minLo) < 0 ? 1 : 0);
    int width =
        spanHi != 0
            ? 128 - Long.numberOfLeadingZeros(spanHi)
            : 64 - Long.numberOfLeadingZeros(spanLo);
    int indexBits = Math.min(width, 32 - Integer.numberOfLeadingZeros(n));
    shift = width - indexBits;
    int buckets = bucketOf(spanHi, spanLo) + 1;
    first = new int[buckets + 1];
    int r = 0;
    for (int b = 0; b < buckets; b++) {
      // bucket start = min + (b << shift), in 128 bits
      long offHi =
          shift >= 64 ? (long) b << (shift - 64) : shift == 0 ? 0 : (long) b >>> (64 - shift);
      long offLo = shift >= 64 ? 0 : (long) b << shift;
      long sLo = minLo + offLo;
      long sHi = minHi + offHi + (Long.compareUnsigned(sLo, minLo) < 0 ? 1 : 0);
      while (Long.compareUnsigned(endHi[r], sHi) < 0
          || (endHi[r] == sHi && Long.compareUnsigned(endLo[r], sLo) < 0)) {
        r++;
      }
      first[b] = r;
    }
    first[buckets] = n - 1;
    candidate = new long[4 * buckets];
    for (int b = 0; b < buckets; b++) {
      System.arraycopy(bounds, 4 * first[b], candidate, 4 * b, 4);
    }
  }

  private int bucketOf(long offHi, long offLo) {
    if (shift >= 64) {
      return (int) (offHi >>> (shift - 64));
    }
    if (shift == 0) {
      return (int) offLo;
    }
    return (int) ((offHi << (64 - shift)) | (offLo >>> shift));
  }

  /** Whether the address with high bits {@code hi} and low bits {@code lo} is in a range. */
  boolean contains(long hi, long lo) {
    if (first.length == 0) {
      return false;
    }
    long offLo = lo - minLo;
    long offHi = hi - minHi - (Long.compareUnsigned(lo, minLo) < 0 ? 1 : 0);
    // Below min the offset wraps around to more than span: one unsigned check covers both ends.
    if (Long.compareUnsigned(offHi, spanHi) > 0
        || (offHi == spanHi && Long.compareUnsigned(offLo, spanLo) > 0)) {
      return false;
    }
    int bucket = bucketOf(offHi, offLo);
    long keyHi = hi ^ Long.MIN_VALUE;
    long keyLo = lo ^ Long.MIN_VALUE;
    long[] c = candidate;
    int at = 4 * bucket;
    long candidateEndHi = c[at + 2];
    if (keyHi < candidateEndHi || (keyHi == candidateEndHi && keyLo <= c[at + 3])) {
      // The bucket's first range is the first one ending at or after the address.
      long candidateStartHi = c[at];
      return candidateStartHi < keyHi || (candidateStartHi == keyHi && c[at + 1] <= keyLo);
    }
    // Past it: the first range ending at or after the address is one of the next few.
    int low = first[bucket] + 1;
    int high = first[bucket + 1];
    long[] b = bounds;
    while (low < high) {
      int mid = (low + high) >>> 1;
      long endHi = b[4 * mid + 2];
      if (endHi < keyHi || (endHi == keyHi && b[4 * mid + 3] < keyLo)) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    // low is the first range ending at or after the address; it holds it when it starts before.
    long startHi = b[4 * low];
    return startHi < keyHi || (startHi == keyHi && b[4 * low + 1] <= keyLo);
  }

  int rangeCount() {
    return bounds.length / 4;
  }
}
