package dev.authcore.net;

import dev.authcore.internal.LogSafe;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The hand-written strict reader of IP address text, and the one writer of it.
 *
 * <p>Reading: {@link ClientAddresses} and {@link ClientAddressResolver} use {@link #parse} on the
 * request path, where it is faster than the IPAddress library (see the JMH benchmark {@code
 * AddressParseBenchmark}); allow lists are read by IPAddress ({@link StrictAddresses}) and take
 * from here only the reason a text is refused. The differential test {@code
 * StrictAddressesDifferentialTest} holds the two readers to the same answers, so that no two parts
 * of the library read the same text differently.
 *
 * <p>Accepted: IPv4 as exactly four decimal parts 0-255 without leading zeros; IPv6 as in RFC 4291
 * section 2.2 (one to four hex digits per group, at most one {@code ::}, optionally a dotted IPv4
 * tail written with the same IPv4 rules). Everything else is refused with a reason: the inet_aton
 * family ({@code 127.1}, {@code 2130706433}, hex, octal), wildcards, host names (never looked up).
 * Zones, brackets, ports and prefix lengths are the callers' business.
 *
 * <p>Leading zeros inside an IPv6 group ({@code 2001:0db8::}) are accepted: RFC 4291 allows them
 * and, unlike IPv4 octets, no parser reads them as octal.
 *
 * <p>Writing: {@link #format} is the one text form of an address in this package (and, through
 * {@link ClientAddresses#format}, in the library): dotted decimal, or RFC 5952 for IPv6.
 *
 * <p>Values are 128-bit numbers in two longs; IPv4 is {@code hi == 0}, {@code lo} in {@code [0,
 * 2^32)}, tagged by {@link Parsed#ipv6()}.
 */
final class AddressText {

  /** Longest text the address parsers look at; longer input is refused before any work. */
  static final int MAX_ADDRESS_LENGTH = 64;

  /** The IPv4-mapped block {@code ::ffff:0:0/96}, as the high bits of {@code lo} (hi is 0). */
  static final long MAPPED_PREFIX_LO = 0x0000_FFFF_0000_0000L;

  private AddressText() {}

  /** A parse failure; its message is a reason fit for a problem report. No stack trace. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * A parsed address.
   *
   * @param ipv6 the family
   * @param hi the high 64 bits (0 for IPv4)
   * @param lo the low 64 bits (the IPv4 address, unsigned, for IPv4)
   * @param dottedTail whether an IPv6 address was written with a dotted IPv4 tail
   */
  record Parsed(boolean ipv6, long hi, long lo, boolean dottedTail) {

    /** Whether this is an IPv6 address in the IPv4-mapped block {@code ::ffff:0:0/96}. */
    boolean isMapped() {
      return ipv6 && isMapped(hi, lo);
    }

    static boolean isMapped(long hi, long lo) {
      return hi == 0 && (lo >>> 32) == (MAPPED_PREFIX_LO >>> 32);
    }
  }

  /**
   * Parses one address, IPv4 or IPv6, from {@code text[from, to)}.
   *
   * @throws Invalid with the reason when the text is not exactly one address in the strict form
   */
  static Parsed parse(String text, int from, int to) throws Invalid {
    if (from >= to) {
      throw new Invalid("empty address");
    }
    if (to - from > MAX_ADDRESS_LENGTH) {
      throw new Invalid("too long for an IP address (" + (to - from) + " characters)");
    }
    boolean colon = false;
    boolean dot = false;
    boolean letter = false;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c == ':') {
        colon = true;
      } else if (c == '.') {
        dot = true;
      } else if (isAsciiLetter(c)) {
        letter = true;
      } else if (!isAsciiDigit(c)) {
        throw new Invalid(unexpected(c));
      }
    }
    if (colon) {
      int first = text.indexOf(':', from);
      if (text.indexOf(':', first + 1) < 0 || text.indexOf(':', first + 1) >= to) {
        // one colon is never IPv6 (that needs at least two): most likely address:port
        throw new Invalid(
            "ports are not accepted, and an IPv6 address has at least two ':'; write the bare"
                + " address");
      }
      return parseIpv6(text, from, to);
    }
    if (letter && !startsWithHexPrefix(text, from, to) && !hasHexPart(text, from, to)) {
      throw new Invalid("not an IP address; host names are not accepted and never looked up");
    }
    if (!dot) {
      if (letter) {
        throw new Invalid("hexadecimal numbers are not accepted; write four decimal parts");
      }
      throw new Invalid(
          "a bare number is not accepted (some parsers read 2130706433 as 127.0.0.1);"
              + " write four decimal parts such as 10.0.0.1");
    }
    return new Parsed(false, 0, parseIpv4(text, from, to) & 0xFFFF_FFFFL, false);
  }

  /** Parses exactly four dotted decimal parts, each 0-255 without a leading zero. */
  static int parseIpv4(String text, int from, int to) throws Invalid {
    int value = 0;
    int parts = 0;
    int start = from;
    for (int i = from; i <= to; i++) {
      if (i < to && text.charAt(i) != '.') {
        continue;
      }
      if (parts == 4) {
        throw new Invalid("more than four parts in an IPv4 address");
      }
      value = (value << 8) | parseOctet(text, start, i);
      parts++;
      start = i + 1;
    }
    if (parts < 4) {
      throw new Invalid(
          "only "
              + parts
              + " of 4 parts; shorthand forms such as 127.1 are not accepted:"
              + " write all four parts");
    }
    return value;
  }

  private static int parseOctet(String text, int from, int to) throws Invalid {
    if (from == to) {
      throw new Invalid("empty part in an IPv4 address (two dots in a row, or a dot at an end)");
    }
    if (to - from >= 2 && text.charAt(from) == '0') {
      char second = text.charAt(from + 1);
      if (second == 'x' || second == 'X') {
        throw new Invalid(
            "hexadecimal part " + part(text, from, to) + " is not accepted; write decimal 0-255");
      }
      if (isAsciiDigit(second)) {
        throw new Invalid(
            "leading zero in "
                + part(text, from, to)
                + " (some parsers read it as octal); write it without leading zeros");
      }
    }
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (!isAsciiDigit(c)) {
        throw new Invalid("part " + part(text, from, to) + " is not a decimal number 0-255");
      }
      if (i - from >= 3) {
        throw new Invalid("part " + part(text, from, to) + " is above 255");
      }
      value = value * 10 + (c - '0');
    }
    if (value > 255) {
      throw new Invalid("part " + part(text, from, to) + " is above 255");
    }
    return value;
  }

  /** An IPv4 part quoted for a reason; built only when a reason is given (it costs allocations). */
  private static String part(String text, int from, int to) {
    return quote(text.substring(from, to));
  }

  private static Parsed parseIpv6(String text, int from, int to) throws Invalid {
    String t = text.substring(from, to);
    int gap = t.indexOf("::");
    if (gap >= 0 && t.indexOf("::", gap + 1) >= 0) {
      throw new Invalid(
          t.contains(":::")
              ? "':::' is not valid in an IPv6 address"
              : "'::' may appear only once in an IPv6 address");
    }
    int[] groups = new int[8];
    boolean dotted;
    if (gap < 0) {
      int n = parseGroups(t, 0, t.length(), groups, 0, true);
      dotted = n < 0;
      int count = Math.abs(n);
      if (count != 8) {
        throw new Invalid(
            "only " + count + " of 8 groups in an IPv6 address; use '::' to stand for zero groups");
      }
    } else {
      int[] head = new int[8];
      int[] tail = new int[8];
      int h = gap == 0 ? 0 : parseGroups(t, 0, gap, head, 0, false);
      int n = gap + 2 == t.length() ? 0 : parseGroups(t, gap + 2, t.length(), tail, 0, true);
      dotted = n < 0;
      int tc = Math.abs(n);
      if (h + tc > 7) {
        throw new Invalid("too many groups around '::' in an IPv6 address");
      }
      System.arraycopy(head, 0, groups, 0, h);
      System.arraycopy(tail, 0, groups, 8 - tc, tc);
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 4; i++) {
      hi = (hi << 16) | groups[i];
      lo = (lo << 16) | groups[i + 4];
    }
    return new Parsed(true, hi, lo, dotted);
  }

  /**
   * Parses colon-separated groups of {@code t[from, to)} into {@code out} from {@code at}; the last
   * group may be a dotted IPv4 tail (two groups) when {@code tailAllowed}.
   *
   * @return the number of 16-bit groups written, negated when a dotted tail was used
   */
  private static int parseGroups(String t, int from, int to, int[] out, int at, boolean tailAllowed)
      throws Invalid {
    int n = at;
    int start = from;
    for (int i = from; i <= to; i++) {
      if (i < to && t.charAt(i) != ':') {
        continue;
      }
      if (start == i) {
        throw new Invalid(
            "empty group in an IPv6 address (a single ':' at an end, or ':' where '::' was meant)");
      }
      if (t.indexOf('.', start) >= 0 && t.indexOf('.', start) < i) {
        if (i != to || !tailAllowed) {
          throw new Invalid("a dotted IPv4 part may only end an IPv6 address");
        }
        if (n > 6) {
          throw new Invalid("too many groups before the dotted IPv4 part of an IPv6 address");
        }
        int v4 = parseIpv4(t, start, i);
        out[n++] = v4 >>> 16;
        out[n++] = v4 & 0xFFFF;
        return -(n - at);
      }
      if (n == 8) {
        throw new Invalid("more than 8 groups in an IPv6 address");
      }
      out[n++] = parseGroup(t, start, i);
      start = i + 1;
    }
    return n - at;
  }

  private static int parseGroup(String t, int from, int to) throws Invalid {
    if (to - from > 4) {
      throw new Invalid("group " + quote(t.substring(from, to)) + " has more than four hex digits");
    }
    int value = 0;
    for (int i = from; i < to; i++) {
      int d = hexDigit(t.charAt(i));
      if (d < 0) {
        throw new Invalid("group " + quote(t.substring(from, to)) + " is not hexadecimal");
      }
      value = (value << 4) | d;
    }
    return value;
  }

  /** Canonical text: dotted decimal for IPv4, RFC 5952 for IPv6. */
  static String format(boolean ipv6, long hi, long lo) {
    return ipv6 ? formatIpv6(hi, lo) : formatIpv4((int) lo);
  }

  static String formatIpv4(int v) {
    return (v >>> 24) + "." + ((v >>> 16) & 0xFF) + "." + ((v >>> 8) & 0xFF) + "." + (v & 0xFF);
  }

  /** RFC 5952: lower case, no leading zeros, the first longest run of two or more zero groups. */
  static String formatIpv6(long hi, long lo) {
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) (hi >>> (48 - 16 * i)) & 0xFFFF;
      g[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xFFFF;
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  /** The 64 bits of {@code bytes[from, from + 8)}, big-endian: one half of an IPv6 value. */
  static long longAt(byte[] bytes, int from) {
    long v = 0;
    for (int i = from; i < from + 8; i++) {
      v = (v << 8) | (bytes[i] & 0xFF);
    }
    return v;
  }

  /** The 16 bytes of an IPv6 value, or the 4 bytes of an IPv4 one. */
  static byte[] toBytes(boolean ipv6, long hi, long lo) {
    if (!ipv6) {
      int v = (int) lo;
      return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (hi >>> (56 - 8 * i));
      b[i + 8] = (byte) (lo >>> (56 - 8 * i));
    }
    return b;
  }

  /**
   * Text made safe for this package's messages and problem reports: first {@link LogSafe#escape},
   * the library's one way to make outside text safe (anything that could be a token or a secret
   * redacted, control and non-ASCII characters escaped, long text shortened), then held to what
   * {@link AllowListProblem} promises: printable ASCII only (any other character LogSafe leaves is
   * written {@code \}{@code uXXXX}), tab, CR and LF as {@code \t \r \n}, at most {@code max}
   * characters, cut between two escapes (never inside one) with a trailing {@code ...}.
   */
  static String escape(CharSequence input, int max) {
    String safe = LogSafe.escape(input);
    StringBuilder sb = new StringBuilder(Math.min(safe.length(), max) + 8);
    int cut = -1;
    for (int i = 0; i < safe.length(); ) {
      int length = escapeLength(safe, i);
      String piece = asciiPiece(safe.substring(i, i + length));
      i += length;
      if (cut < 0 && sb.length() + piece.length() > max - 3) {
        cut = sb.length();
      }
      sb.append(piece);
      if (sb.length() > max) {
        sb.setLength(cut);
        return sb.append("...").toString();
      }
    }
    return sb.toString();
  }

  /** The length of the character or escape ({@code \\}, {@code \}{@code uXXXX}) at {@code i}. */
  private static int escapeLength(String s, int i) {
    if (s.charAt(i) != '\\' || i + 1 == s.length()) {
      return 1;
    }
    if (s.charAt(i + 1) == 'u' && i + 6 <= s.length()) {
      for (int k = i + 2; k < i + 6; k++) {
        if (hexDigit(s.charAt(k)) < 0) {
          return 2;
        }
      }
      return 6;
    }
    return 2;
  }

  /** One character or escape of LogSafe's output as printable ASCII. */
  private static String asciiPiece(String piece) {
    if (piece.length() == 6) {
      return switch (piece.substring(2).toUpperCase(Locale.ROOT)) {
        case "0009" -> "\\t";
        case "000D" -> "\\r";
        case "000A" -> "\\n";
        default -> piece;
      };
    }
    char last = piece.charAt(piece.length() - 1);
    if (piece.length() == 1 && last == '\\') {
      return "\\\\"; // a lone backslash at the very end
    }
    if (last < 0x20 || last >= 0x7F) {
      String escaped = String.format(Locale.ROOT, "\\u%04X", (int) last);
      return piece.length() == 1 ? escaped : "\\\\" + escaped;
    }
    return piece;
  }

  /** Short quoted excerpt of already screened (printable ASCII) text, for reasons. */
  static String quote(String s) {
    return "'" + escape(s, 24) + "'";
  }

  /** How to name an unexpected character in a reason: visible ASCII quoted, else by code point. */
  static String unexpected(int c) {
    if (c > 0x20 && c < 0x7F) {
      return "unexpected character '" + (char) c + "'";
    }
    return "unexpected character " + describe(c);
  }

  /** {@code U+0661 ARABIC-INDIC DIGIT ONE}. */
  static String describe(int codePoint) {
    @Nullable String name = Character.getName(codePoint);
    String hex = String.format(Locale.ROOT, "U+%04X", codePoint);
    return name == null ? hex : hex + " " + name;
  }

  /** The value of an ASCII hex digit, or -1 (never a non-ASCII digit, unlike Character.digit). */
  static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean startsWithHexPrefix(String text, int from, int to) {
    return to - from >= 2
        && text.charAt(from) == '0'
        && (text.charAt(from + 1) == 'x' || text.charAt(from + 1) == 'X');
  }

  /** Whether some dot-separated part starts with 0x (inet_aton hex), for a better reason. */
  private static boolean hasHexPart(String text, int from, int to) {
    for (int i = from; i < to - 1; i++) {
      if ((i == from || text.charAt(i - 1) == '.') && startsWithHexPrefix(text, i, to)) {
        return true;
      }
    }
    return false;
  }
}
