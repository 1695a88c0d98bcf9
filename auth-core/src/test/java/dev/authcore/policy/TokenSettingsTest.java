package dev.authcore.policy;

import static org.assertj.core.api.Assertions.assertThat;

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
    assertThat(defaults.statusOf(CREATED, null, false, LATER)).isEqualTo(TokenStatus.ACTIVE);
  }

  @Test
  void statusOf_restrictedWithoutPermission_disabled() {
    TokenSettings restricted = TokenSettings.defaults().withRestricted(true);
    assertThat(restricted.statusOf(CREATED, null, false, LATER)).isEqualTo(TokenStatus.DISABLED);
    assertThat(restricted.statusOf(CREATED, null, true, LATER)).isEqualTo(TokenStatus.ACTIVE);
  }

  @Test
  void statusOf_expiredAndDisabled_showsExpired() {
    TokenSettings both =
        TokenSettings.defaults().withRestricted(true).withExpiry(ExpiryPolicy.days(30));
    assertThat(both.statusOf(CREATED, null, false, LATER)).isEqualTo(TokenStatus.EXPIRED);
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
}
