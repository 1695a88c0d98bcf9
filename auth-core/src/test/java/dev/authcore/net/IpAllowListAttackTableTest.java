package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One-line allow lists written as an attacker (or a confused owner copying from another tool) would
 * write them, each with the outcome we promise: accepted as exactly one canonical entry (possibly
 * with a warning), or refused with a reason.
 */
class IpAllowListAttackTableTest {

  private enum Outcome {
    ACCEPTS,
    WARNS,
    REFUSES
  }

  private static Arguments accepts(String line, String canonical) {
    return Arguments.of(line, Outcome.ACCEPTS, canonical);
  }

  private static Arguments warns(String line, String canonicalAndReason) {
    return Arguments.of(line, Outcome.WARNS, canonicalAndReason);
  }

  private static Arguments refuses(String line, String reasonPart) {
    return Arguments.of(line, Outcome.REFUSES, reasonPart);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // --- plain, valid spellings
        accepts("10.1.2.3", "10.1.2.3"),
        accepts("10.1.0.0/16", "10.1.0.0/16"),
        accepts("10.0.0.5-10.0.0.9", "10.0.0.5-10.0.0.9"),
        accepts("  10.1.2.3\t", "10.1.2.3"),
        accepts("10.1.2.3 # trailing comment", "10.1.2.3"),
        accepts("10.1.2.3#tight comment", "10.1.2.3"),
        accepts("10.1.2.3/32", "10.1.2.3"),
        accepts("10.0.0.0-10.0.0.255", "10.0.0.0/24"),
        accepts("10.0.0.7-10.0.0.7", "10.0.0.7"),
        accepts("255.255.255.255", "255.255.255.255"),
        accepts("0.0.0.0/8", "0.0.0.0/8"),
        accepts("0.0.0.0/1", "0.0.0.0/1"),
        accepts("2001:db8::/32", "2001:db8::/32"),
        accepts("2001:DB8::/32", "2001:db8::/32"),
        accepts("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        accepts("2001:db8:0:0:0:0:0:1", "2001:db8::1"),
        accepts("::1", "::1"),
        accepts("::1/128", "::1"),
        accepts("fe80::/10", "fe80::/10"),
        accepts("2001:db8::1-2001:db8::ff", "2001:db8::1-2001:db8::ff"),
        accepts("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        accepts("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
        accepts(
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        accepts("::fffe:ffff:ffff", "::fffe:ffff:ffff"),
        accepts("::1:0:0:0", "::1:0:0:0"),
        // --- inet_aton family: octal, hex, shorthand, bare numbers
        refuses("010.0.0.1", "leading zero in '010'"),
        refuses("10.0.0.01", "leading zero in '01'"),
        refuses("00.0.0.1", "leading zero"),
        refuses("0127.0.0.1", "leading zero"),
        refuses("127.1", "only 2 of 4 parts"),
        refuses("127.0.1", "only 3 of 4 parts"),
        refuses("10", "bare number"),
        refuses("2130706433", "bare number"),
        refuses("0x7f000001", "hexadecimal"),
        refuses("0x7f.0.0.1", "hexadecimal part '0x7f'"),
        refuses("0X7F.0.0.1", "hexadecimal part"),
        refuses("127.0.0.0x1", "hexadecimal part"),
        refuses("1.2.3.4.5", "more than four parts"),
        refuses("256.0.0.1", "above 255"),
        refuses("1.2.3.1000", "above 255"),
        refuses("10.0.0.", "empty part"),
        refuses(".10.0.0.1", "empty part"),
        refuses("10..0.1", "empty part"),
        refuses("1e3.0.0.1", "host names"),
        // --- names: never resolved
        refuses("localhost", "host names are not accepted and never looked up"),
        refuses("example.com", "never looked up"),
        refuses("10.0.0.1.nip.io", "never looked up"),
        refuses("ip6-localhost", "host names"),
        // --- non-ASCII and invisible characters
        refuses("1\u0660.0.0.1", "U+0660 ARABIC-INDIC DIGIT ZERO; only ASCII digits"),
        refuses("\uFF11\uFF10.0.0.1", "FULLWIDTH DIGIT ONE"),
        refuses("10\u30020.0.1", "non-ASCII character U+3002"),
        refuses("10.0.0.1\u00A0", "NO-BREAK SPACE"),
        refuses("10.0.0.1\u200B", "ZERO WIDTH SPACE"),
        refuses("10.0.0.1\u202E", "RIGHT-TO-LEFT OVERRIDE"),
        refuses("# comment \u2066hidden\u2069", "LEFT-TO-RIGHT ISOLATE"),
        refuses("10.0.0.1\u0000", "U+0000"),
        refuses("10.0.0.1\u000B", "U+000B"),
        refuses("10.0.0.1\f", "U+000C"),
        refuses("10.0.0.1\r10.0.0.2", "U+000D"),
        refuses("10.0.0.1\u2028", "LINE SEPARATOR"),
        refuses("10.0.0.1\u0085", "U+0085"),
        refuses("\uD800", "U+D800"),
        // --- whitespace inside an entry, several entries on a line
        refuses("10.0.0.1 10.0.0.2", "one entry per line"),
        refuses("10.0.0.1 - 10.0.0.9", "write the range without spaces: 10.0.0.1-10.0.0.9"),
        refuses("10.0.0.0 /8", "whitespace inside the entry"),
        refuses("10.0.0.1,10.0.0.2", "one entry per line"),
        refuses("10.0.0.1;10.0.0.2", "one entry per line"),
        // --- wildcards, masks, zones, brackets, ports
        refuses("10.0.0.*", "wildcards"),
        refuses("*", "wildcards"),
        refuses("10.0.0.0/255.0.0.0", "write a prefix length: 10.0.0.0/8"),
        refuses("10.0.0.0/255.255.255.0", "10.0.0.0/24"),
        refuses(
            "10.0.0.0/0.0.0.255",
            "netmask notation is not accepted; write a prefix length such as"),
        refuses("2001:db8::/ffff:ffff::", "netmask notation"),
        refuses("fe80::1%eth0", "zone ids"),
        refuses("fe80::1%25eth0", "zone ids"),
        refuses("fe80::%1/64", "zone ids"),
        refuses("[2001:db8::1]", "brackets"),
        refuses("[2001:db8::1]:443", "brackets"),
        refuses("10.0.0.1:443", "ports are not accepted"),
        // --- prefix lengths out of range or written oddly (overflow and AIOOBE traps)
        refuses("10.0.0.0/08", "leading zero"),
        refuses("10.0.0.0/008", "leading zero"),
        refuses("10.0.0.0/+8", "without a sign"),
        refuses("10.0.0.0/-8", "without a sign"),
        refuses("10.0.0.0/33", "out of range; an IPv4 prefix length is 1 to 32"),
        refuses("1.2.3.4/2147483648", "out of range"),
        refuses("1.2.3.4/4294967328", "out of range"),
        refuses("::/4294967297", "out of range; an IPv6 prefix length is 1 to 128"),
        refuses("::/129", "out of range"),
        refuses("::1/99999999999999999999999999", "out of range"),
        refuses("10.0.0.0/", "no prefix length"),
        refuses("10.0.0.0/8/8", "more than one '/'"),
        refuses("10.0.0.0/8a", "not a decimal number"),
        refuses("10.0.0.0/\u0668", "non-ASCII"),
        refuses("/8", "empty address"),
        // --- host bits set: the network address is suggested
        refuses("10.0.0.5/8", "did you mean 10.0.0.0/8?"),
        refuses("192.168.1.1/24", "did you mean 192.168.1.0/24?"),
        refuses("10.0.0.1/31", "did you mean 10.0.0.0/31?"),
        refuses("2001:db8::1/32", "did you mean 2001:db8::/32?"),
        refuses("2001:db8:1:2:3:4:5:7/127", "did you mean 2001:db8:1:2:3:4:5:6/127?"),
        accepts("2001:db8:1:2:3:4:5:6/127", "2001:db8:1:2:3:4:5:6/127"),
        // --- allow everything, in all its disguises
        refuses("0.0.0.0/0", "/0 allows every IPv4 address; an empty list already means"),
        refuses("10.0.0.0/0", "/0 allows every IPv4 address"),
        refuses("::/0", "/0 allows every IPv6 address"),
        refuses("2001:db8::/0", "/0 allows every IPv6 address"),
        refuses("0.0.0.0-255.255.255.255", "allows every IPv4 address"),
        refuses("::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "allows every IPv6 address"),
        refuses("0.0.0.0", "unspecified address"),
        refuses("0.0.0.0/32", "unspecified address"),
        refuses("0.0.0.0-0.0.0.0", "unspecified address"),
        refuses("::", "unspecified address"),
        refuses("0:0:0:0:0:0:0:0", "unspecified address"),
        refuses("::/128", "unspecified address"),
        // --- ranges
        refuses("10.0.0.9-10.0.0.1", "range end 10.0.0.1 is below its start 10.0.0.9"),
        refuses("2001:db8::2-2001:db8::1", "below its start"),
        refuses("10.0.0.1-2001:db8::1", "mixes IPv4 and IPv6"),
        refuses("::1-10.0.0.1", "mixes IPv4 and IPv6"),
        refuses("10.0.0.1-", "no end"),
        refuses("-10.0.0.1", "no start"),
        refuses("10.0.0.1--10.0.0.2", "more than one '-'"),
        refuses("10.0.0.1-10.0.0.2-10.0.0.3", "more than one '-'"),
        refuses("10.0.0.0/24-10.0.1.0/24", "cannot also have a prefix length"),
        refuses("10.0.0.1-127.1", "range end: only 2 of 4 parts"),
        refuses("010.0.0.1-10.0.0.9", "range start: leading zero"),
        // --- IPv6 syntax
        refuses(":::1", "':::'"),
        refuses("1::2::3", "only once"),
        refuses(":1::", "empty group"),
        refuses("1::2:", "empty group"),
        refuses("1:2:3:4:5:6:7", "only 7 of 8 groups"),
        refuses("1:2:3:4:5:6:7:8:9", "more than 8 groups"),
        refuses("1:2:3:4::5:6:7:8", "too many groups around '::'"),
        refuses("12345::", "more than four hex digits"),
        refuses("00000::1", "more than four hex digits"),
        refuses("2001:db8::g", "not hexadecimal"),
        refuses("::ffff:010.0.0.1", "leading zero"),
        refuses("::ffff:10.0.1", "only 3 of 4 parts"),
        refuses("::1.2.3.4:5", "may only end an IPv6 address"),
        refuses("1.2.3.4::", "may only end an IPv6 address"),
        refuses("1:2:3:4:5:6:7:1.2.3.4", "too many groups before the dotted IPv4 part"),
        // --- IPv4-mapped and other embeddings
        refuses("::ffff:10.0.0.1", "IPv4-mapped IPv6 entry; write it as IPv4: 10.0.0.1"),
        refuses("::ffff:10.0.0.0/104", "write it as IPv4: 10.0.0.0/8"),
        refuses("::FFFF:A00:0/120", "write it as IPv4: 10.0.0.0/24"),
        refuses("0:0:0:0:0:ffff:0a00:0001", "write it as IPv4: 10.0.0.1"),
        refuses("::ffff:0.0.0.0/96", "IPv4-mapped entry allows every IPv4 address"),
        refuses("::ffff:0.0.0.0", "IPv4-mapped entry is the unspecified address"),
        warns("::10.0.0.1", "::a00:1|does not match IPv4 clients"),
        warns("64:ff9b::10.0.0.1", "64:ff9b::a00:1|does not match IPv4 clients"),
        accepts("::ffff:0:0:0/96", "::ffff:0:0:0/96"),
        warns("::/80", "::/80|IPv4-mapped block"),
        warns("::fffe:0:0-::1:0:0:0", "::fffe:0:0-::1:0:0:0|IPv4-mapped block"),
        accepts("2002:a00:1::/48", "2002:a00:1::/48"),
        accepts("64:ff9b::/96", "64:ff9b::/96"),
        accepts("2001::/32", "2001::/32"),
        // --- odd characters anywhere
        refuses("10.0.0.1%", "zone ids"),
        refuses("\"10.0.0.1\"", "unexpected character '\"'"),
        refuses("10.0.0.1/8\\", "not a decimal number"),
        refuses("10_0_0_1", "unexpected character '_'"),
        refuses("+10.0.0.1", "unexpected character '+'"),
        refuses("x".repeat(201), "at most 200"));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1} {2}")
  @MethodSource("table")
  void line(String line, Outcome outcome, String expected) {
    String text = "# attacker's list\n" + line + "\n";
    if (outcome == Outcome.REFUSES) {
      AllowListException e = assertThrows(AllowListException.class, () -> IpAllowList.parse(text));
      assertThat(e.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.line()).isEqualTo(2);
                assertThat(p.reason()).contains(expected);
                assertThat(p.text().chars()).allMatch(c -> c >= 0x20 && c < 0x7F);
              });
      return;
    }
    IpAllowList list = IpAllowList.parse(text);
    String canonical =
        outcome == Outcome.WARNS ? expected.substring(0, expected.indexOf('|')) : expected;
    assertThat(list.toText()).isEqualTo(canonical + "\n");
    assertThat(IpAllowList.parse(list.toText())).isEqualTo(list);
    if (outcome == Outcome.WARNS) {
      assertThat(list.warnings())
          .singleElement()
          .satisfies(
              w -> {
                assertThat(w.line()).isEqualTo(2);
                assertThat(w.reason()).contains(expected.substring(expected.indexOf('|') + 1));
              });
    } else {
      assertThat(list.warnings()).isEmpty();
    }
  }
}
