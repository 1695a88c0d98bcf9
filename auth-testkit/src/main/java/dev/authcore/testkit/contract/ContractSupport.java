package dev.authcore.testkit.contract;

import static org.assertj.core.api.Assertions.fail;

import dev.authcore.model.TokenId;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.TokenRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/** Fixtures shared by the contract suites. */
final class ContractSupport {
  private ContractSupport() {}

  /** A corp name no other test uses. */
  static String uniqueCorp() {
    return "contract-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
  }

  /** An email no other test uses, starting with {@code who}; lower case. */
  static String uniqueEmail(String who) {
    return who
        + "-"
        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
        + "@example.com";
  }

  static byte[] bytes(int n) {
    byte[] out = new byte[n];
    ThreadLocalRandom.current().nextBytes(out);
    return out;
  }

  static TokenRecord record(String corp, String owner, String name, Instant created) {
    return record(TokenId.random(ThreadLocalRandom.current()), corp, owner, name, created, null);
  }

  static TokenRecord record(
      TokenId id,
      String corp,
      String owner,
      String name,
      Instant created,
      @Nullable Instant expiresAt) {
    return TokenRecord.issued(
        id,
        corp,
        owner,
        name,
        created,
        expiresAt,
        SecretHash.of(SecretHash.Algorithm.SHA256, null, bytes(SecretHash.LENGTH)));
  }

  /**
   * Runs {@code tasks} calls of {@code task} on {@code threads} threads, all released at once by a
   * latch, and returns the results in task order. Fails the test if they do not finish within
   * {@code timeout} (a hang guard, not a speed check) or if any task throws.
   */
  static <T> List<T> concurrently(int tasks, int threads, Duration timeout, IntFunction<T> task) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>(tasks);
    try {
      for (int i = 0; i < tasks; i++) {
        int n = i;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return task.apply(n);
                }));
      }
      start.countDown();
      long deadline = System.nanoTime() + timeout.toNanos();
      List<T> results = new ArrayList<>(tasks);
      for (Future<T> future : futures) {
        long left = deadline - System.nanoTime();
        try {
          results.add(future.get(Math.max(left, 0), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
          return fail(
              tasks
                  + " concurrent calls did not finish within "
                  + timeout
                  + ": is the store deadlocked?");
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          return fail("a concurrent call failed: " + cause, cause);
        }
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted while waiting for concurrent calls", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
