package dev.authcore.net;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.google.common.collect.ImmutableList;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The IP addresses and ranges a corp's tokens may be used from, parsed strictly from an owner's
 * text and matched on every request.
 *
 * <h2>The text</h2>
 *
 * One entry per line: an IPv4 or IPv6 address ({@code 10.1.2.3}, {@code 2001:db8::7}), a CIDR block
 * ({@code 10.1.0.0/16}, {@code 2001:db8::/32}) or an explicit inclusive range ({@code
 * 10.0.0.5-10.0.0.9}). Blank lines are ignored, and so is everything from a {@code #} to the end of
 * its line: whole-line comments and comments after an entry ({@code 10.0.0.0/8 # office}). A
 * trailing comment is safe because {@code #} can be part of no entry, so cutting there never
 * changes what an entry means. Spaces and tabs around an entry are ignored; LF and CRLF line ends
 * and one leading byte-order mark are accepted.
 *
 * <p>Parsing is strict and explains itself. {@link #parse(String)} refuses, with line number, the
 * escaped text and the reason for each bad line (all of them at once, in an {@link
 * AllowListException}):
 *
 * <ul>
 *   <li>IPv4 other than four decimal parts 0-255: leading zeros ({@code 010.0.0.1}, read as octal
 *       by some parsers), shorthand ({@code 127.1}), bare numbers ({@code 2130706433}), hex;
 *   <li>host names (never looked up: this class does no DNS), wildcards ({@code 10.0.0.*}),
 *       netmasks ({@code 10.0.0.0/255.0.0.0}; the reason gives the prefix length to write), zone
 *       ids ({@code fe80::1%eth0}), brackets and ports;
 *   <li>prefix lengths that are out of range or written oddly ({@code /33}, {@code /08}, {@code
 *       /+8}, {@code /4294967297});
 *   <li>a CIDR block with host bits set ({@code 10.0.0.5/8}: the reason suggests {@code
 *       10.0.0.0/8});
 *   <li>an entry that allows every address of its family ({@code 0.0.0.0/0}, {@code ::/0}, {@code
 *       0.0.0.0-255.255.255.255}), entries that together do ({@code 0.0.0.0/1} with {@code
 *       128.0.0.0/1}), and the unspecified address {@code 0.0.0.0} or {@code ::}, which some tools
 *       read as "any": an empty list already means no restriction;
 *   <li>a range whose end is below its start or that mixes IPv4 and IPv6;
 *   <li>IPv4-mapped IPv6 entries ({@code ::ffff:10.0.0.0/104}): the reason gives the IPv4 form to
 *       write instead, since IPv4 clients are always matched against IPv4 entries;
 *   <li>non-ASCII characters (such as {@code U+0661} ARABIC-INDIC DIGIT ONE or full-width digits),
 *       whitespace inside an entry, and control or invisible characters (bidi controls, zero-width
 *       spaces, a stray CR) anywhere, comments included;
 *   <li>more than 100,000 lines, or a line longer than 200 characters (entry and comment together).
 *       Text longer than any valid list is refused before it is split.
 * </ul>
 *
 * <p>IPv6 groups may carry leading zeros ({@code 2001:0db8::1}): RFC 4291 allows them and no parser
 * reads them differently. Lines that are accepted but change nothing (duplicates, an entry inside
 * another single entry) or may mislead (an IPv6 entry with a dotted IPv4 tail, such as {@code
 * ::10.0.0.1} or {@code 64:ff9b::10.0.0.1}, which does not match the IPv4 client; an IPv6 range
 * spanning part of the mapped block) are reported by {@link #warnings()}.
 *
 * <h2>Matching</h2>
 *
 * {@link #allows(InetAddress)} is true for an address inside an entry, and for every address when
 * the list is empty. An IPv4 client seen as an IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3},
 * however written or obtained) is matched exactly as the IPv4 address: it neither slips past nor
 * around an IPv4 entry, and no IPv6 entry ever matches it. No other embedding of IPv4 in IPv6
 * (IPv4-compatible {@code ::a.b.c.d}, 6to4, NAT64, Teredo) is converted: such clients are matched
 * as the IPv6 addresses they are. A scope or zone id on the client is ignored.
 *
 * <p>To check a client address given as text (a preview in a console, a log line), parse it with
 * {@link ClientAddresses#parse(String)}, which is as strict as this list and says why it refuses,
 * then call {@link #allows(InetAddress)}. There is deliberately no {@code allows(String)}: a
 * malformed address should be reported as such, not silently folded into "not allowed".
 *
 * <h2>Guarantees</h2>
 *
 * Immutable and thread-safe; publish a new list by replacing a reference (for example a {@code
 * volatile} field) and readers see either the old list or the new one, whole. Matching takes no
 * lock, does no parsing or DNS, and allocates nothing for IPv4 clients (it relies on {@code
 * Inet4Address.hashCode()} being the address, as in OpenJDK, after checking that once at class
 * initialisation; elsewhere it reads {@code getAddress()}). For IPv6 clients it reads {@code
 * getAddress()}, the only public way to the bytes, which copies them (32 bytes of short-lived
 * garbage per check). Its cost barely depends on the size of the list: merged ranges behind a
 * bucket index, where a lookup is usually one memory access (see the JMH benchmark {@code
 * AllowListBenchmark} in auth-benchmarks).
 *
 * <p>What it does not protect against: it trusts the address it is given. Behind a proxy or load
 * balancer, the socket peer is the proxy; use {@link ClientAddressResolver} to find the client, and
 * never feed it an address taken from a header without one. It knows nothing of who owns an
 * address, so an entry covering a shared NAT or cloud range allows everyone behind it.
 *
 * <h2>JSON</h2>
 *
 * Through the optional Jackson annotations (Jackson 2 or 3), a list is written as its {@linkplain
 * #toText() canonical text}, one JSON string such as {@code "10.0.0.0/8\n2001:db8::/32\n"} (the
 * empty list as {@code ""}), and read back with {@link #parse(String)}: the same text an owner
 * edits, so a console can show and save it as it is. Warnings are not part of it.
 */
public final class IpAllowList {

  private static final IpAllowList EMPTY =
      new IpAllowList(
          ImmutableList.of(), ImmutableList.of(), ImmutableList.of(), RangeMatcher.NONE);

  /** How many parts a warning about parts outside another list names before "and N more". */
  private static final int PARTS_NAMED = 5;

  /** Room for the named parts in a warning's reason, leaving space for "and N more". */
  private static final int REASON_ROOM = 360;

  private final ImmutableList<Entry> entries;
  private final ImmutableList<String> canonical;
  private final ImmutableList<AllowListProblem> warnings;
  private final RangeMatcher matcher;
  // A plain field rather than canonical.isEmpty(): one load on the request path, no call.
  private final boolean unrestricted;

  private IpAllowList(
      ImmutableList<Entry> entries,
      ImmutableList<String> canonical,
      ImmutableList<AllowListProblem> warnings,
      RangeMatcher matcher) {
    this.entries = entries;
    this.canonical = canonical;
    this.warnings = warnings;
    this.matcher = matcher;
    this.unrestricted = canonical.isEmpty();
  }

  /** The list without entries: no restriction, {@link #allows(InetAddress)} is always true. */
  public static IpAllowList empty() {
    return EMPTY;
  }

  /**
   * Parses an owner's list; see the class documentation for the format and what is refused.
   *
   * @param text the list, one entry per line; empty or blank text gives the empty list (no
   *     restriction)
   * @return the list, with {@link #warnings()} for lines that were accepted but change nothing or
   *     may mislead
   * @throws AllowListException if any line is bad or the text is too large; it lists every problem
   *     with its line number
   */
  @JsonCreator
  public static IpAllowList parse(String text) {
    Objects.requireNonNull(text, "text");
    AllowListParser.Result result = AllowListParser.parse(text);
    ImmutableList.Builder<String> canonical =
        ImmutableList.builderWithExpectedSize(result.entries().size());
    for (Entry e : result.entries()) {
      canonical.add(e.canonical());
    }
    return new IpAllowList(
        result.entries(), canonical.build(), result.warnings(), RangeMatcher.of(result.entries()));
  }

  /**
   * Parses a list that is only ever checked together with {@code outer} (a client must pass both),
   * such as a token's own list under its corp's list. It is refused when no address it allows is
   * allowed by {@code outer}, since it could never be used; when only part of it lies outside
   * {@code outer}, it is accepted with one more warning (line 0) naming that part, which can never
   * match. An empty {@code outer} (no restriction) holds everything, and empty {@code text} gives
   * the empty list whatever {@code outer} is.
   *
   * @param text the list, in the same syntax as {@link #parse(String)}
   * @param outer the list it will be checked together with
   * @return the list, with {@link #warnings()} as from {@link #parse(String)} plus the one about
   *     the part outside {@code outer}, if any
   * @throws AllowListException if any line is bad (every problem, with line numbers, as from {@link
   *     #parse(String)}), or else if the list lies wholly outside {@code outer} (one problem, line
   *     0, saying so)
   */
  public static IpAllowList parseWithin(String text, IpAllowList outer) {
    Objects.requireNonNull(outer, "outer");
    IpAllowList list = parse(text);
    if (list.isEmpty() || outer.isEmpty()) {
      return list;
    }
    if (!list.overlaps(outer)) {
      throw new AllowListException(
          List.of(
              new AllowListProblem(
                  0,
                  "",
                  "no address of this list is allowed by the corp's allow list, so a request"
                      + " could never pass both: list addresses the corp's list allows")));
    }
    List<String> outside = list.partsOutside(outer);
    if (outside.isEmpty()) {
      return list;
    }
    StringBuilder reason = new StringBuilder("outside the corp's allow list, so never matched: ");
    int named = 0;
    // At most PARTS_NAMED parts, and as many as fit a problem's reason: an IPv6 range can take
    // 80 characters.
    while (named < outside.size()
        && named < PARTS_NAMED
        && (named == 0 || reason.length() + outside.get(named).length() + 2 <= REASON_ROOM)) {
      reason.append(named == 0 ? "" : ", ").append(outside.get(named));
      named++;
    }
    if (outside.size() > named) {
      reason.append(" and ").append(outside.size() - named).append(" more");
    }
    ImmutableList<AllowListProblem> warnings =
        ImmutableList.<AllowListProblem>builder()
            .addAll(list.warnings)
            .add(new AllowListProblem(0, "", reason.toString()))
            .build();
    return new IpAllowList(list.entries, list.canonical, warnings, list.matcher);
  }

  /**
   * Whether some address is allowed by both lists. An empty list allows every address, so it
   * overlaps every list. Not for the request path: it compares the lists' ranges.
   */
  public boolean overlaps(IpAllowList other) {
    Objects.requireNonNull(other, "other");
    if (isEmpty() || other.isEmpty()) {
      return true;
    }
    return RangeSets.intersect(RangeSets.matchable(entries), RangeSets.matchable(other.entries));
  }

  /**
   * The addresses this list allows and {@code other} does not, as canonical entries ({@code
   * 10.0.0.0/8}, {@code 10.0.0.5-10.0.0.9}, {@code 2001:db8::1}) in the order of {@link #toText()}:
   * where a client must pass both lists, the part of this one that can never match. Empty when
   * {@code other} is empty (no restriction) or holds all of this list. For an empty list (which
   * allows everything) it is empty too: "everything except {@code other}" is no list.
   *
   * <p>IPv6 entries are compared without the IPv4-mapped block {@code ::ffff:0:0/96}, which they
   * never match (mapped clients are matched as IPv4).
   */
  public List<String> partsOutside(IpAllowList other) {
    Objects.requireNonNull(other, "other");
    if (isEmpty() || other.isEmpty()) {
      return List.of();
    }
    List<Entry> outside =
        RangeSets.subtract(RangeSets.matchable(entries), RangeSets.matchable(other.entries));
    ImmutableList.Builder<String> out = ImmutableList.builderWithExpectedSize(outside.size());
    for (Entry e : outside) {
      out.add(e.canonical());
    }
    return out.build();
  }

  /**
   * Whether {@code client} may use a token under this list: true when the list is empty or an entry
   * holds the address. An IPv4-mapped IPv6 client is matched as IPv4; a zone id is ignored. No
   * allocation for IPv4 clients, no lock, no DNS.
   */
  public boolean allows(InetAddress client) {
    Objects.requireNonNull(client, "client");
    return unrestricted || matcher.contains(client);
  }

  /** Whether the list has no entries, which means no restriction. */
  public boolean isEmpty() {
    return canonical.isEmpty();
  }

  /** The number of entries as written, redundant ones included, comments and blanks not. */
  public int size() {
    return canonical.size();
  }

  /**
   * Lines that were accepted but change nothing (duplicates, entries inside another entry) or may
   * not mean what they seem, in line order; empty for a list built by {@link #empty()}. Not part of
   * {@link #equals(Object)}.
   */
  public List<AllowListProblem> warnings() {
    return warnings;
  }

  /**
   * The canonical text: one entry per line, each ending in {@code \n}, IPv4 before IPv6, sorted by
   * address; each entry spelled one way (one address, else a CIDR block when the range is exactly
   * one, else {@code start-end}; IPv6 as in RFC 5952). No comments. Parsing it gives an equal list.
   * The empty list gives the empty string. This is also the list's JSON form.
   */
  @JsonValue
  public String toText() {
    StringBuilder sb = new StringBuilder(canonical.size() * 16);
    for (String line : canonical) {
      sb.append(line).append('\n');
    }
    return sb.toString();
  }

  /** Equal when the canonical texts are equal: the same entries, in any order or spelling. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof IpAllowList other && canonical.equals(other.canonical);
  }

  @Override
  public int hashCode() {
    return canonical.hashCode();
  }

  /** A short description such as {@code IpAllowList[2 entries: 10.0.0.0/8, 2001:db8::/32]}. */
  @Override
  public String toString() {
    if (canonical.isEmpty()) {
      return "IpAllowList[empty: no restriction]";
    }
    StringBuilder sb = new StringBuilder("IpAllowList[").append(canonical.size());
    sb.append(canonical.size() == 1 ? " entry: " : " entries: ");
    for (int i = 0; i < canonical.size() && i < 3; i++) {
      sb.append(i == 0 ? "" : ", ").append(canonical.get(i));
    }
    return sb.append(canonical.size() > 3 ? ", ...]" : "]").toString();
  }

  /** The ranges without the "empty allows everyone" rule, for the proxy resolver. */
  RangeMatcher matcher() {
    return matcher;
  }
}
