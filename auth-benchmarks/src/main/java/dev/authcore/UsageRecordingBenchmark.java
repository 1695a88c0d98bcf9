package dev.authcore;

import dev.authcore.model.TokenId;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.TokenRecord;
import dev.authcore.store.InMemoryTokenStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.NullMarked;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What recording a successful verification adds to the request path (issue target: under 30 ns when
 * nothing new is seen): the token's last use and the client address, in memory, before the batch
 * writer takes them to the store.
 *
 * <ul>
 *   <li>{@code knownAddress}: the client is the token's newest recent address and the token is
 *       already queued for the next batch: the steady state of a busy token.
 *   <li>{@code baseline}: reading the same clock and address without recording, so the difference
 *       is the recording alone.
 * </ul>
 *
 * <p>It lives in package {@code dev.authcore} to reach the package-private recorder: the public API
 * offers no way to verify without recording. Run:
 *
 * <pre>
 * java -jar auth-benchmarks/target/benchmarks.jar UsageRecordingBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@NullMarked
@SuppressWarnings("NullAway.Init") // JMH runs @Setup before any benchmark method
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UsageRecordingBenchmark {
  private UsageRecorder recorder;
  private CachedToken token;
  private InetAddress client;
  private long now;

  @Setup(Level.Trial)
  public void setUp() throws UnknownHostException {
    client = InetAddress.getByName("192.0.2.10");
    TokenRecord record =
        TokenRecord.issued(
            TokenId.fromLong(42),
            "acme",
            "ann@example.com",
            "ci",
            Instant.parse("2026-01-01T00:00:00Z"),
            null,
            SecretHash.of(SecretHash.Algorithm.SHA256, null, new byte[32]));
    InstantSource clock = InstantSource.system();
    recorder =
        new UsageRecorder(
            new InMemoryTokenStore(),
            UsageRecorder.MIN_CAPACITY,
            clock,
            new StoreOutage(clock, new AuditPublisher(List.of(), clock), Duration.ZERO),
            () -> {});
    now = System.currentTimeMillis();
    token = new CachedToken(record, null, new InetAddress[] {client}, now);
    recorder.record(token, now, client); // queued once; later uses find it dirty already
  }

  @Benchmark
  public boolean knownAddress() {
    return recorder.record(token, now, client);
  }

  @Benchmark
  public boolean baseline() {
    return now > 0 && client != null && token != null;
  }
}
