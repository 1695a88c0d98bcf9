package dev.authcore.console;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a corp listing.
 *
 * @param rows the tokens, newest first
 * @param nextCursor pass it to {@link TokenQuery#withCursor} for the next page; {@code null} when
 *     there is none. A full page always has a cursor, so the last page may come back empty.
 */
public record TokenPage(List<TokenRow> rows, @Nullable String nextCursor) {
  public TokenPage {
    rows = List.copyOf(rows);
  }
}
