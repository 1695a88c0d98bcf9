package dev.authcore.internal;

/**
 * Makes text that came from a request safe to put in a message, an event or a log line: control
 * characters (CR and LF among them) and non-ASCII characters are escaped as {@code \\uXXXX}, long
 * text is shortened, so a value cannot forge a log line or flood one, and anything that could be a
 * token or part of one is redacted.
 *
 * <p><b>What counts as token-like.</b> A token is {@code <prefix>_} followed by 49 base62
 * characters, 32 of them secret. A caller who pastes a token into the wrong field may paste it
 * whole, without its prefix, or only in part, so the prefix cannot be relied on: every run of
 * {@value #TOKEN_LIKE_RUN} or more ASCII letters and digits in a row is replaced by {@code <N
 * letters and digits redacted>}. Text a person typed (an email, a name, an address, a cursor)
 * rarely has such a run, and stays readable; no 16 consecutive characters of a secret can get
 * through.
 */
public final class LogSafe {
  /** Longest text kept before shortening. */
  public static final int MAX_LENGTH = 120;

  /** The shortest run of ASCII letters and digits treated as possibly part of a token. */
  public static final int TOKEN_LIKE_RUN = 16;

  private LogSafe() {}

  /**
   * Returns {@code text} with token-like runs redacted, then escaped and shortened to about {@link
   * #MAX_LENGTH} characters.
   */
  public static String escape(CharSequence text) {
    CharSequence redacted = redactTokenLike(text);
    StringBuilder out = new StringBuilder(Math.min(redacted.length(), MAX_LENGTH) + 16);
    for (int i = 0; i < redacted.length(); i++) {
      if (out.length() >= MAX_LENGTH) {
        out.append("…(").append(text.length()).append(" chars)");
        break;
      }
      char c = redacted.charAt(i);
      if (c == '\\') {
        out.append("\\\\");
      } else if (c >= 0x20 && c < 0x7f) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04X", (int) c));
      }
    }
    return out.toString();
  }

  /**
   * Returns {@code text} with every run of {@value #TOKEN_LIKE_RUN} or more ASCII letters and
   * digits replaced by {@code <N letters and digits redacted>}; the same instance when there is
   * none. Nothing else changes.
   */
  public static CharSequence redactTokenLike(CharSequence text) {
    int first = tokenLikeRunStart(text, 0);
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    for (int start = first; start >= 0; start = tokenLikeRunStart(text, from)) {
      int end = runEnd(text, start);
      out.append(text, from, start)
          .append('<')
          .append(end - start)
          .append(" letters and digits redacted>");
      from = end;
    }
    return out.append(text, from, text.length());
  }

  /** Whether {@code text} holds a run of {@value #TOKEN_LIKE_RUN} or more letters and digits. */
  public static boolean hasTokenLikeRun(CharSequence text) {
    return tokenLikeRunStart(text, 0) >= 0;
  }

  /** Where the first token-like run at or after {@code from} starts, or -1. */
  public static int tokenLikeRunStart(CharSequence text, int from) {
    int run = 0;
    for (int i = from; i < text.length(); i++) {
      if (isAsciiLetterOrDigit(text.charAt(i))) {
        if (++run == TOKEN_LIKE_RUN) {
          return i + 1 - TOKEN_LIKE_RUN;
        }
      } else {
        run = 0;
      }
    }
    return -1;
  }

  private static int runEnd(CharSequence text, int start) {
    int end = start;
    while (end < text.length() && isAsciiLetterOrDigit(text.charAt(end))) {
      end++;
    }
    return end;
  }

  private static boolean isAsciiLetterOrDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
