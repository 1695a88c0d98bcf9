package dev.authcore.net;

import dev.authcore.net.AddressText.Invalid;
import dev.authcore.net.AddressText.Parsed;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Client addresses as the allow list sees them: parsed from text as strictly as the list, and
 * normalised so that one client has one form.
 *
 * <p>Normal form: an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) becomes the {@link
 * Inet4Address} {@code a.b.c.d}; an IPv6 scope or zone id is dropped. Nothing else changes: an
 * IPv4-compatible, 6to4, NAT64 or Teredo address stays the IPv6 address it is.
 *
 * <p>Thread-safe (stateless). Never does DNS: addresses are built from bytes, and a name is refused
 * rather than looked up. What it does not do: it cannot tell whether an address is the real client
 * or one a proxy or the client itself wrote into a header; see {@link ClientAddressResolver}.
 */
public final class ClientAddresses {

  /** Zone ids are dropped, but must still look like one: letters, digits, {@code . _ -}. */
  private static final int MAX_ZONE_LENGTH = 32;

  private ClientAddresses() {}

  /**
   * Parses one client address written as text: IPv4 as four decimal parts 0-255 without leading
   * zeros, or IPv6 as in RFC 4291 (a dotted IPv4 tail allowed), optionally with a zone id ({@code
   * fe80::1%eth0}), which is dropped. An IPv4-mapped address comes back as an {@link Inet4Address}.
   * No surrounding whitespace, brackets, ports or prefix lengths.
   *
   * @throws IllegalArgumentException saying what is wrong, when the text is not exactly one address
   *     in that form (the shorthand, numeric, hex and octal forms other parsers accept, names,
   *     wildcards, empty text, non-ASCII digits, anything longer than 100 characters)
   */
  public static InetAddress parse(String text) {
    Objects.requireNonNull(text, "text");
    try {
      Parsed p = parseBits(text, 0, text.length(), true);
      return toInetAddress(p.ipv6(), p.hi(), p.lo());
    } catch (Invalid e) {
      throw new IllegalArgumentException(
          "not a client IP address: '" + AddressText.escape(text, 64) + "': " + e.getMessage(), e);
    }
  }

  /**
   * Parses a connection's peer address as HTTP servers and servlet containers write it: what {@link
   * #parse} accepts, and also an IPv6 address in square brackets, with or without a zone id inside
   * them. Jetty's {@code getRemoteAddr()} writes {@code [0:0:0:0:0:0:0:1]}; Tomcat {@code
   * 0:0:0:0:0:0:0:1}; Undertow and Netty may add a zone ({@code fe80:0:0:0:0:0:0:1%eth0}, {@code
   * 0:0:0:0:0:0:0:1%0}). A zone plays no part in matching and is dropped, as by {@link #parse}.
   * Nothing else is accepted: no port, no brackets around IPv4, no whitespace. This is for the
   * address of the socket itself; an address a client or proxy wrote into a header is read by
   * {@link ClientAddressResolver}, as strictly as {@link #parse}.
   *
   * @throws IllegalArgumentException saying what is wrong, when the text is not one address in
   *     those forms
   */
  public static InetAddress parsePeer(String text) {
    Objects.requireNonNull(text, "text");
    int n = text.length();
    if (n == 0 || text.charAt(0) != '[') {
      return parse(text);
    }
    try {
      if (text.charAt(n - 1) != ']') {
        throw new Invalid("'[' without a closing ']' at the end");
      }
      int colon = text.indexOf(':');
      if (colon < 0 || colon > n - 1) {
        throw new Invalid("brackets hold an IPv6 address, not IPv4");
      }
      Parsed p = parseBits(text, 1, n - 1, true);
      return toInetAddress(p.ipv6(), p.hi(), p.lo());
    } catch (Invalid e) {
      throw new IllegalArgumentException(
          "not a client IP address: '" + AddressText.escape(text, 64) + "': " + e.getMessage(), e);
    }
  }

  /**
   * The normal form of {@code address}: IPv4-mapped IPv6 as {@link Inet4Address}, IPv6 without
   * scope id; otherwise the same instance. Any host name the instance carries is not kept in a
   * converted address, and none is ever looked up.
   */
  public static InetAddress normalize(InetAddress address) {
    Objects.requireNonNull(address, "address");
    if (!(address instanceof Inet6Address a6)) {
      return address;
    }
    byte[] b = a6.getAddress();
    long hi = AddressText.longAt(b, 0);
    long lo = AddressText.longAt(b, 8);
    if (Parsed.isMapped(hi, lo)) {
      return toInetAddress(false, 0, lo & 0xFFFF_FFFFL);
    }
    if (a6.getScopeId() != 0 || a6.getScopedInterface() != null) {
      return toInetAddress(true, hi, lo);
    }
    return address;
  }

  /**
   * The one text form of an address, as auth-core writes it in events, stores and messages: the
   * normal form (see the class documentation) written as IPv4 dotted decimal ({@code 10.1.2.3}) or
   * IPv6 as in RFC 5952 ({@code 2001:db8::1}: lower case, no leading zeros, the first longest run
   * of two or more zero groups as {@code ::}, no dotted IPv4 tail). So an IPv4-mapped address is
   * written as its IPv4 address, and no zone or scope id is written. {@link #parse(String)} reads
   * the text back as the same address. Any host name the instance carries is ignored; no DNS.
   */
  public static String format(InetAddress address) {
    Objects.requireNonNull(address, "address");
    if (address instanceof Inet4Address a4) {
      return AddressText.formatIpv4(RangeMatcher.ipv4Bits(a4));
    }
    byte[] b = address.getAddress();
    long hi = AddressText.longAt(b, 0);
    long lo = AddressText.longAt(b, 8);
    if (Parsed.isMapped(hi, lo)) {
      return AddressText.formatIpv4((int) lo);
    }
    return AddressText.formatIpv6(hi, lo);
  }

  /**
   * Strict parse of {@code text[from, to)} into bits, mapped IPv6 folded to IPv4.
   *
   * @param zoneAllowed whether an IPv6 zone id may follow (it is checked, then dropped)
   */
  static Parsed parseBits(String text, int from, int to, boolean zoneAllowed) throws Invalid {
    if (to - from > 100) {
      throw new Invalid("longer than 100 characters");
    }
    int end = to;
    int percent = text.indexOf('%', from);
    if (percent >= 0 && percent < to) {
      if (!zoneAllowed) {
        throw new Invalid("zone ids are not accepted here");
      }
      checkZone(text, percent + 1, to);
      end = percent;
    }
    for (int i = from; i < end; i++) {
      char c = text.charAt(i);
      if (c > 0x7E || c <= 0x20) {
        throw new Invalid(
            c == ' ' || c == '\t'
                ? "whitespace is not accepted"
                : "character " + AddressText.describe(c) + " is not accepted");
      }
      if (c == '[' || c == ']' || c == '/') {
        throw new Invalid(
            c == '/'
                ? "a prefix length is not accepted: one address only"
                : "brackets are not accepted: write the bare address");
      }
      if (c == '*') {
        throw new Invalid("wildcards are not accepted: one address only");
      }
    }
    Parsed p = AddressText.parse(text, from, end);
    if (end != to && !p.ipv6()) {
      throw new Invalid("an IPv4 address has no zone id");
    }
    if (p.isMapped()) {
      return new Parsed(false, 0, p.lo() & 0xFFFF_FFFFL, false);
    }
    return p;
  }

  private static void checkZone(String text, int from, int to) throws Invalid {
    if (from == to) {
      throw new Invalid("empty zone id after '%'");
    }
    if (to - from > MAX_ZONE_LENGTH) {
      throw new Invalid("zone id longer than " + MAX_ZONE_LENGTH + " characters");
    }
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (!AddressText.isAsciiLetter(c)
          && !AddressText.isAsciiDigit(c)
          && c != '.'
          && c != '_'
          && c != '-') {
        throw new Invalid("zone id has " + AddressText.unexpected(c));
      }
    }
  }

  /** Builds the address from bits; no DNS (a byte array is never looked up). */
  static InetAddress toInetAddress(boolean ipv6, long hi, long lo) {
    try {
      InetAddress a = InetAddress.getByAddress(AddressText.toBytes(ipv6, hi, lo));
      return a;
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always a valid address", e);
    }
  }
}
