package dev.authcore.net;

import java.io.Serializable;

/**
 * One problem found in an IP allow list: an error that refuses the list, or a warning about a line
 * that was accepted but changes nothing or may not mean what it seems to.
 *
 * <p>Safe to log: {@code text} and {@code reason} are printable ASCII only, and whatever the
 * library's secret detector recognises as a token or a secret (one pasted into the list) is
 * redacted. The library escapes what the owner typed (a backslash as {@code \\}, CR, LF and tab as
 * {@code \r \n \t}, any other character as a {@code \}{@code uXXXX} escape) and shortens long lines
 * with {@code ...}, so a log line cannot be split, forged or reordered by a crafted list, and
 * homoglyphs or bidi controls stay visible as escapes. The constructor refuses text that is not
 * already in that form.
 *
 * @param line the line number, from 1; 0 when the problem concerns the text as a whole (too large,
 *     or the entries together allow everything)
 * @param text the line as the owner wrote it, escaped and shortened; empty for line 0
 * @param reason what is wrong and, where it can, what to write instead
 */
public record AllowListProblem(int line, String text, String reason) implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final int MAX_LENGTH = 400;

  /**
   * @throws IllegalArgumentException if {@code line} is negative, or {@code text} or {@code reason}
   *     holds anything but printable ASCII or is longer than 400 characters
   */
  public AllowListProblem {
    if (line < 0) {
      throw new IllegalArgumentException("line must be 0 or more, was " + line);
    }
    checkPrintable("text", text);
    checkPrintable("reason", reason);
  }

  private static void checkPrintable(String name, String value) {
    if (value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          name + " is " + value.length() + " characters long; at most " + MAX_LENGTH);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        throw new IllegalArgumentException(
            name
                + " must be escaped printable ASCII, found "
                + AddressText.describe(c)
                + " at index "
                + i);
      }
    }
  }

  /** {@code line 3 '10.0.0.5/8': host bits set ...}, or the reason alone for line 0. */
  @Override
  public String toString() {
    return line == 0 ? reason : "line " + line + " '" + text + "': " + reason;
  }
}
