package dev.authcore.benchmarks;

import dev.authcore.net.ClientAddresses;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv4.IPv4AddressStringParameters;
import inet.ipaddr.ipv6.IPv6AddressStringParameters;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What reading one client address from text costs, as a gateway behind proxies does on every
 * request (the socket peer's text, each address of {@code X-Forwarded-For} or {@code Forwarded}):
 * auth-core's hand-written strict reader against the seancfoley IPAddress library under the same
 * strict rules. This decides which of the two {@code ClientAddresses.parse} and {@code
 * ClientAddressResolver} use; allow lists, parsed once when set, use IPAddress.
 *
 * <p>Workload ({@code @Param family}): 256 texts cycled through, typical of what reaches a gateway:
 * {@code ipv4} random dotted-decimal addresses; {@code ipv6} random addresses in 2000::/3 written
 * as servers and proxies write them (RFC 5952, a quarter of the groups zero so that about half have
 * a {@code ::}). Setup checks that both readers give the same address for every text.
 *
 * <p>Benchmarks:
 *
 * <ul>
 *   <li>{@code handWritten}: {@code ClientAddresses.parse(String)}, the whole public call (checks,
 *       parse, normalising, building the {@code InetAddress}).
 *   <li>{@code ipaddressStrict}: {@code new IPAddressString(text, strict).getAddress()} then {@code
 *       toInetAddress()}: the same result from the library, with the parameters auth-core uses for
 *       allow lists (mirrored here: they are not public). Without auth-core's character screen in
 *       front, so a lower bound of what the library would cost on this path.
 *   <li>{@code ipaddressStrictNoInetAddress}: the library's parse alone, without building the
 *       {@code InetAddress}.
 * </ul>
 *
 * <p>Run (after {@code mvn -B -o -pl auth-benchmarks -am package -DskipTests
 * -Dbenchmarks.smoke.skip}; JMH takes a machine-wide lock, run one at a time):
 *
 * <pre>
 * java -jar auth-benchmarks/target/benchmarks.jar AddressParseBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AddressParseBenchmark {

  private static final int TEXTS = 256;
  private static final long SEED = 20_250_601L;
  private static final IPAddressStringParameters STRICT = strictParameters();

  @Param({"ipv4", "ipv6"})
  String family = "ipv4";

  private String[] texts = new String[0];

  /** Which text the next call reads; per thread so that threads do not contend. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    int advance() {
      return next++ & (TEXTS - 1);
    }
  }

  @Setup
  public void setUp() throws Exception {
    boolean v6 = family.equals("ipv6");
    SplittableRandom random = new SplittableRandom(SEED + (v6 ? 1 : 0));
    texts = new String[TEXTS];
    for (int i = 0; i < TEXTS; i++) {
      texts[i] = v6 ? ipv6(random) : ipv4(random);
    }
    for (int i = 0; i < TEXTS; i++) {
      Cursor at = new Cursor();
      at.next = i;
      byte[] ours = handWritten(at).getAddress();
      at.next = i;
      byte[] library = ipaddressStrict(at).getAddress();
      if (!Arrays.equals(ours, library)) {
        throw new IllegalStateException("the readers disagree on " + texts[i]);
      }
    }
  }

  @Benchmark
  public InetAddress handWritten(Cursor cursor) {
    return ClientAddresses.parse(texts[cursor.advance()]);
  }

  @Benchmark
  public InetAddress ipaddressStrict(Cursor cursor) {
    return strictOrThrow(texts[cursor.advance()]).toInetAddress();
  }

  @Benchmark
  public IPAddress ipaddressStrictNoInetAddress(Cursor cursor) {
    return strictOrThrow(texts[cursor.advance()]);
  }

  private static IPAddress strictOrThrow(String text) {
    @Nullable IPAddress address = new IPAddressString(text, STRICT).getAddress();
    if (address == null) {
      throw new IllegalArgumentException(text);
    }
    return address;
  }

  // ---------------------------------------------------------------- workload

  private static String ipv4(SplittableRandom random) throws Exception {
    int v = (int) random.nextLong(1L << 24, 1L << 32); // not in 0.0.0.0/8
    return InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(v).array()).getHostAddress();
  }

  private static String ipv6(SplittableRandom random) throws Exception {
    ByteBuffer bytes = ByteBuffer.allocate(16);
    for (int g = 0; g < 8; g++) {
      int group = random.nextInt(4) == 0 ? 0 : random.nextInt(1, 0x10000);
      bytes.putShort((short) (g == 0 ? 0x2000 | (group & 0x1FFF) : group));
    }
    return ClientAddresses.format(InetAddress.getByAddress(bytes.array()));
  }

  /** The parameters of auth-core's StrictAddresses, which are not public. */
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
            .allowWildcardedSeparator(false)
            .setRangeOptions(RangeParameters.NO_RANGE)
            .allow_inet_aton(false);
    strictIpv4(builder.getIPv4AddressParametersBuilder());
    IPv6AddressStringParameters.Builder ipv6 = builder.getIPv6AddressParametersBuilder();
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
}
