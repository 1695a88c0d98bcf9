package dev.authcore.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class InstantsTest {
  @Test
  void saturatedEpochMillis_inRange_exact() {
    assertThat(Instants.saturatedEpochMillis(Instant.EPOCH)).isZero();
    assertThat(Instants.saturatedEpochMillis(Instant.parse("2026-11-28T04:15:05.123Z")))
        .isEqualTo(1_795_839_305_123L);
    assertThat(Instants.saturatedEpochMillis(Instant.ofEpochMilli(-1))).isEqualTo(-1);
    assertThat(Instants.saturatedEpochMillis(Instant.ofEpochMilli(Long.MIN_VALUE)))
        .isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void saturatedEpochMillis_beyondRange_saturatesAndNeverMeansNever() {
    assertThat(Instants.saturatedEpochMillis(Instant.MAX)).isEqualTo(Long.MAX_VALUE - 1);
    assertThat(Instants.saturatedEpochMillis(Instant.MIN)).isEqualTo(Long.MIN_VALUE);
    // The last representable millisecond would read as "never": it is kept one below.
    assertThat(Instants.saturatedEpochMillis(Instant.ofEpochMilli(Long.MAX_VALUE)))
        .isEqualTo(Long.MAX_VALUE - 1);
    assertThat(Instants.saturatedEpochMillis(Instant.ofEpochMilli(Long.MAX_VALUE - 1)))
        .isEqualTo(Long.MAX_VALUE - 1);
  }
}
