package dev.authcore.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.AuditEvent;
import dev.authcore.AuthCore;
import dev.authcore.ExpirySweep;
import dev.authcore.model.Role;
import dev.authcore.store.InMemoryUserDirectory;
import dev.authcore.testkit.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Expiry notices on PostgreSQL: nodes sweeping one database at the same moment send each notice
 * once, and a node started afterwards (a restart) sends nothing already sent.
 */
class ExpiryNoticesPostgresTest {
  private final String schema = EmbeddedDatabase.newSchema("notices");
  private final FakeClock clock = FakeClock.atDefaultStart();
  private final InMemoryUserDirectory users = new InMemoryUserDirectory();
  private final List<AutoCloseable> closing = new ArrayList<>();

  ExpiryNoticesPostgresTest() {
    for (int u = 0; u < 6; u++) {
      users.add(u < 3 ? "acme" : "beta", "user" + u + "@example.com", Role.USER);
    }
  }

  /** A node: its own store instance on {@code pool}, its own deployment, its events. */
  private record Node(AuthCore core, List<AuditEvent> events) {
    long notices() {
      synchronized (events) {
        return events.stream()
            .filter(
                e ->
                    e instanceof AuditEvent.TokenExpiringSoon
                        || e instanceof AuditEvent.TokenExpired)
            .count();
      }
    }
  }

  private Node node(DataSource pool) {
    PostgresTokenStore store = PostgresTokenStore.builder(pool).schema(schema).build();
    List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
    AuthCore core =
        AuthCore.builder()
            .users(users)
            .store(store)
            .clock(clock)
            .usageFlushInterval(Duration.ZERO)
            .auditListener(events::add)
            .build();
    closing.add(store);
    closing.add(core);
    return new Node(core, events);
  }

  @AfterEach
  void close() throws Exception {
    Collections.reverse(closing);
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  @Test
  void nodesSweepingAtOnce_eachNoticeOnce_andARestartedNodeSendsNothingAgain() throws Exception {
    Node issuing = node(EmbeddedDatabase.nodeA());
    for (int u = 0; u < 6; u++) {
      for (int t = 0; t < 4; t++) {
        issuing.core().issuer().issue("user" + u + "@example.com", "t" + t, Duration.ofDays(1 + t));
      }
    }
    clock.advance(Duration.ofDays(1)); // per user: one expired, one 1 day off, two 2-3 days off
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      nodes.add(node(i % 2 == 0 ? EmbeddedDatabase.nodeA() : EmbeddedDatabase.nodeB()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
    long sent = 0;
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<ExpirySweep>> sweeps = new ArrayList<>();
      for (Node n : nodes) {
        Callable<ExpirySweep> sweep =
            () -> {
              start.await();
              return n.core().sweepExpiryNotices();
            };
        sweeps.add(pool.submit(sweep));
      }
      start.countDown();
      for (Future<ExpirySweep> sweep : sweeps) {
        ExpirySweep done = sweep.get(1, TimeUnit.MINUTES);
        assertThat(done.tokensScanned()).isEqualTo(24);
        assertThat(done.corpsScanned()).isEqualTo(2);
        sent += done.noticesSent();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(sent).isEqualTo(24);
    assertThat(nodes.stream().mapToLong(Node::notices).sum()).isEqualTo(24);

    Node restarted = node(EmbeddedDatabase.nodeB());
    assertThat(restarted.core().sweepExpiryNotices().noticesSent()).isZero();
    clock.advance(Duration.ofDays(1));
    ExpirySweep later = restarted.core().sweepExpiryNotices(); // 7-day notice already
    // per user: the 2-day token expires now, the 3-day one is 1 day off, the 4-day one had its
    assertThat(later.expiredNotices()).isEqualTo(6);
    assertThat(later.oneDayNotices()).isEqualTo(6);
    assertThat(later.noticesSent()).isEqualTo(12);
    assertThat(issuing.core().sweepExpiryNotices().noticesSent()).isZero();
  }
}
