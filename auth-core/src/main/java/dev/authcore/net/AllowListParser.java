package dev.authcore.net;

import com.google.common.collect.ImmutableList;
import dev.authcore.net.AddressText.Invalid;
import dev.authcore.net.AddressText.Parsed;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads an owner's allow-list text into entries, collecting every error and warning. One instance
 * per parse; not thread-safe, never shared.
 */
final class AllowListParser {

  static final int MAX_LINES = 100_000;
  static final int MAX_LINE_LENGTH = 200;

  /** Every line at its longest plus a CRLF: anything longer is refused before it is split. */
  static final long MAX_TEXT_LENGTH = (long) MAX_LINES * (MAX_LINE_LENGTH + 2) + 1;

  private static final int TEXT_IN_PROBLEM = 64;
  private static final long MAPPED_START_LO = AddressText.MAPPED_PREFIX_LO;
  private static final long MAPPED_END_LO = AddressText.MAPPED_PREFIX_LO | 0xFFFF_FFFFL;
  private static final String EMPTY_LIST_MEANS =
      "an empty list already means no restriction: list only the addresses to allow";
  private static final String EMPTY_MEANS =
      "an empty list already means no restriction: remove this line, or clear the list";

  /** The accepted entries sorted by {@link Entry#ORDER}, and the warnings in line order. */
  record Result(ImmutableList<Entry> entries, ImmutableList<AllowListProblem> warnings) {}

  /** An accepted line awaiting the whole-list checks. */
  private record Candidate(Entry entry, int line, String raw) {}

  private final List<Candidate> candidates = new ArrayList<>();
  private final List<AllowListProblem> errors = new ArrayList<>();
  private final List<AllowListProblem> warnings = new ArrayList<>();

  private AllowListParser() {}

  /**
   * @throws AllowListException with every problem when any line is bad, or the text too large
   */
  static Result parse(String text) {
    if (text.length() > MAX_TEXT_LENGTH) {
      throw wholeText(
          "the text is "
              + text.length()
              + " characters long; at most "
              + MAX_TEXT_LENGTH
              + " are accepted ("
              + MAX_LINES
              + " lines of "
              + MAX_LINE_LENGTH
              + ")");
    }
    int lines = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        lines++;
      }
    }
    if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') {
      lines++;
    }
    if (lines > MAX_LINES) {
      throw wholeText("the text has " + lines + " lines; at most " + MAX_LINES + " are accepted");
    }
    return new AllowListParser().run(text);
  }

  private static AllowListException wholeText(String reason) {
    return new AllowListException(List.of(new AllowListProblem(0, "", reason)));
  }

  private Result run(String text) {
    int start = text.startsWith("\uFEFF") ? 1 : 0;
    int lineNo = 0;
    boolean sawContent = false;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      int next = end < 0 ? text.length() : end + 1;
      if (end < 0) {
        end = text.length();
      }
      if (end > start && text.charAt(end - 1) == '\r') {
        end--;
      }
      lineNo++;
      sawContent |= parseLine(text.substring(start, end), lineNo);
      start = next;
    }
    if (errors.isEmpty()) {
      checkCoverage();
    }
    if (!errors.isEmpty()) {
      throw new AllowListException(errors);
    }
    if (candidates.isEmpty() && sawContent) {
      warnings.add(
          new AllowListProblem(
              0, "", "the list has no entries, only comments: it allows every address"));
    }
    findRedundant();
    warnings.sort(Comparator.comparingInt(AllowListProblem::line));
    candidates.sort(Comparator.comparing(Candidate::entry, Entry.ORDER));
    ImmutableList.Builder<Entry> entries = ImmutableList.builderWithExpectedSize(candidates.size());
    for (Candidate c : candidates) {
      entries.add(c.entry());
    }
    return new Result(entries.build(), ImmutableList.copyOf(warnings));
  }

  /** Parses one line (without its line end); returns whether it held anything but blanks. */
  private boolean parseLine(String raw, int lineNo) {
    if (raw.length() > MAX_LINE_LENGTH) {
      error(
          lineNo,
          raw,
          "the line is "
              + raw.length()
              + " characters long; at most "
              + MAX_LINE_LENGTH
              + " are accepted (entry and comment together)");
      return true;
    }
    for (int i = 0; i < raw.length(); ) {
      int cp = raw.codePointAt(i);
      if (cp != '\t' && isInvisible(cp)) {
        error(
            lineNo,
            raw,
            AddressText.describe(cp)
                + " is a control or invisible character; it is not accepted anywhere in the"
                + " list, not even in a comment");
        return true;
      }
      i += Character.charCount(cp);
    }
    int hash = raw.indexOf('#');
    String entry = trim(hash < 0 ? raw : raw.substring(0, hash));
    if (entry.isEmpty()) {
      return !trim(raw).isEmpty();
    }
    try {
      Candidate c = new Candidate(parseEntry(entry, lineNo, raw), lineNo, raw);
      candidates.add(c);
    } catch (Invalid e) {
      error(lineNo, raw, String.valueOf(e.getMessage()));
    }
    return true;
  }

  /** Control, format (bidi, zero-width, BOM), line and paragraph separators, lone surrogates. */
  private static boolean isInvisible(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE ->
          true;
      default -> false;
    };
  }

  /** Strips ASCII spaces and tabs only: other whitespace is an error, not padding. */
  private static String trim(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
      from++;
    }
    while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
      to--;
    }
    return s.substring(from, to);
  }

  private Entry parseEntry(String e, int lineNo, String raw) throws Invalid {
    screenCharacters(e);
    int dash = e.indexOf('-');
    int slash = e.indexOf('/');
    if (e.contains("/+") || e.contains("/-")) {
      throw new Invalid("a prefix length is plain decimal digits, without a sign");
    }
    Entry entry;
    boolean dotted;
    if (dash >= 0) {
      if (e.indexOf('-', dash + 1) >= 0) {
        throw new Invalid("more than one '-'; a range is written start-end");
      }
      if (slash >= 0) {
        throw new Invalid("a range start-end cannot also have a prefix length");
      }
      if (dash == 0) {
        throw new Invalid("the range has no start; write start-end");
      }
      if (dash == e.length() - 1) {
        throw new Invalid("the range has no end; write start-end");
      }
      Parsed a = address(e, 0, dash, "range start: ");
      Parsed b = address(e, dash + 1, e.length(), "range end: ");
      if (a.ipv6() != b.ipv6()) {
        throw new Invalid("the range mixes IPv4 and IPv6");
      }
      if (Entry.compare(b.hi(), b.lo(), a.hi(), a.lo()) < 0) {
        throw new Invalid(
            "the range end "
                + AddressText.format(b.ipv6(), b.hi(), b.lo())
                + " is below its start "
                + AddressText.format(a.ipv6(), a.hi(), a.lo()));
      }
      entry = new Entry(a.ipv6(), a.hi(), a.lo(), b.hi(), b.lo());
      dotted = a.dottedTail() || b.dottedTail();
    } else if (slash >= 0) {
      if (e.indexOf('/', slash + 1) >= 0) {
        throw new Invalid("more than one '/'");
      }
      Parsed a = address(e, 0, slash, "");
      int prefix = prefixLength(e, slash + 1, a);
      entry = StrictAddresses.prefixBlock(a, prefix);
      if (entry.startHi() != a.hi() || entry.startLo() != a.lo()) {
        throw new Invalid(
            "host bits set: "
                + AddressText.format(a.ipv6(), a.hi(), a.lo())
                + " is not the first address of a /"
                + prefix
                + " block; did you mean "
                + AddressText.format(a.ipv6(), entry.startHi(), entry.startLo())
                + "/"
                + prefix
                + "? (to allow one address, write it without /"
                + prefix
                + ")");
      }
      dotted = a.dottedTail();
    } else {
      Parsed a = address(e, 0, e.length(), "");
      entry = new Entry(a.ipv6(), a.hi(), a.lo(), a.hi(), a.lo());
      dotted = a.dottedTail();
    }
    return checkMeaning(entry, dotted, lineNo, raw);
  }

  private static void screenCharacters(String e) throws Invalid {
    for (int i = 0; i < e.length(); ) {
      int cp = e.codePointAt(i);
      if (cp > 0x7E) {
        String hint =
            Character.isDigit(cp)
                ? "; only ASCII digits 0-9 are accepted"
                : Character.isSpaceChar(cp) ? "; whitespace inside an entry is not accepted" : "";
        throw new Invalid("non-ASCII character " + AddressText.describe(cp) + hint);
      }
      if (cp == ' ' || cp == '\t') {
        throw new Invalid(whitespaceReason(e));
      }
      i += Character.charCount(cp);
    }
    for (int i = 0; i < e.length(); i++) {
      String reason =
          switch (e.charAt(i)) {
            case '%' ->
                "zone ids ('%' and what follows) are not accepted; write the address without it";
            case '[', ']' -> "brackets and ports are not accepted; write the bare address";
            case '*' -> "wildcards are not accepted; write a CIDR block such as 10.1.0.0/16";
            case ',', ';' -> "one entry per line: put each address or block on a line of its own";
            default -> "";
          };
      if (!reason.isEmpty()) {
        throw new Invalid(reason);
      }
    }
  }

  private static String whitespaceReason(String e) {
    String squeezed = e.replaceAll("[ \t]*-[ \t]*", "-");
    if (squeezed.indexOf(' ') < 0 && squeezed.indexOf('\t') < 0) {
      return "whitespace inside the entry; write the range without spaces: "
          + AddressText.escape(squeezed, 100);
    }
    return "whitespace inside the entry; one entry per line, without spaces";
  }

  /** One address read by IPAddress; a refusal's reason is prefixed with {@code context}. */
  private static Parsed address(String e, int from, int to, String context) throws Invalid {
    try {
      return StrictAddresses.parse(e, from, to);
    } catch (Invalid x) {
      throw context.isEmpty() ? x : new Invalid(context + x.getMessage());
    }
  }

  /** Decimal 1-32 (IPv4) or 1-128 (IPv6), no sign, no leading zero, no netmask. */
  private static int prefixLength(String e, int from, Parsed address) throws Invalid {
    int max = address.ipv6() ? 128 : 32;
    String family = address.ipv6() ? "IPv6" : "IPv4";
    if (from == e.length()) {
      throw new Invalid("no prefix length after '/'");
    }
    String text = e.substring(from);
    if (text.indexOf('.') >= 0 || text.indexOf(':') >= 0) {
      throw new Invalid(netmaskReason(text, address));
    }
    for (int i = 0; i < text.length(); i++) {
      if (!AddressText.isAsciiDigit(text.charAt(i))) {
        throw new Invalid("prefix length " + AddressText.quote(text) + " is not a decimal number");
      }
    }
    if (text.length() > 1 && text.charAt(0) == '0') {
      throw new Invalid(
          "prefix length " + AddressText.quote(text) + " has a leading zero; write it without");
    }
    // At most three digits are converted, so no overflow whatever the length.
    int value = text.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(text);
    if (value > max) {
      throw new Invalid(
          "prefix length "
              + AddressText.quote(text)
              + " is out of range; an "
              + family
              + " prefix length is 1 to "
              + max);
    }
    if (value == 0) {
      throw new Invalid("/0 allows every " + family + " address; " + EMPTY_MEANS);
    }
    return value;
  }

  /** Refuses a netmask, suggesting the prefix length when it is an IPv4 network mask. */
  private static String netmaskReason(String mask, Parsed address) {
    String reason = "netmask notation is not accepted; write a prefix length";
    if (!address.ipv6()) {
      int length = StrictAddresses.ipv4NetmaskLength(mask);
      if (length > 0) {
        return reason + ": " + AddressText.format(false, 0, address.lo()) + "/" + length;
      }
    }
    return reason + " such as /24";
  }

  /** The checks on what an entry means, rather than how it is written; adds warnings. */
  private Entry checkMeaning(Entry entry, boolean dotted, int lineNo, String raw) throws Invalid {
    String family = entry.ipv6() ? "IPv6" : "IPv4";
    if (entry.isWholeFamily()) {
      throw new Invalid("this allows every " + family + " address; " + EMPTY_MEANS);
    }
    if (entry.isSingleAddress() && entry.startHi() == 0 && entry.startLo() == 0) {
      throw new Invalid(
          AddressText.format(entry.ipv6(), 0, 0)
              + " is the unspecified address: no client has it, and here it does not mean"
              + " 'any'; "
              + EMPTY_MEANS);
    }
    if (!entry.ipv6()) {
      return entry;
    }
    boolean startsInMapped =
        entry.startHi() == 0 && Long.compareUnsigned(entry.startLo(), MAPPED_START_LO) >= 0;
    boolean endsInMapped =
        entry.endHi() == 0 && Long.compareUnsigned(entry.endLo(), MAPPED_END_LO) <= 0;
    if (startsInMapped && endsInMapped) {
      Entry v4 =
          new Entry(false, 0, entry.startLo() & 0xFFFF_FFFFL, 0, entry.endLo() & 0xFFFF_FFFFL);
      if (v4.isWholeFamily()) {
        throw new Invalid("this IPv4-mapped entry allows every IPv4 address; " + EMPTY_MEANS);
      }
      if (v4.isSingleAddress() && v4.startLo() == 0) {
        throw new Invalid(
            "this IPv4-mapped entry is the unspecified address 0.0.0.0, which no client has");
      }
      throw new Invalid(
          "IPv4-mapped IPv6 entry; write it as IPv4: "
              + v4.canonical()
              + " (an IPv4 client seen as ::ffff:a.b.c.d is always matched as a.b.c.d)");
    }
    boolean overlapsMapped =
        Entry.compare(entry.startHi(), entry.startLo(), 0, MAPPED_END_LO) <= 0
            && Entry.compare(entry.endHi(), entry.endLo(), 0, MAPPED_START_LO) >= 0;
    if (overlapsMapped) {
      warn(
          lineNo,
          raw,
          "this IPv6 entry also spans the IPv4-mapped block ::ffff:0:0/96; clients there are"
              + " matched as IPv4 against the IPv4 entries only, never against this entry");
    } else if (dotted) {
      warn(
          lineNo,
          raw,
          "the dotted IPv4 part makes this the IPv6 entry "
              + entry.canonical()
              + "; it does not match IPv4 clients (write the IPv4 address for those)");
    }
    return entry;
  }

  /** Errors when the entries of a family together allow every address of it. */
  private void checkCoverage() {
    List<Entry> v4 = new ArrayList<>();
    List<Entry> v6 = new ArrayList<>();
    for (Candidate c : candidates) {
      (c.entry().ipv6() ? v6 : v4).add(c.entry());
    }
    v4.sort(Entry.ORDER);
    v6.sort(Entry.ORDER);
    if (!v4.isEmpty() && covers(v4, 0, 0, 0, 0xFFFF_FFFFL)) {
      errors.add(
          new AllowListProblem(
              0, "", "together, the IPv4 entries allow every IPv4 address; " + EMPTY_LIST_MEANS));
    }
    // IPv4-mapped clients never reach IPv6 entries: covering all else is allowing every client.
    if (!v6.isEmpty()
        && covers(v6, 0, 0, 0, MAPPED_START_LO - 1)
        && covers(v6, 0, MAPPED_END_LO + 1, -1L, -1L)) {
      errors.add(
          new AllowListProblem(
              0, "", "together, the IPv6 entries allow every IPv6 address; " + EMPTY_LIST_MEANS));
    }
  }

  /** Whether the union of {@code sorted} holds every address from start to end. */
  private static boolean covers(
      List<Entry> sorted, long startHi, long startLo, long endHi, long endLo) {
    long reachHi = startHi;
    long reachLo = startLo;
    for (Entry e : sorted) {
      if (Entry.compare(e.endHi(), e.endLo(), reachHi, reachLo) < 0) {
        continue;
      }
      if (Entry.compare(e.startHi(), e.startLo(), reachHi, reachLo) > 0) {
        return false;
      }
      if (Entry.compare(e.endHi(), e.endLo(), endHi, endLo) >= 0) {
        return true;
      }
      reachLo = e.endLo() + 1;
      reachHi = reachLo == 0 ? e.endHi() + 1 : e.endHi();
    }
    return false;
  }

  /** Warns about lines that are duplicates of, or inside, one other line. */
  private void findRedundant() {
    List<Candidate> sorted = new ArrayList<>(candidates);
    sorted.sort(
        Comparator.comparing((Candidate c) -> c.entry().ipv6())
            .thenComparing(
                (a, b) ->
                    Entry.compare(
                        a.entry().startHi(),
                        a.entry().startLo(),
                        b.entry().startHi(),
                        b.entry().startLo()))
            .thenComparing(
                (a, b) ->
                    Entry.compare(
                        b.entry().endHi(), b.entry().endLo(), a.entry().endHi(), a.entry().endLo()))
            .thenComparingInt(Candidate::line));
    @Nullable Candidate cover = null;
    for (Candidate c : sorted) {
      if (cover != null && cover.entry().contains(c.entry())) {
        String what = cover.entry().canonical();
        warn(
            c.line(),
            c.raw(),
            cover.entry().equals(c.entry())
                ? "same as line " + cover.line() + " (" + what + "); this line changes nothing"
                : "inside " + what + " on line " + cover.line() + "; this line changes nothing");
        continue;
      }
      if (cover == null
          || cover.entry().ipv6() != c.entry().ipv6()
          || Entry.compare(
                  c.entry().endHi(),
                  c.entry().endLo(),
                  cover.entry().endHi(),
                  cover.entry().endLo())
              > 0) {
        cover = c;
      }
    }
  }

  private void error(int lineNo, String raw, String reason) {
    errors.add(new AllowListProblem(lineNo, AddressText.escape(raw, TEXT_IN_PROBLEM), reason));
  }

  private void warn(int lineNo, String raw, String reason) {
    warnings.add(new AllowListProblem(lineNo, AddressText.escape(raw, TEXT_IN_PROBLEM), reason));
  }
}
