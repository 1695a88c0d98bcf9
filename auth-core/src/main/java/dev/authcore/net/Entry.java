package dev.authcore.net;

import java.util.Comparator;

/**
 * One allow-list entry as the inclusive range of addresses it allows. IPv4 values live in the low
 * 32 bits of {@code startLo}/{@code endLo} with zero high words; all comparisons are unsigned.
 *
 * <p>The canonical spelling depends only on the range: one address, else a CIDR block when the
 * range is exactly one, else {@code start-end}. So {@code 10.0.0.1/32}, {@code 10.0.0.1-10.0.0.1}
 * and {@code 10.0.0.1} are one entry, printed {@code 10.0.0.1}.
 */
record Entry(boolean ipv6, long startHi, long startLo, long endHi, long endLo) {

  /** IPv4 before IPv6, then by start, then by end. */
  static final Comparator<Entry> ORDER =
      (a, b) -> {
        if (a.ipv6 != b.ipv6) {
          return a.ipv6 ? 1 : -1;
        }
        int c = compare(a.startHi, a.startLo, b.startHi, b.startLo);
        return c != 0 ? c : compare(a.endHi, a.endLo, b.endHi, b.endLo);
      };

  /** Unsigned 128-bit comparison. */
  static int compare(long aHi, long aLo, long bHi, long bLo) {
    int c = Long.compareUnsigned(aHi, bHi);
    return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
  }

  boolean isSingleAddress() {
    return startHi == endHi && startLo == endLo;
  }

  /** Whether every address of {@code other} (same family) is in this entry. */
  boolean contains(Entry other) {
    return ipv6 == other.ipv6
        && compare(startHi, startLo, other.startHi, other.startLo) <= 0
        && compare(endHi, endLo, other.endHi, other.endLo) >= 0;
  }

  /** Whether this entry holds every address of its family. */
  boolean isWholeFamily() {
    return startHi == 0 && startLo == 0 && endHi == maxHi() && endLo == maxLo();
  }

  long maxHi() {
    return ipv6 ? -1L : 0;
  }

  long maxLo() {
    return ipv6 ? -1L : 0xFFFF_FFFFL;
  }

  /** The prefix length when this range is exactly one CIDR block, else -1. */
  int prefixLength() {
    long diffLo = endLo - startLo;
    long diffHi = endHi - startHi - (Long.compareUnsigned(endLo, startLo) < 0 ? 1 : 0);
    boolean allOnes =
        diffHi == 0 ? (diffLo & (diffLo + 1)) == 0 : diffLo == -1L && (diffHi & (diffHi + 1)) == 0;
    if (!allOnes || (startHi & diffHi) != 0 || (startLo & diffLo) != 0) {
      return -1;
    }
    return (ipv6 ? 128 : 32) - Long.bitCount(diffHi) - Long.bitCount(diffLo);
  }

  /** The one spelling of this range in {@code toText()}. */
  String canonical() {
    String start = AddressText.format(ipv6, startHi, startLo);
    if (isSingleAddress()) {
      return start;
    }
    int prefix = prefixLength();
    if (prefix >= 0) {
      return start + "/" + prefix;
    }
    return start + "-" + AddressText.format(ipv6, endHi, endLo);
  }
}
