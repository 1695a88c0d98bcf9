package dev.authcore.internal;

import java.util.List;

/**
 * The one way auth-core echoes text that came from outside (a request, a console client, a
 * configuration) in a message, an event or a log line: tokens and secret-like text are redacted by
 * {@link SecretDetector}, then control characters (CR and LF among them), backslashes and non-ASCII
 * characters are escaped, and long text is shortened, so a value can neither leak a secret nor
 * forge or flood a log line.
 *
 * <p>Redaction runs on the text as received, before escaping, so the letters and digits an escape
 * adds ({@code \u200B}) never join a run, and what is judged is what was sent. Stateless and
 * thread-safe.
 */
public final class LogSafe {
  /** Longest text kept before shortening. */
  public static final int MAX_LENGTH = 120;

  /** What a whole token is replaced with. */
  public static final String REDACTED_TOKEN = "<redacted: token>";

  /** What letters and digits that look like a secret, or a part of one, are replaced with. */
  public static final String REDACTED_SECRET = "<redacted: looks like a secret>";

  /**
   * How much text past {@link #MAX_LENGTH} is read for redaction: more than a whole token, so
   * anything shown is judged with what follows it.
   */
  private static final int LOOK_AHEAD =
      4 * (SecretDetector.MAX_PREFIX_LENGTH + 1) + 2 * SecretDetector.TOKEN_BODY_LENGTH;

  private LogSafe() {}

  /**
   * Returns {@code text} redacted ({@link #redact}), escaped and shortened: printable ASCII is
   * kept, a backslash is doubled, any other character is written {@code \\uXXXX}; past about {@link
   * #MAX_LENGTH} characters the rest is replaced by {@code …(N chars)}, N being the length of
   * {@code text}. Only the start of a long text is read, so the cost does not grow with its length.
   */
  public static String escape(CharSequence text) {
    CharSequence shown =
        text.length() > MAX_LENGTH + LOOK_AHEAD
            ? text.subSequence(0, MAX_LENGTH + LOOK_AHEAD)
            : text;
    CharSequence redacted = redact(shown);
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
   * Returns {@code text} with every token replaced by {@link #REDACTED_TOKEN} and every stretch
   * that looks like a secret replaced by {@link #REDACTED_SECRET}, as {@link SecretDetector} finds
   * them; nothing else changes. The same instance when nothing is found.
   */
  public static CharSequence redact(CharSequence text) {
    List<SecretDetector.Finding> found = SecretDetector.find(text);
    if (found.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    for (SecretDetector.Finding f : found) {
      out.append(text, from, f.start())
          .append(f.kind() == SecretDetector.Kind.TOKEN ? REDACTED_TOKEN : REDACTED_SECRET);
      from = f.end();
    }
    return out.append(text, from, text.length()).toString();
  }
}
