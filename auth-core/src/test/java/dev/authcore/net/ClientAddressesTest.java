package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.net.InetAddresses;
import com.google.common.testing.NullPointerTester;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientAddressesTest {

  @ParameterizedTest
  @CsvSource({
    "10.1.2.3, 10.1.2.3",
    "0.0.0.0, 0.0.0.0",
    "255.255.255.255, 255.255.255.255",
    "::1, 0:0:0:0:0:0:0:1",
    "2001:DB8::1, 2001:db8:0:0:0:0:0:1",
    "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8:0:0:0:0:0:1",
    "::ffff:10.1.2.3, 10.1.2.3",
    "::FFFF:a01:203, 10.1.2.3",
    "0:0:0:0:0:ffff:10.1.2.3, 10.1.2.3",
    "::10.1.2.3, 0:0:0:0:0:0:a01:203",
    "64:ff9b::10.1.2.3, 64:ff9b:0:0:0:0:a01:203",
    "fe80::1%eth0, fe80:0:0:0:0:0:0:1",
    "fe80::1%25, fe80:0:0:0:0:0:0:1",
    "::ffff:10.1.2.3%eth0, 10.1.2.3",
  })
  void parse_acceptsStrictFormsAndNormalises(String text, String expected) {
    InetAddress a = ClientAddresses.parse(text);
    assertThat(a.getHostAddress()).isEqualTo(expected);
    if (a instanceof Inet6Address a6) {
      assertThat(a6.getScopeId()).isZero();
      assertThat(a6.getScopedInterface()).isNull();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "'[0:0:0:0:0:0:0:1]', 0:0:0:0:0:0:0:1",
    "'[::1]', 0:0:0:0:0:0:0:1",
    "'[fe80::1%eth0]', fe80:0:0:0:0:0:0:1",
    "'[::ffff:10.1.2.3]', 10.1.2.3",
    "'0:0:0:0:0:0:0:1%0', 0:0:0:0:0:0:0:1",
    "'10.1.2.3', 10.1.2.3",
  })
  void parsePeer_acceptsServerFormsAndNormalises(String text, String expected) {
    InetAddress a = ClientAddresses.parsePeer(text);
    assertThat(a.getHostAddress()).isEqualTo(expected);
    if (a instanceof Inet6Address a6) {
      assertThat(a6.getScopeId()).isZero();
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'[10.1.2.3]' | brackets hold an IPv6 address, not IPv4",
        "'[::1]:443' | without a closing ']' at the end",
        "'[::1' | without a closing ']' at the end",
        "'[]' | brackets hold an IPv6 address",
        "'[[::1]]' | brackets are not accepted",
        "'[::1 ]' | whitespace is not accepted",
        "'[::1/64]' | a prefix length is not accepted",
        "'::1]' | brackets are not accepted",
        "'[' | without a closing ']'",
      })
  void parsePeer_refusesLooserForms_sayingWhy(String text, String why) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ClientAddresses.parsePeer(text));
    assertThat(e).hasMessageContaining(why);
    // parse() stays as strict as an allow list: no brackets at all.
    assertThrows(IllegalArgumentException.class, () -> ClientAddresses.parse(text));
  }

  @Test
  void parse_mappedBecomesInet4Address() {
    assertThat(ClientAddresses.parse("::ffff:192.0.2.1")).isInstanceOf(Inet4Address.class);
    assertThat(ClientAddresses.parse("::192.0.2.1")).isInstanceOf(Inet6Address.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " 10.1.2.3",
        "10.1.2.3 ",
        "10.1.2.3\n",
        "127.1",
        "2130706433",
        "0x7f.0.0.1",
        "0x7f000001",
        "010.1.2.3",
        "10.1.2.03",
        "256.1.2.3",
        "10.1.2",
        "10.1.2.3.4",
        "localhost",
        "example.com",
        "10.1.2.*",
        "10.1.2.3/32",
        "10.0.0.0/8",
        "10.1.2.3-10.1.2.4",
        "[::1]",
        "[::1]:80",
        "10.1.2.3:80",
        "10.1.2.3%eth0",
        "fe80::1%",
        "fe80::1%eth0%eth1",
        "fe80::1%eth 0",
        "fe80::1%\u0661",
        "::1%012345678901234567890123456789012",
        "1\u0661.0.0.1",
        "\uFF11.0.0.1",
        "10.1.2.3\u200B",
        ":::1",
        "1::2::3",
        "12345::",
        "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8:9",
        "::ffff:010.1.2.3",
        "unknown",
        "_hidden",
      })
  void parse_refusesEverythingElse(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ClientAddresses.parse(text));
    assertThat(e).hasMessageStartingWith("not a client IP address: '");
    assertThat(String.valueOf(e.getMessage()).chars()).allMatch(c -> c >= 0x20 && c < 0x7F);
  }

  @Test
  void parse_longInput_refusedWithoutEchoingAllOfIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ClientAddresses.parse("1".repeat(100_000)));
    assertThat(e.getMessage()).hasSizeLessThan(200);
  }

  @Test
  @Tag("differential")
  void parse_agreesWithGuavaOnEverythingItAccepts() {
    // Differential check against an independent parser: whatever we accept, Guava reads the
    // same. Inputs are address spellings with 0-2 random character edits (near misses).
    SplittableRandom random = new SplittableRandom(7);
    String alphabet = "0123456789abcdefABCDEF:.x";
    int accepted = 0;
    for (int i = 0; i < 100_000; i++) {
      StringBuilder sb = new StringBuilder(addressLike(random));
      for (int edits = random.nextInt(3); edits > 0 && sb.length() > 0; edits--) {
        int at = random.nextInt(sb.length());
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        switch (random.nextInt(3)) {
          case 0 -> sb.insert(at, c);
          case 1 -> sb.deleteCharAt(at);
          default -> sb.setCharAt(at, c);
        }
      }
      String text = sb.toString();
      InetAddress ours;
      try {
        ours = ClientAddresses.parse(text);
      } catch (IllegalArgumentException e) {
        continue;
      }
      accepted++;
      assertThat(InetAddresses.isInetAddress(text)).as(text).isTrue();
      InetAddress guava = ClientAddresses.normalize(InetAddresses.forString(text));
      assertThat(ours.getAddress()).as(text).isEqualTo(guava.getAddress());
    }
    assertThat(accepted).isGreaterThan(20_000);
  }

  private static String addressLike(SplittableRandom random) {
    if (random.nextBoolean()) {
      return random.nextInt(256)
          + "."
          + random.nextInt(256)
          + "."
          + random.nextInt(256)
          + "."
          + random.nextInt(256);
    }
    StringBuilder sb = new StringBuilder();
    int zeroRunStart = random.nextInt(9);
    for (int g = 0; g < 8; g++) {
      if (g == zeroRunStart) {
        sb.append(g == 0 ? "::" : ":");
        g += random.nextInt(1, 3);
        if (g >= 8) {
          break;
        }
      } else if (g > 0) {
        sb.append(':');
      }
      int value = random.nextInt(4) == 0 ? 0 : random.nextInt(0x10000);
      sb.append(Integer.toHexString(value));
    }
    return sb.toString();
  }

  @Test
  void normalize_mappedAndScoped() throws Exception {
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 10, 1, 2, 3};
    Inet6Address m = Inet6Address.getByAddress(null, mapped, 4);
    InetAddress n = ClientAddresses.normalize(m);
    assertThat(n).isInstanceOf(Inet4Address.class);
    assertThat(n.getHostAddress()).isEqualTo("10.1.2.3");

    byte[] linkLocal = InetAddresses.forString("fe80::1").getAddress();
    Inet6Address scoped = Inet6Address.getByAddress(null, linkLocal, 3);
    Inet6Address plain = (Inet6Address) ClientAddresses.normalize(scoped);
    assertThat(plain.getScopeId()).isZero();
    assertThat(plain.getAddress()).isEqualTo(linkLocal);

    InetAddress v4 = InetAddresses.forString("192.0.2.1");
    assertThat(ClientAddresses.normalize(v4)).isSameAs(v4);
    InetAddress v6 = InetAddresses.forString("2001:db8::1");
    assertThat(ClientAddresses.normalize(v6)).isSameAs(v6);
    InetAddress compat =
        Inet6Address.getByAddress(null, InetAddresses.forString("::1.2.3.4").getAddress(), -1);
    assertThat(ClientAddresses.normalize(compat)).isSameAs(compat);
  }

  @Test
  void nullArguments_rejected() {
    new NullPointerTester().testAllPublicStaticMethods(ClientAddresses.class);
  }
}
