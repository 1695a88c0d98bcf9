package dev.authcore;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** An executor that runs nothing until the test says so: background work at chosen moments. */
final class ManualExecutor implements Executor {
  private final Queue<Runnable> pending = new ArrayDeque<>();

  @Override
  public synchronized void execute(Runnable task) {
    pending.add(task);
  }

  /** Tasks submitted and not run yet. */
  synchronized int pending() {
    return pending.size();
  }

  /** Runs what is pending, in order, on the calling thread; returns how many ran. */
  int runPending() {
    int ran = 0;
    while (true) {
      Runnable next;
      synchronized (this) {
        next = pending.poll();
      }
      if (next == null) {
        return ran;
      }
      next.run();
      ran++;
    }
  }
}
