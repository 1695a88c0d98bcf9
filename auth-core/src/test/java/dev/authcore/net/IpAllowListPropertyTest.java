package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.authcore.testkit.Seeds;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Compares {@link IpAllowList#allows(InetAddress)} with an oracle written independently of the
 * library: entries and clients are plain {@link BigInteger}s, rendered to text by this class, and
 * "allowed" is a linear scan of {@code start <= client <= end}, with IPv4-mapped clients (and only
 * those) folded to IPv4 by arithmetic.
 *
 * <p>Random but reproducible: the seed is printed; rerun with {@code -Dauthcore.seed=<seed>} (for
 * example {@code mvn -pl auth-core test -Dtest=IpAllowListPropertyTest -Dauthcore.seed=42}). Each
 * list is a dynamic test of its own with its own derived seed, so a failure names the list.
 */
class IpAllowListPropertyTest {

  private static final int LISTS = 250;
  private static final int CLIENTS_PER_LIST = 420;
  private static final int MAX_LIST_SIZE = 1500;
  private static final int PAIRS = 300;
  private static final int CLIENTS_PER_PAIR = 300;
  private static final int PAIR_LIST_SIZE = 40;

  private static final BigInteger TWO = BigInteger.TWO;
  private static final BigInteger V4_MAX = TWO.pow(32).subtract(BigInteger.ONE);
  private static final BigInteger V6_MAX = TWO.pow(128).subtract(BigInteger.ONE);
  private static final BigInteger MAPPED_START = BigInteger.valueOf(0xFFFFL).shiftLeft(32);
  private static final BigInteger MAPPED_END = MAPPED_START.add(V4_MAX);
  private static final BigInteger DOC_PREFIX = new BigInteger("20010db8", 16).shiftLeft(96);

  /** An entry of the oracle: family and inclusive bounds. */
  private record Range(boolean v6, BigInteger start, BigInteger end) {}

  /** A client of the oracle: the bytes handed to the list, and the value and family it means. */
  private record Client(InetAddress address, boolean v6, BigInteger value) {}

  @TestFactory
  Stream<DynamicTest> allows_agreesWithBigIntegerOracle() {
    long seed = Seeds.seed("IpAllowListPropertyTest");
    RandomGenerator master = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    long[] listSeeds = IntStream.range(0, LISTS).mapToLong(i -> master.nextLong()).toArray();
    return IntStream.range(0, LISTS)
        .mapToObj(
            i ->
                DynamicTest.dynamicTest(
                    "list " + i + " (seed " + seed + ")",
                    () -> checkOneList(seed, i, listSeeds[i])));
  }

  /**
   * A corp's list and a token's own list, each present or absent: a client passes when both lists
   * that are present allow it ({@link #oracle} of each, an absent list allowing everyone). Also
   * checks what saving a token list under a corp list computes: {@link IpAllowList#overlaps}
   * against an exact interval oracle, {@link IpAllowList#partsOutside} against the sampled clients
   * the token list allows, and {@link IpAllowList#parseWithin} refusing exactly the lists that do
   * not overlap.
   */
  @TestFactory
  Stream<DynamicTest> corpAndTokenLists_agreeWithOracle() {
    long seed = Seeds.seed("IpAllowListPropertyTest.pairs");
    RandomGenerator master = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    long[] pairSeeds = IntStream.range(0, PAIRS).mapToLong(i -> master.nextLong()).toArray();
    return IntStream.range(0, PAIRS)
        .mapToObj(
            i ->
                DynamicTest.dynamicTest(
                    "pair " + i + " (seed " + seed + ")",
                    () -> checkOnePair(seed, i, pairSeeds[i])));
  }

  private static void checkOnePair(long seed, int index, long pairSeed) throws Exception {
    RandomGenerator r = RandomGeneratorFactory.of("L64X128MixRandom").create(pairSeed);
    List<Range> corpRanges = r.nextInt(5) == 0 ? List.of() : randomRanges(r, PAIR_LIST_SIZE);
    List<Range> tokenRanges = r.nextInt(5) == 0 ? List.of() : randomRanges(r, PAIR_LIST_SIZE);
    if (r.nextBoolean() && !corpRanges.isEmpty()) {
      // often let the token list start from the corp's ranges, so that lists overlap
      List<Range> mixed = new ArrayList<>(tokenRanges);
      mixed.add(pick(r, corpRanges));
      tokenRanges = mixed;
    }
    IpAllowList corp = IpAllowList.parse(text(r, corpRanges));
    String tokenText = text(r, tokenRanges);
    IpAllowList token = IpAllowList.parse(tokenText);
    String where =
        "seed "
            + seed
            + ", pair "
            + index
            + ":\ncorp:\n"
            + corp.toText()
            + "token:\n"
            + token.toText();

    boolean overlaps = overlapOracle(corpRanges, tokenRanges);
    assertThat(token.overlaps(corp)).as(where + "overlaps").isEqualTo(overlaps);
    assertThat(corp.overlaps(token)).as(where + "overlaps, other way").isEqualTo(overlaps);
    boolean refused;
    try {
      IpAllowList.parseWithin(tokenText, corp);
      refused = false;
    } catch (AllowListException e) {
      refused = true;
    }
    assertThat(refused).as(where + "parseWithin refused").isEqualTo(!overlaps);

    List<Range> outside = new ArrayList<>();
    for (String part : token.partsOutside(corp)) {
      outside.add(rangeOf(part));
    }
    int passed = 0;
    for (int c = 0; c < CLIENTS_PER_PAIR; c++) {
      List<Range> near = r.nextBoolean() || corpRanges.isEmpty() ? tokenRanges : corpRanges;
      Client client = randomClient(r, near);
      boolean corpAllows = oracle(corpRanges, client);
      boolean tokenAllows = oracle(tokenRanges, client);
      boolean both = corp.allows(client.address()) && token.allows(client.address());
      assertThat(both)
          .as(where + "client " + client.address() + " passes both")
          .isEqualTo(corpAllows && tokenAllows);
      passed += both ? 1 : 0;
      if (tokenAllows && !tokenRanges.isEmpty() && !corpRanges.isEmpty()) {
        assertThat(!outside.isEmpty() && oracle(outside, client))
            .as(where + "client " + client.address() + " in partsOutside")
            .isEqualTo(!corpAllows);
      }
    }
    if (passed > 0) {
      assertThat(overlaps).as(where + "a sampled client passed both").isTrue();
    }
  }

  private static String text(RandomGenerator r, List<Range> ranges) {
    StringBuilder text = new StringBuilder();
    for (Range range : ranges) {
      text.append(spell(r, range)).append('\n');
    }
    return text.toString();
  }

  /**
   * Whether some address passes both lists, by interval arithmetic: an absent list allows all; IPv6
   * ranges lose the mapped block first (mapped clients are matched as IPv4).
   */
  private static boolean overlapOracle(List<Range> a, List<Range> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return true;
    }
    for (Range x : withoutMapped(a)) {
      for (Range y : withoutMapped(b)) {
        if (x.v6() == y.v6()
            && x.start().compareTo(y.end()) <= 0
            && y.start().compareTo(x.end()) <= 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<Range> withoutMapped(List<Range> ranges) {
    List<Range> out = new ArrayList<>();
    for (Range range : ranges) {
      if (!range.v6()) {
        out.add(range);
        continue;
      }
      if (range.start().compareTo(MAPPED_START) < 0) {
        out.add(
            new Range(true, range.start(), range.end().min(MAPPED_START.subtract(BigInteger.ONE))));
      }
      if (range.end().compareTo(MAPPED_END) > 0) {
        out.add(new Range(true, range.start().max(MAPPED_END.add(BigInteger.ONE)), range.end()));
      }
    }
    return out;
  }

  /** A canonical entry ({@code a}, {@code a/p} or {@code a-b}) as a range, read here. */
  private static Range rangeOf(String entry) throws UnknownHostException {
    int dash = entry.indexOf('-');
    int slash = entry.indexOf('/');
    String first = entry.substring(0, dash >= 0 ? dash : slash >= 0 ? slash : entry.length());
    boolean v6 = first.contains(":");
    BigInteger start = new BigInteger(1, InetAddress.getByName(first).getAddress());
    if (dash >= 0) {
      return new Range(
          v6,
          start,
          new BigInteger(1, InetAddress.getByName(entry.substring(dash + 1)).getAddress()));
    }
    if (slash >= 0) {
      int prefix = Integer.parseInt(entry.substring(slash + 1));
      BigInteger size = TWO.pow((v6 ? 128 : 32) - prefix);
      return new Range(v6, start, start.add(size).subtract(BigInteger.ONE));
    }
    return new Range(v6, start, start);
  }

  private static void checkOneList(long seed, int index, long listSeed) throws Exception {
    RandomGenerator r = RandomGeneratorFactory.of("L64X128MixRandom").create(listSeed);
    List<Range> ranges = randomRanges(r, MAX_LIST_SIZE);
    StringBuilder text = new StringBuilder();
    for (Range range : ranges) {
      text.append(spell(r, range)).append(r.nextInt(8) == 0 ? "  # note\r\n" : "\n");
    }
    IpAllowList list;
    try {
      list = IpAllowList.parse(text.toString());
    } catch (AllowListException e) {
      fail(where(seed, index, text) + "valid generated list refused: " + e.getMessage());
      return;
    }
    assertThat(list.size()).as(where(seed, index, text)).isEqualTo(ranges.size());
    for (int c = 0; c < CLIENTS_PER_LIST; c++) {
      Client client = randomClient(r, ranges);
      boolean expected = oracle(ranges, client);
      if (list.allows(client.address()) != expected) {
        fail(
            where(seed, index, text)
                + "client "
                + client.address()
                + " (value "
                + client.value().toString(16)
                + (client.v6() ? ", IPv6" : ", IPv4")
                + "): expected allows="
                + expected);
      }
    }
  }

  private static String where(long seed, int index, CharSequence text) {
    String shown = text.length() > 3000 ? text.subSequence(0, 3000) + "..." : text.toString();
    return "seed " + seed + ", list " + index + ":\n" + shown + "\n";
  }

  private static boolean oracle(List<Range> ranges, Client client) {
    if (ranges.isEmpty()) {
      return true;
    }
    boolean v6 = client.v6();
    BigInteger value = client.value();
    if (v6 && value.compareTo(MAPPED_START) >= 0 && value.compareTo(MAPPED_END) <= 0) {
      v6 = false;
      value = value.subtract(MAPPED_START);
    }
    for (Range range : ranges) {
      if (range.v6() == v6
          && range.start().compareTo(value) <= 0
          && value.compareTo(range.end()) <= 0) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- lists

  private static List<Range> randomRanges(RandomGenerator r, int maxSize) {
    // Sizes spread over 0 .. maxSize, small ones most often.
    int size = (int) Math.floor(Math.pow(maxSize + 1, r.nextDouble())) - 1;
    int familyMix = r.nextInt(3); // 0: IPv4 only, 1: IPv6 only, 2: both
    List<Range> ranges = new ArrayList<>(size);
    while (ranges.size() < size) {
      boolean v6 = familyMix == 2 ? r.nextBoolean() : familyMix == 1;
      Range range = v6 ? randomV6(r, ranges) : randomV4(r, ranges);
      if (acceptable(range)) {
        ranges.add(range);
      }
    }
    return ranges;
  }

  /** Excludes what the list must refuse: the unspecified address, mapped-only IPv6 entries. */
  private static boolean acceptable(Range range) {
    if (range.start().equals(range.end()) && range.start().signum() == 0) {
      return false;
    }
    return !(range.v6()
        && range.start().compareTo(MAPPED_START) >= 0
        && range.end().compareTo(MAPPED_END) <= 0);
  }

  private static Range randomV4(RandomGenerator r, List<Range> existing) {
    BigInteger base =
        !existing.isEmpty() && r.nextInt(4) == 0
            ? pick(r, existing).start() // cluster near another entry: overlaps, containment
            : BigInteger.valueOf(r.nextLong(1L << 32));
    if (base.compareTo(V4_MAX) > 0) {
      base = BigInteger.valueOf(r.nextLong(1L << 32));
    }
    if (r.nextInt(3) == 0) {
      BigInteger end = base.add(BigInteger.valueOf(r.nextLong(1L << r.nextInt(1, 28))));
      return new Range(false, base, end.min(V4_MAX));
    }
    int prefix = r.nextInt(8, 33);
    return block(false, base, prefix);
  }

  private static Range randomV6(RandomGenerator r, List<Range> existing) {
    BigInteger base;
    switch (r.nextInt(5)) {
      case 0 -> base = new BigInteger(128, toJavaRandom(r));
      case 1 -> base = DOC_PREFIX.add(new BigInteger(96, toJavaRandom(r)));
      case 2 -> base = MAPPED_START.add(BigInteger.valueOf(r.nextLong(-(1L << 20), 1L << 20)));
      case 3 ->
          base =
              existing.isEmpty()
                  ? new BigInteger(128, toJavaRandom(r))
                  : pick(r, existing).start().add(BigInteger.valueOf(r.nextInt(1 << 16)));
      default -> base = new BigInteger(48, toJavaRandom(r)); // near ::, low addresses
    }
    base = base.max(BigInteger.ZERO).min(V6_MAX);
    if (r.nextInt(3) == 0) {
      BigInteger end = base.add(new BigInteger(r.nextInt(1, 100), toJavaRandom(r)));
      return new Range(true, base, end.min(V6_MAX));
    }
    int prefix = r.nextInt(16, 129);
    return block(true, base, prefix);
  }

  private static Range block(boolean v6, BigInteger base, int prefix) {
    int bits = v6 ? 128 : 32;
    BigInteger size = TWO.pow(bits - prefix);
    BigInteger start = base.divide(size).multiply(size);
    return new Range(v6, start, start.add(size).subtract(BigInteger.ONE));
  }

  private static Range pick(RandomGenerator r, List<Range> ranges) {
    return ranges.get(r.nextInt(ranges.size()));
  }

  /** BigInteger wants a java.util.Random; derive one from the generator for reproducibility. */
  private static java.util.Random toJavaRandom(RandomGenerator r) {
    return new java.util.Random(r.nextLong());
  }

  // ---------------------------------------------------------------- spelling entries

  /** Writes a range in one of the spellings a person might use; independent of the library. */
  private static String spell(RandomGenerator r, Range range) {
    int prefix = prefixOf(range);
    if (range.start().equals(range.end()) && r.nextBoolean()) {
      return address(r, range.v6(), range.start());
    }
    if (prefix >= 0 && r.nextInt(4) != 0) {
      return address(r, range.v6(), range.start()) + "/" + prefix;
    }
    return address(r, range.v6(), range.start()) + "-" + address(r, range.v6(), range.end());
  }

  private static int prefixOf(Range range) {
    BigInteger size = range.end().subtract(range.start()).add(BigInteger.ONE);
    if (size.bitCount() != 1 || range.start().mod(size).signum() != 0) {
      return -1;
    }
    return (range.v6() ? 128 : 32) - (size.bitLength() - 1);
  }

  private static String address(RandomGenerator r, boolean v6, BigInteger value) {
    if (!v6) {
      long v = value.longValueExact();
      return (v >>> 24) + "." + ((v >>> 16) & 0xFF) + "." + ((v >>> 8) & 0xFF) + "." + (v & 0xFF);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = value.shiftRight(112 - 16 * i).intValue() & 0xFFFF;
    }
    String[] parts = new String[8];
    int style = r.nextInt(3);
    for (int i = 0; i < 8; i++) {
      parts[i] =
          switch (style) {
            case 0 -> String.format(Locale.ROOT, "%04x", groups[i]);
            case 1 -> Integer.toHexString(groups[i]).toUpperCase(Locale.ROOT);
            default -> Integer.toHexString(groups[i]);
          };
    }
    if (r.nextBoolean()) {
      return String.join(":", parts);
    }
    // Compress one run of zero groups (any run, not necessarily the longest: both are valid).
    List<int[]> runs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      if (groups[i] == 0) {
        int j = i;
        while (j < 8 && groups[j] == 0) {
          j++;
        }
        runs.add(new int[] {i, j});
        i = j;
      }
    }
    if (runs.isEmpty()) {
      return String.join(":", parts);
    }
    int[] run = runs.get(r.nextInt(runs.size()));
    String head = String.join(":", List.of(parts).subList(0, run[0]));
    String tail = String.join(":", List.of(parts).subList(run[1], 8));
    return head + "::" + tail;
  }

  // ---------------------------------------------------------------- clients

  private static Client randomClient(RandomGenerator r, List<Range> ranges) throws Exception {
    int kind = r.nextInt(100);
    if (kind < 45 && !ranges.isEmpty()) {
      Range range = pick(r, ranges);
      BigInteger max = range.v6() ? V6_MAX : V4_MAX;
      BigInteger value =
          switch (r.nextInt(5)) {
            case 0 -> range.start();
            case 1 -> range.end();
            case 2 -> range.start().subtract(BigInteger.ONE);
            case 3 -> range.end().add(BigInteger.ONE);
            default -> between(r, range.start(), range.end());
          };
      value = value.max(BigInteger.ZERO).min(max);
      return range.v6() ? v6Client(r, value) : v4Client(r, value);
    }
    if (kind < 60) {
      return v4Client(r, BigInteger.valueOf(r.nextLong(1L << 32)));
    }
    if (kind < 72) {
      return v6Client(r, new BigInteger(128, toJavaRandom(r)));
    }
    if (kind < 80) {
      // The edges of the mapped block and just outside it.
      BigInteger[] edges = {
        MAPPED_START,
        MAPPED_END,
        MAPPED_START.subtract(BigInteger.ONE),
        MAPPED_END.add(BigInteger.ONE)
      };
      return v6Client(r, edges[r.nextInt(edges.length)]);
    }
    // An IPv4 value hidden in IPv6 through embeddings that must not be converted.
    BigInteger v4 =
        ranges.isEmpty() || r.nextBoolean()
            ? BigInteger.valueOf(r.nextLong(1L << 32))
            : pick(r, ranges).start().and(V4_MAX);
    BigInteger[] embeddings = {
      v4, // IPv4-compatible ::a.b.c.d
      new BigInteger("0064ff9b", 16).shiftLeft(96).add(v4), // NAT64 64:ff9b::/96
      BigInteger.valueOf(0x2002L).shiftLeft(112).add(v4.shiftLeft(80)), // 6to4
      BigInteger.valueOf(0xFFFFL).shiftLeft(48).add(v4), // ::ffff:0:a.b.c.d (SIIT), not mapped
    };
    return v6Client(r, embeddings[r.nextInt(embeddings.length)]);
  }

  private static BigInteger between(RandomGenerator r, BigInteger lo, BigInteger hi) {
    BigInteger span = hi.subtract(lo).add(BigInteger.ONE);
    BigInteger offset = new BigInteger(span.bitLength() + 8, toJavaRandom(r)).mod(span);
    return lo.add(offset);
  }

  /**
   * An IPv4 client: as an Inet4Address, or (a third of the time) as an IPv4-mapped Inet6Address.
   */
  private static Client v4Client(RandomGenerator r, BigInteger value) throws UnknownHostException {
    if (r.nextInt(3) == 0) {
      return new Client(inet6(r, MAPPED_START.add(value)), true, MAPPED_START.add(value));
    }
    return new Client(InetAddress.getByAddress(bytes(value, 4)), false, value);
  }

  private static Client v6Client(RandomGenerator r, BigInteger value) throws UnknownHostException {
    return new Client(inet6(r, value), true, value);
  }

  /** Always an Inet6Address (mapped ones included), sometimes with a scope id. */
  private static Inet6Address inet6(RandomGenerator r, BigInteger value)
      throws UnknownHostException {
    int scope = r.nextInt(4) == 0 ? r.nextInt(1, 10) : -1;
    return Inet6Address.getByAddress(null, bytes(value, 16), scope);
  }

  private static byte[] bytes(BigInteger value, int length) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[length];
    int copy = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
    return out;
  }
}
