package dev.authcore;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The answer to a report of leaked text ({@link TokenIssuer#revokeLeaked}): how many tokens of this
 * deployment the text held and how many of them the report revoked. It never says which: the same
 * text gives the same {@code found} whatever the store holds, and {@code revoked} counts only
 * tokens whose secret the reporter showed, so nothing in it tells which ids exist.
 *
 * <p>As JSON (Jackson, defaults): {@code {"found": 3, "revoked": 1}}. Immutable.
 *
 * @param found the distinct tokens of this deployment in the text: {@code <prefix>_} followed by
 *     the id, the secret and a checksum that holds, each counted once however often it appears; a
 *     token whose secret is wrong, whose id is unknown or that was already revoked counts too
 * @param revoked how many of the found tokens this report revoked (deleted), at most {@code found}
 */
public record LeakReport(int found, int revoked) {
  /**
   * @throws IllegalArgumentException if a count is negative or {@code revoked} exceeds {@code
   *     found}
   */
  public LeakReport {
    checkArgument(
        found >= 0 && revoked >= 0 && revoked <= found,
        "a leak report needs 0 <= revoked <= found, got found %s and revoked %s",
        found,
        revoked);
  }
}
