package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.TokenId;
import dev.authcore.spi.SecretHash;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz targets for the parsers that read untrusted text: the token format (every request), token
 * ids (console paths, store rows) and stored hashes (store rows). In {@code mvn verify} they replay
 * the inputs under {@code ParsersFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 *
 * <p>Properties: a parser either accepts, and then what it read round-trips, or refuses in its
 * documented way; it never throws anything else.
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
      return;
    }
    assertThat(SecretHash.parse(hash.encoded())).isEqualTo(hash);
    assertThat(hash.toByteArray()).hasSize(SecretHash.LENGTH);
  }
}
