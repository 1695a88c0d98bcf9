package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import dev.authcore.model.InvalidInputException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IpAllowListTest {

  private static InetAddress ip(String text) {
    return ClientAddresses.parse(text);
  }

  /** An IPv6 address object exactly as given, even when mapped (InetAddress.getByAddress folds). */
  private static Inet6Address ip6(String text, int scope) throws UnknownHostException {
    byte[] bytes = new byte[16];
    InetAddress parsed = ip(text);
    byte[] raw = parsed.getAddress();
    if (raw.length == 4) {
      bytes[10] = (byte) 0xFF;
      bytes[11] = (byte) 0xFF;
      System.arraycopy(raw, 0, bytes, 12, 4);
    } else {
      bytes = raw;
    }
    return Inet6Address.getByAddress(null, bytes, scope);
  }

  private static AllowListException refused(String text) {
    return assertThrows(AllowListException.class, () -> IpAllowList.parse(text));
  }

  @Test
  void empty_allowsEveryone() throws Exception {
    IpAllowList empty = IpAllowList.empty();
    assertThat(empty.isEmpty()).isTrue();
    assertThat(empty.size()).isZero();
    assertThat(empty.toText()).isEmpty();
    assertThat(empty.warnings()).isEmpty();
    assertThat(empty.allows(ip("203.0.113.9"))).isTrue();
    assertThat(empty.allows(ip("2001:db8::1"))).isTrue();
    assertThat(empty.allows(ip6("::ffff:1.2.3.4", 0))).isTrue();
  }

  @Test
  void parse_blankOrCommentsOnly_isEmptyList() {
    assertThat(IpAllowList.parse("")).isEqualTo(IpAllowList.empty());
    assertThat(IpAllowList.parse("\n  \n\t\r\n")).isEqualTo(IpAllowList.empty());
    assertThat(IpAllowList.parse("\n  \n\t\r\n").warnings()).isEmpty();
    IpAllowList commented = IpAllowList.parse("# 10.0.0.0/8\n  # office\n");
    assertThat(commented.isEmpty()).isTrue();
    assertThat(commented.warnings())
        .singleElement()
        .satisfies(w -> assertThat(w.reason()).contains("allows every address"));
  }

  @Test
  void allows_addressCidrAndRange() {
    IpAllowList list =
        IpAllowList.parse("10.1.0.0/16\n192.0.2.7\n198.51.100.10-198.51.100.20\n2001:db8::/32\n");
    assertThat(list.allows(ip("10.1.0.0"))).isTrue();
    assertThat(list.allows(ip("10.1.255.255"))).isTrue();
    assertThat(list.allows(ip("10.2.0.0"))).isFalse();
    assertThat(list.allows(ip("10.0.255.255"))).isFalse();
    assertThat(list.allows(ip("192.0.2.7"))).isTrue();
    assertThat(list.allows(ip("192.0.2.8"))).isFalse();
    assertThat(list.allows(ip("198.51.100.9"))).isFalse();
    assertThat(list.allows(ip("198.51.100.10"))).isTrue();
    assertThat(list.allows(ip("198.51.100.20"))).isTrue();
    assertThat(list.allows(ip("198.51.100.21"))).isFalse();
    assertThat(list.allows(ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
    assertThat(list.allows(ip("2001:db9::"))).isFalse();
    assertThat(list.allows(ip("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"))).isFalse();
  }

  @Test
  void allows_ipv4MappedClient_matchedExactlyAsIpv4() throws Exception {
    IpAllowList list = IpAllowList.parse("10.0.0.0/8\n2001:db8::/32\n");
    assertThat(list.allows(ip6("::ffff:10.9.8.7", 0))).isTrue();
    assertThat(list.allows(ip6("::ffff:11.0.0.0", 0))).isFalse();
    assertThat(list.allows(ip6("::ffff:10.9.8.7", 3))).isTrue();
    // Other embeddings are not converted.
    assertThat(list.allows(ip6("::10.9.8.7", 0))).isFalse();
    assertThat(list.allows(ip("64:ff9b::10.9.8.7"))).isFalse();
    assertThat(list.allows(ip("2002:a09:807::1"))).isFalse();
  }

  @Test
  void allows_ipv6EntryNeverMatchesMappedClient() throws Exception {
    // ::/64 spans ::ffff:0:0/96, but IPv4 clients are judged by IPv4 entries only.
    IpAllowList list = IpAllowList.parse("::/64\n");
    assertThat(list.warnings())
        .singleElement()
        .satisfies(w -> assertThat(w.reason()).contains("IPv4-mapped"));
    assertThat(list.allows(ip6("::ffff:10.0.0.1", 0))).isFalse();
    assertThat(list.allows(ip("10.0.0.1"))).isFalse();
    assertThat(list.allows(ip("::1"))).isTrue();
    assertThat(list.allows(ip("::fffe:ffff:ffff"))).isTrue();
  }

  @Test
  void allows_scopeIdIgnored() throws Exception {
    IpAllowList list = IpAllowList.parse("fe80::/10\n");
    assertThat(list.allows(ip6("fe80::1", 7))).isTrue();
    assertThat(list.allows(ip("fe80::1%eth0"))).isTrue();
    assertThat(list.allows(ip6("fec0::1", 7))).isFalse();
  }

  @Test
  void allows_ipv4OnlyList_rejectsIpv6AndViceVersa() {
    IpAllowList v4 = IpAllowList.parse("0.0.0.0/1\n");
    assertThat(v4.allows(ip("::1"))).isFalse();
    assertThat(v4.allows(ip("::"))).isFalse();
    IpAllowList v6 = IpAllowList.parse("::/1\n");
    assertThat(v6.allows(ip("1.2.3.4"))).isFalse();
    assertThat(v6.allows(ip("::1"))).isTrue();
  }

  @Test
  void allows_edgesOfTheAddressSpace() {
    IpAllowList list =
        IpAllowList.parse(
            """
            255.255.255.255
            0.0.0.1
            128.0.0.0-128.0.0.1
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
            ::1
            7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff-8000::
            """);
    assertThat(list.allows(ip("255.255.255.255"))).isTrue();
    assertThat(list.allows(ip("255.255.255.254"))).isFalse();
    assertThat(list.allows(ip("0.0.0.1"))).isTrue();
    assertThat(list.allows(ip("0.0.0.0"))).isFalse();
    assertThat(list.allows(ip("127.255.255.255"))).isFalse();
    assertThat(list.allows(ip("128.0.0.1"))).isTrue();
    assertThat(list.allows(ip("128.0.0.2"))).isFalse();
    assertThat(list.allows(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).isTrue();
    assertThat(list.allows(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"))).isFalse();
    assertThat(list.allows(ip("::"))).isFalse();
    assertThat(list.allows(ip("::1"))).isTrue();
    assertThat(list.allows(ip("::2"))).isFalse();
    assertThat(list.allows(ip("8000::"))).isTrue();
    assertThat(list.allows(ip("8000::1"))).isFalse();
    assertThat(list.allows(ip("7fff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"))).isFalse();
  }

  @Test
  void allows_overlappingAndAdjacentEntries_merged() {
    IpAllowList list =
        IpAllowList.parse("10.0.0.0-10.0.0.9\n10.0.0.10-10.0.0.19\n10.0.0.5-10.0.0.30\n");
    for (int i = 0; i <= 30; i++) {
      assertThat(list.allows(ip("10.0.0." + i))).as("10.0.0.%d", i).isTrue();
    }
    assertThat(list.allows(ip("10.0.0.31"))).isFalse();
    assertThat(list.size()).isEqualTo(3);
  }

  @Test
  void allows_manyEntries_eachBoundaryExact() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      text.append("10.").append(i / 256).append('.').append(i % 256).append(".16/29\n");
    }
    IpAllowList list = IpAllowList.parse(text.toString());
    assertThat(list.size()).isEqualTo(5000);
    for (int i = 0; i < 5000; i += 37) {
      String net = "10." + (i / 256) + "." + (i % 256) + ".";
      assertThat(list.allows(ip(net + "15"))).isFalse();
      assertThat(list.allows(ip(net + "16"))).isTrue();
      assertThat(list.allows(ip(net + "23"))).isTrue();
      assertThat(list.allows(ip(net + "24"))).isFalse();
    }
  }

  @Test
  void allows_nullClient_throwsEvenWhenEmpty() {
    assertThrows(NullPointerException.class, () -> IpAllowList.empty().allows(nullAddress()));
  }

  @SuppressWarnings("NullAway")
  private static InetAddress nullAddress() {
    return null;
  }

  @Test
  void parse_reportsEveryBadLineWithNumberTextAndReason() {
    AllowListException e =
        refused("# office\n10.0.0.0/8\n10.0.0.5/8\n\n127.1\r\n2001:db8::/32\nlocalhost # lab\n");
    assertThat(e.problems()).extracting(AllowListProblem::line).containsExactly(3, 5, 7);
    assertThat(e.problems().get(0).text()).isEqualTo("10.0.0.5/8");
    assertThat(e.problems().get(0).reason()).contains("did you mean 10.0.0.0/8?");
    assertThat(e.problems().get(1).text()).isEqualTo("127.1");
    assertThat(e.problems().get(1).reason()).contains("shorthand");
    assertThat(e.problems().get(2).text()).isEqualTo("localhost # lab");
    assertThat(e.problems().get(2).reason()).contains("never looked up");
    assertThat(e)
        .hasMessageStartingWith("IP allow list refused: 3 problems: line 3 '10.0.0.5/8': host bits")
        .hasMessageContaining("line 5 '127.1'")
        .hasMessageContaining("line 7 'localhost # lab'");
    assertThat(e).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void parse_problemsAreUnmodifiable() {
    AllowListException e = refused("x\n");
    assertThrows(
        UnsupportedOperationException.class,
        () -> e.problems().add(new AllowListProblem(1, "a", "b")));
  }

  @Test
  void parse_messageNamesFirstTenProblemsOnly() {
    AllowListException e = refused("x\n".repeat(25));
    assertThat(e.problems()).hasSize(25);
    assertThat(e.getMessage()).contains("line 10 'x'").doesNotContain("line 11 'x'");
    assertThat(e.getMessage()).endsWith("; and 15 more");
  }

  @Test
  void parse_crlfAndLeadingBom_tolerated() {
    IpAllowList list = IpAllowList.parse("\uFEFF10.0.0.0/8\r\n2001:db8::/32\r\n");
    assertThat(list.toText()).isEqualTo("10.0.0.0/8\n2001:db8::/32\n");
    assertThat(list.warnings()).isEmpty();
  }

  @Test
  void parse_bomNotAtStart_refused() {
    assertThat(refused("10.0.0.1\n\uFEFF10.0.0.2\n").problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(2);
              assertThat(p.text()).isEqualTo("\\uFEFF10.0.0.2");
            });
  }

  @Test
  void parse_loneCarriageReturnInsideLine_refused() {
    assertThat(refused("10.0.0.1\r10.0.0.2\n").problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.text()).isEqualTo("10.0.0.1\\r10.0.0.2");
              assertThat(p.reason()).contains("U+000D");
            });
  }

  @Test
  void parse_trailingComment_ignored() {
    IpAllowList list =
        IpAllowList.parse("10.0.0.0/8 # office\n192.0.2.1#no space\n\t2001:db8::1\t\n");
    assertThat(list.toText()).isEqualTo("10.0.0.0/8\n192.0.2.1\n2001:db8::1\n");
  }

  @Test
  void parse_lineLimit() {
    String atLimit = "10.0.0.1" + " ".repeat(192);
    assertThat(IpAllowList.parse(atLimit + "\n").size()).isEqualTo(1);
    AllowListException e = refused("10.0.0.1\n" + atLimit + " \n");
    assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(2));
    assertThat(e.problems().get(0).reason()).contains("201 characters").contains("at most 200");
    assertThat(e.problems().get(0).text()).hasSizeLessThanOrEqualTo(64).endsWith("...");
  }

  @Test
  void parse_tooManyLines_refusedAsAWhole() {
    String text = "\n".repeat(100_000) + "10.0.0.1";
    AllowListException e = refused(text);
    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isZero();
              assertThat(p.reason()).contains("100001 lines").contains("at most 100000");
            });
    assertThat(IpAllowList.parse("\n".repeat(99_999) + "10.0.0.1").size()).isEqualTo(1);
  }

  @Test
  void parse_hugeText_refusedBeforeSplitting() {
    String text = "1".repeat((int) AllowListParser.MAX_TEXT_LENGTH + 1);
    AllowListException e = refused(text);
    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isZero();
              assertThat(p.reason()).contains("characters long");
            });
  }

  @Test
  void parse_entriesTogetherAllowingEverything_refused() {
    assertThat(refused("0.0.0.0/1\n128.0.0.0/1\n").problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isZero();
              assertThat(p.reason()).contains("every IPv4 address").contains("empty list");
            });
    assertThat(refused("::/1\n8000::/1\n").problems())
        .singleElement()
        .satisfies(p -> assertThat(p.reason()).contains("every IPv6 address"));
    // Leaving out exactly the mapped block still allows every IPv6 client.
    assertThat(
            refused("::-::fffe:ffff:ffff\n::1:0:0:0-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff\n")
                .problems())
        .singleElement()
        .satisfies(p -> assertThat(p.reason()).contains("every IPv6 address"));
    // One address short of everything is a (strange) restriction, and accepted.
    assertThat(IpAllowList.parse("0.0.0.0/1\n128.0.0.0-255.255.255.254\n").size()).isEqualTo(2);
  }

  @Test
  void warnings_duplicatesAndContainedEntries() {
    IpAllowList list =
        IpAllowList.parse(
            """
            10.1.2.0/24
            10.0.0.0/8
            10.0.0.0/8
            10.0.0.0-10.255.255.255
            192.0.2.1
            192.0.2.1/32
            2001:db8::/48
            2001:db8::/32
            """);
    assertThat(list.size()).isEqualTo(8);
    assertThat(list.warnings())
        .extracting(p -> p.line() + " " + p.reason())
        .containsExactly(
            "1 inside 10.0.0.0/8 on line 2; this line changes nothing",
            "3 same as line 2 (10.0.0.0/8); this line changes nothing",
            "4 same as line 2 (10.0.0.0/8); this line changes nothing",
            "6 same as line 5 (192.0.2.1); this line changes nothing",
            "7 inside 2001:db8::/32 on line 8; this line changes nothing");
  }

  @Test
  void warnings_partialOverlapIsNotRedundant() {
    assertThat(IpAllowList.parse("10.0.0.0-10.0.0.9\n10.0.0.5-10.0.0.20\n").warnings()).isEmpty();
  }

  @Test
  void warnings_dottedIpv4InIpv6Entry() {
    IpAllowList list = IpAllowList.parse("64:ff9b::192.0.2.1\n");
    assertThat(list.warnings())
        .singleElement()
        .satisfies(w -> assertThat(w.reason()).contains("64:ff9b::c000:201").contains("IPv4"));
    assertThat(list.allows(ip("192.0.2.1"))).isFalse();
    assertThat(list.allows(ip("64:ff9b::c000:201"))).isTrue();
  }

  @Test
  void mappedEntries_refusedWithIpv4Form() {
    assertThat(refused("::ffff:10.0.0.0/104\n").problems().get(0).reason())
        .contains("write it as IPv4: 10.0.0.0/8");
    assertThat(refused("::ffff:a00:1\n").problems().get(0).reason())
        .contains("write it as IPv4: 10.0.0.1");
    assertThat(refused("::FFFF:10.0.0.1-::ffff:10.0.0.9\n").problems().get(0).reason())
        .contains("write it as IPv4: 10.0.0.1-10.0.0.9");
    // The whole mapped block is "every IPv4 address": refused as such, not turned into 0.0.0.0/0.
    assertThat(refused("::ffff:0:0/96\n").problems().get(0).reason())
        .contains("allows every IPv4 address")
        .doesNotContain("0.0.0.0/0");
  }

  @Test
  void toText_isCanonicalAndRoundTrips() {
    IpAllowList list =
        IpAllowList.parse(
            """
            2001:0DB8:0000:0000::/32
            10.0.0.1/32
            10.0.0.0-10.0.0.255
            10.0.1.0-10.0.1.9
            2001:db8:0:0:1:0:0:1
            fe80:0:0:0:0:0:0:0-fe80::ff
            1:0:0:2:0:0:0:3
            """);
    assertThat(list.toText())
        .isEqualTo(
            """
            10.0.0.0/24
            10.0.0.1
            10.0.1.0-10.0.1.9
            1:0:0:2::3
            2001:db8::/32
            2001:db8::1:0:0:1
            fe80::/120
            """);
    IpAllowList again = IpAllowList.parse(list.toText());
    assertThat(again).isEqualTo(list);
    assertThat(again.toText()).isEqualTo(list.toText());
    assertThat(again.size()).isEqualTo(list.size());
  }

  @Test
  void equals_byCanonicalContent() {
    new EqualsTester()
        .addEqualityGroup(IpAllowList.empty(), IpAllowList.parse(""), IpAllowList.parse("# none\n"))
        .addEqualityGroup(
            IpAllowList.parse("10.0.0.0/8\n2001:db8::/32\n"),
            IpAllowList.parse("2001:db8::/32 # v6\n10.0.0.0/8\n"),
            IpAllowList.parse("10.0.0.0-10.255.255.255\n2001:0db8::/32\n"))
        .addEqualityGroup(IpAllowList.parse("10.0.0.0/8\n"))
        .addEqualityGroup(IpAllowList.parse("10.0.0.0/8\n10.0.0.0/8\n"))
        .addEqualityGroup(IpAllowList.parse("10.0.0.0/9\n10.128.0.0/9\n"))
        .testEquals();
  }

  @Test
  void toString_isShort() {
    assertThat(IpAllowList.empty().toString()).isEqualTo("IpAllowList[empty: no restriction]");
    assertThat(IpAllowList.parse("10.0.0.1\n").toString())
        .isEqualTo("IpAllowList[1 entry: 10.0.0.1]");
    assertThat(IpAllowList.parse("10.0.0.1\n10.0.0.3\n10.0.0.5\n10.0.0.7\n").toString())
        .isEqualTo("IpAllowList[4 entries: 10.0.0.1, 10.0.0.3, 10.0.0.5, ...]");
  }

  @Test
  void partsOutside_isTheDifferenceInCanonicalSpelling() {
    IpAllowList corp = IpAllowList.parse("10.0.0.0/8\n2001:db8::/32\n");
    IpAllowList token =
        IpAllowList.parse("10.1.0.0/16\n9.255.255.250-10.0.0.3\n192.168.1.7\n2001:db8::/31\n");
    assertThat(token.partsOutside(corp))
        .containsExactly("9.255.255.250-9.255.255.255", "192.168.1.7", "2001:db9::/32");
    assertThat(token.partsOutside(IpAllowList.empty())).isEmpty();
    assertThat(IpAllowList.empty().partsOutside(corp)).isEmpty();
    assertThat(IpAllowList.parse("10.1.0.0/16\n").partsOutside(corp)).isEmpty();
    // a hole in the middle splits a range in two
    assertThat(IpAllowList.parse("10.0.0.0/8\n").partsOutside(IpAllowList.parse("10.1.0.0/16")))
        .containsExactly("10.0.0.0/16", "10.2.0.0-10.255.255.255");
  }

  @Test
  void overlaps_someAddressInBoth() {
    IpAllowList corp = IpAllowList.parse("10.0.0.0/8\n");
    assertThat(IpAllowList.parse("10.255.255.255-11.0.0.0").overlaps(corp)).isTrue();
    assertThat(IpAllowList.parse("11.0.0.0/8").overlaps(corp)).isFalse();
    assertThat(IpAllowList.parse("::a00:1").overlaps(corp)).isFalse(); // IPv4-compatible, not 10/8
    assertThat(IpAllowList.empty().overlaps(corp)).isTrue();
    assertThat(corp.overlaps(IpAllowList.empty())).isTrue();
  }

  @Test
  void parseWithin_whollyOutside_refusedWithOneProblem() {
    AllowListException e =
        assertThrows(
            AllowListException.class,
            () -> IpAllowList.parseWithin("192.168.0.0/16\n", IpAllowList.parse("10.0.0.0/8")));
    assertThat(e.problems()).singleElement().extracting(AllowListProblem::line).isEqualTo(0);
    assertThat(e.getMessage()).contains("could never pass both");
  }

  @Test
  void parseWithin_badLines_reportedAsByParse() {
    AllowListException e =
        assertThrows(
            AllowListException.class,
            () -> IpAllowList.parseWithin("10.0.0.1\n127.1\n", IpAllowList.parse("10.0.0.0/8")));
    assertThat(e.problems()).extracting(AllowListProblem::line).containsExactly(2);
  }

  @Test
  void parseWithin_partlyOutside_warnsNamingThePart() {
    IpAllowList list =
        IpAllowList.parseWithin("10.1.0.0/16\n11.0.0.0/24\n", IpAllowList.parse("10.0.0.0/8"));
    assertThat(list.toText()).isEqualTo("10.1.0.0/16\n11.0.0.0/24\n");
    assertThat(list.warnings())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.line()).isZero();
              assertThat(w.reason()).endsWith("never matched: 11.0.0.0/24");
            });
    assertThat(IpAllowList.parseWithin("10.1.0.0/16\n", IpAllowList.parse("10.0.0.0/8")).warnings())
        .isEmpty();
    assertThat(IpAllowList.parseWithin("", IpAllowList.parse("10.0.0.0/8")).isEmpty()).isTrue();
  }

  @Test
  void parseWithin_manyLongParts_warningStaysWithinAProblemsLength() {
    StringBuilder text = new StringBuilder("10.0.0.1\n");
    for (int i = 1; i <= 12; i++) {
      // ranges that are no CIDR block, spelled start-end in full
      text.append(
          String.format(
              "2001:db8:%x:1111:2222:3333:4444:5555-2001:db8:%x:ffff:2222:3333:4444:5556%n",
              0xa000 + i, 0xa000 + i));
    }
    IpAllowList list = IpAllowList.parseWithin(text.toString(), IpAllowList.parse("10.0.0.0/8"));
    String reason = list.warnings().get(list.warnings().size() - 1).reason();
    assertThat(reason)
        .hasSizeLessThanOrEqualTo(400)
        .contains("2001:db8:a001:1111:2222:3333:4444:5555-")
        .contains(" more");
  }

  @Test
  void nullArguments_rejected() {
    NullPointerTester tester = new NullPointerTester();
    tester.setDefault(IpAllowList.class, IpAllowList.parse("10.0.0.0/8\n"));
    tester.testAllPublicStaticMethods(IpAllowList.class);
    tester.testAllPublicInstanceMethods(IpAllowList.empty());
    tester.testAllPublicInstanceMethods(IpAllowList.parse("10.0.0.0/8\n"));
    tester.testAllPublicConstructors(AllowListProblem.class);
  }

  @Test
  void problem_refusesUnescapedText() {
    assertThrows(IllegalArgumentException.class, () -> new AllowListProblem(1, "a\nb", "r"));
    assertThrows(IllegalArgumentException.class, () -> new AllowListProblem(1, "t", "r\u202E"));
    assertThrows(IllegalArgumentException.class, () -> new AllowListProblem(-1, "t", "r"));
    assertThrows(
        IllegalArgumentException.class, () -> new AllowListProblem(1, "t".repeat(401), "r"));
    assertThat(new AllowListProblem(2, "t", "r")).hasToString("line 2 't': r");
    assertThat(new AllowListProblem(0, "", "r")).hasToString("r");
  }

  @Test
  void problem_textIsEscapedForLogs() {
    AllowListProblem p = refused("10.0.0.1\\x\u0085\u2028\n").problems().get(0);
    assertThat(p.text()).isEqualTo("10.0.0.1\\\\x\\u0085\\u2028");
    assertThat(p.reason()).contains("U+0085");
  }

  @Test
  void inet4HashCode_isTheAddress_onThisRuntime() throws Exception {
    // allows() reads IPv4 clients through hashCode() when this holds (checked at class init).
    assertThat(RangeMatcher.INET4_HASH_IS_ADDRESS).isTrue();
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 10_000; i++) {
      byte[] bytes = ByteBuffer.allocate(4).putInt(random.nextInt()).array();
      Inet4Address a = (Inet4Address) InetAddress.getByAddress(bytes);
      int expected = ByteBuffer.wrap(bytes).getInt();
      assertThat(a.hashCode()).isEqualTo(expected);
      assertThat(RangeMatcher.ipv4Bits(a)).isEqualTo(expected);
      assertThat(RangeMatcher.ipv4BitsFromBytes(bytes)).isEqualTo(expected);
    }
  }

  @Test
  void allows_clientFromNameLookup_matchesByAddressOnly() throws Exception {
    // An InetAddress carrying a host name is matched by its bytes; nothing is looked up.
    InetAddress named = InetAddress.getByAddress("printer.example", new byte[] {10, 0, 0, 1});
    assertThat(IpAllowList.parse("10.0.0.1\n").allows(named)).isTrue();
    assertThat(List.of(named.getHostName())).containsExactly("printer.example");
  }

  @Test
  void hashCode_distinctLists_spreadOverDistinctHashes() {
    Set<Integer> hashes = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      hashes.add(IpAllowList.parse("10.0." + i + ".0/24").hashCode());
    }
    assertThat(hashes).hasSize(100);
  }

  @Test
  void toString_namesTheFirstThreeEntriesOnly() {
    assertThat(IpAllowList.parse("10.0.0.1\n10.0.0.3\n10.0.0.5\n").toString())
        .isEqualTo("IpAllowList[3 entries: 10.0.0.1, 10.0.0.3, 10.0.0.5]");
    assertThat(IpAllowList.parse("10.0.0.1\n10.0.0.3\n10.0.0.5\n10.0.0.9\n").toString())
        .isEqualTo("IpAllowList[4 entries: 10.0.0.1, 10.0.0.3, 10.0.0.5, ...]");
  }
}
