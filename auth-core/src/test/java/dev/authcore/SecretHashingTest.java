package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.NullPointerTester;
import dev.authcore.model.Role;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.TokenRecord;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretHashingTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
  private static final String ANN = "ann@example.com";

  private static byte[] secret(int length, int seed) {
    byte[] out = new byte[length];
    new Random(seed).nextBytes(out);
    return out;
  }

  private static byte[] expectedKey(String keyId, byte[] deploymentSecret) {
    return Independent.hkdfSha256(
        deploymentSecret, new byte[0], Independent.ascii("auth-core token hash v1|" + keyId), 32);
  }

  @Test
  void hmacSha256_derivedKey_isRfc5869HkdfOfSecretWithKeyIdInInfo() {
    for (int seed = 0; seed < 20; seed++) {
      byte[] deploymentSecret = secret(32 + seed * 7, seed);
      String keyId = "k" + seed;
      SecretHashing hashing = SecretHashing.hmacSha256(keyId, deploymentSecret);
      assertThat(hashing.key(keyId)).isEqualTo(expectedKey(keyId, deploymentSecret));
      assertThat(hashing.currentKeyId()).isEqualTo(keyId);
    }
  }

  @Test
  void hmacSha256_knownAnswer_pinsDerivation() {
    // Pinned so a change of the HKDF parameters (which would orphan every keyed hash) fails here;
    // the value was computed once outside Java (Python hmac/hashlib, RFC 5869 steps; no salt, IKM
    // 32
    // zero bytes, info "auth-core token hash v1|k1").
    assertThat(HexFormat.of().formatHex(SecretHashing.hmacSha256("k1", new byte[32]).key("k1")))
        .isEqualTo(HexFormat.of().formatHex(expectedKey("k1", new byte[32])))
        .isEqualTo("bcba36fc1fdd2495966d62554d6bdcc82b476602f892a1ac14b51c807acf6319");
  }

  @Test
  void hmacSha256_sameSecretOtherKeyId_unrelatedKey() {
    byte[] s = secret(32, 1);
    SecretHashing both = SecretHashing.hmacSha256("k1", s).withRetiredKey("k2", s);
    assertThat(both.key("k1")).isNotEqualTo(both.key("k2"));
    assertThat(both.key("k2")).isEqualTo(expectedKey("k2", s));
    assertThat(both.currentKeyId()).isEqualTo("k1");
    assertThat(both.keyIds()).containsExactly("k1", "k2");
    assertThat(both.key("k3")).isNull();
  }

  @Test
  void hmacSha256_secretNotRetained() {
    byte[] s = secret(32, 2);
    SecretHashing hashing = SecretHashing.hmacSha256("k1", s);
    byte[] before = Objects.requireNonNull(hashing.key("k1")).clone();
    java.util.Arrays.fill(s, (byte) 0); // the caller wipes its copy
    assertThat(hashing.key("k1")).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 16, 31})
  void hmacSha256_secretShorterThan32Bytes_refusedSayingLengths(int length) {
    assertThatThrownBy(() -> SecretHashing.hmacSha256("k1", new byte[length]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 bytes, got " + length);
    SecretHashing k2 = SecretHashing.hmacSha256("k2", new byte[32]);
    assertThatThrownBy(() -> k2.withRetiredKey("k1", new byte[length]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 bytes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "k 1", "k:1", "k/1", "123456789012345678901234567890123"})
  void hmacSha256_malformedKeyId_refused(String keyId) {
    assertThatThrownBy(() -> SecretHashing.hmacSha256(keyId, new byte[32]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key id");
  }

  @Test
  void withRetiredKey_idAlreadyConfigured_refused() {
    SecretHashing k1 = SecretHashing.hmacSha256("k1", secret(32, 3));
    assertThatThrownBy(() -> k1.withRetiredKey("k1", secret(32, 4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k1 is already configured");
  }

  @Test
  void toString_namesKeyIdsOnly() {
    byte[] s1 = secret(32, 5);
    byte[] s2 = secret(32, 6);
    SecretHashing hashing = SecretHashing.hmacSha256("k2", s2).withRetiredKey("k1", s1);
    String text = hashing.toString();
    assertThat(text).contains("hmac-sha256", "k2", "k1");
    for (byte[] material : new byte[][] {s1, s2, hashing.key("k1"), hashing.key("k2")}) {
      assertThat(text)
          .doesNotContain(HexFormat.of().formatHex(material).substring(0, 8))
          .doesNotContain(HexFormat.of().withUpperCase().formatHex(material).substring(0, 8))
          .doesNotContain(Base64.getEncoder().encodeToString(material).substring(0, 8))
          .doesNotContain(Base64.getUrlEncoder().encodeToString(material).substring(0, 8))
          .doesNotContain(java.util.Arrays.toString(material).substring(0, 10));
    }
    assertThat(SecretHashing.sha256()).hasToString("SecretHashing[sha256]");
  }

  @Test
  void equality_isIdentity() {
    byte[] s = secret(32, 7);
    assertThat(SecretHashing.hmacSha256("k1", s)).isNotEqualTo(SecretHashing.hmacSha256("k1", s));
  }

  @Test
  void nulls_refused() {
    NullPointerTester tester =
        new NullPointerTester()
            .setDefault(String.class, "k9")
            .setDefault(byte[].class, new byte[32]);
    tester.testAllPublicStaticMethods(SecretHashing.class);
    tester.testAllPublicInstanceMethods(SecretHashing.hmacSha256("k1", new byte[32]));
  }

  // ---- rotation through a deployment --------------------------------------------------------

  private static AuthCore core(InMemoryTokenStore store, SecretHashing hashing) {
    return AuthCore.builder()
        .tokenPrefix("acme")
        .users(new InMemoryUserDirectory().add("acme", ANN, Role.USER))
        .store(store)
        .hashing(hashing)
        .usageFlushInterval(Duration.ZERO)
        .build();
  }

  @Test
  void rotation_tokenIssuedUnderOldKey_verifiesAfterSwitchWithRetiredKey() {
    byte[] s1 = secret(32, 11);
    byte[] s2 = secret(32, 12);
    InMemoryTokenStore store = new InMemoryTokenStore();
    IssuedToken old;
    try (AuthCore before = core(store, SecretHashing.hmacSha256("k1", s1))) {
      old = before.issuer().issue(ANN, "old");
    }
    TokenRecord stored = store.find(old.id()).orElseThrow();
    assertThat(stored.hash().algorithm()).isEqualTo(SecretHash.Algorithm.HMAC_SHA256);
    assertThat(stored.hash().keyId()).isEqualTo("k1");
    // The store holds HMAC(key derived for k1, secret), never the secret.
    String secretText = old.revealPlaintext().substring(5 + 11, 5 + 11 + 32);
    assertThat(stored.hash().toByteArray())
        .isEqualTo(Independent.hmacSha256(expectedKey("k1", s1), Independent.ascii(secretText)));

    try (AuthCore after =
        core(store, SecretHashing.hmacSha256("k2", s2).withRetiredKey("k1", s1))) {
      assertThat(after.verifier().verify(ANN, old.revealPlaintext(), CLIENT).isAuthenticated())
          .isTrue();
      IssuedToken fresh = after.issuer().issue(ANN, "new");
      assertThat(store.find(fresh.id()).orElseThrow().hash().keyId()).isEqualTo("k2");
      assertThat(after.verifier().verify(ANN, fresh.revealPlaintext(), CLIENT).isAuthenticated())
          .isTrue();
    }
  }

  @Test
  void rotation_keyIdNoLongerConfigured_doesNotVerify() {
    byte[] s1 = secret(32, 13);
    InMemoryTokenStore store = new InMemoryTokenStore();
    IssuedToken old;
    try (AuthCore before = core(store, SecretHashing.hmacSha256("k1", s1))) {
      old = before.issuer().issue(ANN, "old");
    }
    for (SecretHashing without :
        new SecretHashing[] {
          SecretHashing.hmacSha256("k2", secret(32, 14)),
          SecretHashing.hmacSha256("k2", s1), // same secret, other id: another key
          SecretHashing.hmacSha256("k2", secret(32, 14)).withRetiredKey("k1", secret(32, 15)),
          SecretHashing.sha256()
        }) {
      try (AuthCore after = core(store, without)) {
        Verification v = after.verifier().verify(ANN, old.revealPlaintext(), CLIENT);
        assertThat(v).as("%s", without).isInstanceOf(Verification.Rejected.class);
        assertThat(((Verification.Rejected) v).reason()).isEqualTo(RejectionReason.INVALID);
      }
    }
  }
}
