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
 */
public record TokenQuery(
    @Nullable String creator,
    @Nullable String nameContains,
    @Nullable TokenStatus status,
    int limit,
    @Nullable String cursor) {
  /** The default page size. */
  public static final int DEFAULT_LIMIT = 100;

  /** The largest page size. */
  public static final int MAX_LIMIT = 1000;

  private static final TokenQuery ALL = new TokenQuery(null, null, null, DEFAULT_LIMIT, null);

  /**
   * Checks the limit.
   *
   * @throws InvalidInputException if {@code limit} is out of range
   */
  public TokenQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidInputException(
          "limit", "limit must be 1 to " + MAX_LIMIT + " tokens per page, got " + limit);
    }
  }

  /** Every token, first page, {@value #DEFAULT_LIMIT} per page. */
  public static TokenQuery all() {
    return ALL;
  }

  /** This query restricted to one creator, or unrestricted for {@code null}. */
  public TokenQuery withCreator(@Nullable String creator) {
    return new TokenQuery(creator, nameContains, status, limit, cursor);
  }

  /** This query restricted to names containing {@code text} (ignoring case). */
  public TokenQuery withNameContaining(@Nullable String text) {
    return new TokenQuery(creator, text, status, limit, cursor);
  }

  /** This query restricted to one status. */
  public TokenQuery withStatus(@Nullable TokenStatus status) {
    return new TokenQuery(creator, nameContains, status, limit, cursor);
  }

  /** This query with another page size. */
  public TokenQuery withLimit(int limit) {
    return new TokenQuery(creator, nameContains, status, limit, cursor);
  }

  /** This query resuming after a previous page. */
  public TokenQuery withCursor(@Nullable String cursor) {
    return new TokenQuery(creator, nameContains, status, limit, cursor);
  }
}
