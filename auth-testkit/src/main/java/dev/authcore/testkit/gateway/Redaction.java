package dev.authcore.testkit.gateway;

import dev.authcore.SecretRedactor;

/**
 * Removes tokens, and anything that looks like a token's secret or a part of one, from text the
 * gateway writes back or logs: error responses and audit lines echo what a caller sent (an
 * allow-list line, a claimed user, a parameter name), and a token pasted into the wrong field must
 * not come back or reach a log. The rule is auth-core's own ({@link SecretRedactor}), the one that
 * redacts what the library echoes and refuses secret-bearing token names, so what auth-core lets
 * through and what the gateway lets through cannot differ.
 */
final class Redaction {
  private Redaction() {}

  /**
   * {@code text} with every token replaced by {@link SecretRedactor#REDACTED_TOKEN} and every
   * secret-like stretch by {@link SecretRedactor#REDACTED_SECRET}; nothing else changes.
   */
  static String tokens(String text) {
    return SecretRedactor.redact(text);
  }
}
