package dev.authcore.testkit;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Seeded generators of the plain values auth-core takes: emails, corp names and token names, valid
 * and subtly invalid. A {@link RandomGenerator} in, a value out: the same generator state gives the
 * same value, so a failure replays from its seed (see {@link Seeds}).
 *
 * <p>The valid values satisfy SPEC's rules and exercise their edges (names of exactly 64
 * characters, non-ASCII letters, characters outside the BMP, spaces to be trimmed); each invalid
 * value breaks exactly one rule, close to the boundary, and says which in {@link Flawed#flaw()}.
 *
 * <p>Stateless and thread-safe; the {@code RandomGenerator} passed in is used by the calling thread
 * only.
 */
public final class Generators {
  /** The longest token name SPEC allows, in characters (code points). */
  public static final int MAX_TOKEN_NAME_LENGTH = 64;

  private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  private static final String LOCAL_PART = LOWER + "0123456789";
  private static final String LOCAL_PART_INNER = LOCAL_PART + "._+-";
  private static final List<String> DOMAINS =
      List.of("example.com", "example.org", "example.net", "corp.example", "mail.test");

  /**
   * The most ASCII letters and digits a generated name holds in one stretch, counting stretches
   * joined by separators ({@code ' ' - _ . : / + , = |}) as one: fewer than the 12 that {@link
   * dev.authcore.SecretRedactor} needs before it can take text for a secret, so a generated name,
   * random as its characters are, is never refused as one.
   */
  private static final int MAX_NAME_RUN = 11;

  /** Characters that end a stretch of letters and digits: neither those nor separators. */
  private static final String SEPARATORS = " -_.:/+,=|";

  /** Visible characters a token name may hold, one code point each (BMP and beyond). */
  private static final int[] NAME_CHARS =
      (LOWER
              + "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/()[]@#+=!?,;'\"~"
              + "éüßçñøåЖжΩπ日本語中文한국"
              + new String(Character.toChars(0x1F511)) // key emoji, outside the BMP
              + new String(Character.toChars(0x1D400))) // mathematical bold A
          .codePoints()
          .toArray();

  /** Characters SPEC's "no control characters" rule refuses, with a name for each. */
  private static final int[] INVISIBLE = {
    0x0000, 0x0007, 0x0009, 0x000A, 0x000D, 0x001B, 0x007F, 0x0085, 0x00AD, 0x200B, 0x200D, 0x202E,
    0x2066, 0x2028, 0x2029, 0xFEFF, 0xE000, 0x3000, 0x00A0, 0x202F
  };

  private Generators() {}

  /**
   * A value that breaks one rule.
   *
   * @param text the value
   * @param flaw which rule it breaks, for assertion messages
   */
  public record Flawed(String text, String flaw) {}

  /**
   * A plausible, lower-case email under a reserved example domain, such as {@code
   * j.doe+ci@example.org}: 1 to 20 characters of local part from {@code [a-z0-9._+-]}, never
   * starting or ending with a dot.
   */
  public static String email(RandomGenerator random) {
    int length = 1 + random.nextInt(20);
    StringBuilder out = new StringBuilder(length + 16);
    for (int i = 0; i < length; i++) {
      boolean edge = i == 0 || i == length - 1;
      String alphabet = edge ? LOCAL_PART : LOCAL_PART_INNER;
      char c = alphabet.charAt(random.nextInt(alphabet.length()));
      if (c == '.' && out.charAt(out.length() - 1) == '.') {
        c = 'x'; // no ".." in a local part
      }
      out.append(c);
    }
    return out.append('@').append(DOMAINS.get(random.nextInt(DOMAINS.size()))).toString();
  }

  /**
   * {@code email} with the case of each ASCII letter flipped at random: the same user to auth-core,
   * which compares emails ignoring ASCII case.
   */
  public static String caseVariant(RandomGenerator random, String email) {
    StringBuilder out = new StringBuilder(email.length());
    for (int i = 0; i < email.length(); i++) {
      char c = email.charAt(i);
      if (c < 128 && Character.isLetter(c) && random.nextBoolean()) {
        c = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
      }
      out.append(c);
    }
    return out.toString();
  }

  /** A corp identifier: 3 to 12 lower-case letters and digits, starting with a letter. */
  public static String corp(RandomGenerator random) {
    int length = 3 + random.nextInt(10);
    StringBuilder out = new StringBuilder(length);
    out.append(LOWER.charAt(random.nextInt(LOWER.length())));
    for (int i = 1; i < length; i++) {
      out.append(LOCAL_PART.charAt(random.nextInt(LOCAL_PART.length())));
    }
    return out.toString();
  }

  /**
   * A valid token name as a user would type it, possibly with spaces around it that auth-core
   * trims: 1 to {@value #MAX_TOKEN_NAME_LENGTH} visible characters after trimming (the maximum
   * length about one time in eight), with single spaces inside, non-ASCII letters and characters
   * beyond the BMP, and never more than 11 ASCII letters and digits in one stretch (see {@link
   * #MAX_NAME_RUN}). {@link String#strip()} gives the name auth-core stores.
   */
  public static String tokenName(RandomGenerator random) {
    int length =
        random.nextInt(8) == 0 ? MAX_TOKEN_NAME_LENGTH : 1 + random.nextInt(MAX_TOKEN_NAME_LENGTH);
    StringBuilder out = new StringBuilder(length * 2 + 4);
    if (random.nextInt(6) == 0) {
      out.append(random.nextBoolean() ? " " : "  ");
    }
    int last = ' ';
    int run = 0;
    for (int i = 0; i < length; i++) {
      int cp;
      boolean inner = i > 0 && i < length - 1;
      if (inner && last != ' ' && random.nextInt(8) == 0) {
        cp = ' ';
      } else {
        cp = NAME_CHARS[random.nextInt(NAME_CHARS.length)];
        while (run == MAX_NAME_RUN && (isAsciiLetterOrDigit(cp) || SEPARATORS.indexOf(cp) >= 0)) {
          cp = NAME_CHARS[random.nextInt(NAME_CHARS.length)];
        }
      }
      out.appendCodePoint(cp);
      last = cp;
      if (isAsciiLetterOrDigit(cp)) {
        run++;
      } else if (SEPARATORS.indexOf(cp) < 0) {
        run = 0;
      }
    }
    if (random.nextInt(6) == 0) {
      out.append(random.nextBoolean() ? " " : "\t");
    }
    return out.toString();
  }

  /** A short ASCII token name such as {@code ci-7}, unique enough for scenario tests. */
  public static String simpleTokenName(RandomGenerator random) {
    String[] stems = {"ci", "deploy", "laptop", "backup", "scanner", "cron", "release", "probe"};
    return stems[random.nextInt(stems.length)] + "-" + random.nextInt(100_000);
  }

  /**
   * A token name that breaks exactly one rule, close to the boundary: empty or only white space;
   * {@value #MAX_TOKEN_NAME_LENGTH} + 1 visible characters; or a valid name with one control or
   * invisible character (NUL, BEL, tab, line feed, bidi override, zero-width space, BOM, no-break
   * and ideographic spaces, private use, …) placed inside it.
   */
  public static Flawed invalidTokenName(RandomGenerator random) {
    int kind = random.nextInt(4);
    if (kind == 0) {
      String[] blanks = {"", " ", "   ", "\t", " \n "};
      return new Flawed(blanks[random.nextInt(blanks.length)], "empty or only white space");
    }
    if (kind == 1) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i <= MAX_TOKEN_NAME_LENGTH; i++) {
        out.appendCodePoint(NAME_CHARS[random.nextInt(NAME_CHARS.length)]);
      }
      return new Flawed(
          out.toString(), (MAX_TOKEN_NAME_LENGTH + 1) + " visible characters, one too many");
    }
    String base = tokenName(random).strip();
    if (base.codePointCount(0, base.length()) < 2) {
      base = base + "x";
    }
    int cp = INVISIBLE[random.nextInt(INVISIBLE.length)];
    // inside, never at an end, so trimming cannot remove it
    int points = base.codePointCount(0, base.length());
    int at = base.offsetByCodePoints(0, 1 + random.nextInt(points - 1));
    String text = base.substring(0, at) + new String(Character.toChars(cp)) + base.substring(at);
    return new Flawed(text, String.format(Locale.ROOT, "holds the invisible character U+%04X", cp));
  }

  private static boolean isAsciiLetterOrDigit(int cp) {
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  }

  /** Draws an int from {@code [min, max]}. */
  static int between(RandomGenerator random, int min, int max) {
    checkArgument(min <= max, "min %s > max %s", min, max);
    return min + random.nextInt(max - min + 1);
  }
}
