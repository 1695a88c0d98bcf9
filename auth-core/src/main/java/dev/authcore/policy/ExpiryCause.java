package dev.authcore.policy;

/**
 * Why a token is expired: the rule whose deadline passed first.
 *
 * <p>As JSON an enum is its name: {@code "AGE"}, {@code "INACTIVITY"} or {@code "TOKEN"}.
 */
public enum ExpiryCause {
  /** The corp's maximum age, counted from the token's creation. */
  AGE,
  /** The corp's inactivity limit, counted from the token's last use (or its creation). */
  INACTIVITY,
  /** The token's own expiry, set when it was issued. */
  TOKEN
}
