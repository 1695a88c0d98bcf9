package dev.authcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FakeClockTest {
  private static final Instant START = Instant.parse("2026-05-01T12:00:00Z");

  @Test
  void at_readsStartUntilMoved() {
    FakeClock clock = FakeClock.at(START);
    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
    assertThat(clock.instant()).isEqualTo(START);
  }

  @Test
  void atDefaultStart_readsDefaultStart() {
    assertThat(FakeClock.atDefaultStart().instant()).isEqualTo(FakeClock.DEFAULT_START);
  }

  @Test
  void advance_movesForwardAndReturnsNow() {
    FakeClock clock = FakeClock.at(START);
    assertThat(clock.advance(Duration.ofDays(60))).isEqualTo(START.plus(Duration.ofDays(60)));
    assertThat(clock.advance(Duration.ofMillis(1)))
        .isEqualTo(START.plus(Duration.ofDays(60)).plusMillis(1));
    assertThat(clock.millis()).isEqualTo(clock.instant().toEpochMilli());
    assertThat(clock.advance(Duration.ZERO)).isEqualTo(clock.instant());
  }

  @Test
  void advance_negative_refusedAndClockUnchanged() {
    FakeClock clock = FakeClock.at(START);
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("forward");
    assertThat(clock.instant()).isEqualTo(START);
  }

  @Test
  void advance_subMillisecond_refused() {
    FakeClock clock = FakeClock.at(START);
    assertThatThrownBy(() -> clock.advance(Duration.ofNanos(1_500_000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("whole milliseconds");
    assertThat(clock.instant()).isEqualTo(START);
  }

  @Test
  void advance_pastEpochMillisRange_refusedAndClockUnchanged() {
    FakeClock clock = FakeClock.at(Instant.ofEpochMilli(Long.MAX_VALUE - 10));
    assertThatThrownBy(() -> clock.advance(Duration.ofMillis(11)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(clock.millis()).isEqualTo(Long.MAX_VALUE - 10);
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(Long.MAX_VALUE)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void set_movesEitherWay() {
    FakeClock clock = FakeClock.at(START);
    clock.set(START.minusSeconds(3600));
    assertThat(clock.instant()).isEqualTo(START.minusSeconds(3600));
    clock.set(START.plusSeconds(1));
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(1));
  }

  @Test
  void at_subMillisecondOrOutOfRange_refused() {
    assertThatThrownBy(() -> FakeClock.at(START.plusNanos(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("millisecond resolution");
    assertThatThrownBy(() -> FakeClock.at(Instant.MAX))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void advance_fromManyThreads_losesNoStep() throws InterruptedException {
    FakeClock clock = FakeClock.at(START);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int i = 0; i < 10_000; i++) {
      pool.execute(() -> clock.advance(Duration.ofMillis(3)));
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).as("finished").isTrue();
    assertThat(clock.instant()).isEqualTo(START.plusMillis(30_000));
  }

  @Test
  void toString_showsInstant() {
    assertThat(FakeClock.at(START)).hasToString("FakeClock[2026-05-01T12:00:00Z]");
  }
}
