package dev.authcore;

import static dev.authcore.Deployment.ANN;
import static dev.authcore.Deployment.BOB;
import static dev.authcore.Deployment.OLGA;
import static dev.authcore.Deployment.OTTO;
import static dev.authcore.Deployment.ZED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.model.TokenId;
import dev.authcore.model.TokenLimitExceededException;
import dev.authcore.model.UserAccount;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-user limit (5 tokens by default) holds under concurrency: simultaneous creations for the
 * same user succeed exactly as often as there are free places and fail with {@link
 * TokenLimitExceededException} otherwise, and deletions racing creations never let a user hold more
 * than the limit.
 *
 * <p>Both tests have teeth: a store that counts a user's tokens and then inserts in a separate
 * step, with a tenth of a millisecond between (a database round trip), fails each of them at once.
 */
class TokenLimitStressTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
  private static final int LIMIT = 5;
  private static final List<String> USERS = List.of(ANN, BOB, OLGA, ZED, OTTO);

  /**
   * Each round, every user starts with a different number of tokens (0 to 5), then 24 creations per
   * user start at once from 8 threads. Exactly the free places are filled, per user.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void issue_simultaneousForSeveralUsers_exactlyTheFreePlacesFilled() throws Exception {
    int rounds = 12;
    int attemptsPerUser = 24;
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < rounds; round++) {
        try (Deployment d = new Deployment()) {
          int[] before = new int[USERS.size()];
          for (int u = 0; u < USERS.size(); u++) {
            int existing = (round + u) % (LIMIT + 1);
            before[u] = existing;
            for (int i = 0; i < existing; i++) {
              d.issuer().issue(USERS.get(u), "old" + i);
            }
          }
          AtomicIntegerArray issued = new AtomicIntegerArray(USERS.size());
          AtomicIntegerArray limited = new AtomicIntegerArray(USERS.size());
          ConcurrentLinkedQueue<IssuedToken> tokens = new ConcurrentLinkedQueue<>();
          ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
          CyclicBarrier start = new CyclicBarrier(threads);
          List<Future<?>> futures = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(
                pool.submit(
                    () -> {
                      start.await(30, TimeUnit.SECONDS);
                      // Interleave users so each user's creations come from every thread.
                      for (int i = thread; i < attemptsPerUser * USERS.size(); i += threads) {
                        int u = i % USERS.size();
                        String user = USERS.get(u);
                        try {
                          tokens.add(d.issuer().issue(user, "new" + i));
                          issued.incrementAndGet(u);
                        } catch (TokenLimitExceededException e) {
                          assertThat(e.limit()).isEqualTo(LIMIT);
                          limited.incrementAndGet(u);
                        } catch (RuntimeException e) {
                          unexpected.add(e);
                        }
                      }
                      return null;
                    }));
          }
          for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
          }

          assertThat(unexpected).as("round %s", round).isEmpty();
          for (int u = 0; u < USERS.size(); u++) {
            String user = USERS.get(u);
            int free = LIMIT - before[u];
            UserAccount account = d.users.find(user).orElseThrow();
            assertThat(issued.get(u)).as("round %s, %s created", round, user).isEqualTo(free);
            assertThat(limited.get(u))
                .as("round %s, %s refused", round, user)
                .isEqualTo(attemptsPerUser - free);
            assertThat(d.store.listByOwner(account.corp(), user))
                .as("round %s, %s stored", round, user)
                .hasSize(LIMIT);
          }
          assertThat(d.events(AuditEvent.TokenCreated.class))
              .hasSize(LIMIT * USERS.size()); // the old ones and the new ones
          for (IssuedToken token : tokens) {
            assertThat(
                    d.verifier()
                        .verify(token.ownerEmail(), token.revealPlaintext(), CLIENT)
                        .isAuthenticated())
                .as("round %s: created %s verifies", round, token.id())
                .isTrue();
          }
        }
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  /**
   * A user at the limit deletes and creates from several threads at once (deleting by themself or
   * through an owner), while a watcher reads the user's tokens from the store throughout. The
   * watcher never sees more than the limit; every creation that succeeded is stored and verifies,
   * every deletion took its token away, and what is left fills up to exactly the limit again.
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void deleteAndIssue_concurrently_neverMoreThanTheLimit() throws Exception {
    int threads = 4;
    int iterationsPerThread = 150;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try (Deployment d = new Deployment()) {
      ConcurrentLinkedQueue<IssuedToken> live = new ConcurrentLinkedQueue<>();
      for (int i = 0; i < LIMIT; i++) {
        live.add(d.issuer().issue(ANN, "start" + i));
      }
      Set<TokenId> deletedIds = ConcurrentHashMap.newKeySet();
      ConcurrentLinkedQueue<String> deletedPlaintexts = new ConcurrentLinkedQueue<>();
      AtomicInteger issued = new AtomicInteger();
      AtomicInteger limited = new AtomicInteger();
      ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
      AtomicBoolean churning = new AtomicBoolean(true);
      AtomicInteger mostSeen = new AtomicInteger();
      AtomicInteger watches = new AtomicInteger();

      Future<?> watcher =
          pool.submit(
              () -> {
                while (churning.get()) {
                  int size = d.store.listByOwner("acme", ANN).size();
                  mostSeen.accumulateAndGet(size, Math::max);
                  watches.incrementAndGet();
                }
                return null;
              });
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<?>> churners = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        churners.add(
            pool.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  for (int i = 0; i < iterationsPerThread; i++) {
                    try {
                      // Each token is taken from the queue by one thread only, so its delete
                      // must succeed.
                      IssuedToken victim = live.poll();
                      if (victim != null) {
                        d.issuer().delete(i % 2 == 0 ? ANN : OLGA, victim.id());
                        deletedIds.add(victim.id());
                        deletedPlaintexts.add(victim.revealPlaintext());
                      }
                      // Two creations per deletion keep the user at the limit most of the time.
                      for (int n = 0; n < 2; n++) {
                        try {
                          live.add(d.issuer().issue(ANN, "t" + thread + "-" + i + "-" + n));
                          issued.incrementAndGet();
                        } catch (TokenLimitExceededException e) {
                          limited.incrementAndGet();
                        }
                      }
                    } catch (RuntimeException e) {
                      unexpected.add(e);
                    }
                  }
                  return null;
                }));
      }
      try {
        for (Future<?> f : churners) {
          f.get(30, TimeUnit.SECONDS);
        }
      } finally {
        churning.set(false);
      }
      watcher.get(30, TimeUnit.SECONDS);

      assertThat(unexpected).isEmpty();
      assertThat(mostSeen.get()).as("most tokens seen at once").isLessThanOrEqualTo(LIMIT);
      assertThat(watches.get()).as("watcher ran").isPositive();
      int deletes = deletedIds.size();
      assertThat(deletes).as("deletions").isGreaterThanOrEqualTo(threads * iterationsPerThread / 4);
      assertThat(issued.get() + limited.get()).isEqualTo(2 * threads * iterationsPerThread);
      assertThat(limited.get()).as("creations refused at the limit").isPositive();

      Set<TokenId> expectedLive = new HashSet<>();
      for (IssuedToken token : live) {
        expectedLive.add(token.id());
      }
      assertThat(expectedLive).hasSize(LIMIT + issued.get() - deletes);
      Set<TokenId> stored = new HashSet<>();
      d.store.listByOwner("acme", ANN).forEach(r -> stored.add(r.id()));
      assertThat(stored).isEqualTo(expectedLive);
      assertThat(d.events(AuditEvent.TokenCreated.class)).hasSize(LIMIT + issued.get());
      assertThat(d.events(AuditEvent.TokenDeleted.class)).hasSize(deletes);
      for (IssuedToken token : live) {
        assertThat(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated())
            .as("live %s verifies", token.id())
            .isTrue();
      }
      for (String deleted : deletedPlaintexts) {
        assertThat(Deployment.reasonOf(d.verifier().verify(ANN, deleted, CLIENT)))
            .isEqualTo(RejectionReason.UNKNOWN);
      }

      int free = LIMIT - stored.size();
      int filled = 0;
      for (int i = 0; i < LIMIT + 1; i++) {
        try {
          d.issuer().issue(ANN, "fill" + i);
          filled++;
        } catch (TokenLimitExceededException e) {
          // the limit again
        }
      }
      assertThat(filled).as("places left after the churn").isEqualTo(free);
      assertThat(d.store.listByOwner("acme", ANN)).hasSize(LIMIT);
      System.out.println(
          "TokenLimitStressTest: "
              + deletes
              + " deletions, "
              + issued.get()
              + " creations, "
              + limited.get()
              + " refused at the limit, "
              + watches.get()
              + " watches, at most "
              + mostSeen.get()
              + " tokens seen");
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}
