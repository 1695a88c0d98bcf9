package dev.authcore;

import dev.authcore.internal.LogSafe;
import dev.authcore.internal.SecretDetector;

/**
 * Makes text that came from a request safe to echo: in an HTTP error body, a log line, an audit
 * record. auth-core applies the same rule to everything it echoes itself (messages of its
 * exceptions, events, logs) and to token names, which it refuses when they hold a secret; a gateway
 * calls this class for what it echoes on its own, so one rule holds end to end.
 *
 * <h2>What it protects against</h2>
 *
 * A token, or its secret, pasted into the wrong place (a user header, a name, an allow-list line, a
 * path, a JSON field) and echoed back or logged:
 *
 * <ul>
 *   <li>a whole token {@code <prefix>_<id><secret><checksum>}, with any prefix (another
 *       deployment's, or one changed in case), is recognised with certainty by its checksum and
 *       replaced by {@value #REDACTED_TOKEN};
 *   <li>a token without its prefix, a secret, or a part of one of at least 12 characters, also when
 *       split by spaces or separators ({@code K4YmFgdJ-6UgJMJxq-…}), is recognised by its random
 *       mix of upper case, lower case and digits and replaced by {@value #REDACTED_SECRET}.
 * </ul>
 *
 * Ordinary text stays as it is: words of any length and language, camel-case names ({@code
 * DeployKeyProduction}), product names with digits ({@code RTX4090Workstation}), emails, addresses,
 * token ids (11 characters, public), hexadecimal hashes and UUIDs.
 *
 * <h2>What it does not protect against</h2>
 *
 * <ul>
 *   <li>The second rule is a judgement of shape: about 1 in 20 random fragments of 12 characters, 1
 *       in 100 of 16 and 1 in 50,000 whole 32-character secrets look enough like written words to
 *       be missed; no token without its prefix (49 characters) was missed in 300,000 trials. Dense
 *       text that looks random (a base64 blob, a mixed-case license key, some jargon such as {@code
 *       MySQL PgSQL SQLite}) is redacted though it is not a secret.
 *   <li>Fragments under 12 characters, pieces of 3 characters or fewer, secrets of other formats
 *       (hexadecimal keys, passwords, all-upper-case keys), and secrets disguised on purpose
 *       (encoded, reversed, interleaved with other characters) are not recognised.
 *   <li>It is not a substitute for never sending tokens where they do not belong: redaction limits
 *       the damage of a mistake, it does not make a leaked token safe. Revoke a leaked token.
 * </ul>
 *
 * <p>Cost: linear in the length of the text, no regular expressions; meant for error paths and
 * logs, not for every request. Stateless and thread-safe.
 */
public final class SecretRedactor {
  /** What a whole token is replaced with. */
  public static final String REDACTED_TOKEN = LogSafe.REDACTED_TOKEN;

  /** What letters and digits that look like a secret, or a part of one, are replaced with. */
  public static final String REDACTED_SECRET = LogSafe.REDACTED_SECRET;

  /** Longest text {@link #escape} keeps before shortening. */
  public static final int MAX_ESCAPED_LENGTH = LogSafe.MAX_LENGTH;

  private SecretRedactor() {}

  /**
   * Returns {@code text} with every token replaced by {@value #REDACTED_TOKEN} and every stretch
   * that looks like a secret replaced by {@value #REDACTED_SECRET}; nothing else changes. Use it on
   * text that is already escaped for where it goes (a JSON document, say).
   */
  public static String redact(CharSequence text) {
    return LogSafe.redact(text).toString();
  }

  /**
   * Returns {@code text} redacted as by {@link #redact}, then with every character outside
   * printable ASCII written {@code \\uXXXX} and a backslash doubled (so no line break or terminal
   * sequence can be forged), and shortened to about {@value #MAX_ESCAPED_LENGTH} characters with
   * {@code …(N chars)} at the end. This is how auth-core quotes request text in its own messages.
   */
  public static String escape(CharSequence text) {
    return LogSafe.escape(text);
  }

  /** Whether {@link #redact} would change {@code text}: it holds a token or looks like a secret. */
  public static boolean holdsSecret(CharSequence text) {
    return SecretDetector.holdsSecret(text);
  }
}
