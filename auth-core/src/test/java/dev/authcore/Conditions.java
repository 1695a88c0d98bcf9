package dev.authcore;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waiting, in concurrency tests, for another thread to make something true. */
final class Conditions {
  private Conditions() {}

  /**
   * Returns once {@code condition} holds. Waits without a deadline of its own: the test's
   * {@code @Timeout} (or the pool's {@code shutdownNow}) interrupts the wait, which then fails
   * naming {@code what}, so a hang is reported, never a timing.
   */
  static void await(BooleanSupplier condition, String what) {
    while (!condition.getAsBoolean()) {
      LockSupport.parkNanos(50_000);
      if (Thread.currentThread().isInterrupted()) {
        throw new AssertionError("interrupted while waiting until " + what);
      }
    }
  }
}
