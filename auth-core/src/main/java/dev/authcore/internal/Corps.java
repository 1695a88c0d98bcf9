package dev.authcore.internal;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Locale;

/** Validation of corp identifiers. */
public final class Corps {
  public static final int MAX_LENGTH = 64;

  private Corps() {}

  public static void check(String corp) {
    checkArgument(
        !corp.isEmpty() && corp.length() <= MAX_LENGTH,
        "corp must be 1 to %s characters, got %s",
        MAX_LENGTH,
        corp.length());
    for (int i = 0; i < corp.length(); i++) {
      char c = corp.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '/') {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "corp must be printable ASCII without spaces or '/', found U+%04X at index %d",
                (int) c,
                i));
      }
    }
  }
}
