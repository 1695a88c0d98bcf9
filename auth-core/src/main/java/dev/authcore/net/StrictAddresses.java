package dev.authcore.net;

import dev.authcore.net.AddressText.Invalid;
import dev.authcore.net.AddressText.Parsed;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressStringParameters;
import inet.ipaddr.ipv6.IPv6Address;
import inet.ipaddr.ipv6.IPv6AddressStringParameters;
import org.jspecify.annotations.Nullable;

/**
 * Allow-list addresses read by the seancfoley IPAddress library under strict parameters, and the
 * CIDR block arithmetic done by it. Off the request path: a list is parsed once, when it is set.
 *
 * <p>IPAddress's defaults are permissive; {@link #PARAMETERS} switches off every one of them: an
 * empty string (by default the loopback), the universal address {@code *}, single-segment and
 * joined forms ({@code 2130706433}, {@code 127.1}), the inet_aton hex and octal forms and leading
 * zeros in IPv4 parts (read as octal by some parsers), binary ({@code 0b1...}), base 85, wildcards
 * and segment ranges ({@code 10.0.0.*}, {@code 1-2.0.0.1}, {@code 1_.0.0.1}, a wildcarded
 * separator), zones, prefix lengths and masks, prefix-only text ({@code /8}), and the same IPv4
 * options once more inside the IPv6 parameters, for a dotted IPv4 tail ({@code ::ffff:1.2.3.4}).
 * What stays accepted: IPv4 as four decimal parts 0-255 without leading zeros, IPv6 as in RFC 4291
 * (one to four hex digits per group, {@code ::}, a dotted IPv4 tail).
 *
 * <p>The rules and texts IPAddress cannot express stay in this package's own code: the text is
 * screened first (at most {@value AddressText#MAX_ADDRESS_LENGTH} characters of ASCII letters,
 * digits, {@code :} and {@code .}, so that no character the library could give a meaning to reaches
 * it whatever its options, and none it would silently drop: it trims spaces and control characters
 * from both ends), prefix lengths are read by the caller before any block is built (the library
 * throws or wraps around on huge ones), and the reason for a refusal comes from {@link
 * AddressText#parse}, the request path's hand-written reader, which the differential test {@code
 * StrictAddressesDifferentialTest} holds to accept and read exactly what this class does.
 * IPv4-mapped IPv6 addresses come back as the IPv6 addresses they are: the allow list decides what
 * they mean.
 *
 * <p>Stateless and thread-safe; IPAddress's parameter objects are immutable.
 */
final class StrictAddresses {

  /** Only these parameters are ever handed to IPAddress. */
  static final IPAddressStringParameters PARAMETERS = strictParameters();

  /** The reason given if IPAddress refuses text that the hand-written reader accepts. */
  static final String FALLBACK_REASON = "not an IP address in the accepted form";

  private StrictAddresses() {}

  private static IPAddressStringParameters strictParameters() {
    IPAddressStringParameters.Builder builder =
        new IPAddressStringParameters.Builder()
            .allowEmpty(false)
            .setEmptyAsLoopback(false)
            .allowAll(false)
            .allowSingleSegment(false)
            .allowPrefix(false)
            .allowMask(false)
            .allowPrefixOnly(false)
            .allowIPv4(true)
            .allowIPv6(true)
            .allowWildcardedSeparator(false)
            .setRangeOptions(RangeParameters.NO_RANGE)
            .allow_inet_aton(false);
    strictIpv4(builder.getIPv4AddressParametersBuilder());
    IPv6AddressStringParameters.Builder ipv6 = builder.getIPv6AddressParametersBuilder();
    // Leading zeros inside a group (2001:0db8::) are RFC 4291 and read one way by every parser;
    // more than four digits are not. allowLeadingZeros on the IPv6 builder also sets the dotted
    // tail's option, which strictIpv4 below switches off again.
    ipv6.allowLeadingZeros(true)
        .allowUnlimitedLeadingZeros(false)
        .allowPrefixLengthLeadingZeros(false)
        .allowPrefixesBeyondAddressSize(false)
        .allowWildcardedSeparator(false)
        .setRangeOptions(RangeParameters.NO_RANGE)
        .allowBinary(false)
        .allowBase85(false)
        .allowZone(false)
        .allow_mixed_inet_aton(false)
        .allowMixed(true);
    strictIpv4(ipv6.getEmbeddedIPv4AddressParametersBuilder());
    return builder.toParams();
  }

  private static void strictIpv4(IPv4AddressStringParameters.Builder ipv4) {
    ipv4.allow_inet_aton(false)
        .allow_inet_aton_hex(false)
        .allow_inet_aton_octal(false)
        .allow_inet_aton_joined_segments(false)
        .allow_inet_aton_leading_zeros(false)
        .allow_inet_aton_single_segment_mask(false)
        .allowLeadingZeros(false)
        .allowUnlimitedLeadingZeros(false)
        .allowPrefixLengthLeadingZeros(false)
        .allowPrefixesBeyondAddressSize(false)
        .allowBinary(false)
        .allowWildcardedSeparator(false)
        .setRangeOptions(RangeParameters.NO_RANGE);
  }

  /**
   * Reads one address, IPv4 or IPv6, from {@code text[from, to)}; an IPv4-mapped address stays
   * IPv6. {@link Parsed#dottedTail()} tells whether IPv6 was written with a dotted IPv4 tail.
   *
   * @throws Invalid with the reason when the text is not exactly one address in the strict form
   */
  static Parsed parse(String text, int from, int to) throws Invalid {
    @Nullable IPAddress address = library(text, from, to);
    if (address == null) {
      throw new Invalid(refusal(text, from, to));
    }
    int dot = text.indexOf('.', from);
    return fromLibrary(address, address.isIPv6() && dot >= 0 && dot < to);
  }

  /**
   * IPAddress's reading of {@code text[from, to)} behind the screen, or null when either refuses
   * it. The screen is needed beyond the parameters: the library trims whitespace and control
   * characters from both ends ({@code " 10.0.0.1\n"} is {@code 10.0.0.1} to it), whatever its
   * options.
   */
  static @Nullable IPAddress library(String text, int from, int to) {
    if (to - from > AddressText.MAX_ADDRESS_LENGTH || from >= to) {
      return null;
    }
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c != ':' && c != '.' && !AddressText.isAsciiDigit(c) && !AddressText.isAsciiLetter(c)) {
        return null;
      }
    }
    return new IPAddressString(text.substring(from, to), PARAMETERS).getAddress();
  }

  /**
   * Why {@code text[from, to)} is refused: the hand-written reader's reason, or {@link
   * #FALLBACK_REASON} should that reader accept it (which the differential test rules out).
   */
  static String refusal(String text, int from, int to) {
    try {
      AddressText.parse(text, from, to);
      return FALLBACK_REASON;
    } catch (Invalid e) {
      return String.valueOf(e.getMessage());
    }
  }

  /**
   * The CIDR block of {@code prefix} leading bits around {@code address}, as an entry from its
   * first to its last address; the caller compares the first with {@code address} to find host
   * bits. {@code prefix} must already be checked: 0 to 32 for IPv4, 0 to 128 for IPv6.
   */
  static Entry prefixBlock(Parsed address, int prefix) {
    IPAddress block = toLibrary(address).toPrefixBlock(prefix);
    byte[] first = block.getBytes();
    byte[] last = block.getUpperBytes();
    return new Entry(address.ipv6(), high(first), low(first), high(last), low(last));
  }

  /**
   * The prefix length {@code mask} stands for when it is an IPv4 network mask ({@code 255.255.0.0}
   * is 16), or -1 when it is not one, or not IPv4, or {@code 0.0.0.0}.
   */
  static int ipv4NetmaskLength(String mask) {
    @Nullable IPAddress address = library(mask, 0, mask.length());
    if (address == null || !address.isIPv4()) {
      return -1;
    }
    @Nullable Integer length = address.getBlockMaskPrefixLength(true);
    return length == null || length == 0 ? -1 : length;
  }

  private static IPAddress toLibrary(Parsed address) {
    if (!address.ipv6()) {
      return new IPv4Address((int) address.lo());
    }
    return new IPv6Address(AddressText.toBytes(true, address.hi(), address.lo()));
  }

  private static Parsed fromLibrary(IPAddress address, boolean dotted) {
    byte[] b = address.getBytes();
    if (b.length == 4) {
      return new Parsed(false, 0, RangeMatcher.ipv4BitsFromBytes(b) & 0xFFFF_FFFFL, false);
    }
    return new Parsed(true, high(b), low(b), dotted);
  }

  /** The first 64 bits of a 16-byte address; 0 for 4 bytes. */
  private static long high(byte[] b) {
    return b.length == 4 ? 0 : AddressText.longAt(b, 0);
  }

  /** The last 64 bits of a 16-byte address; the address, unsigned, for 4 bytes. */
  private static long low(byte[] b) {
    return b.length == 4
        ? RangeMatcher.ipv4BitsFromBytes(b) & 0xFFFF_FFFFL
        : AddressText.longAt(b, 8);
  }
}
