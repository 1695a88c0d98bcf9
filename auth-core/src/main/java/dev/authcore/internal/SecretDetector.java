package dev.authcore.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Finds API tokens and secrets in text: the one rule auth-core applies wherever it echoes text that
 * came from outside (messages, events, logs) and when it judges a token name.
 *
 * <h2>What it finds</h2>
 *
 * <ol>
 *   <li><b>A whole token, with certainty.</b> A token is {@code <prefix>_<id><secret><checksum>}:
 *       {@value #TOKEN_BODY_LENGTH} base62 characters after the underscore, the last {@value
 *       Base62#INT_WIDTH} being the CRC32 of everything before them, prefix included. Wherever
 *       {@code _} is followed by that many base62 characters, the checksum is computed for every
 *       prefix of 1 to {@value #MAX_PREFIX_LENGTH} letters and digits written before the underscore
 *       (any prefix: another deployment's, or a mangled one), as written and in lower case; if it
 *       holds, the text from the prefix to the checksum is a {@link Kind#TOKEN}. A random text
 *       passes this check with probability 2<sup>-32</sup> per prefix tried. The checksum covers
 *       the prefix, so a token without its prefix cannot be proved by it: it is found by the next
 *       rule, which its 43 random characters pass with a margin (see below).
 *   <li><b>A secret, or a part of one, by its shape.</b> A secret is {@value #SECRET_LENGTH}
 *       characters drawn uniformly from the 62 base62 characters. Text that people write is not
 *       like that: upper case starts words or spells acronyms, lower case comes in pronounceable
 *       runs, digits form numbers. Every run of ASCII letters and digits is split into words
 *       ({@code deploy}, {@code Key}, {@code RTX}, {@code 4090}) and each word is scored by how
 *       much likelier it is under uniform random base62 than under a small, fixed model of how
 *       people write names and identifiers, in bits (a log-likelihood ratio). Runs joined by one to
 *       three separators ({@code ' ' - _ . : / + , = |}) are scored as one sequence, so a secret
 *       split into chunks ({@code K4YmFgdJ-6UgJMJxq-…}, {@code K4Ym FgdJ 6UgJ …}) is judged whole.
 *       A stretch of the sequence is a {@link Kind#SECRET_LIKE} when it scores at least {@value
 *       #THRESHOLD_BITS} bits (it is at least 2<sup>10</sup> times likelier random than written),
 *       its best-scoring words hold at least {@value #MIN_CORE} characters, the whole runs it
 *       touches hold at least {@value #MIN_RUN} letters and digits, and they mix upper and lower
 *       case. The finding covers those whole runs, and up to {@value #MAX_NEIGHBOURS} neighbouring
 *       runs on each side that could be further chunks of the same secret (one separator away, 4 to
 *       {@value #MAX_NEIGHBOUR_LENGTH} characters, scoring at least {@value #NEIGHBOUR_BITS} bits,
 *       and not a lower-case word unless a chunk-like run lies beyond it).
 * </ol>
 *
 * <h2>The choices, and what they were measured against</h2>
 *
 * <ul>
 *   <li><b>{@value #MIN_RUN} characters.</b> Twelve base62 characters are 71 bits: enough to matter
 *       if leaked, and about the shortest run for which random text can be told from the codes
 *       people write: below it, names such as {@code IPv6} (11.7 bits) or {@code AppleTV4K} (10.7)
 *       score as high as random text. Shorter fragments are not looked for: 11 leaked characters
 *       leave 21 unknown ones, 125 bits. A token id (11 characters, public) is therefore never
 *       redacted on its own.
 *   <li><b>{@value #THRESHOLD_BITS} bits.</b> Of the 2,242 realistic token names (many languages,
 *       long compound words, repeated letters, product names with digits) and 435 emails in
 *       auth-core's tests, none is found, and the highest-scoring stretch that could be ({@code
 *       iPhone15ProMax}) scores 5 bits. Uniformly random text is found: runs of 12 characters 95.1%
 *       of the time, 16: 98.96%, 20: 99.78%, 24: 99.955%, 32 (a whole secret): 99.998% (20 missed
 *       in 1,000,000), 49 (a token without its prefix): every one of 300,000. {@code
 *       SecretDetectorTest} and {@code SecretRedactorTest} measure both sides again.
 *   <li><b>Mixed case required.</b> A secret of 32 characters has both cases with probability 1 -
 *       6·10<sup>-8</sup>. Requiring both keeps hexadecimal (hashes, UUIDs, commit ids) and single-
 *       case words ({@code kubernetesautoscaler}, {@code aaaa…}) out, whatever their length.
 * </ul>
 *
 * <h2>What it does not do</h2>
 *
 * It is a judgement of shape, not a proof: a secret fragment that happens to look like words is
 * missed (the rates above), and text that looks random is reported though it is not a secret (a
 * base64 blob, a license key in mixed case, some dense jargon such as {@code MySQL PgSQL SQLite}).
 * Runs of 3 characters or fewer count only against randomness, so a secret cut into such pieces is
 * not found. It does not look for secrets of other formats (hexadecimal keys, passwords,
 * all-upper-case keys), nor for a secret disguised on purpose (encoded, reversed, every character
 * separated by another character). It reads ASCII letters and digits only: other characters end a
 * run.
 *
 * <p>Cost: one pass over the text, a constant amount of work per character (no regular expression,
 * no backtracking), and a few CRC32 computations per underscore followed by {@value
 * #TOKEN_BODY_LENGTH} base62 characters. It allocates in proportion to the text. Stateless and
 * thread-safe.
 */
public final class SecretDetector {
  /** Characters of a token's secret part. */
  public static final int SECRET_LENGTH = 32;

  /** Characters after a token's underscore: id, secret and checksum. */
  public static final int TOKEN_BODY_LENGTH = Base62.LONG_WIDTH + SECRET_LENGTH + Base62.INT_WIDTH;

  /** The longest token prefix. */
  public static final int MAX_PREFIX_LENGTH = 16;

  /** The fewest ASCII letters and digits a {@link Kind#SECRET_LIKE} finding covers. */
  public static final int MIN_RUN = 12;

  /** The fewest characters in the best-scoring words of a {@link Kind#SECRET_LIKE} finding. */
  public static final int MIN_CORE = 6;

  /** How many bits likelier random than written a stretch must be to be secret-like. */
  public static final double THRESHOLD_BITS = 10;

  /** The least score of a neighbouring run taken into a finding as a further chunk. */
  public static final double NEIGHBOUR_BITS = -6;

  /** The longest neighbouring run taken into a finding as a further chunk. */
  static final int MAX_NEIGHBOUR_LENGTH = 16;

  /** The most neighbouring runs taken into a finding on each side. */
  static final int MAX_NEIGHBOURS = 8;

  /** How many separators may join two runs into one sequence. */
  static final int MAX_GAP = 3;

  /** Runs of this many characters or fewer carry no evidence of randomness, only against it. */
  static final int SHORT_RUN = 3;

  /** What was found. */
  public enum Kind {
    /** A whole token whose checksum holds. */
    TOKEN,
    /** Letters and digits that look like a secret or a part of one. */
    SECRET_LIKE
  }

  /**
   * A place in a text that holds a token or looks like a secret.
   *
   * @param start index of the first character
   * @param end index after the last character
   * @param kind what was found
   */
  public record Finding(int start, int end, Kind kind) {}

  private SecretDetector() {}

  /** Whether {@code text} holds a token or anything that looks like a secret. */
  public static boolean holdsSecret(CharSequence text) {
    return !find(text).isEmpty();
  }

  /**
   * Every token and secret-like stretch in {@code text}, in order, not overlapping (findings that
   * overlap or touch are merged; a merged finding is a {@link Kind#TOKEN} if any part was).
   */
  public static List<Finding> find(CharSequence text) {
    return mayHoldFinding(text) ? new Scan(text).run() : List.of();
  }

  /**
   * Whether some sequence of runs in {@code text} (runs of letters and digits joined by one to
   * {@value #MAX_GAP} separators) holds at least {@value #MIN_RUN} letters and digits. Every
   * finding needs one: a token's body alone is {@value #TOKEN_BODY_LENGTH} characters, and a
   * secret-like stretch covers whole runs of at least {@value #MIN_RUN}. Most text that reaches the
   * detector (an email, an address, a short name) fails it, and so costs one pass and no allocation
   * instead of a scan.
   */
  static boolean mayHoldFinding(CharSequence text) {
    int n = text.length();
    int inSequence = 0;
    int gap = 0;
    boolean broken = false;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (classOf(c) == OTHER) {
        gap++;
        broken |= !isSeparator(c);
        continue;
      }
      if (gap > 0 && (broken || gap > MAX_GAP)) {
        inSequence = 0;
      }
      gap = 0;
      broken = false;
      if (++inSequence >= MIN_RUN) {
        return true;
      }
    }
    return false;
  }

  /**
   * The highest score, in bits, of any stretch of {@code text} that meets every condition of a
   * {@link Kind#SECRET_LIKE} finding but the threshold, or {@link Double#NEGATIVE_INFINITY} if
   * there is none; for measuring how close ordinary text comes to {@link #THRESHOLD_BITS}.
   */
  static double highestScore(CharSequence text) {
    Scan scan = new Scan(text);
    scan.run();
    return scan.highest;
  }

  // ---- character classes

  private static final int OTHER = -1;
  private static final int LOWER_CHAR = 0;
  private static final int UPPER_CHAR = 1;
  private static final int DIGIT_CHAR = 2;

  private static int classOf(char c) {
    if (c >= 'a' && c <= 'z') {
      return LOWER_CHAR;
    }
    if (c >= 'A' && c <= 'Z') {
      return UPPER_CHAR;
    }
    if (c >= '0' && c <= '9') {
      return DIGIT_CHAR;
    }
    return OTHER;
  }

  private static boolean isSeparator(char c) {
    return switch (c) {
      case ' ', '-', '_', '.', ':', '/', '+', ',', '=', '|' -> true;
      default -> false;
    };
  }

  // ---- the model of written text
  //
  // A run of letters and digits is read as words: a lower-case word (deploy), a capitalised word
  // (Deploy), an upper-case word (RTX) or a number (4090). The written model gives the type of the
  // first word, whether another word follows inside the run (camel case, RTX4090), the type of the
  // next word given the last, each word's length given its type, and its letters: lower-case
  // letters
  // alternate between vowels and consonants (long consonant clusters are rare) with roughly the
  // letter frequencies of the languages written in Latin script; upper-case words are acronyms,
  // letters drawn with flattened frequencies; either may repeat a letter. The figures are round
  // numbers chosen by hand from how names are written, not fitted to any list.

  private static final int NONE = -1;
  private static final int LOWER = 0;
  private static final int CAPITALIZED = 1;
  private static final int UPPER = 2;
  private static final int DIGITS = 3;

  /** Probability of each type for the first word of a run. */
  private static final double[] START = {0.45, 0.35, 0.10, 0.10};

  /** The same after a run written all in capitals: a phrase in capitals stays in capitals. */
  private static final double[] START_AFTER_CAPITALS = {0.10, 0.15, 0.65, 0.10};

  /** Probability that another word follows inside the same run. */
  private static final double GLUE = 0.35;

  /**
   * Probability of each type for a word following a word of a type inside a run, rows by previous
   * type. A lower-case word cannot follow a lower-case or capitalised one (they would be one word),
   * nor two numbers or two upper-case words each other; the small floor covers what segmentation
   * cannot produce anyway.
   */
  private static final double[][] AFTER = {
    {0, 0.60, 0.15, 0.25}, // after lower case: deployKey, deployCI, deploy2
    {0, 0.60, 0.15, 0.25}, // after capitalised: DeployKey, DeployCI, Deploy2
    {0.20, 0.40, 0, 0.40}, // after upper case: IPv, RTXWorkstation, RTX4090
    {0.35, 0.35, 0.30, 0} // after a number: 2023reporting, 15Pro, 2FA
  };

  private static final double FLOOR = 0.02;

  /** Probability that a letter repeats the one before it (ll, ss, zzzz, heeelp). */
  private static final double REPEAT = 0.1;

  /**
   * Probability that a short lower-case or capitalised word is an abbreviation without vowels (pkg,
   * grpc, pgjdbc, Cmd), its letters any consonants.
   */
  private static final double ABBREVIATION = 0.1;

  /** The longest abbreviation without vowels the model knows. */
  private static final int MAX_ABBREVIATION = 6;

  private static final String VOWELS = "aeiouy";

  /** Rounded letter frequencies, in percent, over several languages written in Latin script. */
  private static final double[] LETTER_FREQUENCY = {
    9, 1.8, 3, 4, 12, 1.2, 2, 2.5, 8, 0.8, 2, 4.5, 3, 7.5, 6.5, 2, 0.2, 6.5, 6, 6.5, 4, 1.2, 1, 0.3,
    1.2, 1.2
  };

  // Vowel-consonant states of a lower-case word, and P(vowel) in each.
  private static final int AT_START = 0;
  private static final int ONE_VOWEL = 1;
  private static final int VOWELS_STATE = 2;
  private static final int ONE_CONSONANT = 3;
  private static final int TWO_CONSONANTS = 4;
  private static final int CONSONANTS = 5;
  private static final double[] VOWEL_PROBABILITY = {0.35, 0.30, 0.10, 0.50, 0.60, 0.70};
  private static final int[] AFTER_VOWEL = {
    ONE_VOWEL, VOWELS_STATE, VOWELS_STATE, ONE_VOWEL, ONE_VOWEL, ONE_VOWEL
  };
  private static final int[] AFTER_CONSONANT = {
    ONE_CONSONANT, ONE_CONSONANT, ONE_CONSONANT, TWO_CONSONANTS, CONSONANTS, CONSONANTS
  };

  private static final double LOG2_62 = log2(62);
  private static final double DIGIT_BITS = log2(10);
  private static final double REPEAT_BITS = -log2(REPEAT);
  private static final double FRESH_BITS = -log2(1 - REPEAT);
  private static final double ABBREVIATION_BITS = -log2(ABBREVIATION);
  private static final double CONSONANT_BITS = log2(26 - VOWELS.length());

  /** Bits of lower-case letter {@code c - 'a'} in vowel-consonant state {@code s}: [s][c]. */
  private static final double[][] LETTER_BITS = new double[6][26];

  /** Bits of an upper-case letter of an acronym. */
  private static final double[] ACRONYM_LETTER_BITS = new double[26];

  static {
    double vowelTotal = 0;
    double consonantTotal = 0;
    double total = 0;
    for (int c = 0; c < 26; c++) {
      total += LETTER_FREQUENCY[c];
      if (isVowel(c)) {
        vowelTotal += LETTER_FREQUENCY[c];
      } else {
        consonantTotal += LETTER_FREQUENCY[c];
      }
    }
    int vowels = VOWELS.length();
    for (int c = 0; c < 26; c++) {
      // Frequencies flattened toward uniform, so a rare letter costs a few bits, not many.
      double inGroup =
          isVowel(c)
              ? 0.8 * LETTER_FREQUENCY[c] / vowelTotal + 0.2 / vowels
              : 0.8 * LETTER_FREQUENCY[c] / consonantTotal + 0.2 / (26 - vowels);
      for (int s = 0; s < 6; s++) {
        double group = isVowel(c) ? VOWEL_PROBABILITY[s] : 1 - VOWEL_PROBABILITY[s];
        LETTER_BITS[s][c] = -log2(group * inGroup);
      }
      ACRONYM_LETTER_BITS[c] = -log2(0.5 * LETTER_FREQUENCY[c] / total + 0.5 / 26);
    }
  }

  private static boolean isVowel(int letter) {
    return VOWELS.indexOf('a' + letter) >= 0;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  /** Bits of the type of a run's first word: [after a run in capitals ? 1 : 0][type]. */
  private static final double[][] START_BITS = new double[2][4];

  /** Bits of the type of a word following one inside a run: [previous type][type]. */
  private static final double[][] AFTER_BITS = new double[4][4];

  /** Bits of the end of a run after a word. */
  private static final double END_BITS = -log2(1 - GLUE);

  /** Lengths whose bits are kept in a table; longer ones are computed. */
  private static final int TABLE_LENGTHS = 64;

  /** Bits of a word's length: [type][length], and a lone lower-case letter beside a digit. */
  private static final double[][] LENGTH_BITS = new double[4][TABLE_LENGTHS + 1];

  private static final double LONE_LETTER_BY_DIGIT_BITS = -log2(lengthProbability(LOWER, 1, true));

  static {
    for (int type = 0; type < 4; type++) {
      START_BITS[0][type] = -log2(START[type]);
      START_BITS[1][type] = -log2(START_AFTER_CAPITALS[type]);
      for (int next = 0; next < 4; next++) {
        AFTER_BITS[type][next] = -log2(GLUE * Math.max(AFTER[type][next], FLOOR));
      }
      for (int length = 1; length <= TABLE_LENGTHS; length++) {
        LENGTH_BITS[type][length] = -log2(lengthProbability(type, length, false));
      }
    }
  }

  private static double lengthBits(int type, int length, boolean nextToDigit) {
    if (length == 1 && type == LOWER && nextToDigit) {
      return LONE_LETTER_BY_DIGIT_BITS;
    }
    if (length <= TABLE_LENGTHS) {
      return LENGTH_BITS[type][length];
    }
    // Past the table every length distribution is geometric: each character adds the same bits.
    return LENGTH_BITS[type][TABLE_LENGTHS]
        + (length - TABLE_LENGTHS)
            * (LENGTH_BITS[type][TABLE_LENGTHS] - LENGTH_BITS[type][TABLE_LENGTHS - 1]);
  }

  /** Probability of a word of {@code type} having {@code length} characters. */
  private static double lengthProbability(int type, int length, boolean nextToDigit) {
    switch (type) {
      case LOWER, CAPITALIZED -> {
        if (length == 1) {
          // x86, i7, v2: one letter beside a number is common; alone inside a word it is not.
          return type == LOWER && nextToDigit ? 0.25 : 0.03;
        }
        return length == 2 ? 0.10 : 0.87 * 0.2 * Math.pow(0.8, length - 3);
      }
      case UPPER -> {
        return switch (length) {
          case 1 -> 0.30;
          case 2 -> 0.25;
          case 3 -> 0.22;
          case 4 -> 0.10;
          default -> 0.13 * 0.3 * Math.pow(0.7, length - 5);
        };
      }
      default -> {
        return switch (length) {
          case 1 -> 0.30;
          case 2 -> 0.25;
          case 3 -> 0.08;
          case 4 -> 0.22;
          default -> 0.15 * 0.3 * Math.pow(0.7, length - 5);
        };
      }
    }
  }

  /** Bits of the letters or digits of a word under the written model. */
  private static double characterBits(CharSequence text, int type, int start, int end) {
    if (type == DIGITS) {
      return (end - start) * DIGIT_BITS;
    }
    double bits = 0;
    int state = AT_START;
    int previous = -1;
    boolean vowel = false;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      int letter = (c >= 'a' ? c - 'a' : c - 'A');
      if (letter == previous) {
        bits += REPEAT_BITS;
        continue;
      }
      if (previous >= 0) {
        bits += FRESH_BITS;
      }
      previous = letter;
      if (type == UPPER) {
        bits += ACRONYM_LETTER_BITS[letter];
      } else {
        bits += LETTER_BITS[state][letter];
        vowel |= isVowel(letter);
        state = isVowel(letter) ? AFTER_VOWEL[state] : AFTER_CONSONANT[state];
      }
    }
    int length = end - start;
    if (type != UPPER && !vowel && length >= 2 && length <= MAX_ABBREVIATION) {
      // The likelier reading: a word, or an abbreviation.
      bits = Math.min(bits, ABBREVIATION_BITS + length * CONSONANT_BITS);
    }
    return bits;
  }

  // ---- the scan

  /** One pass over a text: runs, sequences of runs, tokens, and the findings. */
  private static final class Scan {
    private final CharSequence text;
    private final List<Finding> found = new ArrayList<>();
    private double highest = Double.NEGATIVE_INFINITY;

    // The current sequence of runs joined by separators: run bounds and scores.
    private int[] runStart = new int[16];
    private int[] runEnd = new int[16];
    private double[] runScore = new double[16];
    private boolean[] runHasUpper = new boolean[16];
    private boolean[] runHasLower = new boolean[16];
    private boolean[] runHasDigit = new boolean[16];
    private int runs;

    // The words of the current sequence: bounds, score in bits, and the run each belongs to.
    private int[] wordStart = new int[64];
    private int[] wordEnd = new int[64];
    private double[] wordScore = new double[64];
    private int[] wordRun = new int[64];
    private int words;

    private boolean previousRunInCapitals;
    private final CRC32 crc = new CRC32();
    private final byte[] ascii = new byte[MAX_PREFIX_LENGTH + 1 + TOKEN_BODY_LENGTH];

    Scan(CharSequence text) {
      this.text = text;
    }

    List<Finding> run() {
      int n = text.length();
      int i = 0;
      int lastEnd = -1;
      while (i < n) {
        if (classOf(text.charAt(i)) == OTHER) {
          i++;
          continue;
        }
        int start = i;
        while (i < n && classOf(text.charAt(i)) != OTHER) {
          i++;
        }
        if (runs > 0 && !joins(lastEnd, start)) {
          endSequence();
        }
        checkToken(lastEnd, start, i);
        addRun(start, i);
        lastEnd = i;
      }
      endSequence();
      return merged();
    }

    /** Whether the characters between two runs are 1 to {@value #MAX_GAP} separators. */
    private boolean joins(int end, int start) {
      int gap = start - end;
      if (gap < 1 || gap > MAX_GAP) {
        return false;
      }
      for (int k = end; k < start; k++) {
        if (!isSeparator(text.charAt(k))) {
          return false;
        }
      }
      return true;
    }

    // ---- tokens

    /**
     * If the run {@code [start, end)} follows {@code <letters and digits>_} and begins with a token
     * body, records the token when its checksum holds for some prefix before the underscore.
     */
    private void checkToken(int previousEnd, int start, int end) {
      if (end - start < TOKEN_BODY_LENGTH
          || previousEnd < 1
          || previousEnd != start - 1
          || text.charAt(previousEnd) != '_') {
        return;
      }
      int longest = 0;
      while (longest < MAX_PREFIX_LENGTH
          && previousEnd - longest - 1 >= 0
          && classOf(text.charAt(previousEnd - longest - 1)) != OTHER) {
        longest++;
      }
      int checksumAt = start + TOKEN_BODY_LENGTH - Base62.INT_WIDTH;
      long checksum = Base62.decodeUnsigned(text, checksumAt, Base62.INT_WIDTH);
      if (checksum < 0 || checksum > 0xFFFF_FFFFL) {
        return;
      }
      for (int length = 1; length <= longest; length++) {
        int prefixStart = previousEnd - length;
        if (checksumHolds(prefixStart, start, checksum, false)
            || checksumHolds(prefixStart, start, checksum, true)) {
          found.add(new Finding(prefixStart, start + TOKEN_BODY_LENGTH, Kind.TOKEN));
          return;
        }
      }
    }

    private boolean checksumHolds(int prefixStart, int bodyStart, long checksum, boolean lower) {
      int k = 0;
      boolean changed = false;
      for (int i = prefixStart; i < bodyStart; i++) {
        char c = text.charAt(i);
        if (lower && c >= 'A' && c <= 'Z') {
          c = (char) (c + ('a' - 'A'));
          changed = true;
        }
        ascii[k++] = (byte) c;
      }
      if (lower && !changed) {
        return false; // the same text as already checked
      }
      int checksumAt = bodyStart + TOKEN_BODY_LENGTH - Base62.INT_WIDTH;
      for (int i = bodyStart; i < checksumAt; i++) {
        ascii[k++] = (byte) text.charAt(i);
      }
      crc.reset();
      crc.update(ascii, 0, k);
      return crc.getValue() == checksum;
    }

    // ---- runs and their words

    private void addRun(int start, int end) {
      if (runs == runStart.length) {
        runStart = Arrays.copyOf(runStart, runs * 2);
        runEnd = Arrays.copyOf(runEnd, runs * 2);
        runScore = Arrays.copyOf(runScore, runs * 2);
        runHasUpper = Arrays.copyOf(runHasUpper, runs * 2);
        runHasLower = Arrays.copyOf(runHasLower, runs * 2);
        runHasDigit = Arrays.copyOf(runHasDigit, runs * 2);
      }
      int firstWord = words;
      int previousType = NONE;
      int i = start;
      while (i < end) {
        int cls = classOf(text.charAt(i));
        int j = i;
        while (j < end && classOf(text.charAt(j)) == cls) {
          j++;
        }
        if (cls == UPPER_CHAR && j < end && classOf(text.charAt(j)) == LOWER_CHAR) {
          int k = j;
          while (k < end && classOf(text.charAt(k)) == LOWER_CHAR) {
            k++;
          }
          previousType = upperThenLower(start, end, i, j, k, previousType);
          i = k;
        } else {
          int type = cls == LOWER_CHAR ? LOWER : cls == UPPER_CHAR ? UPPER : DIGITS;
          addWord(i, j, wordScore(start, end, type, i, j, previousType), runs);
          previousType = type;
          i = j;
        }
      }
      double score = 0;
      for (int w = firstWord; w < words; w++) {
        score += wordScore[w];
      }
      if (end - start <= SHORT_RUN) {
        // Too short to show randomness (x86, v2, PS5): it may only count against it.
        words = firstWord;
        score = Math.min(score, 0);
        addWord(start, end, score, runs);
      }
      runStart[runs] = start;
      runEnd[runs] = end;
      runScore[runs] = score;
      boolean upper = false;
      boolean lower = false;
      boolean digit = false;
      for (int k = start; k < end; k++) {
        int cls = classOf(text.charAt(k));
        upper |= cls == UPPER_CHAR;
        lower |= cls == LOWER_CHAR;
        digit |= cls == DIGIT_CHAR;
      }
      runHasUpper[runs] = upper;
      runHasLower[runs] = lower;
      runHasDigit[runs] = digit;
      runs++;
      previousRunInCapitals = upper && !lower && !digit;
    }

    /**
     * Upper case {@code [i, j)} followed by lower case {@code [j, k)} reads two ways: camel case
     * ({@code RTXWork} as {@code RTX Work}) or an acronym with a suffix ({@code IPsec} as {@code IP
     * sec}). Keeps the reading the written model finds likelier; returns the last word's type.
     */
    private int upperThenLower(int runFrom, int runTo, int i, int j, int k, int previousType) {
      double camelAcronym =
          j - 1 > i ? bits(runFrom, runTo, UPPER, i, j - 1, previousType) : Double.NaN;
      double camelWord =
          bits(runFrom, runTo, CAPITALIZED, j - 1, k, j - 1 > i ? UPPER : previousType);
      double camel = (Double.isNaN(camelAcronym) ? 0 : camelAcronym) + camelWord;
      if (j - i >= 2) {
        double acronym = bits(runFrom, runTo, UPPER, i, j, previousType);
        double suffix = bits(runFrom, runTo, LOWER, j, k, UPPER);
        if (acronym + suffix < camel) {
          addWord(i, j, acronym - (j - i) * LOG2_62, runs);
          addWord(j, k, suffix - (k - j) * LOG2_62, runs);
          return LOWER;
        }
      }
      if (!Double.isNaN(camelAcronym)) {
        addWord(i, j - 1, camelAcronym - (j - 1 - i) * LOG2_62, runs);
      }
      addWord(j - 1, k, camelWord - (k - j + 1) * LOG2_62, runs);
      return CAPITALIZED;
    }

    /** A word's score: bits under the written model minus bits under uniform random base62. */
    private double wordScore(int runFrom, int runTo, int type, int i, int j, int previousType) {
      return bits(runFrom, runTo, type, i, j, previousType) - (j - i) * LOG2_62;
    }

    /** Bits of the word {@code [i, j)} of the run {@code [runFrom, runTo)} under the model. */
    private double bits(int runFrom, int runTo, int type, int i, int j, int previousType) {
      double typeBits =
          previousType == NONE
              ? START_BITS[previousRunInCapitals && runs > 0 ? 1 : 0][type]
              : AFTER_BITS[previousType][type];
      boolean nextToDigit =
          (i > runFrom && classOf(text.charAt(i - 1)) == DIGIT_CHAR)
              || (j < runTo && classOf(text.charAt(j)) == DIGIT_CHAR);
      return typeBits
          + lengthBits(type, j - i, nextToDigit)
          + (j == runTo ? END_BITS : 0)
          + characterBits(text, type, i, j);
    }

    private void addWord(int start, int end, double score, int run) {
      if (words == wordStart.length) {
        wordStart = Arrays.copyOf(wordStart, words * 2);
        wordEnd = Arrays.copyOf(wordEnd, words * 2);
        wordScore = Arrays.copyOf(wordScore, words * 2);
        wordRun = Arrays.copyOf(wordRun, words * 2);
      }
      wordStart[words] = start;
      wordEnd[words] = end;
      wordScore[words] = score;
      wordRun[words] = run;
      words++;
    }

    // ---- the sequence's best-scoring stretches

    /**
     * Finds the stretches of the current sequence that score highest (maximum-sum segments, in one
     * pass: a stretch ends when its running score falls to zero, or more than {@link
     * #THRESHOLD_BITS} below its best, so two secrets a few words apart are two findings), judges
     * each, and starts a new sequence.
     */
    private void endSequence() {
      double running = 0;
      double best = 0;
      int from = -1;
      int bestTo = -1;
      for (int w = 0; w < words; w++) {
        if (from < 0) {
          from = w;
          running = 0;
          best = 0;
          bestTo = -1;
        }
        running += wordScore[w];
        if (running > best) {
          best = running;
          bestTo = w;
        }
        if (running <= 0 || running < best - THRESHOLD_BITS) {
          judge(from, bestTo, best);
          from = -1;
        }
      }
      if (from >= 0) {
        judge(from, bestTo, best);
      }
      runs = 0;
      words = 0;
      previousRunInCapitals = false;
    }

    private void judge(int from, int to, double score) {
      if (to < 0) {
        return;
      }
      int core = 0;
      for (int w = from; w <= to; w++) {
        core += wordEnd[w] - wordStart[w];
      }
      int firstRun = wordRun[from];
      int lastRun = wordRun[to];
      int length = 0;
      boolean upper = false;
      boolean lower = false;
      for (int r = firstRun; r <= lastRun; r++) {
        length += runEnd[r] - runStart[r];
        upper |= runHasUpper[r];
        lower |= runHasLower[r];
      }
      if (!upper || !lower || core < MIN_CORE || length < MIN_RUN) {
        return;
      }
      highest = Math.max(highest, score);
      if (score < THRESHOLD_BITS) {
        return;
      }
      firstRun = furthestChunk(firstRun, -1);
      lastRun = furthestChunk(lastRun, +1);
      found.add(new Finding(runStart[firstRun], runEnd[lastRun], Kind.SECRET_LIKE));
    }

    /**
     * The last run, going from run {@code r} in {@code direction} (-1 or +1), that could be a
     * further chunk of the same secret: up to {@value #MAX_NEIGHBOURS} runs each one separator from
     * the last, of 4 to {@value #MAX_NEIGHBOUR_LENGTH} characters (a shorter piece is harmless),
     * scoring at least {@value #NEIGHBOUR_BITS} bits, with an upper-case letter or a digit. A
     * lower-case run is taken only with a run beyond it that qualifies: beside a secret written
     * whole, a lower-case word is a word, but between chunks of one it is likelier a chunk.
     */
    private int furthestChunk(int r, int direction) {
      int last = r;
      int pendingLowerCase = -1;
      for (int taken = 0; taken < MAX_NEIGHBOURS; taken++) {
        int next = last + direction;
        if (pendingLowerCase >= 0) {
          next = pendingLowerCase + direction;
        }
        int from = pendingLowerCase >= 0 ? pendingLowerCase : last;
        if (next < 0 || next >= runs || !couldBeChunk(next, from)) {
          break;
        }
        if (runHasUpper[next] || runHasDigit[next]) {
          last = next;
          pendingLowerCase = -1;
        } else if (pendingLowerCase < 0) {
          pendingLowerCase = next;
        } else {
          break;
        }
      }
      return last;
    }

    /** Whether run {@code r}, one separator from run {@code neighbour}, could be a chunk. */
    private boolean couldBeChunk(int r, int neighbour) {
      int gap = r < neighbour ? runStart[neighbour] - runEnd[r] : runStart[r] - runEnd[neighbour];
      int length = runEnd[r] - runStart[r];
      return gap == 1
          && length > SHORT_RUN
          && length <= MAX_NEIGHBOUR_LENGTH
          && runScore[r] >= NEIGHBOUR_BITS;
    }

    // ---- the result

    private List<Finding> merged() {
      if (found.size() <= 1) {
        return List.copyOf(found);
      }
      found.sort(Comparator.comparingInt(Finding::start));
      List<Finding> out = new ArrayList<>(found.size());
      Finding current = found.get(0);
      for (int k = 1; k < found.size(); k++) {
        Finding next = found.get(k);
        if (next.start() <= current.end()) {
          Kind kind =
              current.kind() == Kind.TOKEN || next.kind() == Kind.TOKEN
                  ? Kind.TOKEN
                  : Kind.SECRET_LIKE;
          current = new Finding(current.start(), Math.max(current.end(), next.end()), kind);
        } else {
          out.add(current);
          current = next;
        }
      }
      out.add(current);
      return List.copyOf(out);
    }
  }
}
