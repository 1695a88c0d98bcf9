package dev.authcore;

import dev.authcore.internal.LogSafe;
import dev.authcore.model.InvalidInputException;
import java.util.Locale;

/**
 * Token name rules (SPEC): trimmed; 1 to 64 visible characters; no control characters. Also, no run
 * of {@value LogSafe#TOKEN_LIKE_RUN} or more ASCII letters and digits: a name is shown in listings,
 * events and logs, so a token pasted as a name (whole, without its prefix, or its secret) must be
 * refused rather than published. Messages never repeat such a run.
 */
final class TokenNames {
  static final int MAX_LENGTH = 64;

  private TokenNames() {}

  /**
   * Returns {@code name} trimmed.
   *
   * @throws InvalidInputException saying what is wrong and where
   */
  static String check(String name) {
    String trimmed = name.strip();
    if (trimmed.isEmpty()) {
      throw new InvalidInputException(
          "token name", "token name is required: it is empty or only white space");
    }
    int count = trimmed.codePointCount(0, trimmed.length());
    if (count > MAX_LENGTH) {
      throw new InvalidInputException(
          "token name", "token name must be at most " + MAX_LENGTH + " characters, got " + count);
    }
    for (int i = 0; i < trimmed.length(); ) {
      int cp = trimmed.codePointAt(i);
      int type = Character.getType(cp);
      boolean invisible =
          type == Character.CONTROL
              || type == Character.FORMAT // bidi overrides, zero-width joiners: spoof names
              || type == Character.LINE_SEPARATOR
              || type == Character.PARAGRAPH_SEPARATOR
              || type == Character.SURROGATE
              || type == Character.PRIVATE_USE
              || type == Character.UNASSIGNED
              // other spaces, no-break ones included: "a\u00A0b" would pass for "a b"
              || ((Character.isWhitespace(cp) || type == Character.SPACE_SEPARATOR) && cp != ' ');
      if (invisible) {
        throw new InvalidInputException(
            "token name",
            String.format(
                Locale.ROOT,
                "token name '%s' has a control or invisible character U+%04X at position %d;"
                    + " names may hold visible characters and single spaces only",
                LogSafe.escape(trimmed),
                cp,
                trimmed.codePointCount(0, i) + 1));
      }
      i += Character.charCount(cp);
    }
    int run = LogSafe.tokenLikeRunStart(trimmed, 0);
    if (run >= 0) {
      throw new InvalidInputException(
          "token name",
          "token name has "
              + LogSafe.TOKEN_LIKE_RUN
              + " or more letters and digits in a row from position "
              + (trimmed.codePointCount(0, run) + 1)
              + ", which looks like an API token or part of one and would be shown wherever the"
              + " name is; never use a token as a name. Separate words with a space, '-' or '_'");
    }
    return trimmed;
  }
}
