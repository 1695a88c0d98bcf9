package dev.authcore.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.authcore.internal.SecretDetector.Finding;
import dev.authcore.internal.SecretDetector.Kind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * Fuzzes {@link SecretDetector#find}, which reads any text auth-core echoes (request headers,
 * names, allow lists, cursors) and every token name. Properties:
 *
 * <ul>
 *   <li>it never throws; its findings are in order, inside the text, and apart;
 *   <li>a {@link Kind#TOKEN} finding holds a prefix, an underscore and {@value
 *       SecretDetector#TOKEN_BODY_LENGTH} base62 characters whose checksum holds, as computed here
 *       independently; a {@link Kind#SECRET_LIKE} finding starts and ends with a letter or digit,
 *       holds at least {@value SecretDetector#MIN_RUN} of them, and mixes upper and lower case;
 *   <li>no text around a token hides it: a real token put into the input, between spaces, is found
 *       as a token, and {@link LogSafe#escape} of a text starting with it shows none of its
 *       characters after the underscore, in printable ASCII.
 * </ul>
 *
 * <p>Input: text as UTF-8. In {@code mvn verify} it replays {@code SecretDetectorFuzzTestInputs/}.
 * To fuzz: {@code JAZZER_FUZZ=1 mvn -pl auth-core test -Dtest=SecretDetectorFuzzTest}.
 */
class SecretDetectorFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void find(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    checkFindings(text, SecretDetector.find(text));

    String token = SecretDetectorTest.token(new Random(input.length), "acme", "acme");
    int at = text.length() / 2;
    String around = text.substring(0, at) + " " + token + " " + text.substring(at);
    List<Finding> found = SecretDetector.find(around);
    checkFindings(around, found);
    int start = at + 1;
    assertThat(found)
        .as("the token put in at %d", start)
        .anyMatch(
            f -> f.kind() == Kind.TOKEN && f.start() <= start && f.end() >= start + token.length());

    String escaped = LogSafe.escape("x " + token + " " + text);
    assertThat(escaped.chars()).allMatch(c -> (c >= 0x20 && c < 0x7F) || c == '…');
    String body = token.substring("acme_".length());
    for (int i = 0; i + 4 <= body.length(); i++) {
      assertThat(escaped).doesNotContain(body.substring(i, i + 4));
    }
  }

  private static void checkFindings(String text, List<Finding> found) {
    int previousEnd = -1;
    for (Finding f : found) {
      assertThat(f.start()).isGreaterThan(previousEnd).isLessThan(f.end());
      assertThat(f.end()).isLessThanOrEqualTo(text.length());
      previousEnd = f.end();
      String part = text.substring(f.start(), f.end());
      if (f.kind() == Kind.TOKEN) {
        assertThat(holdsToken(part)).as("token %s", part).isTrue();
      } else {
        assertThat(Base62.digit(part.charAt(0))).isNotNegative();
        assertThat(Base62.digit(part.charAt(part.length() - 1))).isNotNegative();
        assertThat(part.chars().filter(c -> Base62.digit((char) c) >= 0).count())
            .isGreaterThanOrEqualTo(SecretDetector.MIN_RUN);
        assertThat(part.chars().anyMatch(c -> c >= 'A' && c <= 'Z')).isTrue();
        assertThat(part.chars().anyMatch(c -> c >= 'a' && c <= 'z')).isTrue();
      }
    }
  }

  /** Whether {@code part} holds {@code <prefix>_<body>} with a checksum that holds. */
  private static boolean holdsToken(String part) {
    int bodyLength = SecretDetector.TOKEN_BODY_LENGTH;
    for (int u = part.indexOf('_'); u >= 0; u = part.indexOf('_', u + 1)) {
      if (u + 1 + bodyLength > part.length()) {
        return false;
      }
      String body = part.substring(u + 1, u + 1 + bodyLength);
      long checksum = Base62.decodeUnsigned(body, bodyLength - Base62.INT_WIDTH, Base62.INT_WIDTH);
      for (int p = u - 1; p >= 0 && u - p <= SecretDetector.MAX_PREFIX_LENGTH; p--) {
        if (Base62.digit(part.charAt(p)) < 0) {
          break;
        }
        String prefix = part.substring(p, u);
        for (String written : List.of(prefix, prefix.toLowerCase(Locale.ROOT))) {
          CRC32 crc = new CRC32();
          String checked = written + "_" + body.substring(0, bodyLength - Base62.INT_WIDTH);
          crc.update(checked.getBytes(StandardCharsets.ISO_8859_1));
          if (crc.getValue() == checksum) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
