package dev.authcore.console;

import dev.authcore.model.InvalidInputException;
import dev.authcore.policy.TokenStatus;
import org.jspecify.annotations.Nullable;

/**
 * Which tokens of a corp to list, and which page. Immutable; build with {@link #all()} and the
 * {@code with} methods.
 *
 * @param creator only this user's tokens (email, ignoring ASCII case), or {@code null} for all
 * @param nameContains only tokens whose name contains this text ignoring case, or {@code null}
 * @param status only tokens with this status now, or {@code null}
 * @param limit the page size, 1 to {@value #MAX_LIMIT}
 * @param cursor where the previous page ended ({@link TokenPage#nextCursor()}), or {@code null} for
 *     the first page
 * @param expiringWithinDays only tokens not yet expired whose effective expiry (under the policy in
 *     force at listing) falls within this many days from now, {@value #MIN_EXPIRING_WITHIN_DAYS} to
 *     {@value #MAX_EXPIRING_WITHIN_DAYS}; or {@code null} for all. A token that expires exactly N
 *     days from now is included; one already expired, or that never expires, is not.
 */
public record TokenQuery(
    @Nullable String creator,
    @Nullable String nameContains,
    @Nullable TokenStatus status,
    int limit,
    @Nullable String cursor,
    @Nullable Integer expiringWithinDays) {
  /** The default page size. */
  public static final int DEFAULT_LIMIT = 100;

  /** The largest page size. */
  public static final int MAX_LIMIT = 1000;

  /** The smallest {@link #expiringWithinDays}. */
  public static final int MIN_EXPIRING_WITHIN_DAYS = 1;

  /** The largest {@link #expiringWithinDays}. */
  public static final int MAX_EXPIRING_WITHIN_DAYS = 365;

  private static final TokenQuery ALL = new TokenQuery(null, null, null, DEFAULT_LIMIT, null, null);

  /**
   * Checks the limit and the expiry window.
   *
   * @throws InvalidInputException if {@code limit} or {@code expiringWithinDays} is out of range
   */
  public TokenQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidInputException(
          "limit", "limit must be 1 to " + MAX_LIMIT + " tokens per page, got " + limit);
    }
    if (expiringWithinDays != null
        && (expiringWithinDays < MIN_EXPIRING_WITHIN_DAYS
            || expiringWithinDays > MAX_EXPIRING_WITHIN_DAYS)) {
      throw new InvalidInputException(
          "expiringWithinDays",
          "expiringWithinDays must be a whole number of days from "
              + MIN_EXPIRING_WITHIN_DAYS
              + " to "
              + MAX_EXPIRING_WITHIN_DAYS
              + ", got "
              + expiringWithinDays);
    }
  }

  /**
   * A query without an expiry window, as before {@link #expiringWithinDays} existed.
   *
   * @throws InvalidInputException if {@code limit} is out of range
   */
  public TokenQuery(
      @Nullable String creator,
      @Nullable String nameContains,
      @Nullable TokenStatus status,
      int limit,
      @Nullable String cursor) {
    this(creator, nameContains, status, limit, cursor, null);
  }

  /** Every token, first page, {@value #DEFAULT_LIMIT} per page. */
  public static TokenQuery all() {
    return ALL;
  }

  /** This query restricted to one creator, or unrestricted for {@code null}. */
  public TokenQuery withCreator(@Nullable String creator) {
    return new TokenQuery(creator, nameContains, status, limit, cursor, expiringWithinDays);
  }

  /** This query restricted to names containing {@code text} (ignoring case). */
  public TokenQuery withNameContaining(@Nullable String text) {
    return new TokenQuery(creator, text, status, limit, cursor, expiringWithinDays);
  }

  /** This query restricted to one status. */
  public TokenQuery withStatus(@Nullable TokenStatus status) {
    return new TokenQuery(creator, nameContains, status, limit, cursor, expiringWithinDays);
  }

  /** This query with another page size. */
  public TokenQuery withLimit(int limit) {
    return new TokenQuery(creator, nameContains, status, limit, cursor, expiringWithinDays);
  }

  /** This query resuming after a previous page. */
  public TokenQuery withCursor(@Nullable String cursor) {
    return new TokenQuery(creator, nameContains, status, limit, cursor, expiringWithinDays);
  }

  /**
   * This query restricted to tokens not yet expired that expire within {@code days} days from now,
   * or unrestricted for {@code null}.
   *
   * @throws InvalidInputException if {@code days} is not from {@value #MIN_EXPIRING_WITHIN_DAYS} to
   *     {@value #MAX_EXPIRING_WITHIN_DAYS}
   */
  public TokenQuery withExpiringWithinDays(@Nullable Integer days) {
    return new TokenQuery(creator, nameContains, status, limit, cursor, days);
  }
}
