package dev.authcore.testkit;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Seeded allow-list texts as an owner types them (one entry per line, blank lines and {@code #}
 * comments), valid ones with the entries they mean, and subtly invalid ones with the lines that are
 * wrong.
 *
 * <p>A {@link Valid} list carries its {@linkplain Addresses.Block blocks}, so {@link
 * Valid#allows(InetAddress)} is an independent oracle for a parsed list's matcher. A {@link Flawed}
 * list is a valid list with some lines replaced by entries that SPEC's strict parsing refuses
 * (leading zeros, shorthand {@code 127.1}, hex and octal, zone ids, host bits set, a range
 * backwards or mixing families, {@code 0.0.0.0/0}, prefix lengths out of range, wildcards, …); it
 * names every bad line, so a test can check that the parser reports all of them, by line number, at
 * once. Stateless and thread-safe.
 */
public final class AllowLists {
  private AllowLists() {}

  /**
   * A valid allow-list text.
   *
   * @param text the text, lines separated by {@code \n}
   * @param entries the blocks it allows, in line order (comments and blank lines excluded)
   */
  public record Valid(String text, List<Addresses.Block> entries) {
    public Valid {
      entries = List.copyOf(entries);
    }

    /** Whether the list lets {@code client} in: an empty list allows everyone. */
    public boolean allows(InetAddress client) {
      if (entries.isEmpty()) {
        return true;
      }
      for (Addresses.Block block : entries) {
        if (block.contains(client)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * One bad line of a {@link Flawed} list.
   *
   * @param line the line number, from 1
   * @param text the line as written
   * @param flaw why SPEC refuses it
   */
  public record BadLine(int line, String text, String flaw) {}

  /**
   * An allow-list text with one or more bad lines.
   *
   * @param text the text, lines separated by {@code \n}
   * @param badLines every bad line, in line order; never empty
   */
  public record Flawed(String text, List<BadLine> badLines) {
    public Flawed {
      badLines = List.copyOf(badLines);
    }
  }

  /** Entries SPEC refuses, each with the reason; one is drawn per bad line. */
  private static final String[][] REFUSED = {
    {"010.1.2.3", "leading zero in an IPv4 part (read as octal by some parsers)"},
    {"10.01.2.3", "leading zero in an IPv4 part"},
    {"0177.0.0.1", "octal IPv4 part"},
    {"127.1", "shorthand IPv4 (inet_aton form)"},
    {"10.1", "shorthand IPv4 (inet_aton form)"},
    {"2130706433", "IPv4 written as one number"},
    {"0x7f.0.0.1", "hexadecimal IPv4 part"},
    {"0x0a000001", "IPv4 written as one hexadecimal number"},
    {"256.1.2.3", "IPv4 part above 255"},
    {"10.0.0.1.5", "five IPv4 parts"},
    {"fe80::1%eth0", "zone id"},
    {"fe80::1%1", "numeric zone id"},
    {"10.1.2.0/16", "host bits set in a CIDR block"},
    {"2001:db8::1/32", "host bits set in an IPv6 CIDR block"},
    {"10.0.0.9-10.0.0.5", "range whose end is below its start"},
    {"10.0.0.1-2001:db8::1", "range mixing IPv4 and IPv6"},
    {"0.0.0.0/0", "allows every IPv4 address"},
    {"::/0", "allows every IPv6 address"},
    {"0.0.0.0-255.255.255.255", "range allowing every IPv4 address"},
    {"10.0.0.0/33", "IPv4 prefix length above 32"},
    {"2001:db8::/129", "IPv6 prefix length above 128"},
    {"1.2.3.4/2147483648", "prefix length beyond int range"},
    {"::/4294967297", "prefix length beyond int range"},
    {"10.0.0.0/", "missing prefix length"},
    {"10.0.0.0/-8", "negative prefix length"},
    {"10.0.0.0/255.0.0.0", "netmask instead of a prefix length"},
    {"10.0.0.*", "wildcard"},
    {"10.0.0.1 10.0.0.2", "two entries on one line"},
    {"10.0.0.1,10.0.0.2", "two entries on one line"},
    {"localhost", "host name, not an address"},
    {"2001:db8:::1", "malformed IPv6 (':::')"},
    {"2001:db8::1::2", "malformed IPv6 (two '::')"},
    {"12345::1", "IPv6 group of five digits"},
    {"[2001:db8::1]", "brackets around an IPv6 address"},
    {"10.0.0.1:8080", "port after an address"},
    {"10.0.0.1-", "range without an end"},
    {"0.0.0.0", "the unspecified address"},
    {"::", "the unspecified IPv6 address"},
  };

  /**
   * A valid list of 1 to {@code maxEntries} entries (addresses, CIDR blocks and ranges of both
   * families), with blank lines and comment lines mixed in.
   *
   * @throws IllegalArgumentException if {@code maxEntries} is below 1
   */
  public static Valid valid(RandomGenerator random, int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
    }
    int count = 1 + random.nextInt(maxEntries);
    List<String> lines = new ArrayList<>();
    List<Addresses.Block> entries = new ArrayList<>();
    if (random.nextInt(3) == 0) {
      lines.add("# allowed networks");
    }
    for (int i = 0; i < count; i++) {
      if (random.nextInt(6) == 0) {
        lines.add("");
      }
      if (random.nextInt(6) == 0) {
        lines.add("# entry " + (i + 1));
      }
      Addresses.Block block = Addresses.block(random);
      entries.add(block);
      lines.add(block.text());
    }
    return new Valid(String.join("\n", lines), entries);
  }

  /** A list holding exactly these blocks, one a line. */
  public static Valid of(List<Addresses.Block> blocks) {
    List<String> lines = new ArrayList<>();
    for (Addresses.Block block : blocks) {
      lines.add(block.text());
    }
    return new Valid(String.join("\n", lines), blocks);
  }

  /**
   * A list of up to {@code maxEntries} valid entries in which 1 to 3 lines are replaced by entries
   * SPEC refuses.
   *
   * @throws IllegalArgumentException if {@code maxEntries} is below 1
   */
  public static Flawed flawed(RandomGenerator random, int maxEntries) {
    Valid valid = valid(random, maxEntries);
    List<String> lines = new ArrayList<>(List.of(valid.text().split("\n", -1)));
    int bad = 1 + random.nextInt(Math.min(3, lines.size()));
    List<Integer> positions = new ArrayList<>();
    while (positions.size() < bad) {
      int at = random.nextInt(lines.size());
      if (!positions.contains(at)) {
        positions.add(at);
      }
    }
    positions.sort(null);
    List<BadLine> badLines = new ArrayList<>();
    for (int at : positions) {
      String[] refused = REFUSED[random.nextInt(REFUSED.length)];
      lines.set(at, refused[0]);
      badLines.add(new BadLine(at + 1, refused[0], refused[1]));
    }
    return new Flawed(String.join("\n", lines), badLines);
  }

  /** Every refused entry this class draws from, with its reason, for exhaustive tests. */
  public static List<BadLine> refusedEntries() {
    List<BadLine> out = new ArrayList<>(REFUSED.length);
    for (String[] refused : REFUSED) {
      out.add(new BadLine(1, refused[0], refused[1]));
    }
    return List.copyOf(out);
  }
}
