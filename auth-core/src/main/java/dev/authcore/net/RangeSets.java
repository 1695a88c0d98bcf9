package dev.authcore.net;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Set operations on allow-list entries as the request path matches them, for comparing two lists
 * when one is saved (never on the request path). Ranges are {@link Entry} values; a list of them is
 * "merged" when it is sorted by {@link Entry#ORDER}, disjoint and non-adjacent within each family.
 *
 * <p>The IPv4-mapped IPv6 block ({@code ::ffff:0:0/96}) is cut out of IPv6 ranges before they are
 * compared: a mapped client is always matched as its IPv4 address, so an IPv6 entry's share of that
 * block matches nobody, on either side.
 */
final class RangeSets {

  private static final long MAPPED_END_LO = AddressText.MAPPED_PREFIX_LO | 0xFFFF_FFFFL;

  private RangeSets() {}

  /** The ranges a request can match: {@code sorted} merged, without the mapped block. */
  static List<Entry> matchable(List<Entry> sorted) {
    List<Entry> merged = new ArrayList<>(sorted.size());
    for (Entry e : sorted) {
      if (e.ipv6()) {
        // the parts below and above the mapped block; each may be empty
        addMerged(merged, clip(e, 0, 0, 0, AddressText.MAPPED_PREFIX_LO - 1));
        addMerged(merged, clip(e, 0, MAPPED_END_LO + 1, -1L, -1L));
      } else {
        addMerged(merged, e);
      }
    }
    return merged;
  }

  /** The addresses of merged {@code a} that merged {@code b} does not hold, merged. */
  static List<Entry> subtract(List<Entry> a, List<Entry> b) {
    List<Entry> out = new ArrayList<>();
    int j = 0; // the first cut that may reach a range not yet done: both lists are sorted
    for (Entry range : a) {
      while (j < b.size() && endsBefore(b.get(j), range.ipv6(), range.startHi(), range.startLo())) {
        j++;
      }
      long sHi = range.startHi();
      long sLo = range.startLo();
      boolean left = true; // whether [s, range.end] is still non-empty
      for (int k = j; left && k < b.size(); k++) {
        Entry cut = b.get(k);
        if (cut.ipv6() != range.ipv6()
            || Entry.compare(cut.startHi(), cut.startLo(), range.endHi(), range.endLo()) > 0) {
          break;
        }
        if (Entry.compare(cut.startHi(), cut.startLo(), sHi, sLo) > 0) {
          long[] before = minusOne(cut.startHi(), cut.startLo());
          out.add(new Entry(range.ipv6(), sHi, sLo, before[0], before[1]));
        }
        if (Entry.compare(cut.endHi(), cut.endLo(), range.endHi(), range.endLo()) >= 0) {
          left = false;
        } else {
          long[] after = plusOne(cut.endHi(), cut.endLo());
          sHi = after[0];
          sLo = after[1];
        }
      }
      if (left) {
        out.add(new Entry(range.ipv6(), sHi, sLo, range.endHi(), range.endLo()));
      }
    }
    return out;
  }

  /** Whether merged {@code a} and merged {@code b} hold a common address. */
  static boolean intersect(List<Entry> a, List<Entry> b) {
    int j = 0;
    for (Entry x : a) {
      while (j < b.size() && endsBefore(b.get(j), x.ipv6(), x.startHi(), x.startLo())) {
        j++;
      }
      if (j == b.size()) {
        return false;
      }
      Entry y = b.get(j);
      if (y.ipv6() == x.ipv6()
          && Entry.compare(y.startHi(), y.startLo(), x.endHi(), x.endLo()) <= 0) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code e} lies wholly before the address {@code (hi, lo)} of the given family. */
  private static boolean endsBefore(Entry e, boolean ipv6, long hi, long lo) {
    if (e.ipv6() != ipv6) {
      return !e.ipv6(); // IPv4 comes before IPv6
    }
    return Entry.compare(e.endHi(), e.endLo(), hi, lo) < 0;
  }

  /** {@code e} cut to {@code [lo, hi]}, or {@code null} if nothing of it is left. */
  private static @Nullable Entry clip(Entry e, long loHi, long loLo, long hiHi, long hiLo) {
    long sHi = e.startHi();
    long sLo = e.startLo();
    long eHi = e.endHi();
    long eLo = e.endLo();
    if (Entry.compare(sHi, sLo, loHi, loLo) < 0) {
      sHi = loHi;
      sLo = loLo;
    }
    if (Entry.compare(eHi, eLo, hiHi, hiLo) > 0) {
      eHi = hiHi;
      eLo = hiLo;
    }
    return Entry.compare(sHi, sLo, eHi, eLo) > 0 ? null : new Entry(true, sHi, sLo, eHi, eLo);
  }

  private static void addMerged(List<Entry> merged, @Nullable Entry e) {
    if (e == null) {
      return;
    }
    int last = merged.size() - 1;
    if (last >= 0 && merged.get(last).ipv6() == e.ipv6()) {
      Entry prev = merged.get(last);
      long[] next = plusOne(prev.endHi(), prev.endLo());
      boolean touches =
          Entry.compare(e.startHi(), e.startLo(), prev.endHi(), prev.endLo()) <= 0
              || (!isMax(prev) && e.startHi() == next[0] && e.startLo() == next[1]);
      if (touches) {
        if (Entry.compare(e.endHi(), e.endLo(), prev.endHi(), prev.endLo()) > 0) {
          merged.set(
              last, new Entry(e.ipv6(), prev.startHi(), prev.startLo(), e.endHi(), e.endLo()));
        }
        return;
      }
    }
    merged.add(e);
  }

  private static boolean isMax(Entry e) {
    return e.endHi() == e.maxHi() && e.endLo() == e.maxLo();
  }

  /** {@code (hi, lo) + 1} in 128 bits; never called on the family's last address. */
  private static long[] plusOne(long hi, long lo) {
    long nextLo = lo + 1;
    return new long[] {nextLo == 0 ? hi + 1 : hi, nextLo};
  }

  /** {@code (hi, lo) - 1} in 128 bits; never called on address 0. */
  private static long[] minusOne(long hi, long lo) {
    return new long[] {lo == 0 ? hi - 1 : hi, lo - 1};
  }
}
