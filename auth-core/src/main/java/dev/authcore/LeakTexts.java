package dev.authcore;

import dev.authcore.internal.LogSafe;
import dev.authcore.model.InvalidInputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The input rules of a leak report ({@link TokenIssuer#revokeLeaked}): where the tokens of this
 * deployment are in a text, and what a source label may hold. Stateless and thread-safe.
 */
final class LeakTexts {
  /** The longest text one report reads, in characters: 1 MiB of ASCII. */
  static final int MAX_TEXT_LENGTH = 1 << 20;

  /** The most distinct tokens one report examines (a lookup and a hash each). */
  static final int MAX_TOKENS = 100;

  /** The longest source label, in characters (code points). */
  static final int MAX_SOURCE_LENGTH = 200;

  private LeakTexts() {}

  /**
   * The distinct tokens of {@code format} in {@code text}, in order of first appearance: wherever
   * the prefix and its underscore are followed by the id, secret and checksum in base62 and the
   * checksum holds, whatever comes before or after. One pass: each position is looked at a bounded
   * number of times, and the checksum is computed only where a whole token's worth of base62
   * follows {@code <prefix>_}.
   *
   * @throws InvalidInputException if the text is longer than {@value #MAX_TEXT_LENGTH} characters
   *     or holds more than {@value #MAX_TOKENS} distinct tokens
   */
  static List<String> tokensIn(TokenFormat format, CharSequence text, Scratch scratch) {
    int n = text.length();
    if (n > MAX_TEXT_LENGTH) {
      throw new InvalidInputException(
          "leaked text",
          String.format(
              Locale.ROOT,
              "the leaked text is %,d characters long, more than the %,d one report reads;"
                  + " nothing was revoked. Send it in parts",
              n,
              MAX_TEXT_LENGTH));
    }
    String prefix = format.prefix();
    int underscore = prefix.length();
    int length = format.length();
    Set<String> seen = new HashSet<>();
    List<String> found = new ArrayList<>();
    int i = 0;
    while (i + length <= n) {
      if (text.charAt(i + underscore) == '_'
          && startsWith(text, i, prefix)
          && base62(text, i + underscore + 1, i + length)) {
        String candidate = text.subSequence(i, i + length).toString();
        if (format.parse(candidate, scratch) != null) {
          if (seen.add(candidate)) {
            found.add(candidate);
            if (found.size() > MAX_TOKENS) {
              throw new InvalidInputException(
                  "leaked text",
                  "the leaked text holds more than "
                      + MAX_TOKENS
                      + " distinct tokens, the most one report examines; nothing was revoked."
                      + " Send it in parts of at most "
                      + MAX_TOKENS
                      + " tokens each");
            }
          }
          // A token's characters hold no underscore, so no other token starts inside it.
          i += length;
          continue;
        }
      }
      i++;
    }
    return found;
  }

  private static boolean startsWith(CharSequence text, int at, String prefix) {
    for (int j = 0; j < prefix.length(); j++) {
      if (text.charAt(at + j) != prefix.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  private static boolean base62(CharSequence text, int from, int to) {
    for (int j = from; j < to; j++) {
      char c = text.charAt(j);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The source label as an event carries it: {@code null} when none was given; otherwise 1 to
   * {@value #MAX_SOURCE_LENGTH} visible characters and spaces, not all spaces, with any token or
   * secret-like text in it redacted as {@link SecretRedactor} redacts echoed text.
   *
   * @throws InvalidInputException if the label is empty or only spaces, too long, or holds a
   *     control or invisible character
   */
  static @Nullable String checkSource(@Nullable String source) {
    if (source == null) {
      return null;
    }
    if (source.isBlank()) {
      throw new InvalidInputException(
          "leak source",
          "the leak source is empty or only white space; name where the text was found (a URL, a"
              + " ticket), or give none");
    }
    int count = source.codePointCount(0, source.length());
    if (count > MAX_SOURCE_LENGTH) {
      throw new InvalidInputException(
          "leak source",
          "the leak source must be at most " + MAX_SOURCE_LENGTH + " characters, got " + count);
    }
    for (int i = 0; i < source.length(); ) {
      int cp = source.codePointAt(i);
      if (TokenNames.isInvisible(cp)) {
        throw new InvalidInputException(
            "leak source",
            String.format(
                Locale.ROOT,
                "the leak source '%s' has a control or invisible character U+%04X at position %d;"
                    + " a source may hold visible characters and spaces only",
                LogSafe.escape(source),
                cp,
                source.codePointCount(0, i) + 1));
      }
      i += Character.charCount(cp);
    }
    return LogSafe.redact(source).toString();
  }
}
