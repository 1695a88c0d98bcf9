package dev.authcore.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExpiryNoticeTest {
  private static final Instant EXPIRY = Instant.parse("2026-02-01T00:00:00Z");
  private static final Duration MS = Duration.ofMillis(1);

  @Test
  void order_isTheOrderTheyFallDue() {
    assertThat(ExpiryNotice.values())
        .containsExactly(ExpiryNotice.SEVEN_DAYS, ExpiryNotice.ONE_DAY, ExpiryNotice.EXPIRED);
    assertThat(ExpiryNotice.SEVEN_DAYS.before()).isEqualTo(Duration.ofDays(7));
    assertThat(ExpiryNotice.ONE_DAY.before()).isEqualTo(Duration.ofDays(1));
    assertThat(ExpiryNotice.EXPIRED.before()).isZero();
  }

  @Test
  void dueAt_isExpiryMinusBefore() {
    assertThat(ExpiryNotice.SEVEN_DAYS.dueAt(EXPIRY))
        .isEqualTo(Instant.parse("2026-01-25T00:00:00Z"));
    assertThat(ExpiryNotice.EXPIRED.dueAt(EXPIRY)).isEqualTo(EXPIRY);
    assertThat(ExpiryNotice.SEVEN_DAYS.dueAt(Instant.MIN.plusSeconds(5))).isEqualTo(Instant.MIN);
  }

  @Test
  void latestDue_atEachBoundary() {
    Instant seven = EXPIRY.minus(Duration.ofDays(7));
    Instant one = EXPIRY.minus(Duration.ofDays(1));
    assertThat(ExpiryNotice.latestDue(EXPIRY, seven.minus(MS))).isNull();
    assertThat(ExpiryNotice.latestDue(EXPIRY, seven)).isEqualTo(ExpiryNotice.SEVEN_DAYS);
    assertThat(ExpiryNotice.latestDue(EXPIRY, one.minus(MS))).isEqualTo(ExpiryNotice.SEVEN_DAYS);
    assertThat(ExpiryNotice.latestDue(EXPIRY, one)).isEqualTo(ExpiryNotice.ONE_DAY);
    assertThat(ExpiryNotice.latestDue(EXPIRY, EXPIRY.minus(MS))).isEqualTo(ExpiryNotice.ONE_DAY);
    assertThat(ExpiryNotice.latestDue(EXPIRY, EXPIRY)).isEqualTo(ExpiryNotice.EXPIRED);
    assertThat(ExpiryNotice.latestDue(EXPIRY, Instant.MAX)).isEqualTo(ExpiryNotice.EXPIRED);
  }

  @Test
  void latestDue_neverExpiring_none() {
    assertThat(ExpiryNotice.latestDue(null, Instant.MAX)).isNull();
  }

  @Test
  void latestDue_agreesWithThePolicysExpiredCheck() {
    ExpiryPolicy policy = ExpiryPolicy.days(30);
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    Instant expires = java.util.Objects.requireNonNull(policy.expiresAt(created, null));
    for (Instant now : new Instant[] {expires.minus(MS), expires, expires.plus(MS)}) {
      assertThat(ExpiryNotice.latestDue(expires, now) == ExpiryNotice.EXPIRED)
          .as("at %s", now)
          .isEqualTo(policy.isExpired(created, null, now));
    }
  }
}
