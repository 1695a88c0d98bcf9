package dev.authcore.net;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * The request-path half of an allow list: the entries merged into one {@link Ipv4Ranges} and one
 * {@link Ipv6Ranges}. An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) is looked up as the IPv4
 * address, never in the IPv6 ranges, so it matches exactly like {@code a.b.c.d}; no other embedding
 * (IPv4-compatible, 6to4, NAT64, Teredo) is converted. Scope ids play no part: only the address
 * bytes are read.
 *
 * <p>A matcher with no ranges contains nothing; "an empty list allows everyone" is decided by
 * {@link IpAllowList}, not here, so that a resolver built on an empty proxy list trusts no one.
 */
final class RangeMatcher {

  static final RangeMatcher NONE = new RangeMatcher(Ipv4Ranges.EMPTY, Ipv6Ranges.EMPTY);

  private static final VarHandle LONG_BIG_ENDIAN =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /**
   * Whether {@code Inet4Address.hashCode()} is the address as an int, as in OpenJDK; checked once
   * on this runtime. When it is, reading an IPv4 client costs no {@code getAddress()} clone.
   */
  static final boolean INET4_HASH_IS_ADDRESS = inet4HashIsAddress();

  private final Ipv4Ranges v4;
  private final Ipv6Ranges v6;

  RangeMatcher(Ipv4Ranges v4, Ipv6Ranges v6) {
    this.v4 = v4;
    this.v6 = v6;
  }

  /** Builds from entries sorted by {@link Entry#ORDER}, merging overlapping and adjacent ones. */
  static RangeMatcher of(List<Entry> sorted) {
    int n = sorted.size();
    long[] sHi = new long[n];
    long[] sLo = new long[n];
    long[] eHi = new long[n];
    long[] eLo = new long[n];
    int v4Count = 0;
    int count = 0;
    boolean inV6 = false;
    for (Entry e : sorted) {
      if (e.ipv6() && !inV6) {
        inV6 = true;
        v4Count = count;
      }
      int last = count - 1;
      boolean sameFamily = count > (inV6 ? v4Count : 0);
      if (sameFamily && touches(eHi[last], eLo[last], e.startHi(), e.startLo())) {
        if (Entry.compare(e.endHi(), e.endLo(), eHi[last], eLo[last]) > 0) {
          eHi[last] = e.endHi();
          eLo[last] = e.endLo();
        }
        continue;
      }
      sHi[count] = e.startHi();
      sLo[count] = e.startLo();
      eHi[count] = e.endHi();
      eLo[count] = e.endLo();
      count++;
    }
    if (!inV6) {
      v4Count = count;
    }
    Ipv4Ranges v4 =
        new Ipv4Ranges(Arrays.copyOfRange(sLo, 0, v4Count), Arrays.copyOfRange(eLo, 0, v4Count));
    Ipv6Ranges v6 =
        new Ipv6Ranges(
            Arrays.copyOfRange(sHi, v4Count, count),
            Arrays.copyOfRange(sLo, v4Count, count),
            Arrays.copyOfRange(eHi, v4Count, count),
            Arrays.copyOfRange(eLo, v4Count, count));
    return new RangeMatcher(v4, v6);
  }

  /** Whether a range ending at {@code end} overlaps or is adjacent to one starting at start. */
  private static boolean touches(long endHi, long endLo, long startHi, long startLo) {
    if (Entry.compare(startHi, startLo, endHi, endLo) <= 0) {
      return true;
    }
    // start == end + 1 (128-bit); an end of all ones was caught above
    long nextLo = endLo + 1;
    long nextHi = nextLo == 0 ? endHi + 1 : endHi;
    return startHi == nextHi && startLo == nextLo;
  }

  /** Whether {@code address} is in a range; IPv4-mapped IPv6 is looked up as IPv4. */
  boolean contains(InetAddress address) {
    if (address instanceof Inet4Address a4) {
      return v4.contains(ipv4Bits(a4));
    }
    // getAddress() is the only public way to the bytes: a 16-byte copy per call. Escape analysis
    // cannot remove it (the cloned array's length is not a compile-time constant), and reading
    // the private field would need --add-opens, which a library must not ask for.
    byte[] bytes = address.getAddress();
    return containsIpv6((long) LONG_BIG_ENDIAN.get(bytes, 0), (long) LONG_BIG_ENDIAN.get(bytes, 8));
  }

  boolean containsIpv4(int address) {
    return v4.contains(address);
  }

  /** IPv6 lookup, except that an IPv4-mapped address is looked up as IPv4. */
  boolean containsIpv6(long hi, long lo) {
    if (AddressText.Parsed.isMapped(hi, lo)) {
      return v4.contains((int) lo);
    }
    return v6.contains(hi, lo);
  }

  /** The number of ranges after merging, both families together. */
  int rangeCount() {
    return v4.rangeCount() + v6.rangeCount();
  }

  static int ipv4Bits(Inet4Address address) {
    if (INET4_HASH_IS_ADDRESS) {
      return address.hashCode();
    }
    return ipv4BitsFromBytes(address.getAddress());
  }

  static int ipv4BitsFromBytes(byte[] b) {
    return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
  }

  private static boolean inet4HashIsAddress() {
    int[] samples = {0, 1, 0x7F00_0001, 0x8000_0000, 0xC0A8_0101, 0xFFFF_FFFF, 0x0A01_0203};
    try {
      for (int v : samples) {
        byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        InetAddress a = InetAddress.getByAddress(b);
        if (!(a instanceof Inet4Address) || a.hashCode() != v) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
