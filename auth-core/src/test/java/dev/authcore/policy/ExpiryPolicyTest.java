package dev.authcore.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import dev.authcore.model.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpiryPolicyTest {
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void never_neverExpiresByAge() {
    ExpiryPolicy never = ExpiryPolicy.never();
    assertThat(never.isNever()).isTrue();
    assertThat(never.maxAge()).isEmpty();
    assertThat(never.expiresAt(CREATED, null)).isNull();
    assertThat(never.isExpired(CREATED, null, Instant.MAX)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(ints = {30, 60, 90, 180, 365})
  void days_presets_accepted(int days) {
    assertThat(ExpiryPolicy.PRESET_DAYS).contains(days);
    assertThat(ExpiryPolicy.days(days).maxAgeDays()).contains((long) days);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 45, 3650})
  void days_customInRange_accepted(long days) {
    assertThat(ExpiryPolicy.days(days).maxAge()).contains(Duration.ofDays(days));
    assertThat(ExpiryPolicy.after(Duration.ofDays(days))).isEqualTo(ExpiryPolicy.days(days));
  }

  @ParameterizedTest
  @ValueSource(longs = {Long.MIN_VALUE, -1, 0, 3651, Long.MAX_VALUE})
  void days_outOfRange_refusedNamingTheRange(long days) {
    assertThatThrownBy(() -> ExpiryPolicy.days(days))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("between 1 and 3650 days")
        .hasMessageContaining(Long.toString(days));
  }

  @Test
  void after_partialDayOrOutOfRange_refused() {
    assertThatThrownBy(() -> ExpiryPolicy.after(Duration.ofHours(36)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("whole number of days");
    assertThatThrownBy(() -> ExpiryPolicy.after(Duration.ofHours(23)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("between 1 day and 3650 days");
    assertThatThrownBy(() -> ExpiryPolicy.after(Duration.ofDays(3651)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> ExpiryPolicy.after(Duration.ofDays(-30)))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void isExpired_atExactlyCreatedPlusMaxAge_expired() {
    ExpiryPolicy thirty = ExpiryPolicy.days(30);
    Instant boundary = CREATED.plus(Duration.ofDays(30));
    assertThat(thirty.expiresAt(CREATED, null)).isEqualTo(boundary);
    assertThat(thirty.isExpired(CREATED, null, boundary.minusMillis(1))).isFalse();
    assertThat(thirty.isExpired(CREATED, null, boundary)).isTrue();
    assertThat(thirty.isExpired(CREATED, null, boundary.plusMillis(1))).isTrue();
  }

  @Test
  void expiresAt_ownExpiryEarlier_wins() {
    Instant own = CREATED.plus(Duration.ofDays(10));
    assertThat(ExpiryPolicy.days(30).expiresAt(CREATED, own)).isEqualTo(own);
    assertThat(ExpiryPolicy.never().expiresAt(CREATED, own)).isEqualTo(own);
    assertThat(ExpiryPolicy.days(5).expiresAt(CREATED, own))
        .isEqualTo(CREATED.plus(Duration.ofDays(5)));
    assertThat(ExpiryPolicy.never().isExpired(CREATED, own, own)).isTrue();
  }

  @Test
  void extremeInstants_neitherOverflowNorThrow_failClosed() {
    ExpiryPolicy max = ExpiryPolicy.days(3650);
    assertThat(max.isExpired(Instant.MAX, null, Instant.MAX)).isTrue();
    assertThat(max.isExpired(Instant.MIN, null, Instant.MIN)).isFalse();
    assertThat(max.isExpired(Instant.MIN, null, CREATED)).isTrue();
    assertThat(max.expiresAtMillis(Long.MAX_VALUE - 5, Long.MAX_VALUE)).isLessThan(Long.MAX_VALUE);
    assertThat(
            ExpiryPolicy.isExpiredAt(
                max.expiresAtMillis(Long.MAX_VALUE - 5, Long.MAX_VALUE), Long.MAX_VALUE - 1))
        .isTrue();
  }

  @Test
  void toString_isIsoDays() {
    assertThat(ExpiryPolicy.never()).hasToString("ExpiryPolicy[never]");
    assertThat(ExpiryPolicy.days(30)).hasToString("ExpiryPolicy[P30D]");
  }

  @Test
  void equality_byMaxAge() {
    new EqualsTester()
        .addEqualityGroup(ExpiryPolicy.never(), ExpiryPolicy.never())
        .addEqualityGroup(ExpiryPolicy.days(30), ExpiryPolicy.after(Duration.ofDays(30)))
        .addEqualityGroup(ExpiryPolicy.days(31))
        .testEquals();
  }

  @Test
  void publicMethods_refuseNulls() {
    new NullPointerTester().testAllPublicStaticMethods(ExpiryPolicy.class);
    new NullPointerTester().testAllPublicInstanceMethods(ExpiryPolicy.days(30));
  }

  @Test
  void hashCode_distinctPolicies_spreadOverDistinctHashes() {
    Set<Integer> hashes = new HashSet<>();
    for (int days = 1; days <= 100; days++) {
      hashes.add(ExpiryPolicy.days(days).hashCode());
    }
    hashes.add(ExpiryPolicy.never().hashCode());
    assertThat(hashes).hasSize(101);
  }
}
