package dev.authcore.testkit.gateway;

import java.util.regex.Pattern;

/**
 * Removes anything shaped like an API token ({@code <prefix>_} followed by 16 or more base62
 * characters) from text the gateway writes back or logs: error responses and audit lines echo what
 * a caller sent (an allow-list line, a claimed user), and a token pasted into the wrong field must
 * not come back or reach a log.
 */
final class Redaction {
  private static final Pattern TOKEN_LIKE = Pattern.compile("[a-z][a-z0-9]{0,15}_[0-9A-Za-z]{16,}");

  static final String REDACTED = "<redacted: looks like an API token>";

  private Redaction() {}

  /** {@code text} with every token-shaped run replaced by {@link #REDACTED}. */
  static String tokens(String text) {
    return TOKEN_LIKE.matcher(text).replaceAll(REDACTED);
  }
}
