package dev.authcore.benchmarks;

import dev.authcore.net.IpAllowList;
import java.net.InetAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * What setting an allow list costs: {@link IpAllowList#parse(String)} of an owner's text, off the
 * request path (once per change of the list, and when a corp's settings are loaded into the cache).
 *
 * <p>Workload ({@code @Param entries}): that many lines, half IPv4 and half IPv6 (written in full,
 * as {@code getHostAddress()} does), a third each single addresses, CIDR blocks and {@code
 * start-end} ranges, one line in eight with a comment. Per operation: the whole text parsed,
 * checked and indexed.
 *
 * <p>Run (after {@code mvn -B -o -pl auth-benchmarks -am package -DskipTests
 * -Dbenchmarks.smoke.skip}):
 *
 * <pre>
 * java -jar auth-benchmarks/target/benchmarks.jar AllowListParseBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AllowListParseBenchmark {

  private static final long SEED = 20_250_602L;

  @Param({"10", "1000"})
  int entries;

  private String text = "";

  @Setup
  public void setUp() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED + entries);
    StringBuilder sb = new StringBuilder(entries * 40);
    for (int i = 0; i < entries; i++) {
      boolean v6 = i % 2 == 1;
      int bits = v6 ? 128 : 32;
      byte[] bytes = new byte[v6 ? 16 : 4];
      random.nextBytes(bytes);
      bytes[0] = (byte) (v6 ? 0x20 | (bytes[0] & 0x0F) : 11 + (bytes[0] & 0x7F));
      switch (i % 3) {
        case 0 -> sb.append(text(bytes));
        case 1 -> {
          int prefix = random.nextInt(bits / 2, bits);
          sb.append(text(network(bytes, prefix))).append('/').append(prefix);
        }
        default -> {
          byte[] end = bytes.clone();
          end[end.length - 2] = (byte) 0xFF;
          sb.append(text(bytes)).append('-').append(text(end));
        }
      }
      sb.append(i % 8 == 0 ? "  # office\n" : "\n");
    }
    text = sb.toString();
    if (IpAllowList.parse(text).size() != entries) {
      throw new IllegalStateException("a generated line was refused");
    }
  }

  @Benchmark
  public IpAllowList parse() {
    return IpAllowList.parse(text);
  }

  private static String text(byte[] bytes) throws Exception {
    return InetAddress.getByAddress(bytes).getHostAddress();
  }

  private static byte[] network(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int bit = prefix; bit < out.length * 8; bit++) {
      out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return out;
  }
}
