package dev.authcore.policy;

/** A token's standing under its corp's settings at one instant. */
public enum TokenStatus {
  /** Verifies (subject to the IP allow list). */
  ACTIVE,
  /**
   * Past its expiry under the policy in force. Shown even when the token is also disabled, because
   * granting the owner the permission would not bring it back.
   */
  EXPIRED,
  /**
   * Disabled by an owner: the corp is restricted to permitted users and the token's owner does not
   * hold the permission. Granting it brings the token back at once.
   */
  DISABLED
}
