package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.TokenId;
import dev.authcore.spi.SecretHash;
import dev.authcore.testkit.Seeds;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SecretHasherTest {
  private static final TokenFormat FORMAT = new TokenFormat("acme");

  private static String secretOf(String token) {
    return token.substring(FORMAT.secretStart(), FORMAT.secretStart() + TokenFormat.SECRET_LENGTH);
  }

  private static byte[] digest(String token, SecretHasher.Key key) {
    Scratch scratch = parsed(token);
    byte[] expected = new byte[32];
    // matches() writes the digest into scratch.digest; compare against a throwaway expected.
    SecretHasher.matches(scratch, FORMAT.secretStart(), TokenFormat.SECRET_LENGTH, key, expected);
    return scratch.digest.clone();
  }

  /** The thread's scratch holding {@code token}'s characters, as the format check leaves them. */
  private static Scratch parsed(String token) {
    Scratch scratch = Scratch.get();
    assertThat(FORMAT.parse(token, scratch)).isNotNull();
    return scratch;
  }

  @Test
  void keyedHash_equalsJdkHmacSha256_forKeysOfEveryLength() {
    Random random = new Random(Seeds.seed("SecretHasherTest.keyedHash_equalsJdkHmac", 0x4d4143L));
    // 0 to 200 bytes: shorter than, equal to and longer than SHA-256's 64-byte block.
    for (int length = 0; length <= 200; length++) {
      byte[] key = new byte[length];
      random.nextBytes(key);
      SecretHasher.Key prepared = new SecretHasher.Key("k", key);
      for (int n = 0; n < 3; n++) {
        String token = FORMAT.mint(TokenId.random(random), random);
        assertThat(digest(token, prepared))
            .as("key of %s bytes", length)
            .isEqualTo(Independent.hmacSha256(key, Independent.ascii(secretOf(token))));
      }
    }
  }

  @Test
  void hashForStorage_keyed_equalsJdkMacUnderDerivedKey() {
    Random random = new Random(Seeds.seed("SecretHasherTest.hashForStorage_keyed", 0x5ecL));
    byte[] deploymentSecret = new byte[48];
    random.nextBytes(deploymentSecret);
    SecretHashing hashing = SecretHashing.hmacSha256("k7", deploymentSecret);
    SecretHasher hasher = new SecretHasher(hashing);
    for (int i = 0; i < 200; i++) {
      String token = FORMAT.mint(TokenId.random(random), random);
      SecretHash stored =
          hasher.hashForStorage(token, FORMAT.secretStart(), TokenFormat.SECRET_LENGTH);
      assertThat(stored.algorithm()).isEqualTo(SecretHash.Algorithm.HMAC_SHA256);
      assertThat(stored.keyId()).isEqualTo("k7");
      assertThat(stored.toByteArray())
          .isEqualTo(
              Independent.hmacSha256(
                  Objects.requireNonNull(hashing.key("k7")), Independent.ascii(secretOf(token))));
    }
  }

  @Test
  void hashForStorage_unkeyed_equalsJdkSha256OfSecretOnly() {
    Random random = new Random(Seeds.seed("SecretHasherTest.hashForStorage_unkeyed", 0x256L));
    SecretHasher hasher = new SecretHasher(SecretHashing.sha256());
    assertThat(hasher.current()).isNull();
    for (int i = 0; i < 200; i++) {
      String token = FORMAT.mint(TokenId.random(random), random);
      SecretHash stored =
          hasher.hashForStorage(token, FORMAT.secretStart(), TokenFormat.SECRET_LENGTH);
      assertThat(stored.keyId()).isNull();
      assertThat(stored.toByteArray())
          .isEqualTo(Independent.sha256(Independent.ascii(secretOf(token))));
    }
  }

  @Test
  void matches_rightHash_trueAndAnyFlippedBit_false() {
    Random random = new Random(Seeds.seed("SecretHasherTest.matches", 0xb17L));
    SecretHasher hasher = new SecretHasher(SecretHashing.hmacSha256("k1", new byte[32]));
    for (SecretHasher.Key key : new SecretHasher.Key[] {null, hasher.current()}) {
      String token = FORMAT.mint(TokenId.random(random), random);
      byte[] right =
          key == null
              ? Independent.sha256(Independent.ascii(secretOf(token)))
              : hasher
                  .hashForStorage(token, FORMAT.secretStart(), TokenFormat.SECRET_LENGTH)
                  .toByteArray();
      Scratch scratch = parsed(token);
      assertThat(
              SecretHasher.matches(
                  scratch, FORMAT.secretStart(), TokenFormat.SECRET_LENGTH, key, right))
          .isTrue();
      for (int bit = 0; bit < 256; bit++) {
        byte[] wrong = right.clone();
        wrong[bit / 8] ^= (byte) (1 << (bit % 8));
        assertThat(
                SecretHasher.matches(
                    scratch, FORMAT.secretStart(), TokenFormat.SECRET_LENGTH, key, wrong))
            .as("bit %s", bit)
            .isFalse();
      }
    }
  }

  @Test
  void key_unconfiguredId_null() {
    SecretHasher hasher =
        new SecretHasher(
            SecretHashing.hmacSha256("k2", new byte[32]).withRetiredKey("k1", new byte[33]));
    assertThat(Objects.requireNonNull(hasher.current()).id).isEqualTo("k2");
    assertThat(hasher.key("k1")).isNotNull();
    assertThat(hasher.key("k3")).isNull();
  }

  @Test
  void equalHashes_eachByteAndBitCounts() {
    Random random = new Random(Seeds.seed("SecretHasherTest.equalHashes", 0xe9L));
    byte[] a = new byte[32];
    random.nextBytes(a);
    assertThat(SecretHasher.equalHashes(a, a.clone())).isTrue();
    for (int bit = 0; bit < 256; bit++) {
      byte[] b = a.clone();
      b[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThat(SecretHasher.equalHashes(a, b)).as("bit %s", bit).isFalse();
      assertThat(SecretHasher.equalHashes(b, a)).as("bit %s, swapped", bit).isFalse();
    }
  }

  @Test
  void equalHashes_wrongLength_refusedNamingLengths() {
    assertThatThrownBy(() -> SecretHasher.equalHashes(new byte[32], new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("hashes must be 32 bytes, got 32 and 31");
  }
}
