package dev.authcore.internal;

/**
 * Makes text that came from a request safe to put in a message, an event or a log line: control
 * characters (CR and LF among them) and non-ASCII characters are escaped as {@code \\uXXXX}, and
 * long text is shortened, so a value cannot forge a log line or flood one.
 */
public final class LogSafe {
  /** Longest text kept before shortening. */
  public static final int MAX_LENGTH = 120;

  private LogSafe() {}

  /** Returns {@code text} escaped and shortened to about {@link #MAX_LENGTH} characters. */
  public static String escape(CharSequence text) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 16);
    for (int i = 0; i < text.length(); i++) {
      if (out.length() >= MAX_LENGTH) {
        out.append("…(").append(text.length()).append(" chars)");
        break;
      }
      char c = text.charAt(i);
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
}
