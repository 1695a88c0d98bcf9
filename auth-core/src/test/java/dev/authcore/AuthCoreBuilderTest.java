package dev.authcore;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The documented ranges of the builder's settings include both of their ends. */
class AuthCoreBuilderTest {

  @Test
  void cacheBound_acceptsOneSecondAndOneHour() {
    assertThatCode(() -> AuthCore.builder().cacheBound(Duration.ofSeconds(1)))
        .doesNotThrowAnyException();
    assertThatCode(() -> AuthCore.builder().cacheBound(Duration.ofHours(1)))
        .doesNotThrowAnyException();
  }

  @Test
  void unknownIdBound_accepts100MillisAndOneMinute() {
    assertThatCode(() -> AuthCore.builder().unknownIdBound(Duration.ofMillis(100)))
        .doesNotThrowAnyException();
    assertThatCode(() -> AuthCore.builder().unknownIdBound(Duration.ofMinutes(1)))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> AuthCore.builder().unknownIdBound(Duration.ofMinutes(1).plusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("100 ms to 1 minute");
  }

  @Test
  void maxCachedTokens_acceptsOne() {
    assertThatCode(() -> AuthCore.builder().maxCachedTokens(1)).doesNotThrowAnyException();
  }

  @Test
  void usageFlushInterval_acceptsZero100MillisAndOneHour_refusesMore() {
    assertThatCode(() -> AuthCore.builder().usageFlushInterval(Duration.ZERO))
        .doesNotThrowAnyException();
    assertThatCode(() -> AuthCore.builder().usageFlushInterval(Duration.ofMillis(100)))
        .doesNotThrowAnyException();
    assertThatCode(() -> AuthCore.builder().usageFlushInterval(Duration.ofHours(1)))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> AuthCore.builder().usageFlushInterval(Duration.ofHours(1).plusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zero or 100 ms to 1 hour");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "z", "a0", "a9", "az", "z09a", "abcdefghijklmnop"})
  void tokenPrefix_lettersAndDigitsAtTheEndsOfTheirRanges_accepted(String prefix) {
    assertThatCode(() -> AuthCore.builder().tokenPrefix(prefix)).doesNotThrowAnyException();
  }
}
