package dev.authcore.internal;

import java.time.Instant;

/** Instants as the epoch milliseconds the request path compares. */
public final class Instants {
  private Instants() {}

  /**
   * Epoch milliseconds of {@code instant}, saturated: instants beyond the {@code long} range map to
   * {@code Long.MIN_VALUE} or {@code Long.MAX_VALUE - 1}. {@code Long.MAX_VALUE} is left free to
   * mean "never", which no instant can then be confused with.
   */
  public static long saturatedEpochMillis(Instant instant) {
    try {
      return Math.min(instant.toEpochMilli(), Long.MAX_VALUE - 1);
    } catch (ArithmeticException e) {
      return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE - 1;
    }
  }
}
