package dev.authcore.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import dev.authcore.testkit.Seeds;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretHashTest {
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private static byte[] bytes(int length, int seed) {
    byte[] out = new byte[length];
    new Random(seed).nextBytes(out);
    return out;
  }

  @Test
  void encoded_sha256_labelColonBase64UrlWithoutPadding() {
    byte[] hash = bytes(32, 1);
    SecretHash h = SecretHash.of(SecretHash.Algorithm.SHA256, null, hash);
    assertThat(h.encoded()).isEqualTo("sha256:" + B64URL.encodeToString(hash));
    assertThat(h.encoded()).hasSize("sha256:".length() + 43).doesNotContain("=", "+", "/");
  }

  @Test
  void encoded_hmac_namesKeyId() {
    byte[] hash = bytes(32, 2);
    SecretHash h = SecretHash.of(SecretHash.Algorithm.HMAC_SHA256, "k-2026.01_a", hash);
    assertThat(h.encoded()).isEqualTo("hmac-sha256:k-2026.01_a:" + B64URL.encodeToString(hash));
  }

  @ParameterizedTest
  @EnumSource(SecretHash.Algorithm.class)
  void parse_encoded_roundTrip(SecretHash.Algorithm algorithm) {
    Random random =
        new Random(Seeds.seed("SecretHashTest.parse_encoded_roundTrip." + algorithm, 32L));
    String keyChars = "abcXYZ019._-";
    for (int i = 0; i < 300; i++) {
      byte[] hash = new byte[32];
      random.nextBytes(hash);
      String keyId = null;
      if (algorithm == SecretHash.Algorithm.HMAC_SHA256) {
        StringBuilder k = new StringBuilder();
        for (int n = 1 + random.nextInt(SecretHash.MAX_KEY_ID_LENGTH); n > 0; n--) {
          k.append(keyChars.charAt(random.nextInt(keyChars.length())));
        }
        keyId = k.toString();
      }
      SecretHash h = SecretHash.of(algorithm, keyId, hash);
      SecretHash back = SecretHash.parse(h.encoded());
      assertThat(back).isEqualTo(h);
      assertThat(back.algorithm()).isEqualTo(algorithm);
      assertThat(back.keyId()).isEqualTo(keyId);
      assertThat(back.toByteArray()).isEqualTo(hash);
      assertThat(back.encoded()).isEqualTo(h.encoded());
    }
  }

  /** A body that would be easy to spot if a message echoed it. */
  private static final String BODY = B64URL.encodeToString(bytes(32, 3));

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "sha256",
        ":BODY",
        "md5:BODY",
        "sha-256:BODY",
        "sha256:BODY!",
        "sha256:BODY====",
        "sha256:BODYAAAA",
        "sha256:k1:BODY",
        "sha256: BODY",
        "sha256:BODY\n",
        "hmac-sha256:BODY",
        "hmac-sha256::BODY",
        "hmac-sha256:bad key:BODY",
        "hmac-sha256:k\u00e9y:BODY",
        "hmac-sha256:" + "k12345678901234567890123456789012" + ":BODY",
        "hmac-sha256:k1:",
        "hmac-sha256:k1:BODYAAAA"
      })
  void parse_malformed_refusedWithoutEchoingInput(String template) {
    String text = template.replace("BODY", BODY);
    assertThatThrownBy(() -> SecretHash.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(
            e -> {
              for (Throwable t = e; t != null; t = t.getCause()) {
                String message = String.valueOf(t.getMessage());
                assertThat(message).doesNotContain(BODY.substring(0, 8));
                if (text.length() > 8) {
                  assertThat(message).doesNotContain(text);
                }
              }
            });
  }

  @Test
  void parse_wrongHashLength_refusedSayingLengths() {
    assertThatThrownBy(() -> SecretHash.parse("sha256:" + B64URL.encodeToString(bytes(31, 4))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes, got 31");
  }

  @Test
  void of_keyIdDoesNotFitAlgorithm_refused() {
    byte[] hash = bytes(32, 5);
    assertThatThrownBy(() -> SecretHash.of(SecretHash.Algorithm.SHA256, "k1", hash))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no key id");
    assertThatThrownBy(() -> SecretHash.of(SecretHash.Algorithm.HMAC_SHA256, null, hash))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a key id");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "k 1", "k/1", "k:1", "k\u00e91", "k\n1", "123456789012345678901234567890123"})
  void checkKeyId_malformed_refusedSayingWhat(String keyId) {
    assertThatThrownBy(() -> SecretHash.checkKeyId(keyId))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key id")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void checkKeyId_allAllowedCharacters_accepted() {
    SecretHash.checkKeyId("azAZ09._-");
    SecretHash.checkKeyId("k".repeat(SecretHash.MAX_KEY_ID_LENGTH));
  }

  @Test
  void toString_neverShowsHashBytes() {
    byte[] hash = bytes(32, 6);
    for (SecretHash h :
        List.of(
            SecretHash.of(SecretHash.Algorithm.SHA256, null, hash),
            SecretHash.of(SecretHash.Algorithm.HMAC_SHA256, "k1", hash))) {
      String text = h.toString();
      assertThat(text)
          .doesNotContain(B64URL.encodeToString(hash).substring(0, 6))
          .doesNotContain(Base64.getEncoder().encodeToString(hash).substring(0, 6))
          .doesNotContain(HexFormat.of().formatHex(hash).substring(0, 6))
          .doesNotContain(HexFormat.of().withUpperCase().formatHex(hash).substring(0, 6))
          .doesNotContain(java.util.Arrays.toString(hash).substring(0, 8))
          .contains(h.algorithm().label());
    }
    assertThat(SecretHash.of(SecretHash.Algorithm.HMAC_SHA256, "k1", hash).toString())
        .contains("k1");
  }

  @Test
  void bytes_copiedInAndOut() {
    byte[] hash = bytes(32, 7);
    SecretHash h = SecretHash.of(SecretHash.Algorithm.SHA256, null, hash);
    hash[0] ^= 1;
    assertThat(h.toByteArray()[0]).isNotEqualTo(hash[0]);
    h.toByteArray()[1] ^= 1;
    assertThat(h.toByteArray()[1]).isEqualTo(bytes(32, 7)[1]);
  }

  @Test
  void equals_byAlgorithmKeyIdAndBytes() {
    byte[] a = bytes(32, 8);
    byte[] b = bytes(32, 9);
    new EqualsTester()
        .addEqualityGroup(
            SecretHash.of(SecretHash.Algorithm.SHA256, null, a),
            SecretHash.of(SecretHash.Algorithm.SHA256, null, a.clone()),
            SecretHash.parse("sha256:" + B64URL.encodeToString(a)))
        .addEqualityGroup(SecretHash.of(SecretHash.Algorithm.SHA256, null, b))
        .addEqualityGroup(
            SecretHash.of(SecretHash.Algorithm.HMAC_SHA256, "k1", a),
            SecretHash.parse("hmac-sha256:k1:" + B64URL.encodeToString(a)))
        .addEqualityGroup(SecretHash.of(SecretHash.Algorithm.HMAC_SHA256, "k2", a))
        .addEqualityGroup(SecretHash.of(SecretHash.Algorithm.HMAC_SHA256, "K1", a))
        .testEquals();
  }

  @Test
  void nulls_refused() {
    NullPointerTester tester =
        new NullPointerTester()
            .setDefault(byte[].class, new byte[32])
            .setDefault(String.class, "k1")
            .setDefault(SecretHash.Algorithm.class, SecretHash.Algorithm.HMAC_SHA256);
    tester.testAllPublicStaticMethods(SecretHash.class);
    tester.testAllPublicInstanceMethods(
        SecretHash.of(SecretHash.Algorithm.SHA256, null, bytes(32, 10)));
  }

  @Test
  void hashCode_distinctHashes_spreadOverDistinctHashCodes() {
    Set<Integer> codes = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      codes.add(SecretHash.of(SecretHash.Algorithm.SHA256, null, bytes(32, i)).hashCode());
    }
    assertThat(codes).hasSizeGreaterThan(95);
  }

  @Test
  void parse_noAlgorithmLabel_saysSo() {
    assertThatThrownBy(() -> SecretHash.parse(":abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must start with an algorithm label");
  }

  @Test
  void parse_hmacWithEmptyKeyId_saysTheKeyIdIsMissing() {
    assertThatThrownBy(() -> SecretHash.parse("hmac-sha256::abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must name its key id");
  }
}
