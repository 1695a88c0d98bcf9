package dev.authcore;

import static dev.authcore.Deployment.ANN;
import static dev.authcore.Deployment.OLGA;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code delete} under load: while verifier threads hammer a warm cache with many tokens, half of
 * the tokens are deleted one by one. No verification that starts after a token's {@code delete}
 * returned authenticates with it, and the tokens not deleted keep verifying throughout.
 *
 * <p>Order is taken from one {@link AtomicLong} sequence, never from a clock: the deleting thread
 * draws a number once {@code delete} has returned and publishes it for the token; a verifying
 * thread reads whether the token's deletion was published, then draws its own number and starts. A
 * verification that saw it started after the delete returned (the published number is below its
 * own) and must be rejected {@link RejectionReason#UNKNOWN}. One that did not see it may have raced
 * the delete and may answer either way.
 *
 * <p>The test has teeth: with {@code delete} leaving the cache to the store's listeners, the case
 * of a store that does not tell them fails at once.
 */
class DeleteUnderLoadTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
  private static final int TOKENS = 40;
  private static final int VERIFIERS = 3;

  @ParameterizedTest(name = "store tells listeners: {0}")
  @ValueSource(booleans = {true, false})
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void delete_whileVerifiersHammerAWarmCache_laterVerificationsRejected(boolean tellListeners)
      throws Exception {
    ControllableTokenStore store = new ControllableTokenStore(tellListeners);
    ExecutorService pool = Executors.newFixedThreadPool(VERIFIERS);
    try (Deployment d = new Deployment(store, b -> b.maxTokensPerUser(TOKENS))) {
      List<IssuedToken> tokens = new ArrayList<>();
      for (int i = 0; i < TOKENS; i++) {
        IssuedToken token = d.issuer().issue(ANN, "t" + i);
        tokens.add(token);
        assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
            .isTrue(); // warms the cache
      }
      int findsWarm = store.finds.get();

      AtomicLong sequence = new AtomicLong();
      AtomicLongArray deleteReturnedAt = new AtomicLongArray(TOKENS); // 0: not yet returned
      AtomicLongArray lateChecks = new AtomicLongArray(TOKENS);
      AtomicLong verifications = new AtomicLong();
      AtomicLong keptRejected = new AtomicLong();
      AtomicLong warmHits = new AtomicLong();
      AtomicReference<@Nullable String> lateSuccess = new AtomicReference<>();
      AtomicBoolean stop = new AtomicBoolean();
      List<Future<?>> verifiers = new ArrayList<>();
      for (int v = 0; v < VERIFIERS; v++) {
        int offset = v * TOKENS / VERIFIERS;
        verifiers.add(
            pool.submit(
                () -> {
                  for (int n = 0; !stop.get(); n++) {
                    int i = (offset + n) % TOKENS;
                    long returned = deleteReturnedAt.get(i);
                    long start = sequence.incrementAndGet();
                    Verification result =
                        d.verifier().verify(ANN, tokens.get(i).revealPlaintext(), CLIENT);
                    verifications.incrementAndGet();
                    if (returned != 0) {
                      assertThat(returned).isLessThan(start);
                      lateChecks.incrementAndGet(i);
                      if (!(result instanceof Verification.Rejected r
                          && r.reason() == RejectionReason.UNKNOWN)) {
                        lateSuccess.compareAndSet(
                            null,
                            "token "
                                + i
                                + ": delete returned at "
                                + returned
                                + ", verification started at "
                                + start
                                + " answered "
                                + result);
                      }
                    } else if (i % 2 == 1) {
                      if (result.isAuthenticated()) {
                        warmHits.incrementAndGet();
                      } else {
                        keptRejected.incrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      try {
        // Delete the even tokens one by one, letting the verifiers run between deletions.
        for (int i = 0; i < TOKENS; i += 2) {
          long seen = verifications.get();
          Conditions.await(() -> verifications.get() >= seen + VERIFIERS, "verifiers progress");
          d.issuer().delete(i % 4 == 0 ? ANN : OLGA, tokens.get(i).id());
          deleteReturnedAt.set(i, sequence.incrementAndGet());
        }
        // Every deleted token must have been verified after its deletion, several times.
        for (int i = 0; i < TOKENS; i += 2) {
          int token = i;
          Conditions.await(
              () -> lateChecks.get(token) >= 3, "token " + token + " checked after delete");
        }
      } finally {
        stop.set(true);
      }
      for (Future<?> f : verifiers) {
        f.get(30, TimeUnit.SECONDS);
      }

      assertThat(lateSuccess.get()).as("a verification started after its delete returned").isNull();
      assertThat(keptRejected.get()).as("tokens never deleted rejected").isZero();
      assertThat(warmHits.get()).as("tokens never deleted verified").isPositive();
      for (int i = 0; i < TOKENS; i++) {
        boolean deleted = i % 2 == 0;
        assertThat(d.verifier().verify(ANN, tokens.get(i).revealPlaintext(), CLIENT))
            .as("token %s after the run", i)
            .satisfies(
                v ->
                    assertThat(
                            deleted
                                ? Deployment.reasonOf(v) == RejectionReason.UNKNOWN
                                : v.isAuthenticated())
                        .isTrue());
      }
      assertThat(d.events(AuditEvent.TokenDeleted.class)).hasSize(TOKENS / 2);
      long late = 0;
      for (int i = 0; i < TOKENS; i++) {
        late += lateChecks.get(i);
      }
      System.out.println(
          "DeleteUnderLoadTest tellListeners="
              + tellListeners
              + ": "
              + verifications.get()
              + " verifications, "
              + late
              + " started after their delete returned, "
              + warmHits.get()
              + " cache hits of kept tokens, "
              + (store.finds.get() - findsWarm)
              + " store finds after warming (deletes included)");
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}
