package dev.authcore.policy;

import dev.authcore.net.IpAllowList;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A corp's token settings: expiry, restriction to permitted users, and the IP allow list.
 *
 * <p>The defaults are no expiry, everyone may have tokens, and no IP restriction. A change to
 * restriction never deletes a token and never forgets who holds the permission: permissions are
 * kept apart from this value, by the store.
 *
 * @param expiry the corp's expiry policy
 * @param restricted whether only users holding the token permission may create and use tokens
 *     (owners included)
 * @param allowedIps where tokens may be used from; empty means anywhere
 */
public record TokenSettings(ExpiryPolicy expiry, boolean restricted, IpAllowList allowedIps) {
  private static final TokenSettings DEFAULTS =
      new TokenSettings(ExpiryPolicy.never(), false, IpAllowList.empty());

  /** No expiry, no restriction, no allow list. */
  public static TokenSettings defaults() {
    return DEFAULTS;
  }

  /** These settings with another expiry policy. */
  public TokenSettings withExpiry(ExpiryPolicy expiry) {
    return new TokenSettings(expiry, restricted, allowedIps);
  }

  /** These settings with restriction switched on or off. */
  public TokenSettings withRestricted(boolean restricted) {
    return new TokenSettings(expiry, restricted, allowedIps);
  }

  /** These settings with another allow list. */
  public TokenSettings withAllowedIps(IpAllowList allowedIps) {
    return new TokenSettings(expiry, restricted, allowedIps);
  }

  /**
   * A token's status under these settings at {@code now}. Expiry wins over disabled: a token that
   * is both shows {@link TokenStatus#EXPIRED}. The allow list does not enter the status: it depends
   * on where a request comes from, not on the token.
   *
   * @param ownExpiry the token's own expiry, or {@code null}
   * @param ownerPermitted whether the token's owner holds the token permission
   */
  public TokenStatus statusOf(
      Instant created, @Nullable Instant ownExpiry, boolean ownerPermitted, Instant now) {
    if (expiry.isExpired(created, ownExpiry, now)) {
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
        + "]";
  }
}
