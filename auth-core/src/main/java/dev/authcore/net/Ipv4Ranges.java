package dev.authcore.net;

/**
 * An immutable set of IPv4 addresses as sorted, disjoint, non-adjacent ranges, with a bucket index
 * so that a lookup costs about the same for 10 ranges as for 100,000.
 *
 * <p>Layout: {@code bounds} holds {@code start, end} pairs, each value biased by {@code
 * Integer.MIN_VALUE} so that signed comparison orders them as unsigned addresses. The index cuts
 * {@code [min, max]} into at most about {@code 2n} equal buckets of {@code 2^shift} addresses;
 * {@code first[b]} is the first range that ends in or after bucket {@code b}, and {@code
 * candidate[b]} holds that range's start and end packed in one long, so that the common lookup is a
 * single memory access after the bucket arithmetic: an address at or below the candidate's end is
 * in the set exactly when it is at or above its start. Only an address past the candidate's end
 * binary-searches the few further ranges that reach into its bucket (a cluster of many small ranges
 * inside one bucket degrades gracefully to a binary search over that cluster only). Memory is at
 * most about 32 bytes per range. No allocation, no locking.
 */
final class Ipv4Ranges {

  static final Ipv4Ranges EMPTY = new Ipv4Ranges(new long[0], new long[0]);

  private final int[] bounds;
  private final int[] first;
  private final long[] candidate;
  private final int min;
  private final int span;
  private final int shift;

  /**
   * @param starts range starts, unsigned 32-bit values in longs, sorted
   * @param ends range ends, {@code starts[i] <= ends[i] < starts[i + 1] - 1}
   */
  Ipv4Ranges(long[] starts, long[] ends) {
    int n = starts.length;
    bounds = new int[2 * n];
    for (int i = 0; i < n; i++) {
      bounds[2 * i] = (int) starts[i] ^ Integer.MIN_VALUE;
      bounds[2 * i + 1] = (int) ends[i] ^ Integer.MIN_VALUE;
    }
    if (n == 0) {
      first = new int[0];
      candidate = new long[0];
      min = 0;
      span = 0;
      shift = 0;
      return;
    }
    min = (int) starts[0];
    long spanLong = ends[n - 1] - starts[0];
    span = (int) spanLong;
    int width = 64 - Long.numberOfLeadingZeros(spanLong);
    int indexBits = Math.min(width, 32 - Integer.numberOfLeadingZeros(n));
    shift = width - indexBits;
    int buckets = (int) (spanLong >>> shift) + 1;
    first = new int[buckets + 1];
    int r = 0;
    for (int b = 0; b < buckets; b++) {
      long bucketStart = starts[0] + ((long) b << shift);
      while (ends[r] < bucketStart) {
        r++;
      }
      first[b] = r;
    }
    first[buckets] = n - 1;
    candidate = new long[buckets];
    for (int b = 0; b < buckets; b++) {
      int c = first[b];
      candidate[b] = ((long) bounds[2 * c] << 32) | (bounds[2 * c + 1] & 0xFFFF_FFFFL);
    }
  }

  /** Whether the unsigned 32-bit address {@code address} is in one of the ranges. */
  boolean contains(int address) {
    if (first.length == 0) {
      return false;
    }
    int offset = address - min;
    // Below min the offset wraps around to more than span: one unsigned check covers both ends.
    if (Integer.compareUnsigned(offset, span) > 0) {
      return false;
    }
    int bucket = offset >>> shift;
    int key = address ^ Integer.MIN_VALUE;
    long c = candidate[bucket];
    if (key <= (int) c) {
      // The bucket's first range is the first one ending at or after the address.
      return (int) (c >>> 32) <= key;
    }
    // Past it: the first range ending at or after the address is one of the next few.
    int lo = first[bucket] + 1;
    int hi = first[bucket + 1];
    int[] b = bounds;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (b[2 * mid + 1] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    // lo is the first range ending at or after the address; it holds it when it starts before.
    return b[2 * lo] <= key;
  }

  int rangeCount() {
    return bounds.length / 2;
  }
}
