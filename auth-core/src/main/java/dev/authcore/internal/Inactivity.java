package dev.authcore.internal;

import dev.authcore.policy.TokenSettings;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The inactivity limit as the request path compares it: shared by {@link TokenSettings} (the
 * listing, the preview, notices) and the verifier's cached corp state, so that both decide alike.
 */
public final class Inactivity {
  private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();
  private static final long MARGIN_MILLIS = TokenSettings.INACTIVITY_MARGIN.toMillis();

  private Inactivity() {}

  /**
   * {@code inactiveDays} plus {@link TokenSettings#INACTIVITY_MARGIN} in milliseconds, or {@code
   * Long.MAX_VALUE} for {@code null} (no inactivity expiry).
   */
  public static long limitMillis(@Nullable Integer inactiveDays) {
    return inactiveDays == null ? Long.MAX_VALUE : inactiveDays * DAY_MILLIS + MARGIN_MILLIS;
  }
}
