package dev.authcore.internal;

import com.google.common.base.Ascii;

/**
 * Email handling shared across auth-core: emails are stored as given and compared ignoring ASCII
 * case only. Non-ASCII characters must match exactly, so the comparison never depends on a locale
 * or on Unicode case tables.
 */
public final class Emails {
  /** Longest accepted email (RFC 5321 path limit less the angle brackets). */
  public static final int MAX_LENGTH = 254;

  private Emails() {}

  /** Whether {@code a} and {@code b} are the same email. Allocation-free. */
  public static boolean same(String a, String b) {
    return Ascii.equalsIgnoreCase(a, b);
  }

  /** The lookup key of {@code email}: ASCII letters lower-cased. */
  public static String key(String email) {
    return Ascii.toLowerCase(email);
  }

  /** Whether {@code email} could be an email auth-core accepts, without throwing. */
  public static boolean isPlausible(String email) {
    int length = email.length();
    if (length < 3 || length > MAX_LENGTH) {
      return false;
    }
    int at = email.indexOf('@');
    if (at <= 0 || at == length - 1 || email.indexOf('@', at + 1) >= 0) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = email.charAt(i);
      if (c <= ' '
          || c == 0x7f
          || Character.isWhitespace(c)
          || Character.isSpaceChar(c) // no-break spaces, which isWhitespace leaves out
          || Character.isISOControl(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks that {@code email} is plausible.
   *
   * @throws IllegalArgumentException if {@code email} is not plausible; the message quotes it
   *     escaped (see {@link LogSafe})
   */
  public static void check(String email) {
    if (!isPlausible(email)) {
      throw new IllegalArgumentException(
          "email '"
              + LogSafe.escape(email)
              + "' is not valid: it must be 3 to "
              + MAX_LENGTH
              + " characters with exactly one '@' between a local part and a domain, and no white"
              + " space or control characters");
    }
  }
}
