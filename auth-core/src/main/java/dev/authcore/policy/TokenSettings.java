package dev.authcore.policy;

import dev.authcore.internal.Inactivity;
import dev.authcore.internal.Instants;
import dev.authcore.model.InvalidInputException;
import dev.authcore.net.IpAllowList;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A corp's token settings: expiry, restriction to permitted users, the IP allow list, inactivity
 * expiry, and an allow list staged in report-only mode.
 *
 * <p>The defaults are no expiry, everyone may have tokens, and no IP restriction. A change to
 * restriction never deletes a token and never forgets who holds the permission: permissions are
 * kept apart from this value, by the store.
 *
 * <p><b>Inactivity.</b> A corp may also expire tokens nobody uses: with {@code inactiveDays} set, a
 * token expires once it has gone unused for that many days, counted from its last use as written to
 * the store (or its creation if it was never used), in addition to the maximum age and the token's
 * own expiry: the earliest deadline wins. Like the maximum age it is computed, never stored, so it
 * applies retroactively, and lifting it brings tokens back.
 *
 * <p>Use reaches the store in batches, so "last use" as one node sees it can be stale: a use on
 * another node becomes visible here within that node's usage flush interval (at most one hour, see
 * {@code AuthCore.Builder.usageFlushInterval}) plus this node's cache bound (at most one hour), so
 * at most two hours in normal operation. The decision therefore waits a fixed {@link
 * #INACTIVITY_MARGIN} of one day beyond the configured days: a token is inactive only when {@code
 * now - lastUse >= inactiveDays + INACTIVITY_MARGIN}. A use accepted on another node at least two
 * hours before the token's deadline as every node sees it (so any use within its configured days,
 * and all but the last two hours of the margin) is visible everywhere before that deadline, so no
 * node judges the token inactive while such a use is still in a batch. A store outage that holds
 * back usage writes for longer than the margin less those two hours can still let a node that
 * cannot see a recent use judge the token inactive.
 *
 * @param expiry the corp's expiry policy
 * @param restricted whether only users holding the token permission may create and use tokens
 *     (owners included)
 * @param allowedIps where tokens may be used from; empty means anywhere
 * @param inactiveDays expire tokens unused for this many days (7 to 365), or {@code null} for no
 *     inactivity expiry
 * @param staged an allow list staged in report-only mode, or {@code null} when none is (see {@link
 *     StagedAllowList}); it decides nothing until an owner enforces it
 */
public record TokenSettings(
    ExpiryPolicy expiry,
    boolean restricted,
    IpAllowList allowedIps,
    @Nullable Integer inactiveDays,
    @Nullable StagedAllowList staged) {
  /** Fewest days of inactivity a corp may set. */
  public static final int MIN_INACTIVE_DAYS = 7;

  /** Most days of inactivity a corp may set. */
  public static final int MAX_INACTIVE_DAYS = 365;

  /**
   * How long past the configured days of inactivity a token's decision waits, so that uses still in
   * another node's usage batch are not missed: one day (see the class documentation for the bound
   * it covers).
   */
  public static final Duration INACTIVITY_MARGIN = Inactivity.MARGIN;

  private static final TokenSettings DEFAULTS =
      new TokenSettings(ExpiryPolicy.never(), false, IpAllowList.empty(), null, null);

  /**
   * Checks the days of inactivity.
   *
   * @throws InvalidInputException if {@code inactiveDays} is not between 7 and 365
   */
  public TokenSettings {
    checkInactiveDays(inactiveDays);
  }

  /** Settings with no allow list staged. */
  public TokenSettings(
      ExpiryPolicy expiry,
      boolean restricted,
      IpAllowList allowedIps,
      @Nullable Integer inactiveDays) {
    this(expiry, restricted, allowedIps, inactiveDays, null);
  }

  /** Settings without inactivity expiry and with no allow list staged. */
  public TokenSettings(ExpiryPolicy expiry, boolean restricted, IpAllowList allowedIps) {
    this(expiry, restricted, allowedIps, null, null);
  }

  /** Checks a number of days of inactivity: {@code null} (none) or 7 to 365. */
  private static void checkInactiveDays(@Nullable Integer inactiveDays) {
    if (inactiveDays != null
        && (inactiveDays < MIN_INACTIVE_DAYS || inactiveDays > MAX_INACTIVE_DAYS)) {
      throw new InvalidInputException(
          "inactiveDays",
          "inactiveDays must be null (no inactivity expiry) or between "
              + MIN_INACTIVE_DAYS
              + " and "
              + MAX_INACTIVE_DAYS
              + " days, got "
              + inactiveDays);
    }
  }

  /** No expiry, no restriction, no allow list. */
  public static TokenSettings defaults() {
    return DEFAULTS;
  }

  /** These settings with another expiry policy. */
  public TokenSettings withExpiry(ExpiryPolicy expiry) {
    return new TokenSettings(expiry, restricted, allowedIps, inactiveDays, staged);
  }

  /** These settings with restriction switched on or off. */
  public TokenSettings withRestricted(boolean restricted) {
    return new TokenSettings(expiry, restricted, allowedIps, inactiveDays, staged);
  }

  /** These settings with another allow list. */
  public TokenSettings withAllowedIps(IpAllowList allowedIps) {
    return new TokenSettings(expiry, restricted, allowedIps, inactiveDays, staged);
  }

  /**
   * These settings with another inactivity limit.
   *
   * @param inactiveDays 7 to 365, or {@code null} for none
   * @throws InvalidInputException if {@code inactiveDays} is out of range
   */
  public TokenSettings withInactiveDays(@Nullable Integer inactiveDays) {
    return new TokenSettings(expiry, restricted, allowedIps, inactiveDays, staged);
  }

  /**
   * These settings with another list staged in report-only mode, or none.
   *
   * @param staged the staged list, or {@code null} to discard the one staged
   */
  public TokenSettings withStaged(@Nullable StagedAllowList staged) {
    return new TokenSettings(expiry, restricted, allowedIps, inactiveDays, staged);
  }

  /**
   * These settings with {@code allowedIps} staged in report-only mode, or with none staged if it is
   * {@code null} or empty. The same list as the one staged keeps its {@linkplain
   * StagedAllowList#since instant}; another one gets {@code now}, which the owners' console
   * replaces by the instant it saves the settings.
   */
  public TokenSettings withStagedAllowedIps(@Nullable IpAllowList allowedIps, Instant now) {
    if (allowedIps == null || allowedIps.isEmpty()) {
      return withStaged(null);
    }
    if (staged != null && staged.allowedIps().equals(allowedIps)) {
      return this;
    }
    return withStaged(new StagedAllowList(allowedIps, now));
  }

  /**
   * These settings with the staged list in force and none staged.
   *
   * @throws IllegalStateException if no list is staged
   */
  public TokenSettings withStagedEnforced() {
    if (staged == null) {
      throw new IllegalStateException("no allow list is staged");
    }
    return new TokenSettings(expiry, restricted, staged.allowedIps(), inactiveDays, null);
  }

  /**
   * The inactivity limit plus {@link #INACTIVITY_MARGIN} in milliseconds, or {@code Long.MAX_VALUE}
   * when there is none.
   */
  private long inactivityLimitMillis() {
    return Inactivity.limitMillis(inactiveDays);
  }

  /**
   * When a token becomes inactive in epoch milliseconds, {@code Long.MAX_VALUE} for never.
   *
   * @param lastUseMillis its last use, or its creation if never used
   */
  static long inactiveAtMillis(long lastUseMillis, long limitMillis) {
    return limitMillis == Long.MAX_VALUE
        ? Long.MAX_VALUE
        : Math.min(
            com.google.common.math.LongMath.saturatedAdd(lastUseMillis, limitMillis),
            Long.MAX_VALUE - 1);
  }

  /**
   * When a token expires under these settings, counting the maximum age, its own expiry and
   * inactivity (decided with {@link #INACTIVITY_MARGIN}), or {@code null} for never.
   *
   * @param ownExpiry the token's own expiry, or {@code null}
   * @param lastUsed its last use as written to the store, or {@code null} if never used
   */
  public @Nullable Instant expiresAt(
      Instant created, @Nullable Instant ownExpiry, @Nullable Instant lastUsed) {
    long at = expiresAtMillis(created, ownExpiry, lastUsed);
    return at == Long.MAX_VALUE ? null : Instant.ofEpochMilli(at);
  }

  private long expiresAtMillis(
      Instant created, @Nullable Instant ownExpiry, @Nullable Instant lastUsed) {
    long createdMillis = Instants.saturatedEpochMillis(created);
    long byPolicy =
        expiry.expiresAtMillis(
            createdMillis,
            ownExpiry == null ? Long.MAX_VALUE : Instants.saturatedEpochMillis(ownExpiry));
    return Math.min(
        byPolicy,
        inactiveAtMillis(lastUseMillis(createdMillis, lastUsed), inactivityLimitMillis()));
  }

  private static long lastUseMillis(long createdMillis, @Nullable Instant lastUsed) {
    return lastUsed == null
        ? createdMillis
        : Math.max(createdMillis, Instants.saturatedEpochMillis(lastUsed));
  }

  /**
   * Why a token is expired at {@code now}, or {@code null} if it is not: the rule whose deadline
   * came first; on equal deadlines the token's own expiry, then the maximum age, is named.
   *
   * @param ownExpiry the token's own expiry, or {@code null}
   * @param lastUsed its last use as written to the store, or {@code null} if never used
   */
  public @Nullable ExpiryCause expiredBy(
      Instant created, @Nullable Instant ownExpiry, @Nullable Instant lastUsed, Instant now) {
    long createdMillis = Instants.saturatedEpochMillis(created);
    long nowMillis = Instants.saturatedEpochMillis(now);
    long own = ownExpiry == null ? Long.MAX_VALUE : Instants.saturatedEpochMillis(ownExpiry);
    long byAge = expiry.expiresAtMillis(createdMillis, Long.MAX_VALUE);
    long byInactivity =
        inactiveAtMillis(lastUseMillis(createdMillis, lastUsed), inactivityLimitMillis());
    long first = Math.min(own, Math.min(byAge, byInactivity));
    if (!ExpiryPolicy.isExpiredAt(first, nowMillis)) {
      return null;
    }
    if (first == own) {
      return ExpiryCause.TOKEN;
    }
    return first == byAge ? ExpiryCause.AGE : ExpiryCause.INACTIVITY;
  }

  /**
   * A token's status under these settings at {@code now}. Expiry wins over disabled: a token that
   * is both shows {@link TokenStatus#EXPIRED}. The allow list does not enter the status: it depends
   * on where a request comes from, not on the token.
   *
   * @param ownExpiry the token's own expiry, or {@code null}
   * @param lastUsed its last use as written to the store, or {@code null} if never used
   * @param ownerPermitted whether the token's owner holds the token permission
   */
  public TokenStatus statusOf(
      Instant created,
      @Nullable Instant ownExpiry,
      @Nullable Instant lastUsed,
      boolean ownerPermitted,
      Instant now) {
    if (expiredBy(created, ownExpiry, lastUsed, now) != null) {
      return TokenStatus.EXPIRED;
    }
    return restricted && !ownerPermitted ? TokenStatus.DISABLED : TokenStatus.ACTIVE;
  }

  /** A one-line summary safe to log; the allow list prints as its entry count. */
  @Override
  public String toString() {
    return "TokenSettings[expiry="
        + expiry
        + ", restricted="
        + restricted
        + ", allowedIps="
        + (allowedIps.isEmpty() ? "any" : allowedIps.size() + " entries")
        + ", inactiveDays="
        + (inactiveDays == null ? "none" : inactiveDays)
        + ", staged="
        + (staged == null
            ? "none"
            : staged.allowedIps().size() + " entries since " + staged.since())
        + "]";
  }
}
