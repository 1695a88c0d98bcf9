package dev.authcore;

/**
 * Why a token was rejected, in the order the checks run. Reasons are for audit and logs: a gateway
 * should answer every rejection the same way (HTTP 401), so a caller learns nothing from it.
 *
 * <p>A caller who does not hold a token's secret can only ever cause {@link #MALFORMED}, {@link
 * #UNKNOWN} or {@link #INVALID}; the policy reasons are reached only after the secret and the user
 * matched, so a token's status is never revealed to someone who cannot use it.
 */
public enum RejectionReason {
  /**
   * The user or token is missing, the token is not in this deployment's format (prefix, length,
   * characters), or its checksum is wrong. Decided before any lookup or hashing.
   */
  MALFORMED,
  /**
   * No token with this id exists (or its owner has left the corp). Costs the same as a known id.
   */
  UNKNOWN,
  /** The secret does not match, or the token belongs to another user than the one named. */
  INVALID,
  /** The token is past its expiry under the corp's policy in force, or its own expiry. */
  EXPIRED,
  /**
   * The corp is restricted to permitted users and the token's owner does not hold the permission.
   */
  DISABLED,
  /** The client address is outside the corp's IP allow list. */
  IP_NOT_ALLOWED
}
