package dev.authcore;

import dev.authcore.internal.LogSafe;
import dev.authcore.internal.SecretDetector;
import dev.authcore.model.InvalidInputException;
import java.util.List;
import java.util.Locale;

/**
 * Token name rules (SPEC): trimmed; 1 to 64 visible characters; no control or invisible characters;
 * any words, in any script, of any length. A name is shown in listings, events and logs, so a name
 * that holds a token or a secret (whole, without its prefix, in part, or split by separators) is
 * refused rather than published: {@link SecretDetector} judges it, the same rule that redacts
 * echoed text everywhere else. Messages never repeat what was judged secret.
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
      if (isInvisible(cp)) {
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
    List<SecretDetector.Finding> secrets = SecretDetector.find(trimmed);
    if (!secrets.isEmpty()) {
      SecretDetector.Finding f = secrets.get(0);
      int from = trimmed.codePointCount(0, f.start()) + 1;
      int to = trimmed.codePointCount(0, f.end());
      String what =
          f.kind() == SecretDetector.Kind.TOKEN
              ? String.format(Locale.ROOT, "holds an API token (characters %d to %d)", from, to)
              : String.format(
                  Locale.ROOT,
                  "looks like it holds a secret: characters %d to %d mix upper case, lower case"
                      + " and digits at random, as an API token's secret does",
                  from,
                  to);
      throw new InvalidInputException(
          "token name",
          "token name "
              + what
              + ". A name is shown to the corp's owners and in audit events, so it must never"
              + " hold a token or any part of one; if this is not a secret, write the name in"
              + " words");
    }
    return trimmed;
  }

  /**
   * Whether {@code cp} is a control or invisible character: anything but visible characters and the
   * ASCII space. The rule for text that people read in listings and events (token names, the source
   * of a leak report).
   */
  static boolean isInvisible(int cp) {
    int type = Character.getType(cp);
    return type == Character.CONTROL
        || type == Character.FORMAT // bidi overrides, zero-width joiners: spoof names
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SURROGATE
        || type == Character.PRIVATE_USE
        || type == Character.UNASSIGNED
        // other spaces, no-break ones included: "a\u00A0b" would pass for "a b"
        || ((Character.isWhitespace(cp) || type == Character.SPACE_SEPARATOR) && cp != ' ');
  }
}
