package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.authcore.model.Role;
import dev.authcore.model.TokenId;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.TokenRecord;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import dev.authcore.testkit.Seeds;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenFormatTest {
  private static final int SECRET = TokenFormat.SECRET_LENGTH;

  /** One line of {@code token-vectors.txt}. */
  record Vector(
      String prefix, long seed, long id, String token, long crc, String sha256, String hmac) {
    static Vector parse(String line) {
      String[] f = line.trim().split(" +");
      assertThat(f).as("columns of %s", line).hasSize(7);
      return new Vector(
          f[0],
          Long.parseLong(f[1]),
          Long.parseUnsignedLong(f[2]),
          f[3],
          Long.parseLong(f[4]),
          f[5],
          f[6]);
    }

    String secret() {
      int start = prefix.length() + 1 + TokenId.LENGTH;
      return token.substring(start, start + SECRET);
    }
  }

  static List<Vector> vectors() throws IOException {
    List<Vector> out = new ArrayList<>();
    try (InputStream in = TokenFormatTest.class.getResourceAsStream("token-vectors.txt")) {
      assertThat(in).as("token-vectors.txt on the test class path").isNotNull();
      List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      for (String line : lines) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(Vector.parse(line));
        }
      }
    }
    assertThat(out).hasSizeGreaterThanOrEqualTo(8);
    return out;
  }

  /** The deployment secret of the vectors' hmac column. */
  private static final byte[] VECTOR_DEPLOYMENT_SECRET = new byte[32];

  /**
   * The secret characters a fair sampler draws from {@code new Random(seed)}: six bits at a time,
   * low bits first, ten per long, 62 and 63 rejected. Written here from the format's definition.
   */
  private static String expectedSecret(long seed) {
    Random random = new Random(seed);
    StringBuilder out = new StringBuilder();
    while (out.length() < SECRET) {
      long bits = random.nextLong();
      for (int i = 0; i < 10 && out.length() < SECRET; i++) {
        int six = (int) ((bits >>> (6 * i)) & 63);
        if (six < 62) {
          out.append(Independent.BASE62.charAt(six));
        }
      }
    }
    return out.toString();
  }

  @TestFactory
  Stream<DynamicTest> vectors_mint_reproducesTokenExactly() throws IOException {
    return vectors().stream()
        .map(
            v ->
                dynamicTest(
                    v.token,
                    () ->
                        assertThat(
                                new TokenFormat(v.prefix)
                                    .mint(TokenId.fromLong(v.id), new Random(v.seed)))
                            .isEqualTo(v.token)));
  }

  @TestFactory
  Stream<DynamicTest> vectors_checkedIndependently() throws IOException {
    byte[] hmacKey =
        Independent.hkdfSha256(
            VECTOR_DEPLOYMENT_SECRET,
            new byte[0],
            Independent.ascii("auth-core token hash v1|k1"),
            32);
    return vectors().stream()
        .map(
            v ->
                dynamicTest(
                    v.token,
                    () -> {
                      int idStart = v.prefix.length() + 1;
                      int checksumStart = idStart + TokenId.LENGTH + SECRET;
                      assertThat(v.token).hasSize(checksumStart + 6).startsWith(v.prefix + "_");
                      // id: 11 base62 digits of the 64 bits, read as unsigned
                      assertThat(
                              Independent.base62(
                                  v.token.substring(idStart, idStart + TokenId.LENGTH)))
                          .isEqualTo(new BigInteger(Long.toUnsignedString(v.id)));
                      // secret: the fair sampler over the seeded stream
                      assertThat(v.secret()).isEqualTo(expectedSecret(v.seed));
                      // checksum: CRC32 of everything before it, as 6 base62 digits
                      String body = v.token.substring(0, checksumStart);
                      assertThat(Independent.crc32(body)).isEqualTo(v.crc);
                      assertThat(Independent.base62(v.token.substring(checksumStart)))
                          .isEqualTo(BigInteger.valueOf(v.crc));
                      // stored hashes of the secret's ASCII bytes
                      byte[] secret = Independent.ascii(v.secret());
                      assertThat(v.sha256)
                          .isEqualTo("sha256:" + Independent.base64Url(Independent.sha256(secret)));
                      assertThat(v.hmac)
                          .isEqualTo(
                              "hmac-sha256:k1:"
                                  + Independent.base64Url(Independent.hmacSha256(hmacKey, secret)));
                    }));
  }

  @TestFactory
  Stream<DynamicTest> vectors_hashedByAuthCoreAsRecorded() throws IOException {
    SecretHasher sha = new SecretHasher(SecretHashing.sha256());
    SecretHasher hmac = new SecretHasher(SecretHashing.hmacSha256("k1", VECTOR_DEPLOYMENT_SECRET));
    return vectors().stream()
        .map(
            v ->
                dynamicTest(
                    v.token,
                    () -> {
                      TokenFormat format = new TokenFormat(v.prefix);
                      assertThat(format.parse(v.token, Scratch.get()))
                          .isEqualTo(TokenId.fromLong(v.id));
                      assertThat(sha.hashForStorage(v.token, format.secretStart(), SECRET))
                          .isEqualTo(SecretHash.parse(v.sha256));
                      assertThat(hmac.hashForStorage(v.token, format.secretStart(), SECRET))
                          .isEqualTo(SecretHash.parse(v.hmac));
                    }));
  }

  @TestFactory
  Stream<DynamicTest> vectors_storedHashVerifiesThroughAuthCore() throws IOException {
    InetAddress client = InetAddress.getLoopbackAddress();
    return vectors().stream()
        .map(
            v ->
                dynamicTest(
                    v.token,
                    () -> {
                      for (boolean keyed : new boolean[] {false, true}) {
                        InMemoryTokenStore store = new InMemoryTokenStore();
                        store.insert(
                            TokenRecord.issued(
                                TokenId.fromLong(v.id),
                                "acme",
                                "ann@example.com",
                                "vector",
                                Instant.parse("2026-01-01T00:00:00Z"),
                                null,
                                SecretHash.parse(keyed ? v.hmac : v.sha256)),
                            5);
                        try (AuthCore core =
                            AuthCore.builder()
                                .tokenPrefix(v.prefix)
                                .users(
                                    new InMemoryUserDirectory()
                                        .add("acme", "ann@example.com", Role.USER))
                                .store(store)
                                .hashing(
                                    keyed
                                        ? SecretHashing.hmacSha256("k1", VECTOR_DEPLOYMENT_SECRET)
                                        : SecretHashing.sha256())
                                .usageFlushInterval(Duration.ZERO)
                                .build()) {
                          assertThat(
                                  core.verifier()
                                      .verify("ann@example.com", v.token, client)
                                      .isAuthenticated())
                              .as(keyed ? "hmac" : "sha256")
                              .isTrue();
                        }
                      }
                    }));
  }

  @Test
  void mint_layoutAndEntropy() {
    TokenFormat format = new TokenFormat("acme");
    String token = format.mint(TokenId.fromLong(5), new Random(1));
    assertThat(token).hasSize(format.length()).matches("acme_[0-9A-Za-z]{49}");
    assertThat(format.length()).isEqualTo(4 + 1 + 11 + 32 + 6);
    assertThat(format.secretStart()).isEqualTo(16);
    // SPEC: at least 190 bits of secret.
    assertThat(SECRET * Math.log(62) / Math.log(2)).isGreaterThanOrEqualTo(190.0);
  }

  @Test
  void parse_checksumSpelledAsCrcPlus2To32_rejected() {
    // Six base62 digits hold values up to 62^6 - 1 > 2^33: the checksum has one spelling only.
    TokenFormat format = new TokenFormat("acme");
    String token = format.mint(TokenId.fromLong(5), new Random(2));
    String body = token.substring(0, token.length() - 6);
    long crc = Independent.crc32(body);
    StringBuilder alias = new StringBuilder(body);
    dev.authcore.internal.Base62.appendUnsigned(alias, crc + (1L << 32), 6);
    assertThat(format.parse(token, Scratch.get())).isNotNull();
    assertThat(format.parse(alias.toString(), Scratch.get())).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "acme",
        "acme_",
        "acm_00000000005",
        "ACME_0000000000" + "5",
        "tok_0000000000" + "5"
      })
  void parse_fragments_rejected(String text) {
    assertThat(new TokenFormat("acme").parse(text, Scratch.get())).isNull();
  }

  @Test
  void parse_tokenWithWrongLengthSeparatorOrCase_rejected() {
    TokenFormat format = new TokenFormat("acme");
    String good = format.mint(TokenId.fromLong(5), new Random(3));
    assertThat(format.parse(good, Scratch.get())).isEqualTo(TokenId.fromLong(5));
    assertThat(format.parse(good + "0", Scratch.get())).isNull();
    assertThat(format.parse(good.substring(0, good.length() - 1), Scratch.get())).isNull();
    assertThat(format.parse(good.substring(1), Scratch.get())).isNull();
    assertThat(format.parse("acme-" + good.substring(5), Scratch.get())).isNull();
    assertThat(format.parse(good.toUpperCase(java.util.Locale.ROOT), Scratch.get())).isNull();
    assertThat(format.parse(" " + good.substring(1), Scratch.get())).isNull();
  }

  @Test
  void parse_prefixOfOtherDeployment_rejected() {
    String token = new TokenFormat("acme").mint(TokenId.fromLong(5), new Random(4));
    assertThat(new TokenFormat("acme").parse(token, Scratch.get())).isNotNull();
    assertThat(new TokenFormat("acmf").parse(token, Scratch.get())).isNull();
    assertThat(new TokenFormat("acm").parse(token, Scratch.get())).isNull();
  }

  /** Characters tried at every position: the whole alphabet and a few that are not in it. */
  private static final String SUBSTITUTES =
      Independent.BASE62 + "_-+/= .:\u0000\u00e9\u0131\u212a\uff10";

  @TestFactory
  Stream<DynamicTest> parse_everySingleCharacterSubstitution_detected() {
    long seed = Seeds.seed("TokenFormatTest.parse_everySingleCharacterSubstitution", 0x5B5L);
    Random random = new Random(seed);
    List<DynamicTest> tests = new ArrayList<>();
    for (int n = 0; n < 60; n++) {
      String prefix = n % 3 == 0 ? "a" : n % 3 == 1 ? "acme" : "abcdefghijklmnop";
      TokenId id = TokenId.random(random);
      String token = new TokenFormat(prefix).mint(id, random);
      tests.add(
          dynamicTest(
              "seed " + seed + " #" + n + " id " + id,
              () -> {
                TokenFormat format = new TokenFormat(prefix);
                Scratch scratch = Scratch.get();
                assertThat(format.parse(token, scratch)).isEqualTo(id);
                char[] chars = token.toCharArray();
                for (int i = 0; i < chars.length; i++) {
                  char original = chars[i];
                  for (int s = 0; s < SUBSTITUTES.length(); s++) {
                    char substitute = SUBSTITUTES.charAt(s);
                    if (substitute == original) {
                      continue;
                    }
                    chars[i] = substitute;
                    String mistyped = new String(chars);
                    if (format.parse(mistyped, scratch) != null) {
                      throw new AssertionError(
                          "substituting U+"
                              + Integer.toHexString(substitute)
                              + " at "
                              + i
                              + " was not detected in "
                              + mistyped);
                    }
                  }
                  chars[i] = original;
                }
              }));
    }
    return tests.stream();
  }

  /**
   * A character outside ASCII whose low byte spells the character it replaces (U+0141 for 'A',
   * U+0130 for '0', U+FF5F for '_') is as malformed as any other: no other spelling of a token
   * reaches the hash, whatever the string's internal encoding.
   */
  @Test
  void parse_characterWithTheSameLowByte_rejected() {
    Random random = new Random(Seeds.seed("TokenFormatTest.parse_sameLowByte", 0x10BL));
    TokenFormat format = new TokenFormat("acme");
    for (int n = 0; n < 20; n++) {
      TokenId id = TokenId.random(random);
      String token = format.mint(id, random);
      assertThat(format.parse(token, Scratch.get())).isEqualTo(id);
      for (int i = 0; i < token.length(); i++) {
        for (int high : new int[] {0x0100, 0x3000, 0xFF00}) {
          char[] chars = token.toCharArray();
          chars[i] = (char) (chars[i] | high);
          assertThat(format.parse(new String(chars), Scratch.get()))
              .as("U+%04X at %s", (int) chars[i], i)
              .isNull();
        }
      }
      // A lone surrogate is not a character at all.
      char[] chars = token.toCharArray();
      chars[token.length() - 1] = '\uD800';
      assertThat(format.parse(new String(chars), Scratch.get())).isNull();
      // And the scratch copy serves the next token as before.
      assertThat(format.parse(token, Scratch.get())).isEqualTo(id);
    }
  }

  @TestFactory
  Stream<DynamicTest> parse_everyAdjacentTransposition_detected() {
    long seed = Seeds.seed("TokenFormatTest.parse_everyAdjacentTransposition", 0x7A5L);
    Random random = new Random(seed);
    List<DynamicTest> tests = new ArrayList<>();
    for (int n = 0; n < 60; n++) {
      TokenId id = TokenId.random(random);
      String token = new TokenFormat("acme").mint(id, random);
      tests.add(
          dynamicTest(
              "seed " + seed + " #" + n,
              () -> {
                TokenFormat format = new TokenFormat("acme");
                for (int i = 0; i + 1 < token.length(); i++) {
                  if (token.charAt(i) == token.charAt(i + 1)) {
                    continue;
                  }
                  char[] chars = token.toCharArray();
                  chars[i] = token.charAt(i + 1);
                  chars[i + 1] = token.charAt(i);
                  assertThat(format.parse(new String(chars), Scratch.get()))
                      .as("swap at %s", i)
                      .isNull();
                }
              }));
    }
    return tests.stream();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Acme",
        "1acme",
        "ac-me",
        "acme_",
        "ac me",
        "acm\u00e9",
        "abcdefghijklmnopq",
        "ACME",
        "acme\n"
      })
  void checkPrefix_malformed_refusedWithEscapedInput(String prefix) {
    assertThatThrownBy(() -> new TokenFormat(prefix))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lower-case letters and digits starting with a letter")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\u00e9"));
    assertThatThrownBy(() -> AuthCore.builder().tokenPrefix(prefix))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "acme", "a1", "x9z", "abcdefghijklmnop"})
  void checkPrefix_wellFormed_accepted(String prefix) {
    assertThat(new TokenFormat(prefix).prefix()).isEqualTo(prefix);
  }
}
