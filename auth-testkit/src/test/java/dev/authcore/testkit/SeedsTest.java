package dev.authcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class SeedsTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void seed_configured_usedAndPrintedWithReplayFlag() {
    assertThat(Seeds.seed("names", "12345", out)).isEqualTo(12345L);
    assertThat(printed()).contains("seed for names: 12345").contains("-Dauthcore.seed=12345");
  }

  @Test
  void seed_configuredHexOrNegative_parsed() {
    assertThat(Seeds.seed("x", "0xffffffffffffffff", out)).isEqualTo(-1L);
    assertThat(Seeds.seed("x", " -7 ", out)).isEqualTo(-7L);
  }

  @Test
  void seed_notConfigured_freshAndPrinted() {
    long seed = Seeds.seed("fresh", null, out);
    assertThat(printed()).contains("seed for fresh: " + seed + " (fresh)");
    long other = Seeds.seed("fresh", "", out);
    assertThat(other).as("two fresh seeds").isNotEqualTo(seed);
  }

  @Test
  void seed_withDefaultNotConfigured_theDefault() {
    assertThat(Seeds.seed("fixed", null, 0x5B5L, out)).isEqualTo(0x5B5L);
    assertThat(Seeds.seed("fixed", " ", 0x5B5L, out)).isEqualTo(0x5B5L);
    assertThat(printed())
        .contains("seed for fixed: 1461 (the test's default)")
        .contains("-Dauthcore.seed=1461");
  }

  @Test
  void seed_withDefaultConfigured_theConfiguredOne() {
    assertThat(Seeds.seed("fixed", "99", 0x5B5L, out)).isEqualTo(99L);
    assertThat(printed()).contains("seed for fixed: 99 (from -Dauthcore.seed)");
  }

  @Test
  void seed_random_freshEvenWithADefault() {
    long first = Seeds.seed("explore", "random", 7L, out);
    long second = Seeds.seed("explore", " random ", 7L, out);
    assertThat(first).as("two fresh seeds").isNotEqualTo(second);
    assertThat(printed())
        .contains("seed for explore: " + first + " (fresh, as -Dauthcore.seed=random asks)")
        .contains("replay with -Dauthcore.seed=" + second);
    long plain = Seeds.seed("explore", "random", out);
    assertThat(printed()).contains("seed for explore: " + plain + " (fresh");
  }

  @Test
  void seed_malformed_refusedNamingTheProperty() {
    assertThatThrownBy(() -> Seeds.seed("x", "twelve", out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("authcore.seed")
        .hasMessageContaining("twelve");
    assertThatThrownBy(() -> Seeds.seed("x", "randomly", 1L, out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'random'");
  }

  @Test
  void random_sameSeed_sameValues() {
    RandomGenerator a = Seeds.random(42);
    RandomGenerator b = Seeds.random(42);
    for (int i = 0; i < 100; i++) {
      assertThat(a.nextLong()).isEqualTo(b.nextLong());
    }
  }

  @Test
  void random_knownSeed_knownFirstValue() {
    // SplittableRandom's algorithm is specified: these values hold on every JDK.
    assertThat(Seeds.random(0).nextLong()).isEqualTo(-2152535657050944081L);
    assertThat(Generators.email(Seeds.random(7))).isEqualTo(Generators.email(Seeds.random(7)));
  }

  @Test
  void replayHint_namesTheFlag() {
    assertThat(Seeds.replayHint(-3)).isEqualTo("replay with -Dauthcore.seed=-3");
  }
}
