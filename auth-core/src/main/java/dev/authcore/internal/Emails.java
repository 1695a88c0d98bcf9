package dev.authcore.internal;

import com.google.common.base.Ascii;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Email handling shared across auth-core: emails are stored as given and compared ignoring ASCII
 * case only. Non-ASCII characters must match exactly, so the comparison never depends on a locale
 * or on Unicode case tables.
 */
public final class Emails {
  /** Shortest accepted email: one character, {@code @}, one character. */
  public static final int MIN_LENGTH = 3;

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

  /**
   * Whether {@code email} is {@value #MIN_LENGTH} to {@value #MAX_LENGTH} characters long, the
   * bounds {@link #problem} applies: the request path's cheap first check, which reads no
   * character.
   */
  public static boolean hasAcceptedLength(String email) {
    int length = email.length();
    return length >= MIN_LENGTH && length <= MAX_LENGTH;
  }

  /** Whether {@code email} could be an email auth-core accepts, without throwing. */
  public static boolean isPlausible(String email) {
    return problem(email) == null;
  }

  /**
   * Checks that {@code email} is plausible.
   *
   * @throws IllegalArgumentException if it is not; the message quotes it escaped, with anything
   *     that could be a token redacted (see {@link LogSafe})
   */
  public static void check(String email) {
    check(email, "email");
  }

  /**
   * Checks that {@code email} is plausible, naming it {@code what} in the message (such as "actor
   * email").
   *
   * @throws IllegalArgumentException if it is not, saying what, the escaped and redacted value, and
   *     why
   */
  public static void check(String email, String what) {
    String problem = problem(email);
    if (problem != null) {
      throw new IllegalArgumentException(
          what + " '" + LogSafe.escape(email) + "' is not valid: " + problem);
    }
  }

  /**
   * Why {@code email} is not plausible, or {@code null} if it is. Invisible formatting characters
   * (bidi overrides such as U+202E, zero-width spaces and joiners, soft hyphens) and lone
   * surrogates are refused as well as white space and control characters: they make one address
   * look like another.
   */
  public static @Nullable String problem(String email) {
    int length = email.length();
    if (!hasAcceptedLength(email)) {
      return "it is "
          + length
          + " characters long; "
          + MIN_LENGTH
          + " to "
          + MAX_LENGTH
          + " are accepted";
    }
    int at = email.indexOf('@');
    if (at <= 0 || at == length - 1 || email.indexOf('@', at + 1) >= 0) {
      return "it must have exactly one '@' between a local part and a domain";
    }
    for (int i = 0; i < length; i++) {
      char c = email.charAt(i);
      int type = Character.getType(c);
      if (c <= ' '
          || c == 0x7f
          || Character.isWhitespace(c)
          || Character.isSpaceChar(c) // no-break spaces, which isWhitespace leaves out
          || Character.isISOControl(c)) {
        return String.format(
            Locale.ROOT,
            "it has white space or a control character, U+%04X, at index %d; none is accepted",
            (int) c,
            i);
      }
      if (type == Character.FORMAT
          || (type == Character.SURROGATE && !isPairedSurrogate(email, i))) {
        return String.format(
            Locale.ROOT,
            "it has an invisible formatting character or a lone surrogate, U+%04X, at index %d"
                + " (such as a bidi override or a zero-width space), which would make it look"
                + " like another email",
            (int) c,
            i);
      }
    }
    return null;
  }

  private static boolean isPairedSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
