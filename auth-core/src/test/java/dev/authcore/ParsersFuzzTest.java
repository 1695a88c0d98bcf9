package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.TokenId;
import dev.authcore.spi.SecretHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz targets for the parsers that read untrusted text: the token format (every request), token
 * ids (console paths, store rows) and stored hashes (store rows). In {@code mvn verify} they replay
 * the inputs under {@code ParsersFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 *
 * <p>Properties: a parser either accepts, and then what it read round-trips, or refuses in its
 * documented way; it never throws anything else. A refused stored hash is reported in one printable
 * line that says what is wrong and repeats none of the text's hash material.
 */
class ParsersFuzzTest {
  private static final TokenFormat FORMAT = new TokenFormat("acme");

  @FuzzTest(maxDuration = "10s")
  void tokenFormat_parse(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    TokenId id = FORMAT.parse(text, Scratch.get());
    if (id != null) {
      // Accepted only if it is exactly a token of this format with a valid checksum.
      assertThat(text).hasSize(FORMAT.length()).startsWith("acme_").matches("acme_[0-9A-Za-z]+");
      int checksumStart = FORMAT.length() - 6;
      assertThat(Independent.base62(text.substring(checksumStart)).longValueExact())
          .isEqualTo(Independent.crc32(text.substring(0, checksumStart)));
      assertThat(id.toString()).isEqualTo(text.substring(5, 16));
    }
  }

  @FuzzTest(maxDuration = "10s")
  void tokenId_parse(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    TokenId id;
    try {
      id = TokenId.parse(text);
    } catch (InvalidInputException refused) {
      assertThat(refused.getMessage()).startsWith("token id");
      return;
    }
    assertThat(id.toString()).isEqualTo(text);
    assertThat(TokenId.fromLong(id.asLong())).isEqualTo(id);
  }

  @FuzzTest(maxDuration = "10s")
  void secretHash_parse(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    SecretHash hash;
    try {
      hash = SecretHash.parse(text);
    } catch (IllegalArgumentException refused) {
      assertRefusalSaysWhatAndEchoesNothing(text, refused);
      return;
    }
    assertThat(SecretHash.parse(hash.encoded())).isEqualTo(hash);
    assertThat(hash.toByteArray()).hasSize(SecretHash.LENGTH);
  }

  /**
   * A refused stored hash is reported in one printable line that names what is wrong (the hash or
   * its key id) and repeats no run of {@value #ECHO_RUN} or more base64url characters of the text,
   * in its own message or in any cause's: a store row's hash is not a secret, but the message must
   * not teach a reader of logs to expect hash material there.
   */
  private static void assertRefusalSaysWhatAndEchoesNothing(
      String text, IllegalArgumentException refused) {
    String message = String.valueOf(refused.getMessage());
    assertThat(message)
        .as("refusal of a stored hash says what is wrong")
        .isNotBlank()
        .containsAnyOf("hash", "key id")
        .hasSizeLessThan(200);
    assertThat(message.chars()).as(message).allMatch(c -> c >= 0x20 && c < 0x7F);
    List<String> runs = base64UrlRuns(text);
    for (Throwable t = refused; t != null; t = t.getCause()) {
      String said = String.valueOf(t.getMessage());
      for (String run : runs) {
        assertThat(said).as("a refusal message echoes the stored text").doesNotContain(run);
      }
    }
  }

  /** Shortest run of base64url characters of a refused text that no message may repeat. */
  private static final int ECHO_RUN = 12;

  /** The runs of {@value #ECHO_RUN} or more base64url characters in {@code text}. */
  private static List<String> base64UrlRuns(String text) {
    List<String> runs = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      boolean inRun = i < text.length() && isBase64Url(text.charAt(i));
      if (!inRun) {
        if (i - start >= ECHO_RUN) {
          runs.add(text.substring(start, i));
        }
        start = i + 1;
      }
    }
    return runs;
  }

  private static boolean isBase64Url(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }
}
