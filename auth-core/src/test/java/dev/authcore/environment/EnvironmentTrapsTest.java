package dev.authcore.environment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Pins the surefire configuration that runs every test under a non-English locale and a non-UTC
 * zone: if someone drops it, this fails instead of the traps silently going untested.
 */
class EnvironmentTrapsTest {
  @Test
  void defaultLocale_isHindiIndia() {
    assertThat(Locale.getDefault()).isEqualTo(Locale.forLanguageTag("hi-IN"));
  }

  @Test
  void defaultZone_hasHalfHourOffsetFromUtc() {
    assertThat(ZoneId.systemDefault().getRules().getOffset(Instant.EPOCH).getTotalSeconds() % 3600)
        .isNotZero();
  }
}
