package dev.authcore.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.InvalidInputException;
import dev.authcore.net.IpAllowList;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenSettingsTest {
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant LATER = CREATED.plus(Duration.ofDays(60));

  @Test
  void defaults_noExpiryNoRestrictionNoAllowList() {
    TokenSettings defaults = TokenSettings.defaults();
    assertThat(defaults.expiry()).isEqualTo(ExpiryPolicy.never());
    assertThat(defaults.restricted()).isFalse();
    assertThat(defaults.allowedIps().isEmpty()).isTrue();
    assertThat(defaults.statusOf(CREATED, null, null, false, LATER)).isEqualTo(TokenStatus.ACTIVE);
  }

  @Test
  void statusOf_restrictedWithoutPermission_disabled() {
    TokenSettings restricted = TokenSettings.defaults().withRestricted(true);
    assertThat(restricted.statusOf(CREATED, null, null, false, LATER))
        .isEqualTo(TokenStatus.DISABLED);
    assertThat(restricted.statusOf(CREATED, null, null, true, LATER)).isEqualTo(TokenStatus.ACTIVE);
  }

  @Test
  void statusOf_expiredAndDisabled_showsExpired() {
    TokenSettings both =
        TokenSettings.defaults().withRestricted(true).withExpiry(ExpiryPolicy.days(30));
    assertThat(both.statusOf(CREATED, null, null, false, LATER)).isEqualTo(TokenStatus.EXPIRED);
  }

  @Test
  void withers_changeOneFieldOnly() {
    IpAllowList list = IpAllowList.parse("10.0.0.0/8");
    TokenSettings s = TokenSettings.defaults().withAllowedIps(list);
    assertThat(s.allowedIps()).isEqualTo(list);
    assertThat(s.expiry()).isEqualTo(ExpiryPolicy.never());
    assertThat(s.withExpiry(ExpiryPolicy.days(90)).allowedIps()).isEqualTo(list);
  }

  @Test
  void toString_countsAllowListEntriesWithoutListingThem() {
    TokenSettings s =
        TokenSettings.defaults().withAllowedIps(IpAllowList.parse("10.0.0.0/8\n192.0.2.1"));
    assertThat(s.toString()).contains("2 entries").doesNotContain("10.0.0.0");
  }

  private static final Duration MARGIN = TokenSettings.INACTIVITY_MARGIN;

  @Test
  void inactiveDays_outOfRange_rejectedNamingTheField() {
    for (int days : new int[] {6, 366, 0, -1}) {
      assertThatThrownBy(() -> TokenSettings.defaults().withInactiveDays(days))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("inactiveDays")
          .hasMessageContaining("7 and 365")
          .hasMessageContaining("got " + days);
    }
    assertThat(TokenSettings.defaults().withInactiveDays(7).inactiveDays()).isEqualTo(7);
    assertThat(TokenSettings.defaults().withInactiveDays(365).inactiveDays()).isEqualTo(365);
    assertThat(TokenSettings.defaults().withInactiveDays(30).withInactiveDays(null).inactiveDays())
        .isNull();
  }

  @Test
  void inactivity_countsFromLastUseOrCreation_withTheMargin() {
    TokenSettings s = TokenSettings.defaults().withInactiveDays(30);
    Instant deadline = CREATED.plus(Duration.ofDays(30)).plus(MARGIN);
    // never used: from creation
    assertThat(s.expiredBy(CREATED, null, null, deadline.minusMillis(1))).isNull();
    assertThat(s.expiredBy(CREATED, null, null, deadline)).isEqualTo(ExpiryCause.INACTIVITY);
    assertThat(s.statusOf(CREATED, null, null, true, deadline)).isEqualTo(TokenStatus.EXPIRED);
    assertThat(s.expiresAt(CREATED, null, null)).isEqualTo(deadline);
    // used 10 days in: counted from that use
    Instant used = CREATED.plus(Duration.ofDays(10));
    assertThat(s.expiredBy(CREATED, null, used, deadline)).isNull();
    assertThat(s.expiresAt(CREATED, null, used)).isEqualTo(deadline.plus(Duration.ofDays(10)));
    // within the configured days but not the margin: not yet
    assertThat(s.expiredBy(CREATED, null, null, CREATED.plus(Duration.ofDays(30)))).isNull();
    // lifting it brings the token back
    assertThat(s.withInactiveDays(null).statusOf(CREATED, null, null, true, deadline))
        .isEqualTo(TokenStatus.ACTIVE);
  }

  @Test
  void expiredBy_theEarliestDeadlineWins() {
    Instant now = CREATED.plus(Duration.ofDays(200));
    // age 90 days (day 90) before inactivity 30 days from a use on day 100 (day 131)
    TokenSettings both =
        TokenSettings.defaults().withExpiry(ExpiryPolicy.days(90)).withInactiveDays(30);
    Instant usedDay100 = CREATED.plus(Duration.ofDays(100));
    assertThat(both.expiredBy(CREATED, null, usedDay100, now)).isEqualTo(ExpiryCause.AGE);
    // age 180 days after inactivity from a use on day 10 (day 41)
    TokenSettings longAge = both.withExpiry(ExpiryPolicy.days(180));
    Instant usedDay10 = CREATED.plus(Duration.ofDays(10));
    assertThat(longAge.expiredBy(CREATED, null, usedDay10, now)).isEqualTo(ExpiryCause.INACTIVITY);
    // the token's own expiry on day 20 comes first
    assertThat(longAge.expiredBy(CREATED, CREATED.plus(Duration.ofDays(20)), usedDay10, now))
        .isEqualTo(ExpiryCause.TOKEN);
    // nothing passed yet
    assertThat(longAge.expiredBy(CREATED, null, usedDay10, usedDay10)).isNull();
  }

  @Test
  void toString_showsInactiveDays() {
    assertThat(TokenSettings.defaults().withInactiveDays(45).toString())
        .contains("inactiveDays=45");
  }
}
