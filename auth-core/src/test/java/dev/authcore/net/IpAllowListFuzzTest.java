package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.common.net.InetAddresses;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes {@link IpAllowList#parse(String)}: whatever the text, the result is a list or an {@link
 * AllowListException}, never another exception; an accepted list round-trips through its canonical
 * text, allows the bounds of each of its entries, and answers {@link IpAllowList#allows} exactly as
 * an independent oracle reading that canonical text does, for fixed probes and for each entry's
 * bounds and the addresses just outside them (IPv4 probes also IPv4-mapped); problems are safe to
 * log.
 *
 * <p>Regression mode (every {@code mvn verify}) replays {@code IpAllowListFuzzTestInputs/parse/}.
 * To fuzz: {@code JAZZER_FUZZ=1 mvn -pl auth-core test -Dtest=IpAllowListFuzzTest}; a finding is
 * written into that directory and becomes a regression case once the cause is fixed.
 */
class IpAllowListFuzzTest {

  private static final InetAddress[] PROBES = {
    ClientAddresses.parse("10.0.0.1"),
    ClientAddresses.parse("0.0.0.0"),
    ClientAddresses.parse("255.255.255.255"),
    ClientAddresses.parse("::"),
    ClientAddresses.parse("2001:db8::1"),
    ClientAddresses.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
  };

  @FuzzTest(maxDuration = "3m")
  void parse(byte[] input) throws UnknownHostException {
    String text = new String(input, StandardCharsets.UTF_8);
    IpAllowList list;
    try {
      list = IpAllowList.parse(text);
    } catch (AllowListException e) {
      assertThat(e.problems()).isNotEmpty();
      long lines = text.chars().filter(c -> c == '\n').count() + 1;
      for (AllowListProblem p : e.problems()) {
        assertThat(p.line()).isBetween(0, (int) lines);
        assertPrintable(p);
      }
      assertThat(String.valueOf(e.getMessage()).chars()).allMatch(c -> c >= 0x20 && c < 0x7F);
      return;
    }
    list.warnings().forEach(IpAllowListFuzzTest::assertPrintable);
    IpAllowList again = IpAllowList.parse(list.toText());
    assertThat(again).isEqualTo(list);
    assertThat(again.toText()).isEqualTo(list.toText());
    assertThat(again.size()).isEqualTo(list.size());
    // An empty list restricts nothing: it allows every address.
    List<Range> oracle = Range.allOf(list.toText());
    assertThat(oracle).hasSize(list.size());
    for (InetAddress probe : probes(oracle)) {
      assertThat(list.allows(probe))
          .as("allows(%s) of %s", probe.getHostAddress(), list)
          .isEqualTo(list.isEmpty() || Range.anyContains(oracle, probe));
    }
    for (String entry : list.toText().split("\n", -1)) {
      if (entry.isEmpty()) {
        continue;
      }
      int cut = Math.max(entry.indexOf('/'), entry.indexOf('-'));
      String first = cut < 0 ? entry : entry.substring(0, cut);
      assertThat(list.allows(ClientAddresses.parse(first))).as(entry).isTrue();
      if (entry.indexOf('-') > 0) {
        assertThat(list.allows(ClientAddresses.parse(entry.substring(cut + 1)))).as(entry).isTrue();
      }
    }
  }

  /** Most entries whose bounds and neighbours are probed, so a long list stays quick. */
  private static final int PROBED_ENTRIES = 256;

  /**
   * The fixed probes, and for each of the first {@value #PROBED_ENTRIES} entries its first and last
   * address and the addresses just outside them; each IPv4 probe also as an IPv4-mapped IPv6
   * address, which the list must judge as the IPv4 address.
   */
  private static List<InetAddress> probes(List<Range> ranges) throws UnknownHostException {
    List<InetAddress> out = new ArrayList<>(List.of(PROBES));
    for (Range r : ranges.subList(0, Math.min(ranges.size(), PROBED_ENTRIES))) {
      for (BigInteger edge :
          List.of(r.lo, r.hi, r.lo.subtract(BigInteger.ONE), r.hi.add(BigInteger.ONE))) {
        if (edge.signum() >= 0 && edge.bitLength() <= r.bytes * 8) {
          out.add(InetAddress.getByAddress(Range.bytes(edge, r.bytes)));
        }
      }
    }
    List<InetAddress> mapped = new ArrayList<>();
    for (InetAddress a : out) {
      if (a instanceof Inet4Address) {
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xFF;
        v6[11] = (byte) 0xFF;
        System.arraycopy(a.getAddress(), 0, v6, 12, 4);
        mapped.add(Inet6Address.getByAddress(null, v6, -1));
      }
    }
    out.addAll(mapped);
    return out;
  }

  /**
   * One entry of a canonical list as an inclusive range of unsigned integers, read with Guava's
   * address parser and {@link BigInteger} arithmetic: an oracle that shares no code with the list's
   * parser or matcher.
   */
  private record Range(int bytes, BigInteger lo, BigInteger hi) {
    static List<Range> allOf(String canonicalText) {
      List<Range> out = new ArrayList<>();
      for (String line : canonicalText.split("\n", -1)) {
        if (!line.isEmpty()) {
          out.add(of(line));
        }
      }
      return out;
    }

    static Range of(String entry) {
      int slash = entry.indexOf('/');
      int dash = entry.indexOf('-');
      if (dash >= 0) {
        byte[] lo = InetAddresses.forString(entry.substring(0, dash)).getAddress();
        byte[] hi = InetAddresses.forString(entry.substring(dash + 1)).getAddress();
        assertThat(hi).as("range %s: both ends of one family", entry).hasSameSizeAs(lo);
        return new Range(lo.length, new BigInteger(1, lo), new BigInteger(1, hi));
      }
      if (slash >= 0) {
        byte[] base = InetAddresses.forString(entry.substring(0, slash)).getAddress();
        int prefix = Integer.parseInt(entry.substring(slash + 1));
        int hostBits = base.length * 8 - prefix;
        BigInteger lo = new BigInteger(1, base);
        BigInteger hi = lo.add(BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE));
        assertThat(lo.shiftRight(hostBits).shiftLeft(hostBits))
            .as("block %s starts on its boundary", entry)
            .isEqualTo(lo);
        return new Range(base.length, lo, hi);
      }
      byte[] one = InetAddresses.forString(entry).getAddress();
      return new Range(one.length, new BigInteger(1, one), new BigInteger(1, one));
    }

    static boolean anyContains(List<Range> ranges, InetAddress probe) {
      byte[] b = probe.getAddress();
      if (b.length == 16 && isMappedIpv4(b)) {
        b = Arrays.copyOfRange(b, 12, 16);
      }
      BigInteger value = new BigInteger(1, b);
      for (Range r : ranges) {
        if (r.bytes == b.length && r.lo.compareTo(value) <= 0 && value.compareTo(r.hi) <= 0) {
          return true;
        }
      }
      return false;
    }

    private static boolean isMappedIpv4(byte[] b) {
      for (int i = 0; i < 10; i++) {
        if (b[i] != 0) {
          return false;
        }
      }
      return b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
    }

    static byte[] bytes(BigInteger value, int length) {
      byte[] raw = value.toByteArray();
      byte[] out = new byte[length];
      int copy = Math.min(raw.length, length);
      System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
      return out;
    }
  }

  private static void assertPrintable(AllowListProblem p) {
    assertThat(p.text().chars()).allMatch(c -> c >= 0x20 && c < 0x7F);
    assertThat(p.reason().chars()).allMatch(c -> c >= 0x20 && c < 0x7F);
  }
}
