package dev.authcore.testkit;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.net.InetAddresses;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Seeded IP addresses, CIDR blocks and ranges, each with its text in the canonical form an allow
 * list accepts, and an independent membership check ({@link Block#contains}) to test matchers
 * against.
 *
 * <p>Addresses are built from bytes, never looked up. IPv6 addresses are drawn outside the
 * IPv4-mapped block {@code ::ffff:0:0/96} (Java turns those into IPv4 addresses) and outside {@code
 * ::/8}; blocks are never so wide that they allow a whole family (SPEC refuses {@code 0.0.0.0/0}).
 * Stateless and thread-safe.
 */
public final class Addresses {
  private Addresses() {}

  /** The kind of entry a {@link Block} is written as. */
  public enum Kind {
    /** One address: {@code 10.1.2.3}, {@code 2001:db8::1}. */
    ADDRESS,
    /** A CIDR block with no host bits set: {@code 10.1.0.0/16}. */
    CIDR,
    /** An explicit range, start at or below end: {@code 10.0.0.5-10.0.0.9}. */
    RANGE
  }

  /**
   * A contiguous set of addresses of one family and the allow-list text that denotes it.
   *
   * @param text canonical text: an address, {@code address/prefix} or {@code first-last}
   * @param kind how the text is written
   * @param first the lowest address
   * @param last the highest address
   */
  public record Block(String text, Kind kind, InetAddress first, InetAddress last) {
    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException if the ends are of different families or out of order
     */
    public Block {
      checkArgument(
          first.getClass() == last.getClass(), "a block's ends must be of one family: %s", text);
      checkArgument(
          compare(first, last) <= 0, "a block's first address is above its last: %s", text);
    }

    /**
     * Whether {@code address} lies in this block. An IPv4-mapped IPv6 address counts as its IPv4
     * address, as SPEC says.
     */
    public boolean contains(InetAddress address) {
      InetAddress a = unmapped(address);
      return a.getClass() == first.getClass() && compare(first, a) <= 0 && compare(a, last) <= 0;
    }

    /** An address inside this block, drawn at random. */
    public InetAddress inside(RandomGenerator random) {
      BigInteger lo = toBig(first);
      BigInteger span = toBig(last).subtract(lo);
      byte[] draw = new byte[24]; // 64 bits more than the widest span: the bias is negligible
      random.nextBytes(draw);
      BigInteger offset = new BigInteger(1, draw).mod(span.add(BigInteger.ONE));
      return fromBig(lo.add(offset), first.getAddress().length);
    }
  }

  /** A random IPv4 address other than {@code 0.0.0.0}. */
  public static Inet4Address ipv4(RandomGenerator random) {
    byte[] bytes = new byte[4];
    do {
      random.nextBytes(bytes);
      if (random.nextInt(4) == 0) {
        bytes[0] = (byte) new int[] {10, 127, 172, 192, 203, 255}[random.nextInt(6)];
      }
    } while (bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 0);
    return (Inet4Address) byAddress(bytes);
  }

  /**
   * A random IPv6 address whose first byte is not zero (so never unspecified, loopback or
   * IPv4-mapped), often in the documentation block {@code 2001:db8::/32}.
   */
  public static Inet6Address ipv6(RandomGenerator random) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    if (random.nextBoolean()) {
      bytes[0] = 0x20;
      bytes[1] = 0x01;
      bytes[2] = 0x0d;
      bytes[3] = (byte) 0xb8;
    }
    if (bytes[0] == 0) {
      bytes[0] = (byte) 0xfd;
    }
    if (random.nextInt(3) == 0) {
      Arrays.fill(bytes, 8 + random.nextInt(8), 16, (byte) 0); // a run of zeros, written as ::
    }
    return (Inet6Address) byAddress(bytes);
  }

  /** An IPv4 or IPv6 address, each half the time. */
  public static InetAddress address(RandomGenerator random) {
    return random.nextBoolean() ? ipv4(random) : ipv6(random);
  }

  /** {@code address} in canonical text form ({@code 10.1.2.3}, {@code 2001:db8::1}). */
  public static String text(InetAddress address) {
    return InetAddresses.toAddrString(address);
  }

  /** The IPv4-mapped IPv6 text of an IPv4 address: {@code ::ffff:10.1.2.3}. */
  public static String mappedText(Inet4Address address) {
    return "::ffff:" + text(address);
  }

  /** A single address as a block, either family. */
  public static Block single(RandomGenerator random) {
    InetAddress a = address(random);
    return new Block(text(a), Kind.ADDRESS, a, a);
  }

  /**
   * A CIDR block: an IPv4 prefix of 8 to 32 bits or an IPv6 prefix of 16 to 128 bits, host bits
   * clear.
   */
  public static Block cidr(RandomGenerator random) {
    boolean v4 = random.nextBoolean();
    InetAddress base = v4 ? ipv4(random) : ipv6(random);
    int bits = v4 ? 32 : 128;
    int prefix = v4 ? Generators.between(random, 8, 32) : Generators.between(random, 16, 128);
    byte[] first = base.getAddress();
    byte[] last = base.getAddress();
    for (int bit = prefix; bit < bits; bit++) {
      int mask = 0x80 >>> (bit % 8);
      first[bit / 8] &= (byte) ~mask;
      last[bit / 8] |= (byte) mask;
    }
    if (isZero(first)) {
      first[0] = 10; // 0.0.0.0/8 and the like hold the unspecified address; move away from it
      last[0] = 10;
    }
    InetAddress lo = byAddress(first);
    return new Block(text(lo) + "/" + prefix, Kind.CIDR, lo, byAddress(last));
  }

  /** An explicit range {@code first-last} of one family, first at or below last, of modest span. */
  public static Block range(RandomGenerator random) {
    boolean v4 = random.nextBoolean();
    InetAddress start = v4 ? ipv4(random) : ipv6(random);
    BigInteger lo = toBig(start);
    BigInteger max = BigInteger.ONE.shiftLeft(v4 ? 32 : 128).subtract(BigInteger.ONE);
    BigInteger span = BigInteger.valueOf(random.nextInt(v4 ? 1 << 16 : 1 << 30));
    BigInteger hi = lo.add(span).min(max);
    InetAddress end = fromBig(hi, v4 ? 4 : 16);
    return new Block(text(start) + "-" + text(end), Kind.RANGE, start, end);
  }

  /** An address, block or range, chosen at random. */
  public static Block block(RandomGenerator random) {
    return switch (random.nextInt(3)) {
      case 0 -> single(random);
      case 1 -> cidr(random);
      default -> range(random);
    };
  }

  /** Compares two addresses of one family as unsigned numbers. */
  static int compare(InetAddress a, InetAddress b) {
    return Arrays.compareUnsigned(a.getAddress(), b.getAddress());
  }

  static InetAddress unmapped(InetAddress address) {
    byte[] b = address.getAddress();
    if (b.length == 16) {
      boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
      for (int i = 0; i < 10 && mapped; i++) {
        mapped = b[i] == 0;
      }
      if (mapped) {
        return byAddress(Arrays.copyOfRange(b, 12, 16));
      }
    }
    return address;
  }

  private static boolean isZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static BigInteger toBig(InetAddress address) {
    return new BigInteger(1, address.getAddress());
  }

  private static InetAddress fromBig(BigInteger value, int length) {
    byte[] raw = value.toByteArray();
    byte[] bytes = new byte[length];
    int copy = Math.min(raw.length, length);
    System.arraycopy(raw, raw.length - copy, bytes, length - copy, copy);
    return byAddress(bytes);
  }

  static InetAddress byAddress(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new AssertionError("4 or 16 bytes are always an address", e);
    }
  }
}
