package dev.authcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class AddressesTest {
  private static final long SEED = Seeds.seed("AddressesTest");
  private final RandomGenerator random = Seeds.random(SEED);

  @Test
  void ipv4_neverUnspecified_textRoundTrips() {
    for (int i = 0; i < 2000; i++) {
      Inet4Address a = Addresses.ipv4(random);
      assertThat(a.isAnyLocalAddress()).isFalse();
      assertThat(InetAddresses.forString(Addresses.text(a))).isEqualTo(a);
    }
  }

  @Test
  void ipv6_neverMappedOrZeroPrefixed_textRoundTrips() {
    for (int i = 0; i < 2000; i++) {
      Inet6Address a = Addresses.ipv6(random);
      assertThat(a.getAddress()[0]).as("%s", a).isNotZero();
      assertThat(InetAddresses.forString(Addresses.text(a))).isEqualTo(a);
    }
  }

  @Test
  void block_containsItsEndsAndInsideButNotItsNeighbours() {
    for (int i = 0; i < 3000; i++) {
      Addresses.Block block = Addresses.block(random);
      String why = block.text() + "; " + Seeds.replayHint(SEED);
      assertThat(block.contains(block.first())).as(why).isTrue();
      assertThat(block.contains(block.last())).as(why).isTrue();
      assertThat(block.contains(block.inside(random))).as(why).isTrue();
      neighbour(block.first(), -1).ifPresent(n -> assertThat(block.contains(n)).as(why).isFalse());
      neighbour(block.last(), +1).ifPresent(n -> assertThat(block.contains(n)).as(why).isFalse());
    }
  }

  @Test
  void cidr_textHasNoHostBitsAndSpansThePrefix() {
    for (int i = 0; i < 2000; i++) {
      Addresses.Block block = Addresses.cidr(random);
      int slash = block.text().indexOf('/');
      InetAddress base = InetAddresses.forString(block.text().substring(0, slash));
      int prefix = Integer.parseInt(block.text().substring(slash + 1));
      int bits = base.getAddress().length * 8;
      assertThat(base).isEqualTo(block.first());
      BigInteger size = big(block.last()).subtract(big(block.first())).add(BigInteger.ONE);
      assertThat(size).as(block.text()).isEqualTo(BigInteger.ONE.shiftLeft(bits - prefix));
      assertThat(big(block.first()).mod(size)).as("host bits of %s", block.text()).isZero();
    }
  }

  @Test
  void contains_ipv4MappedClient_matchedAsIpv4() {
    Addresses.Block block =
        new Addresses.Block(
            "10.0.0.0/8",
            Addresses.Kind.CIDR,
            InetAddresses.forString("10.0.0.0"),
            InetAddresses.forString("10.255.255.255"));
    InetAddress mapped =
        InetAddresses.forString(
            Addresses.mappedText((Inet4Address) InetAddresses.forString("10.1.2.3")));
    assertThat(block.contains(mapped)).isTrue();
    assertThat(block.contains(InetAddresses.forString("11.0.0.0"))).isFalse();
    assertThat(block.contains(InetAddresses.forString("::a01:203")))
        .as("IPv4-compatible")
        .isFalse();
  }

  @Test
  void block_endsOutOfOrderOrMixed_refused() {
    InetAddress a = InetAddresses.forString("10.0.0.9");
    InetAddress b = InetAddresses.forString("10.0.0.5");
    assertThatThrownBy(() -> new Addresses.Block("x", Addresses.Kind.RANGE, a, b))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new Addresses.Block("x", Addresses.Kind.RANGE, b, InetAddresses.forString("::1")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static BigInteger big(InetAddress a) {
    return new BigInteger(1, a.getAddress());
  }

  private static java.util.Optional<InetAddress> neighbour(InetAddress a, int step) {
    BigInteger n = big(a).add(BigInteger.valueOf(step));
    int length = a.getAddress().length;
    if (n.signum() < 0 || n.bitLength() > length * 8) {
      return java.util.Optional.empty();
    }
    byte[] raw = n.toByteArray();
    byte[] bytes = new byte[length];
    int copy = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - copy, bytes, length - copy, copy);
    InetAddress out = Addresses.byAddress(bytes);
    // a 16-byte neighbour in the mapped block becomes IPv4: not a neighbour of the same family
    return out.getAddress().length == length
        ? java.util.Optional.of(out)
        : java.util.Optional.empty();
  }
}
