package dev.authcore.testkit.gateway;

import java.util.regex.Pattern;

/**
 * Removes anything that could be an API token, or part of one, from text the gateway writes back or
 * logs: error responses and audit lines echo what a caller sent (an allow-list line, a claimed
 * user, a parameter name), and a token pasted into the wrong field must not come back or reach a
 * log. A caller may paste a token whole, without its {@code <prefix>_}, or only its secret, so
 * every run of 16 or more ASCII letters and digits is redacted, with the prefix before it if there
 * is one. The same rule as auth-core's own redaction of echoed input.
 */
final class Redaction {
  private static final Pattern TOKEN_LIKE =
      Pattern.compile("(?:[a-z][a-z0-9]{0,15}_)?[0-9A-Za-z]{16,}");

  static final String REDACTED = "<redacted: looks like an API token>";

  private Redaction() {}

  /** {@code text} with every token-like run replaced by {@link #REDACTED}. */
  static String tokens(String text) {
    return TOKEN_LIKE.matcher(text).replaceAll(REDACTED);
  }
}
