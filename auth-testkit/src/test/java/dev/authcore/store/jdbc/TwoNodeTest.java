package dev.authcore.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.RejectionReason;
import dev.authcore.RotatedToken;
import dev.authcore.Verification;
import dev.authcore.model.Role;
import dev.authcore.model.TokenId;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.StoreListener;
import dev.authcore.store.InMemoryUserDirectory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Two gateway nodes, each an {@link AuthCore} with its own {@link PostgresTokenStore} and
 * connection pool, on one database: what one node changes, the other enforces within its cache
 * bound, and at once with notifications.
 *
 * <p>No assertion here is on time: waits are bounded generously and the measured propagation delays
 * are printed (search the test output for "propagation").
 */
class TwoNodeTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final InMemoryUserDirectory users =
      new InMemoryUserDirectory()
          .add("acme", "ann@example.com", Role.USER)
          .add("acme", "olga@example.com", Role.OWNER);
  private final List<AutoCloseable> opened = new ArrayList<>();
  private String schema = "";

  @BeforeEach
  void setUp(TestInfo info) {
    schema = EmbeddedDatabase.newSchema(info.getTestMethod().orElseThrow().getName());
  }

  @AfterEach
  void tearDown() throws Exception {
    Collections.reverse(opened);
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
  }

  private PostgresTokenStore store(DataSource pool, Consumer<PostgresTokenStore.Builder> options) {
    PostgresTokenStore.Builder builder =
        PostgresTokenStore.builder(pool).schema(schema).channel(schema);
    options.accept(builder);
    PostgresTokenStore store = builder.build();
    opened.add(store);
    return store;
  }

  private AuthCore node(PostgresTokenStore store, Duration cacheBound) {
    AuthCore core =
        AuthCore.builder()
            .tokenPrefix("acme")
            .users(users)
            .store(store)
            .cacheBound(cacheBound)
            .usageFlushInterval(Duration.ZERO)
            .build();
    opened.add(core);
    return core;
  }

  private static boolean authenticated(AuthCore node, IssuedToken token) {
    return node.verifier().verify("ann@example.com", token.revealPlaintext(), CLIENT)
        instanceof Verification.Authenticated;
  }

  private static RejectionReason reason(AuthCore node, IssuedToken token) {
    Verification v = node.verifier().verify("ann@example.com", token.revealPlaintext(), CLIENT);
    assertThat(v).isInstanceOf(Verification.Rejected.class);
    return ((Verification.Rejected) v).reason();
  }

  /** Polls {@code condition} until true; returns the milliseconds it took. */
  private static long awaitTrue(String what, Supplier<Boolean> condition)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + WAIT.toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " did not happen within " + WAIT);
      }
      Thread.sleep(2);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Heard changes with the nanoTime they arrived. */
  private static final class Arrivals implements StoreListener {
    final BlockingQueue<long[]> deleted = new LinkedBlockingQueue<>();
    final BlockingQueue<String> corps = new LinkedBlockingQueue<>();

    @Override
    public void tokenDeleted(TokenId id) {
      deleted.add(new long[] {id.asLong(), System.nanoTime()});
    }

    @Override
    public void corpChanged(String corp) {
      corps.add(corp);
    }

    long[] next() throws InterruptedException {
      long[] got = deleted.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (got == null) {
        throw new AssertionError("no deletion heard within " + WAIT);
      }
      return got;
    }
  }

  @Test
  void deleteOnA_rejectedOnBAtOnce_withNotifications() throws InterruptedException {
    AuthCore a = node(store(EmbeddedDatabase.nodeA(), o -> {}), Duration.ofHours(1));
    // An hour of cache and of polling: only a notification can make B reject within the wait.
    PostgresTokenStore storeB =
        store(
            EmbeddedDatabase.nodeB(),
            o -> o.pollInterval(Duration.ofHours(1)).notifications(EmbeddedDatabase.PGJDBC));
    Arrivals heard = new Arrivals();
    storeB.addListener(heard);
    AuthCore b = node(storeB, Duration.ofHours(1));
    warmUp(a, heard);
    IssuedToken token = a.issuer().issue("ann@example.com", "ci");
    assertThat(authenticated(b, token)).isTrue(); // now cached on B

    a.issuer().delete("ann@example.com", token.id());

    long millis = awaitTrue("B rejecting the deleted token", () -> !authenticated(b, token));
    assertThat(reason(b, token)).isEqualTo(RejectionReason.UNKNOWN);
    assertThat(reason(a, token)).isEqualTo(RejectionReason.UNKNOWN);
    System.out.println(
        "propagation: delete on A -> B rejects, with notifications: " + millis + " ms");
  }

  @Test
  void rotateOnA_oldSecretRejectedOnBAtOnce_newOneVerifies_withNotifications()
      throws InterruptedException {
    AuthCore a = node(store(EmbeddedDatabase.nodeA(), o -> {}), Duration.ofHours(1));
    // An hour of cache and of polling: only the feed's notification can make B drop the record.
    PostgresTokenStore storeB =
        store(
            EmbeddedDatabase.nodeB(),
            o -> o.pollInterval(Duration.ofHours(1)).notifications(EmbeddedDatabase.PGJDBC));
    Arrivals heard = new Arrivals();
    storeB.addListener(heard);
    AuthCore b = node(storeB, Duration.ofHours(1));
    warmUp(a, heard);
    IssuedToken old = a.issuer().issue("ann@example.com", "ci");
    assertThat(authenticated(b, old)).isTrue(); // now cached on B, with the old hash

    RotatedToken rotated = a.issuer().rotate("ann@example.com", old.id(), Duration.ZERO);

    assertThat(heard.next()[0]).isEqualTo(old.id().asLong()); // heard as a token change
    long millis = awaitTrue("B rejecting the old secret", () -> !authenticated(b, old));
    assertThat(reason(b, old)).isEqualTo(RejectionReason.INVALID);
    assertThat(authenticated(b, rotated.token())).isTrue();
    assertThat(authenticated(a, rotated.token())).isTrue();
    System.out.println(
        "propagation: rotate on A -> B rejects the old secret, with notifications: "
            + millis
            + " ms");
  }

  @Test
  void deleteOnA_rejectedOnBWithinCacheBound_withoutNotificationsOrPolling()
      throws InterruptedException {
    AuthCore a = node(store(EmbeddedDatabase.nodeA(), o -> {}), Duration.ofSeconds(1));
    AuthCore b =
        node(
            store(EmbeddedDatabase.nodeB(), o -> o.pollInterval(Duration.ofHours(1))),
            Duration.ofSeconds(1));
    IssuedToken token = a.issuer().issue("ann@example.com", "ci");
    assertThat(authenticated(b, token)).isTrue();

    long start = System.nanoTime();
    a.issuer().delete("ann@example.com", token.id());

    awaitTrue("B rejecting the deleted token", () -> !authenticated(b, token));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(reason(b, token)).isEqualTo(RejectionReason.UNKNOWN);
    System.out.println(
        "propagation: delete on A -> B rejects, cache bound 1 s alone: " + millis + " ms");
  }

  @Test
  void policyAndPermissionChangesOnA_enforcedOnB_withNotifications() throws InterruptedException {
    PostgresTokenStore storeA = store(EmbeddedDatabase.nodeA(), o -> {});
    AuthCore a = node(storeA, Duration.ofHours(1));
    PostgresTokenStore storeB =
        store(
            EmbeddedDatabase.nodeB(),
            o -> o.pollInterval(Duration.ofHours(1)).notifications(EmbeddedDatabase.PGJDBC));
    Arrivals heard = new Arrivals();
    storeB.addListener(heard);
    AuthCore b = node(storeB, Duration.ofHours(1));
    warmUp(a, heard);
    IssuedToken token = a.issuer().issue("ann@example.com", "ci");
    assertThat(authenticated(b, token)).isTrue();

    assertThat(
            storeA.replaceSettings(
                "acme", TokenSettings.defaults(), TokenSettings.defaults().withRestricted(true)))
        .isTrue();
    awaitTrue("B disabling the token", () -> !authenticated(b, token));
    assertThat(reason(b, token)).isEqualTo(RejectionReason.DISABLED);

    storeA.setPermission("acme", "ann@example.com", true);
    awaitTrue("B enabling the token again", () -> authenticated(b, token));
  }

  @Test
  void usageOnBothNodes_mergedInTheStore() throws InterruptedException {
    PostgresTokenStore storeA = store(EmbeddedDatabase.nodeA(), o -> {});
    AuthCore a = node(storeA, Duration.ofHours(1));
    AuthCore b = node(store(EmbeddedDatabase.nodeB(), o -> {}), Duration.ofHours(1));
    IssuedToken token = a.issuer().issue("ann@example.com", "ci");

    a.verifier().verifyWithAddressText("ann@example.com", token.revealPlaintext(), "10.0.0.1");
    b.verifier().verifyWithAddressText("ann@example.com", token.revealPlaintext(), "10.0.0.2");
    a.flushUsage();
    b.flushUsage();

    assertThat(storeA.find(token.id()).orElseThrow().recentIps())
        .containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
    assertThat(storeA.find(token.id()).orElseThrow().lastUsed()).isNotNull();
  }

  @Test
  void propagationDelay_measured() throws InterruptedException {
    PostgresTokenStore storeA = store(EmbeddedDatabase.nodeA(), o -> {});
    PostgresTokenStore notified =
        store(
            EmbeddedDatabase.nodeB(),
            o -> o.pollInterval(Duration.ofHours(1)).notifications(EmbeddedDatabase.PGJDBC));
    PostgresTokenStore polled =
        store(EmbeddedDatabase.nodeB(), o -> o.pollInterval(Duration.ofMillis(100)));
    Arrivals byNotification = new Arrivals();
    Arrivals byPolling = new Arrivals();
    notified.addListener(byNotification);
    polled.addListener(byPolling);
    AuthCore a = node(storeA, Duration.ofHours(1));
    warmUp(a, byNotification);
    byPolling.next();

    List<Long> notifiedMicros = new ArrayList<>();
    List<Long> polledMicros = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      IssuedToken token = a.issuer().issue("ann@example.com", "t" + i);
      long start = System.nanoTime();
      a.issuer().delete("ann@example.com", token.id());
      long[] n = byNotification.next();
      long[] p = byPolling.next();
      assertThat(n[0]).isEqualTo(token.id().asLong());
      assertThat(p[0]).isEqualTo(token.id().asLong());
      notifiedMicros.add((n[1] - start) / 1000);
      polledMicros.add((p[1] - start) / 1000);
    }
    System.out.println(
        "propagation: delete -> other node's listener, LISTEN/NOTIFY: " + stats(notifiedMicros));
    System.out.println(
        "propagation: delete -> other node's listener, polling every 100 ms: "
            + stats(polledMicros));
  }

  /** Makes one change and waits until {@code heard} has it: the feed is then running. */
  private static void warmUp(AuthCore a, Arrivals heard) throws InterruptedException {
    IssuedToken warm = a.issuer().issue("olga@example.com", "warm-up");
    a.issuer().delete("olga@example.com", warm.id());
    assertThat(heard.next()[0]).isEqualTo(warm.id().asLong());
  }

  private static String stats(List<Long> micros) {
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    return String.format(
        "n=%d min=%.1f ms p50=%.1f ms p90=%.1f ms max=%.1f ms (measured from calling delete,"
            + " which includes the deleting transaction)",
        sorted.size(),
        sorted.get(0) / 1000.0,
        sorted.get(sorted.size() / 2) / 1000.0,
        sorted.get(sorted.size() * 9 / 10) / 1000.0,
        sorted.get(sorted.size() - 1) / 1000.0);
  }
}
