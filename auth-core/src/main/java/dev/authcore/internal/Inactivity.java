package dev.authcore.internal;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The inactivity limit as the request path compares it: shared by {@code TokenSettings} (the
 * listing, the preview, notices) and the verifier's cached corp state, so that both decide alike.
 */
public final class Inactivity {
  /** {@code TokenSettings.INACTIVITY_MARGIN}: see there. */
  public static final Duration MARGIN = Duration.ofDays(1);

  private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();
  private static final long MARGIN_MILLIS = MARGIN.toMillis();

  private Inactivity() {}

  /**
   * {@code inactiveDays} plus {@link #MARGIN} in milliseconds, or {@code Long.MAX_VALUE} for {@code
   * null} (no inactivity expiry).
   */
  public static long limitMillis(@Nullable Integer inactiveDays) {
    return inactiveDays == null ? Long.MAX_VALUE : inactiveDays * DAY_MILLIS + MARGIN_MILLIS;
  }
}
