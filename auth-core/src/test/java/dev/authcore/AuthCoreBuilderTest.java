package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.NullPointerTester;
import dev.authcore.model.Role;
import dev.authcore.store.InMemoryUserDirectory;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The documented ranges of the builder's settings include both of their ends; a null is refused by
 * every setter, never taken for a default.
 */
class AuthCoreBuilderTest {

  @Test
  void everySetter_null_throwsNullPointerException() {
    new NullPointerTester()
        .setDefault(Duration.class, Duration.ofSeconds(5))
        .setDefault(SecretHashing.class, SecretHashing.sha256())
        .setDefault(String.class, "acme")
        .testAllPublicInstanceMethods(AuthCore.builder());
  }

  @Test
  void storeNeverSet_aStoreOfItsOwnInMemory() {
    InMemoryUserDirectory users =
        new InMemoryUserDirectory().add("acme", "ann@example.com", Role.USER);
    try (AuthCore one = AuthCore.builder().users(users).build();
        AuthCore other = AuthCore.builder().users(users).build()) {
      IssuedToken token = one.issuer().issue("ann@example.com", "ci");
      InetAddress client = InetAddress.getLoopbackAddress();
      assertThat(
              one.verifier()
                  .verify("ann@example.com", token.revealPlaintext(), client)
                  .isAuthenticated())
          .isTrue();
      assertThat(
              other
                  .verifier()
                  .verify("ann@example.com", token.revealPlaintext(), client)
                  .isAuthenticated())
          .as("each deployment without a store gets its own")
          .isFalse();
    }
  }

  @Test
  void maxCachedUnknownIds_acceptsOne_refusesZero() {
    assertThatCode(() -> AuthCore.builder().maxCachedUnknownIds(1)).doesNotThrowAnyException();
    assertThatThrownBy(() -> AuthCore.builder().maxCachedUnknownIds(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max cached unknown ids must be at least 1, got 0");
  }

  @Test
  void maxCachedCorps_acceptsOne_refusesZero() {
    assertThatCode(() -> AuthCore.builder().maxCachedCorps(1)).doesNotThrowAnyException();
    assertThatThrownBy(() -> AuthCore.builder().maxCachedCorps(-5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max cached corps must be at least 1, got -5");
  }

  @Test
  void smallestCaches_stillVerifyAcrossCorps() {
    InMemoryUserDirectory users =
        new InMemoryUserDirectory()
            .add("acme", "ann@example.com", Role.USER)
            .add("globex", "zed@globex.example", Role.USER);
    try (AuthCore core =
        AuthCore.builder()
            .users(users)
            .maxCachedTokens(1)
            .maxCachedUnknownIds(1)
            .maxCachedCorps(1)
            .build()) {
      IssuedToken ann = core.issuer().issue("ann@example.com", "ci");
      IssuedToken zed = core.issuer().issue("zed@globex.example", "ci");
      InetAddress client = InetAddress.getLoopbackAddress();
      for (int i = 0; i < 20; i++) {
        assertThat(
                core.verifier()
                    .verify("ann@example.com", ann.revealPlaintext(), client)
                    .isAuthenticated())
            .isTrue();
        assertThat(
                core.verifier()
                    .verify("zed@globex.example", zed.revealPlaintext(), client)
                    .isAuthenticated())
            .isTrue();
      }
    }
  }

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
