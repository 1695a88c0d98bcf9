package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.common.net.InetAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link ClientAddresses#parse(String)}: an address or an {@link IllegalArgumentException}
 * with a printable message, never another exception. What it accepts, Guava reads as the same
 * address (zones aside), and it reads its own output back unchanged.
 *
 * <p>To fuzz: {@code JAZZER_FUZZ=1 mvn -pl auth-core test -Dtest=ClientAddressesFuzzTest}.
 */
class ClientAddressesFuzzTest {

  @FuzzTest(maxDuration = "3m")
  void parse(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    InetAddress address;
    try {
      address = ClientAddresses.parse(text);
    } catch (IllegalArgumentException e) {
      assertThat(String.valueOf(e.getMessage()))
          .startsWith("not a client IP address: '")
          .hasSizeLessThan(400);
      assertThat(String.valueOf(e.getMessage()).chars()).allMatch(c -> c >= 0x20 && c < 0x7F);
      return;
    }
    if (address instanceof Inet6Address a6) {
      assertThat(a6.getScopeId()).isZero();
      assertThat(ClientAddresses.normalize(a6)).isSameAs(a6);
    }
    assertThat(ClientAddresses.parse(address.getHostAddress())).isEqualTo(address);
    if (text.indexOf('%') < 0) {
      InetAddress guava = ClientAddresses.normalize(InetAddresses.forString(text));
      assertThat(guava.getAddress()).isEqualTo(address.getAddress());
    }
  }
}
