package dev.authcore.benchmarks;

import dev.authcore.net.ClientAddresses;
import dev.authcore.net.IpAllowList;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressTrie;
import inet.ipaddr.ipv6.IPv6Address;
import inet.ipaddr.ipv6.IPv6AddressTrie;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.util.SubnetUtils;
import org.apache.commons.net.util.SubnetUtils6;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.security.util.matcher.InetAddressMatcher;
import org.springframework.security.util.matcher.InetAddressMatchers;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * What one IP allow-list check costs on the request path: {@link IpAllowList#allows(InetAddress)}
 * on an already parsed client address, against the structures and libraries a gateway could use
 * instead, all built from the same entries and asked about the same clients.
 *
 * <p>Workload ({@code @Param}): {@code entries} CIDR blocks (10, 1,000 or 100,000; half single
 * addresses, half blocks of /20 to /31 for IPv4, /48 to /127 for IPv6 in 2000::/3), all of one
 * {@code family}; clients cycle through 256 addresses that are all inside an entry ({@code hit}) or
 * all outside every entry ({@code miss}). 256 distinct clients is a corp's traffic from a few
 * offices and data centres: the part of a large structure they touch stays in cache. Setup checks
 * that every implementation gives the expected answer for every client.
 *
 * <p>Benchmarks:
 *
 * <ul>
 *   <li>{@code authcore}: {@code IpAllowList.allows(InetAddress)}, the thing measured. Goals: under
 *       50 ns; at most 1.5x from 10 to 100,000 entries; at 1,000 entries at least 100x faster than
 *       {@code springIpAddressMatcherLoop}.
 *   <li>{@code authcoreFromText}: {@code ClientAddresses.parse(String)} then {@code allows}, for a
 *       gateway that only has the address as text.
 *   <li>{@code sortedRangesBinarySearch}: the rejected design, merged ranges with a plain binary
 *       search ({@link SortedRangesBaseline}).
 *   <li>{@code ipaddressTrie}: the rejected design, the seancfoley IPAddress library's {@code
 *       IPv4AddressTrie}/{@code IPv6AddressTrie} with {@code elementContains}, including the
 *       conversion of the {@code InetAddress}.
 *   <li>{@code springIpAddressMatcherLoop}: Spring Security's {@code IpAddressMatcher}, one per
 *       entry, tried in turn with {@code matches(String)} (its only non-servlet method, which
 *       parses the client text each time, as it does inside {@code matches(request)}).
 *   <li>{@code springInetAddressMatchers}: Spring Security 7.1's {@code
 *       InetAddressMatchers.builder().includeAddresses(entries)} on the {@code InetAddress}.
 *   <li>{@code commonsNetSubnetUtilsLoop}: commons-net {@code SubnetUtils} (IPv4, {@code
 *       isInRange(int)}, inclusive host count) or {@code SubnetUtils6} (IPv6, {@code
 *       isInRange(Inet6Address)}), one per entry, tried in turn.
 * </ul>
 *
 * <p>Run (after {@code mvn -B -DskipTests package}; JMH takes a machine-wide lock, run one at a
 * time):
 *
 * <pre>
 * java -jar auth-benchmarks/target/benchmarks.jar AllowListBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s
 * </pre>
 *
 * Add {@code -prof gc} to see allocation per operation ({@code authcore} allocates nothing for
 * IPv4; for IPv6, 32 bytes: the copy {@code Inet6Address.getAddress()} makes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AllowListBenchmark {

  private static final int CLIENTS = 256;
  private static final long SEED = 20_240_601L;

  @Param({"10", "1000", "100000"})
  int entries;

  @Param({"ipv4", "ipv6"})
  String family = "ipv4";

  @Param({"hit", "miss"})
  String outcome = "hit";

  private IpAllowList list = IpAllowList.empty();
  private InetAddress[] clients = new InetAddress[0];
  private String[] clientTexts = new String[0];
  private SortedRangesBaseline sortedRanges = new SortedRangesBaseline(new long[0][]);
  private IPv4AddressTrie trie4 = new IPv4AddressTrie();
  private IPv6AddressTrie trie6 = new IPv6AddressTrie();
  private IpAddressMatcher[] springMatchers = new IpAddressMatcher[0];
  private InetAddressMatcher springInetMatcher = address -> false;
  private SubnetUtils.SubnetInfo[] subnets4 = new SubnetUtils.SubnetInfo[0];
  private SubnetUtils6.SubnetInfo[] subnets6 = new SubnetUtils6.SubnetInfo[0];

  /** Which client the next call asks about; per thread so that threads do not contend. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    int advance() {
      return next++ & (CLIENTS - 1);
    }
  }

  @Setup
  public void setUp() throws UnknownHostException {
    boolean v6 = family.equals("ipv6");
    SplittableRandom random = new SplittableRandom(SEED + entries + (v6 ? 1 : 0));
    List<long[]> ranges = new ArrayList<>(entries);
    List<String> cidrs = new ArrayList<>(entries);
    for (int i = 0; i < entries; i++) {
      long[] range = v6 ? randomIpv6Block(random) : randomIpv4Block(random);
      ranges.add(range);
      cidrs.add(cidr(range));
    }
    list = IpAllowList.parse(String.join("\n", cidrs));
    sortedRanges = new SortedRangesBaseline(ranges.toArray(new long[0][]));
    springMatchers = cidrs.stream().map(IpAddressMatcher::new).toArray(IpAddressMatcher[]::new);
    springInetMatcher = InetAddressMatchers.builder().includeAddresses(cidrs).build();
    trie4 = new IPv4AddressTrie();
    trie6 = new IPv6AddressTrie();
    List<SubnetUtils.SubnetInfo> s4 = new ArrayList<>();
    List<SubnetUtils6.SubnetInfo> s6 = new ArrayList<>();
    for (long[] r : ranges) {
      int prefix = (int) r[5];
      String withPrefix = address(v6, r[1], r[2]).getHostAddress() + "/" + prefix;
      if (v6) {
        trie6.add(new IPv6Address(r[1], r[2], prefix).toPrefixBlock());
        s6.add(new SubnetUtils6(withPrefix).getInfo());
      } else {
        trie4.add(new IPv4Address((int) r[2], prefix).toPrefixBlock());
        SubnetUtils utils = new SubnetUtils(withPrefix);
        utils.setInclusiveHostCount(true);
        s4.add(utils.getInfo());
      }
    }
    subnets4 = s4.toArray(new SubnetUtils.SubnetInfo[0]);
    subnets6 = s6.toArray(new SubnetUtils6.SubnetInfo[0]);

    boolean hit = outcome.equals("hit");
    clients = new InetAddress[CLIENTS];
    clientTexts = new String[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
      InetAddress client;
      do {
        client = hit ? inside(random, ranges.get(random.nextInt(entries))) : anywhere(random, v6);
      } while (!hit && sortedRanges(client));
      clients[i] = client;
      clientTexts[i] = client.getHostAddress();
    }
    checkAllAgree(hit);
  }

  /** Every implementation must give the expected answer for every client, or nothing is fair. */
  private void checkAllAgree(boolean expected) {
    for (int i = 0; i < CLIENTS; i++) {
      boolean[] answers = {
        authcore(at(i)),
        authcoreFromText(at(i)),
        sortedRangesBinarySearch(at(i)),
        ipaddressTrie(at(i)),
        springIpAddressMatcherLoop(at(i)),
        springInetAddressMatchers(at(i)),
        commonsNetSubnetUtilsLoop(at(i)),
      };
      for (int k = 0; k < answers.length; k++) {
        if (answers[k] != expected) {
          throw new IllegalStateException(
              "implementation " + k + " answers " + answers[k] + " for " + clientTexts[i]);
        }
      }
    }
  }

  private static Cursor at(int client) {
    Cursor cursor = new Cursor();
    cursor.next = client;
    return cursor;
  }

  private boolean sortedRanges(InetAddress client) {
    byte[] b = client.getAddress();
    if (b.length == 4) {
      return sortedRanges.containsIpv4(ByteBuffer.wrap(b).getInt() & 0xFFFF_FFFFL);
    }
    ByteBuffer buffer = ByteBuffer.wrap(b);
    return sortedRanges.containsIpv6(buffer.getLong(), buffer.getLong());
  }

  @Benchmark
  public boolean authcore(Cursor cursor) {
    return list.allows(clients[cursor.advance()]);
  }

  @Benchmark
  public boolean authcoreFromText(Cursor cursor) {
    return list.allows(ClientAddresses.parse(clientTexts[cursor.advance()]));
  }

  @Benchmark
  public boolean sortedRangesBinarySearch(Cursor cursor) {
    return sortedRanges(clients[cursor.advance()]);
  }

  @Benchmark
  public boolean ipaddressTrie(Cursor cursor) {
    InetAddress client = clients[cursor.advance()];
    if (client instanceof Inet4Address a4) {
      return trie4.elementContains(new IPv4Address(a4));
    }
    return trie6.elementContains(new IPv6Address((Inet6Address) client));
  }

  @Benchmark
  public boolean springIpAddressMatcherLoop(Cursor cursor) {
    String client = clientTexts[cursor.advance()];
    for (IpAddressMatcher m : springMatchers) {
      if (m.matches(client)) {
        return true;
      }
    }
    return false;
  }

  @Benchmark
  public boolean springInetAddressMatchers(Cursor cursor) {
    return springInetMatcher.matches(clients[cursor.advance()]);
  }

  @Benchmark
  public boolean commonsNetSubnetUtilsLoop(Cursor cursor) {
    InetAddress client = clients[cursor.advance()];
    if (client instanceof Inet4Address) {
      int address = ByteBuffer.wrap(client.getAddress()).getInt();
      for (SubnetUtils.SubnetInfo s : subnets4) {
        if (s.isInRange(address)) {
          return true;
        }
      }
      return false;
    }
    Inet6Address a6 = (Inet6Address) client;
    for (SubnetUtils6.SubnetInfo s : subnets6) {
      if (s.isInRange(a6)) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- workload

  /** {@code {0, 0, start, 0, end, prefix}}: half single addresses, half /20 to /31 blocks. */
  private static long[] randomIpv4Block(SplittableRandom random) {
    int prefix = random.nextBoolean() ? 32 : random.nextInt(20, 32);
    long size = 1L << (32 - prefix);
    // Avoid 0.0.0.0/8 so that no entry is the unspecified address.
    long start = (random.nextLong(1L << 24, 1L << 32) / size) * size;
    return new long[] {0, 0, start, 0, start + size - 1, prefix};
  }

  /** {@code {1, startHi, startLo, endHi, endLo, prefix}} in 2000::/3. */
  private static long[] randomIpv6Block(SplittableRandom random) {
    int prefix = random.nextBoolean() ? 128 : random.nextInt(48, 128);
    long hi = 0x2000_0000_0000_0000L | (random.nextLong() >>> 3);
    long lo = random.nextLong();
    int hostBits = 128 - prefix;
    long maskHi = hostBits > 64 ? (1L << (hostBits - 64)) - 1 : 0;
    long maskLo = hostBits >= 64 ? -1L : (1L << hostBits) - 1;
    return new long[] {1, hi & ~maskHi, lo & ~maskLo, hi | maskHi, lo | maskLo, prefix};
  }

  private static String cidr(long[] r) throws UnknownHostException {
    String start = address(r[0] == 1, r[1], r[2]).getHostAddress();
    int prefix = (int) r[5];
    return prefix == (r[0] == 1 ? 128 : 32) ? start : start + "/" + prefix;
  }

  private static InetAddress address(boolean v6, long hi, long lo) throws UnknownHostException {
    if (!v6) {
      return InetAddress.getByAddress(ByteBuffer.allocate(4).putInt((int) lo).array());
    }
    return InetAddress.getByAddress(ByteBuffer.allocate(16).putLong(hi).putLong(lo).array());
  }

  /** A random address in a block: its start with random host bits. */
  private static InetAddress inside(SplittableRandom random, long[] r) throws UnknownHostException {
    long hostHi = r[3] - r[1];
    long hostLo = r[4] - r[2];
    return address(
        r[0] == 1, r[1] | (random.nextLong() & hostHi), r[2] | (random.nextLong() & hostLo));
  }

  private static InetAddress anywhere(SplittableRandom random, boolean v6)
      throws UnknownHostException {
    if (!v6) {
      return address(false, 0, random.nextLong(1L << 24, 1L << 32));
    }
    return address(true, 0x2000_0000_0000_0000L | (random.nextLong() >>> 3), random.nextLong());
  }
}
