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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What recording a successful verification adds to the request path (issue target: under 30 ns when
 * nothing new is seen): the token's last use and the client address, in memory, before the batch
 * writer takes them to the store.
 *
 * <p>The clock moves: each call is one millisecond after the previous one (the verifier reads its
 * injected clock once per verification and passes that instant here), so every call of {@code
 * knownAddress} takes the path a token used less than once a millisecond takes, writing the new
 * last use into the cached token. A frozen clock would measure only the cheaper path where the last
 * use is already current and nothing is written; {@code sameMillisecond} keeps that case, named as
 * such.
 *
 * <ul>
 *   <li>{@code knownAddress}: the client is the token's newest recent address and the token is
 *       already queued for the next batch (the steady state of a busy token); the last use moves
 *       forward on every call.
 *   <li>{@code sameMillisecond}: the same, at the instant of the previous call: the last use is
 *       already current, so nothing is written (the cheapest path).
 *   <li>{@code baseline}: advancing the same clock and reading the same address without recording,
 *       so the difference is the recording alone.
 * </ul>
 *
 * <p>The setup checks the fixture: the first use queues the token, a use at a later instant moves
 * its last use and queues nothing more, the known address is not reported as new. After each
 * iteration the token's last use must equal the latest instant given, so a run whose writes did not
 * happen fails.
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

  /** The instant of the latest call, in epoch millis; each call of a moving benchmark adds one. */
  private long now;

  /** The baseline's own clock, moved the same way, so the last-use check holds after it too. */
  private long baselineNow;

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
    baselineNow = now;
    token = new CachedToken(record, null, new InetAddress[] {client}, now - 1);
    check(!recorder.record(token, now, client), "the known address was reported as new");
    check(recorder.queued() == 1, "the first use queued " + recorder.queued() + " tokens, not 1");
    now++;
    check(!recorder.record(token, now, client), "the known address was reported as new");
    check(token.lastUsedMillis() == now, "a later use did not move the last use");
    check(recorder.queued() == 1, "a second use queued the token again");
  }

  /** The writes happened: the last use is the latest instant given. */
  @TearDown(Level.Iteration)
  public void checkLastUse() {
    check(
        token.lastUsedMillis() == now,
        "last use " + token.lastUsedMillis() + " is not the latest instant given, " + now);
    check(recorder.queued() == 1, "the token was queued " + recorder.queued() + " times");
  }

  private static void check(boolean condition, String problem) {
    if (!condition) {
      throw new IllegalStateException(problem);
    }
  }

  @Benchmark
  public boolean knownAddress() {
    return recorder.record(token, ++now, client);
  }

  @Benchmark
  public boolean sameMillisecond() {
    return recorder.record(token, now, client);
  }

  @Benchmark
  public boolean baseline() {
    return ++baselineNow > 0 && client != null && token != null;
  }
}
