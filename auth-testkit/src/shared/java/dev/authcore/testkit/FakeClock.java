package dev.authcore.testkit;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.NullMarked;

/**
 * An {@link InstantSource} that stands still until a test moves it, for testing expiry and usage
 * without sleeping.
 *
 * <pre>{@code
 * FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
 * AuthCore core = AuthCore.builder().clock(clock).users(users).build();
 * clock.advance(Duration.ofDays(60));
 * }</pre>
 *
 * <p>The clock has millisecond resolution, like auth-core, which reads {@link #millis()} on its
 * request path: instants and durations with a sub-millisecond part are refused rather than silently
 * rounded, so a test never disagrees with the library about "now".
 *
 * <p>Thread-safe: reads and moves are atomic, and a move made by one thread is seen by every
 * thread's next read.
 */
@NullMarked
public final class FakeClock implements InstantSource {
  /** Where {@link #atDefaultStart()} starts: {@code 2026-01-01T00:00:00Z}. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final AtomicLong millis;

  private FakeClock(long startMillis) {
    this.millis = new AtomicLong(startMillis);
  }

  /**
   * A clock that reads {@code start} until moved.
   *
   * @throws IllegalArgumentException if {@code start} has a sub-millisecond part or lies outside
   *     the range of epoch milliseconds
   */
  public static FakeClock at(Instant start) {
    return new FakeClock(toMillis(start, "start"));
  }

  /** A clock that reads {@link #DEFAULT_START} until moved. */
  public static FakeClock atDefaultStart() {
    return at(DEFAULT_START);
  }

  /**
   * Moves the clock forward.
   *
   * @param by zero or positive, whole milliseconds
   * @return the instant the clock now reads
   * @throws IllegalArgumentException if {@code by} is negative (use {@link #set} to go back), has a
   *     sub-millisecond part, or would move the clock past the range of epoch milliseconds; the
   *     clock does not move then
   */
  public Instant advance(Duration by) {
    checkArgument(
        !by.isNegative(), "a fake clock only advances forward; got %s (use set to go back)", by);
    checkArgument(
        by.toNanosPart() % 1_000_000 == 0,
        "a fake clock moves in whole milliseconds; got %s, which has a sub-millisecond part",
        by);
    long delta;
    try {
      delta = by.toMillis();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("cannot advance a fake clock by " + by + ": too far", e);
    }
    long now =
        millis.accumulateAndGet(
            delta,
            (current, d) -> {
              try {
                return Math.addExact(current, d);
              } catch (ArithmeticException e) {
                throw new IllegalArgumentException(
                    "advancing a fake clock at "
                        + Instant.ofEpochMilli(current)
                        + " by "
                        + by
                        + " passes the range of epoch milliseconds",
                    e);
              }
            });
    return Instant.ofEpochMilli(now);
  }

  /**
   * Sets the clock to {@code instant}, forward or back.
   *
   * @throws IllegalArgumentException if {@code instant} has a sub-millisecond part or lies outside
   *     the range of epoch milliseconds
   */
  public void set(Instant instant) {
    millis.set(toMillis(instant, "instant"));
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }

  /** {@code FakeClock[<instant>]}. */
  @Override
  public String toString() {
    return "FakeClock[" + instant() + "]";
  }

  private static long toMillis(Instant instant, String what) {
    checkArgument(
        instant.truncatedTo(ChronoUnit.MILLIS).equals(instant),
        "a fake clock has millisecond resolution; %s %s has a sub-millisecond part",
        what,
        instant);
    try {
      return instant.toEpochMilli();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          what + " " + instant + " lies outside the range of epoch milliseconds", e);
    }
  }
}
