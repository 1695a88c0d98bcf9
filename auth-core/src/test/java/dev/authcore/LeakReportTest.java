package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LeakReportTest {
  @Test
  void counts_withinBounds_kept() {
    assertThat(new LeakReport(0, 0).found()).isZero();
    LeakReport all = new LeakReport(3, 3);
    assertThat(all.found()).isEqualTo(3);
    assertThat(all.revoked()).isEqualTo(3);
    assertThat(new LeakReport(3, 0)).isEqualTo(new LeakReport(3, 0)).isNotEqualTo(all);
  }

  @Test
  void counts_impossible_refusedSayingWhich() {
    assertThatThrownBy(() -> new LeakReport(-1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a leak report needs 0 <= revoked <= found, got found -1 and revoked 0");
    assertThatThrownBy(() -> new LeakReport(1, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LeakReport(1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got found 1 and revoked 2");
  }
}
