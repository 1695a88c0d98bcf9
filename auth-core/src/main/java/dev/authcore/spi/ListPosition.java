package dev.authcore.spi;

import dev.authcore.model.TokenId;
import java.time.Instant;
import java.util.Objects;

/**
 * A position in a corp's token listing: the sort key of one token (created descending, then id
 * descending). Listing resumes strictly after it.
 */
public record ListPosition(Instant created, TokenId id) {
  /**
   * Checks the fields.
   *
   * @throws NullPointerException if a field is null
   */
  public ListPosition {
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(id, "id");
  }

  /** The position of {@code token}. */
  public static ListPosition of(TokenRecord token) {
    return new ListPosition(token.created(), token.id());
  }

  /** Whether {@code token} comes strictly after this position in listing order. */
  public boolean precedes(TokenRecord token) {
    int byCreated = token.created().compareTo(created);
    return byCreated < 0 || (byCreated == 0 && token.id().compareTo(id) < 0);
  }
}
