package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

  /**
   * {@link ClientAddresses#parsePeer}: an address or a clear refusal; a bracketed text reads as the
   * address inside it and as nothing else, and an unbracketed one exactly as {@link
   * ClientAddresses#parse} reads it.
   */
  @FuzzTest(maxDuration = "1m")
  void parsePeer(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    boolean bracketed = text.startsWith("[");
    InetAddress address;
    try {
      address = ClientAddresses.parsePeer(text);
    } catch (IllegalArgumentException e) {
      assertThat(String.valueOf(e.getMessage()))
          .startsWith("not a client IP address: '")
          .hasSizeLessThan(400);
      if (!bracketed) {
        assertThrows(IllegalArgumentException.class, () -> ClientAddresses.parse(text));
      }
      return;
    }
    if (bracketed) {
      assertThat(text).endsWith("]").contains(":");
      assertThat(address).isEqualTo(ClientAddresses.parse(text.substring(1, text.length() - 1)));
    } else {
      assertThat(address).isEqualTo(ClientAddresses.parse(text));
    }
  }
}
