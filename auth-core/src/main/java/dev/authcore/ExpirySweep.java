package dev.authcore;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Instant;
import java.util.Objects;

/**
 * What one {@linkplain AuthCore#sweepExpiryNotices() expiry-notice sweep} did: how much it walked
 * and how many notices of each kind it sent (published as audit events). Notices another node sent,
 * or that were sent before, are not counted here.
 *
 * <p>Immutable and thread-safe. The JSON form (Jackson's defaults) is the record's components.
 *
 * @param at the instant at which the sweep judged every token's expiry (the deployment's clock when
 *     it began), and the {@code at} of every event it published
 * @param corpsScanned corps holding tokens that it walked
 * @param tokensScanned tokens it read
 * @param sevenDayNotices {@link AuditEvent.TokenExpiringSoon} events it published for the 7-day
 *     threshold
 * @param oneDayNotices {@link AuditEvent.TokenExpiringSoon} events it published for the 1-day
 *     threshold
 * @param expiredNotices {@link AuditEvent.TokenExpired} events it published
 * @param permissionEnds {@link AuditEvent.PermissionExpired} events it published: grants of the
 *     token permission whose end had passed and that this sweep claimed
 */
public record ExpirySweep(
    Instant at,
    long corpsScanned,
    long tokensScanned,
    long sevenDayNotices,
    long oneDayNotices,
    long expiredNotices,
    long permissionEnds) {
  /**
   * Checks the fields.
   *
   * @throws NullPointerException if {@code at} is null
   * @throws IllegalArgumentException if a count is negative, or more notices than tokens
   */
  public ExpirySweep {
    Objects.requireNonNull(at, "at");
    checkArgument(
        corpsScanned >= 0
            && tokensScanned >= 0
            && sevenDayNotices >= 0
            && oneDayNotices >= 0
            && expiredNotices >= 0
            && permissionEnds >= 0,
        "counts must not be negative");
    checkArgument(
        sevenDayNotices + oneDayNotices + expiredNotices <= tokensScanned,
        "a sweep sends at most one notice per token scanned");
  }

  /** A sweep that published no grant ends: {@code permissionEnds} is 0. */
  public ExpirySweep(
      Instant at,
      long corpsScanned,
      long tokensScanned,
      long sevenDayNotices,
      long oneDayNotices,
      long expiredNotices) {
    this(at, corpsScanned, tokensScanned, sevenDayNotices, oneDayNotices, expiredNotices, 0);
  }

  /** Every expiry notice it sent: {@code sevenDayNotices + oneDayNotices + expiredNotices}. */
  public long noticesSent() {
    return sevenDayNotices + oneDayNotices + expiredNotices;
  }
}
