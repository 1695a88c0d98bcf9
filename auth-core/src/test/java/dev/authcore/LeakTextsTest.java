package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.InvalidInputException;
import dev.authcore.model.TokenId;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link LeakTexts}: which tokens a reported text holds (exactly this deployment's, whole, each
 * once), read in one pass whatever the text, and the rules of a source label.
 */
class LeakTextsTest {
  private static final TokenFormat FORMAT = new TokenFormat("acme");

  private static String token(long id, int seed) {
    return FORMAT.mint(TokenId.fromLong(id), new Random(seed));
  }

  private static List<String> scan(CharSequence text) {
    return LeakTexts.tokensIn(FORMAT, text, Scratch.get());
  }

  @Test
  void tokensIn_findsEachTokenOnceInOrderOfFirstAppearance() {
    String a = token(1, 1);
    String b = token(2, 2);
    assertThat(scan(b + "," + a + "\n" + b + a + "\"" + a + "\"")).containsExactly(b, a);
  }

  @Test
  void tokensIn_anythingAround_stillFound() {
    String a = token(3, 3);
    for (String around : List.of("", "x", "_", "acme_", "acme", "9", "é", "\u0000")) {
      assertThat(scan(around + a + around)).as("around %s", around).containsExactly(a);
    }
  }

  @Test
  void tokensIn_otherPrefixesAndMangledTokens_notFound() {
    String a = token(4, 4);
    String body = a.substring(5);
    String otherPrefix = new TokenFormat("acmf").mint(TokenId.fromLong(4), new Random(4));
    String longerPrefix = new TokenFormat("xacme").mint(TokenId.fromLong(4), new Random(4));
    String shorterPrefix = new TokenFormat("cme").mint(TokenId.fromLong(4), new Random(4));
    assertThat(
            scan(
                String.join(
                    " ",
                    otherPrefix,
                    longerPrefix,
                    shorterPrefix,
                    "Acme_" + body,
                    "acme-" + body,
                    "acme__" + body,
                    a.substring(0, a.length() - 1),
                    "acme_" + body.substring(1),
                    a.substring(0, 12) + "\n" + a.substring(12))))
        .isEmpty();
  }

  @Test
  void tokensIn_tokenRightAfterAFailedCandidate_found() {
    String a = token(5, 5);
    // "acme_" then base62 running into the token: the first candidate's checksum fails, the token
    // that starts inside what was read for it must still be found.
    assertThat(scan("acme_" + "Q".repeat(10) + a)).containsExactly(a);
    assertThat(scan("acme_acme_" + a)).containsExactly(a);
  }

  @Test
  void tokensIn_exactlyTheLimits_accepted() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < LeakTexts.MAX_TOKENS; i++) {
      text.append(token(100 + i, i));
    }
    assertThat(scan(text)).hasSize(LeakTexts.MAX_TOKENS);
    String full = " ".repeat(LeakTexts.MAX_TEXT_LENGTH - FORMAT.length()) + token(9, 9);
    assertThat(full).hasSize(LeakTexts.MAX_TEXT_LENGTH);
    assertThat(scan(full)).hasSize(1);
  }

  @Test
  void tokensIn_overTheLimits_refusedSayingWhich() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i <= LeakTexts.MAX_TOKENS; i++) {
      text.append(token(100 + i, i)).append(' ');
    }
    assertThatThrownBy(() -> scan(text))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("more than 100 distinct tokens");
    assertThatThrownBy(() -> scan(" ".repeat(LeakTexts.MAX_TEXT_LENGTH + 1)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("1,048,577 characters long, more than the 1,048,576");
  }

  /** A text that counts how often it is read, to prove the scan linear without a stopwatch. */
  private static final class CountingText implements CharSequence {
    private final String text;
    long reads;

    CountingText(String text) {
      this.text = text;
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public char charAt(int index) {
      reads++;
      return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      reads += end - start;
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  @Test
  void tokensIn_hostileTexts_readAFewTimesPerCharacterAtMost() {
    String base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    List<IntFunction<String>> shapes =
        List.of(
            n -> "acme_".repeat(n / 5),
            n -> "a".repeat(n),
            n -> "_".repeat(n),
            n -> ("acme_" + "Z".repeat(49)).repeat(n / 54), // checksum fails every time
            n -> ("acme_" + "Z".repeat(48) + "_").repeat(n / 54),
            n -> ("acme" + base62).repeat(n / 66),
            n -> "acme_" + "z".repeat(n - 5));
    for (int n : new int[] {10_000, 1_000_000}) {
      for (IntFunction<String> shape : shapes) {
        CountingText text = new CountingText(shape.apply(n));
        assertThat(scan(text)).isEmpty();
        assertThat(text.reads)
            .as("reads of a text of %s characters: %s…", text.length(), text.text.substring(0, 20))
            .isLessThanOrEqualTo(4L * text.length() + 100);
      }
    }
  }

  // ---- source labels -------------------------------------------------------------------------

  @Test
  void checkSource_nullOrVisibleText_keptAsGiven() {
    assertThat(LeakTexts.checkSource(null)).isNull();
    for (String ok :
        List.of(
            "x",
            "https://github.com/example/app/blob/4f2a9c1/config.yml#L12",
            "  spaced  out  ",
            "ticket SUP-1234 (Zoë)",
            "😀".repeat(LeakTexts.MAX_SOURCE_LENGTH))) {
      assertThat(LeakTexts.checkSource(ok)).isEqualTo(ok);
    }
  }

  @Test
  void checkSource_broken_refusedSayingWhatAndWhere() {
    assertRefused("", "empty or only white space");
    assertRefused("   ", "empty or only white space");
    assertRefused("x".repeat(201), "at most 200 characters, got 201");
    assertRefused("😀".repeat(201), "at most 200 characters, got 201");
    assertRefused("a\tb", "U+0009 at position 2");
    assertRefused("ab\nc", "U+000A at position 3");
    assertRefused("😀\u200Bx", "U+200B at position 2");
    assertRefused("x\u00A0y", "U+00A0 at position 2");
    assertRefused("lone \uD800 surrogate", "U+D800 at position 6");
  }

  private static void assertRefused(String source, String why) {
    assertThatThrownBy(() -> LeakTexts.checkSource(source))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(why)
        .satisfies(e -> assertThat(((InvalidInputException) e).input()).isEqualTo("leak source"));
  }

  @Test
  void checkSource_holdingATokenOrSecret_redacted() {
    String a = token(6, 6);
    assertThat(LeakTexts.checkSource("found " + a))
        .isEqualTo("found " + SecretRedactor.REDACTED_TOKEN);
    @Nullable String secretLike = LeakTexts.checkSource("key K4YmFgdJ6UgJMJxqR2p9TzWb");
    assertThat(secretLike).isEqualTo("key " + SecretRedactor.REDACTED_SECRET);
  }

  @Test
  void checkSource_refusal_neverEchoesASecret() {
    String a = token(7, 7);
    assertThatThrownBy(() -> LeakTexts.checkSource(a + "\t"))
        .isInstanceOf(InvalidInputException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(a.substring(5)));
  }
}
