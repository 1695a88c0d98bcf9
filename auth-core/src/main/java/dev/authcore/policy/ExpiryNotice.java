package dev.authcore.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The notices a token's owner is sent as its effective expiry approaches and passes, in the order
 * they fall due: 7 days before, 1 day before, and at expiry.
 *
 * <p>The effective expiry is the one the owner's table shows: the earlier of the token's own expiry
 * and its creation instant plus the corp's maximum age under the policy in force now ({@link
 * ExpiryPolicy#expiresAt}). A notice falls due at {@code expiry - before()}; at expiry itself the
 * token is expired ({@code now >= expiry}), so {@link #EXPIRED} falls due then.
 *
 * <p><b>Only the latest notice due is sent.</b> A sweep that finds several notices due at once (a
 * policy change that made a token expire in 12 hours; a sweep that did not run for a week) sends
 * only the most advanced one: a token that now expires in 3 days gets the 7-day notice, and its
 * 1-day notice when that falls due two days later; one that now expires in 12 hours gets only the
 * 1-day notice; one already past expiry gets only {@link #EXPIRED}. A notice earlier than one
 * already sent is never sent afterwards, even if a policy change moves the expiry back out. See
 * {@link #latestDue}.
 *
 * <p>Immutable and thread-safe.
 */
public enum ExpiryNotice {
  /** Due 7 days before the effective expiry. */
  SEVEN_DAYS(Duration.ofDays(7)),
  /** Due 1 day before the effective expiry. */
  ONE_DAY(Duration.ofDays(1)),
  /** Due at the effective expiry: the token no longer verifies. */
  EXPIRED(Duration.ZERO);

  private final Duration before;

  ExpiryNotice(Duration before) {
    this.before = before;
  }

  /** How long before the effective expiry this notice falls due; zero for {@link #EXPIRED}. */
  public Duration before() {
    return before;
  }

  /**
   * When this notice falls due for a token that expires at {@code expiry}: {@code expiry -
   * before()}, or {@link Instant#MIN} if that lies before the representable range.
   */
  public Instant dueAt(Instant expiry) {
    Objects.requireNonNull(expiry, "expiry");
    // Only reachable for an expiry within 7 days of Instant.MIN, which no clock reads.
    return expiry.isBefore(Instant.MIN.plus(before)) ? Instant.MIN : expiry.minus(before);
  }

  /**
   * The most advanced notice due at {@code now} for a token that expires at {@code expiry}, or
   * {@code null} if none is due yet (more than 7 days to go) or the token never expires ({@code
   * expiry} is {@code null}). A notice is due when {@code now >= dueAt(expiry)}: at the instant
   * exactly 7 days before expiry the 7-day notice is due, and at expiry {@link #EXPIRED} is (equal
   * means expired, as in {@link ExpiryPolicy#isExpired}).
   */
  public static @Nullable ExpiryNotice latestDue(@Nullable Instant expiry, Instant now) {
    Objects.requireNonNull(now, "now");
    if (expiry == null) {
      return null;
    }
    ExpiryNotice[] notices = values();
    for (int i = notices.length - 1; i >= 0; i--) {
      if (!now.isBefore(notices[i].dueAt(expiry))) {
        return notices[i];
      }
    }
    return null;
  }
}
