package dev.authcore.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import dev.authcore.testkit.Seeds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenIdTest {

  @Test
  void toString_zero_elevenZeros() {
    assertThat(TokenId.fromLong(0)).hasToString("00000000000");
    assertThat(TokenId.LENGTH).isEqualTo(11);
  }

  @Test
  void toString_negativeBits_readAsUnsigned() {
    // Expected texts computed independently: 2^63 and 2^64 - 2 in base62.
    assertThat(TokenId.fromLong(Long.MIN_VALUE)).hasToString("AzL8n0Y58m8");
    assertThat(TokenId.fromLong(-2)).hasToString("LygHa16AHYE");
  }

  @TestFactory
  Stream<DynamicTest> parse_toString_roundTrip() {
    Random random = new Random(Seeds.seed("TokenIdTest.parse_toString_roundTrip", 11L));
    List<Long> bits = new ArrayList<>(List.of(0L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, -2L));
    for (int i = 0; i < 100; i++) {
      bits.add(random.nextLong() >>> random.nextInt(64));
    }
    return bits.stream()
        .filter(b -> b != -1L)
        .map(
            b ->
                dynamicTest(
                    Long.toUnsignedString(b),
                    () -> {
                      TokenId id = TokenId.fromLong(b);
                      String text = id.toString();
                      assertThat(text).hasSize(TokenId.LENGTH).matches("[0-9A-Za-z]{11}");
                      assertThat(TokenId.parse(text)).isEqualTo(id);
                      assertThat(TokenId.parse(text).asLong()).isEqualTo(b);
                      assertThat(TokenId.tryParse("acme_" + text + "rest", 5)).isEqualTo(id);
                    }));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0", "0000000000", "000000000000", "00000000000000000000000"})
  void parse_wrongLength_refusedSayingLength(String text) {
    assertThatThrownBy(() -> TokenId.parse(text))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("11 base62 characters")
        .hasMessageContaining("got " + text.length());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"0000000000-", "-0000000000", "00000_00000", "00000 00000", "0000000000\u00e9"})
  void parse_nonBase62Character_refusedSayingWhereWithoutEchoingInput(String text) {
    int index = 0;
    while (Character.isLetterOrDigit(text.charAt(index)) && text.charAt(index) < 128) {
      index++;
    }
    int at = index;
    assertThatThrownBy(() -> TokenId.parse(text))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("[0-9A-Za-z]")
        .hasMessageContaining("index " + at)
        .hasMessageContaining(String.format("U+%04X", (int) text.charAt(at)))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(text));
  }

  @Test
  void parse_valueOf2To64OrMore_refusedAsOutOfRange() {
    // "LygHa16AHYG" is 2^64 and "zzzzzzzzzzz" is 62^11 - 1: eleven base62 characters, but no id.
    for (String text : List.of("LygHa16AHYG", "LygHa16AHZ0", "zzzzzzzzzzz")) {
      assertThatThrownBy(() -> TokenId.parse(text))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("too large");
      assertThat(TokenId.tryParse(text, 0)).isNull();
    }
  }

  @Test
  void parse_allOnesId_refusedAsReserved() {
    // 2^64 - 1 is reserved (it is the decoder's failure value) and never issued.
    assertThatThrownBy(() -> TokenId.parse("LygHa16AHYF"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("reserved");
  }

  @Test
  void fromLong_minusOne_refused() {
    assertThatThrownBy(() -> TokenId.fromLong(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved");
  }

  @Test
  void random_generatorYieldsReservedValue_drawsAgain() {
    long[] values = {-1L, -1L, 42L};
    int[] next = {0};
    RandomGenerator generator = () -> values[next[0]++];
    assertThat(TokenId.random(generator).asLong()).isEqualTo(42L);
  }

  @Test
  void tryParse_outOfBoundsStart_null() {
    assertThat(TokenId.tryParse("00000000000", -1)).isNull();
    assertThat(TokenId.tryParse("00000000000", 1)).isNull();
    assertThat(TokenId.tryParse("0000000000", 0)).isNull();
  }

  @Test
  void compareTo_unsignedOrder() {
    List<TokenId> ascending =
        List.of(
            TokenId.fromLong(0),
            TokenId.fromLong(1),
            TokenId.fromLong(Long.MAX_VALUE),
            TokenId.fromLong(Long.MIN_VALUE),
            TokenId.fromLong(-2));
    for (int i = 0; i < ascending.size(); i++) {
      for (int j = 0; j < ascending.size(); j++) {
        assertThat(Integer.signum(ascending.get(i).compareTo(ascending.get(j))))
            .as("%s vs %s", ascending.get(i), ascending.get(j))
            .isEqualTo(Integer.compare(i, j));
      }
    }
  }

  @Test
  void compareTo_agreesWithTextOrder() {
    // The alphabet is in ASCII order and the width fixed, so sorting texts sorts ids.
    Random random = new Random(Seeds.seed("TokenIdTest.compareTo_agreesWithTextOrder", 3L));
    for (int i = 0; i < 1_000; i++) {
      TokenId a = TokenId.random(random);
      TokenId b = TokenId.random(random);
      assertThat(Integer.signum(a.compareTo(b)))
          .as("%s vs %s", a, b)
          .isEqualTo(Integer.signum(a.toString().compareTo(b.toString())));
    }
  }

  @Test
  void equals_byValue() {
    new EqualsTester()
        .addEqualityGroup(TokenId.fromLong(7), TokenId.fromLong(7), TokenId.parse("00000000007"))
        .addEqualityGroup(TokenId.fromLong(Long.MIN_VALUE), TokenId.parse("AzL8n0Y58m8"))
        .addEqualityGroup(TokenId.fromLong(-2))
        .testEquals();
  }

  @Test
  void nulls_refused() {
    NullPointerTester tester = new NullPointerTester();
    tester.testAllPublicStaticMethods(TokenId.class);
    tester.testAllPublicInstanceMethods(TokenId.fromLong(5));
  }

  @Test
  void hashCode_distinctIds_spreadOverDistinctHashes() {
    // ids key the verifier's caches: a hash that clustered ids would turn lookups into scans
    SplittableRandom random = new SplittableRandom(11);
    Set<Integer> hashes = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      hashes.add(TokenId.random(random).hashCode());
    }
    assertThat(hashes).hasSizeGreaterThan(990);
  }
}
