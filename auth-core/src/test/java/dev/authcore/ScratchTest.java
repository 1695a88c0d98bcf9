package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ScratchTest {

  @Test
  void recordThisHit_trueForTheFirstHitOfEachPeriodOnly() throws Exception {
    // a fresh thread has fresh scratch, so the count starts at zero
    AtomicReference<List<Integer>> recorded = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              Scratch scratch = Scratch.get();
              List<Integer> hits = new ArrayList<>();
              for (int i = 0; i < 3 * Scratch.RECORDED_HIT_PERIOD; i++) {
                if (scratch.recordThisHit()) {
                  hits.add(i);
                }
              }
              recorded.set(hits);
            });
    t.start();
    t.join();
    assertThat(recorded.get()).containsExactly(0, 16, 32);
  }

  @Test
  void get_sameScratchOnOneThread_otherScratchOnAnother() throws Exception {
    Scratch mine = Scratch.get();
    assertThat(Scratch.get()).isSameAs(mine);
    AtomicReference<Scratch> theirs = new AtomicReference<>();
    Thread t = new Thread(() -> theirs.set(Scratch.get()));
    t.start();
    t.join();
    assertThat(theirs.get()).isNotNull().isNotSameAs(mine);
  }
}
