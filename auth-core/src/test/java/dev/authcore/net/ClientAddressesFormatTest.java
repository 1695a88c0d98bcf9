package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import inet.ipaddr.ipv6.IPv6Address;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ClientAddresses#format(InetAddress)}: the one text form of an address. */
class ClientAddressesFormatTest {

  private static Inet6Address exactly(String text, int scope) throws Exception {
    return Inet6Address.getByAddress(null, InetAddresses.forString(text).getAddress(), scope);
  }

  @ParameterizedTest
  @CsvSource({
    "10.1.2.3, 10.1.2.3",
    "0.0.0.0, 0.0.0.0",
    "255.255.255.255, 255.255.255.255",
    "::, ::",
    "::1, ::1",
    "1::, 1::",
    "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
    "2001:0db8:0000:0001:0000:0000:0000:0001, 2001:db8:0:1::1",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "0:2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8",
    "::10.1.2.3, ::a01:203",
    "64:ff9b::192.0.2.1, 64:ff9b::c000:201",
    "::ffff:0:10.1.2.3, ::ffff:0:a01:203",
  })
  void format_rfc5952(String text, String expected) {
    assertThat(ClientAddresses.format(ClientAddresses.parse(text))).isEqualTo(expected);
  }

  @Test
  void format_mappedIpv6_writtenAsIpv4() throws Exception {
    Inet6Address mapped = exactly("::1", 0);
    byte[] bytes = mapped.getAddress();
    bytes[10] = (byte) 0xFF;
    bytes[11] = (byte) 0xFF;
    bytes[12] = 10;
    bytes[15] = 9;
    Inet6Address asIpv6 = Inet6Address.getByAddress(null, bytes, 2);
    assertThat(ClientAddresses.format(asIpv6)).isEqualTo("10.0.0.9");
  }

  @Test
  void format_scopeAndHostName_notWritten() throws Exception {
    assertThat(ClientAddresses.format(exactly("fe80::1", 7))).isEqualTo("fe80::1");
    InetAddress named = InetAddress.getByAddress("printer.example", new byte[] {10, 0, 0, 1});
    assertThat(ClientAddresses.format(named)).isEqualTo("10.0.0.1");
  }

  @Test
  void format_null_throws() {
    assertThatThrownBy(() -> ClientAddresses.format(nullAddress()))
        .isInstanceOf(NullPointerException.class);
  }

  @SuppressWarnings("NullAway")
  private static InetAddress nullAddress() {
    return null;
  }

  @Test
  void format_agreesWithGuavaAndIpAddress_andParsesBack() throws Exception {
    // Random addresses, zero runs of every length and position among them.
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[random.nextInt(3) == 0 ? 4 : 16];
      random.nextBytes(bytes);
      if (bytes.length == 16) {
        for (int g = 0; g < 8; g++) {
          if (random.nextInt(3) == 0) {
            bytes[2 * g] = 0;
            bytes[2 * g + 1] = 0;
          }
        }
      }
      InetAddress address = InetAddress.getByAddress(bytes);
      String text = ClientAddresses.format(address);
      assertThat(text).as("%s", address).isEqualTo(InetAddresses.toAddrString(address));
      if (address instanceof Inet6Address) {
        assertThat(text).as("%s", address).isEqualTo(new IPv6Address(bytes).toCanonicalString());
      } else {
        assertThat(address).isInstanceOf(Inet4Address.class);
      }
      assertThat(ClientAddresses.parse(text)).isEqualTo(address);
    }
  }
}
