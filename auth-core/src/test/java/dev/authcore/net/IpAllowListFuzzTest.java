package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link IpAllowList#parse(String)}: whatever the text, the result is a list or an {@link
 * AllowListException}, never another exception; an accepted list round-trips through its canonical
 * text and allows the bounds of each of its entries; problems are safe to log.
 *
 * <p>Regression mode (every {@code mvn verify}) replays {@code IpAllowListFuzzTestInputs/parse/}.
 * To fuzz: {@code JAZZER_FUZZ=1 mvn -pl auth-core test -Dtest=IpAllowListFuzzTest}; a finding is
 * written into that directory and becomes a regression case once the cause is fixed.
 */
class IpAllowListFuzzTest {

  private static final InetAddress[] PROBES = {
    ClientAddresses.parse("10.0.0.1"),
    ClientAddresses.parse("0.0.0.0"),
    ClientAddresses.parse("255.255.255.255"),
    ClientAddresses.parse("::"),
    ClientAddresses.parse("2001:db8::1"),
    ClientAddresses.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
  };

  @FuzzTest(maxDuration = "3m")
  void parse(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    IpAllowList list;
    try {
      list = IpAllowList.parse(text);
    } catch (AllowListException e) {
      assertThat(e.problems()).isNotEmpty();
      long lines = text.chars().filter(c -> c == '\n').count() + 1;
      for (AllowListProblem p : e.problems()) {
        assertThat(p.line()).isBetween(0, (int) lines);
        assertPrintable(p);
      }
      assertThat(String.valueOf(e.getMessage()).chars()).allMatch(c -> c >= 0x20 && c < 0x7F);
      return;
    }
    list.warnings().forEach(IpAllowListFuzzTest::assertPrintable);
    IpAllowList again = IpAllowList.parse(list.toText());
    assertThat(again).isEqualTo(list);
    assertThat(again.toText()).isEqualTo(list.toText());
    assertThat(again.size()).isEqualTo(list.size());
    for (InetAddress probe : PROBES) {
      boolean allowed = list.allows(probe);
      assertThat(allowed || !list.isEmpty()).isTrue();
    }
    for (String entry : list.toText().split("\n", -1)) {
      if (entry.isEmpty()) {
        continue;
      }
      int cut = Math.max(entry.indexOf('/'), entry.indexOf('-'));
      String first = cut < 0 ? entry : entry.substring(0, cut);
      assertThat(list.allows(ClientAddresses.parse(first))).as(entry).isTrue();
      if (entry.indexOf('-') > 0) {
        assertThat(list.allows(ClientAddresses.parse(entry.substring(cut + 1)))).as(entry).isTrue();
      }
    }
  }

  private static void assertPrintable(AllowListProblem p) {
    assertThat(p.text().chars()).allMatch(c -> c >= 0x20 && c < 0x7F);
    assertThat(p.reason().chars()).allMatch(c -> c >= 0x20 && c < 0x7F);
  }
}
