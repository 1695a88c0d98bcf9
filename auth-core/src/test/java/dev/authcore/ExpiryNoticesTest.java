package dev.authcore;

import static dev.authcore.Deployment.ANN;
import static dev.authcore.Deployment.BOB;
import static dev.authcore.Deployment.OLGA;
import static dev.authcore.Deployment.START;
import static dev.authcore.Deployment.ZED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.console.ChangeOptions;
import dev.authcore.console.TokenConsole;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.policy.ExpiryNotice;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.ListPosition;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.testkit.ForwardingTokenStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AuthCore#sweepExpiryNotices()}: one notice per token per threshold (7 days and 1 day
 * before the effective expiry, and at expiry), never repeated across sweeps, restarts or nodes;
 * only the latest notice due after a retroactive policy change; nothing for disabled, deleted or
 * never-expiring tokens.
 */
class ExpiryNoticesTest {
  private static final Duration DAY = Duration.ofDays(1);
  private static final Duration MS = Duration.ofMillis(1);

  private final InMemoryTokenStore store = new InMemoryTokenStore();
  private final Deployment d = new Deployment(store, b -> b);
  private final TokenConsole console = TokenConsole.of(d.core);
  private final List<AutoCloseable> others = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    d.close();
    for (AutoCloseable other : others) {
      other.close();
    }
  }

  /** Every notice event published so far, as "KIND name": easy to compare whole. */
  private List<String> notices(Deployment on) {
    List<String> out = new ArrayList<>();
    synchronized (on.events) {
      for (AuditEvent e : on.events) {
        if (e instanceof AuditEvent.TokenExpiringSoon soon) {
          out.add((soon.threshold().toDays() == 7 ? "SEVEN_DAYS " : "ONE_DAY ") + soon.tokenName());
        } else if (e instanceof AuditEvent.TokenExpired expired) {
          out.add("EXPIRED " + expired.tokenName());
        }
      }
    }
    return out;
  }

  private List<String> notices() {
    return notices(d);
  }

  private void setExpiryDays(Integer days) {
    console.updateSettings(
        OLGA,
        console
            .settings(OLGA)
            .withExpiry(days == null ? ExpiryPolicy.never() : ExpiryPolicy.days(days)));
  }

  /** A second deployment on the same store: another node, or this one after a restart. */
  private Deployment otherNode() {
    Deployment other = new Deployment(store, b -> b);
    other.clock.set(d.clock.instant());
    others.add(other);
    return other;
  }

  // ---- the thresholds ------------------------------------------------------------------------

  @Test
  void ownExpiry_eachThresholdOnceInOrder() {
    d.issuer().issue(ANN, "ci", Duration.ofDays(30));
    assertThat(d.core.sweepExpiryNotices().noticesSent()).isZero();

    d.clock.advance(Duration.ofDays(23).minus(MS)); // 1 ms before "7 days before"
    assertThat(d.core.sweepExpiryNotices().noticesSent()).isZero();
    d.clock.advance(MS); // exactly 7 days before: due
    ExpirySweep first = d.core.sweepExpiryNotices();
    assertThat(first.sevenDayNotices()).isOne();
    assertThat(first.noticesSent()).isOne();
    assertThat(d.core.sweepExpiryNotices().noticesSent()).as("swept again").isZero();
    assertThat(notices()).containsExactly("SEVEN_DAYS ci");

    d.clock.advance(Duration.ofDays(6)); // exactly 1 day before
    assertThat(d.core.sweepExpiryNotices().oneDayNotices()).isOne();
    d.clock.advance(DAY.minus(MS));
    assertThat(d.core.sweepExpiryNotices().noticesSent()).isZero();
    d.clock.advance(MS); // at expiry: expired (equal means expired)
    assertThat(d.core.sweepExpiryNotices().expiredNotices()).isOne();
    d.clock.advance(Duration.ofDays(400));
    assertThat(d.core.sweepExpiryNotices().noticesSent()).isZero();

    assertThat(notices()).containsExactly("SEVEN_DAYS ci", "ONE_DAY ci", "EXPIRED ci");
  }

  @Test
  void events_carryTheTokenItsOwnerTheExpiryAndTheThreshold() {
    IssuedToken token = d.issuer().issue(ANN, "deploy key", Duration.ofDays(10));
    Instant expiry = START.plus(Duration.ofDays(10));
    d.clock.advance(Duration.ofDays(3));
    d.core.sweepExpiryNotices();
    d.clock.advance(Duration.ofDays(7));
    d.core.sweepExpiryNotices();

    assertThat(d.events(AuditEvent.TokenExpiringSoon.class))
        .containsExactly(
            new AuditEvent.TokenExpiringSoon(
                START.plus(Duration.ofDays(3)),
                "acme",
                token.id(),
                "deploy key",
                ANN,
                expiry,
                Duration.ofDays(7)));
    assertThat(d.events(AuditEvent.TokenExpired.class))
        .containsExactly(
            new AuditEvent.TokenExpired(expiry, "acme", token.id(), "deploy key", ANN, expiry));
  }

  @Test
  void corpPolicy_earlierThanOwnExpiry_wins() {
    d.issuer().issue(ANN, "ci", Duration.ofDays(100));
    setExpiryDays(10);
    d.clock.advance(Duration.ofDays(3)); // 7 days before the policy's expiry
    assertThat(d.core.sweepExpiryNotices().sevenDayNotices()).isOne();
    assertThat(d.events(AuditEvent.TokenExpiringSoon.class).get(0).expires())
        .isEqualTo(START.plus(Duration.ofDays(10)));
  }

  @Test
  void neverExpiring_noNotice() {
    d.issuer().issue(ANN, "forever");
    d.clock.advance(Duration.ofDays(5000));
    ExpirySweep sweep = d.core.sweepExpiryNotices();
    assertThat(sweep.tokensScanned()).isOne();
    assertThat(sweep.noticesSent()).isZero();
    assertThat(notices()).isEmpty();
  }

  @Test
  void sweep_reportsWhatItWalked() {
    d.issuer().issue(ANN, "a", Duration.ofDays(5));
    d.issuer().issue(BOB, "b");
    d.issuer().issue(ZED, "z", Duration.ofDays(1));
    ExpirySweep sweep = d.core.sweepExpiryNotices();
    assertThat(sweep)
        .isEqualTo(new ExpirySweep(START, 2, 3, 1, 1, 0)); // a: 7-day notice, z: 1-day notice
  }

  // ---- retroactive policy changes ------------------------------------------------------------

  @Test
  void policyChange_tokenNowExpiresIn3Days_oneSevenDayNoticeNotAFlood() {
    d.issuer().issue(ANN, "ci");
    d.clock.advance(Duration.ofDays(27));
    assertThat(d.core.sweepExpiryNotices().noticesSent()).isZero();

    setExpiryDays(30); // created 27 days ago: expires in 3 days
    ExpirySweep sweep = d.core.sweepExpiryNotices();
    assertThat(sweep.sevenDayNotices()).isOne();
    assertThat(sweep.noticesSent()).as("the 1-day notice is not due yet").isOne();
    for (int i = 0; i < 5; i++) {
      d.clock.advance(Duration.ofHours(1));
      assertThat(d.core.sweepExpiryNotices().noticesSent()).isZero();
    }
    assertThat(notices()).containsExactly("SEVEN_DAYS ci");

    d.clock.set(START.plus(Duration.ofDays(29))); // 1 day before
    d.core.sweepExpiryNotices();
    d.clock.set(START.plus(Duration.ofDays(30)));
    d.core.sweepExpiryNotices();
    assertThat(notices()).containsExactly("SEVEN_DAYS ci", "ONE_DAY ci", "EXPIRED ci");
  }

  @Test
  void policyChange_tokenNowExpiresIn12Hours_onlyTheOneDayNotice() {
    d.issuer().issue(ANN, "ci");
    d.clock.advance(Duration.ofDays(29).plusHours(12));
    setExpiryDays(30);
    ExpirySweep sweep = d.core.sweepExpiryNotices();
    assertThat(sweep.oneDayNotices()).isOne();
    assertThat(sweep.noticesSent()).isOne();
    assertThat(notices()).containsExactly("ONE_DAY ci");
  }

  @Test
  void policyChange_tokenAlreadyPastExpiry_onlyExpired_andNoExpiringSoonAfterwards() {
    d.issuer().issue(ANN, "ci");
    d.clock.advance(Duration.ofDays(60));
    setExpiryDays(30);
    ExpirySweep sweep = d.core.sweepExpiryNotices();
    assertThat(sweep.expiredNotices()).isOne();
    assertThat(sweep.noticesSent()).isOne();

    // The token comes back, and nears its expiry again: it was reported expired, no more notices.
    setExpiryDays(63);
    assertThat(d.core.sweepExpiryNotices().noticesSent()).isZero();
    d.clock.advance(Duration.ofDays(2).plusHours(12));
    assertThat(d.core.sweepExpiryNotices().noticesSent()).isZero();
    d.clock.advance(DAY);
    assertThat(d.core.sweepExpiryNotices().noticesSent()).isZero();
    assertThat(notices()).containsExactly("EXPIRED ci");
  }

  @Test
  void sweepsMissedForAWeek_onlyTheLatestNoticeDue() {
    d.issuer().issue(ANN, "ci", Duration.ofDays(10));
    d.clock.advance(Duration.ofDays(9).plusHours(1)); // 7-day threshold passed unswept
    d.core.sweepExpiryNotices();
    d.clock.advance(Duration.ofDays(30));
    d.core.sweepExpiryNotices();
    assertThat(notices()).containsExactly("ONE_DAY ci", "EXPIRED ci");
  }

  // ---- restarts and nodes --------------------------------------------------------------------

  @Test
  void restart_secondDeploymentOnTheSameStore_sendsNothingNew() {
    d.issuer().issue(ANN, "a", Duration.ofDays(5));
    d.issuer().issue(BOB, "b", Duration.ofDays(20));
    d.issuer().issue(ZED, "z", Duration.ofDays(1));
    d.clock.advance(DAY);
    assertThat(d.core.sweepExpiryNotices().noticesSent()).isEqualTo(2); // a: 7 days, z: expired
    d.close();

    Deployment restarted = otherNode();
    ExpirySweep again = restarted.core.sweepExpiryNotices();
    assertThat(again.tokensScanned()).isEqualTo(3);
    assertThat(again.noticesSent()).isZero();
    assertThat(notices(restarted)).isEmpty();

    // What falls due later is still sent, once, by whichever deployment sweeps first.
    restarted.clock.advance(Duration.ofDays(3));
    restarted.core.sweepExpiryNotices();
    assertThat(notices(restarted)).containsExactly("ONE_DAY a");
  }

  @Test
  void concurrentSweepsOnManyNodes_eachNoticeOnce() throws Exception {
    for (String user : List.of(ANN, BOB, ZED)) {
      for (int i = 0; i < 5; i++) {
        d.issuer().issue(user, "t" + i, Duration.ofDays(1 + i * 3L));
      }
    }
    d.clock.advance(Duration.ofDays(4)); // lifetimes 1, 4: expired; 7, 10: 7-day; 13: none yet
    List<Deployment> nodes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      nodes.add(otherNode());
    }
    ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<ExpirySweep>> sweeps = new ArrayList<>();
      for (Deployment node : nodes) {
        Callable<ExpirySweep> sweep =
            () -> {
              start.await();
              return node.core.sweepExpiryNotices();
            };
        sweeps.add(pool.submit(sweep));
      }
      start.countDown();
      long sent = 0;
      for (Future<ExpirySweep> sweep : sweeps) {
        sent += sweep.get(1, TimeUnit.MINUTES).noticesSent();
      }
      List<String> all = new ArrayList<>();
      for (Deployment node : nodes) {
        node.events(AuditEvent.TokenExpiringSoon.class)
            .forEach(e -> all.add(e.tokenId() + " " + e.threshold()));
        node.events(AuditEvent.TokenExpired.class).forEach(e -> all.add(e.tokenId() + " expired"));
      }
      assertThat(sent).isEqualTo(all.size()).isEqualTo(3 * 4);
      assertThat(all).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- who gets nothing ----------------------------------------------------------------------

  @Test
  void disabledToken_nothingWhileDisabled_latestDueOnceEnabledAgain() {
    d.issuer().issue(ANN, "ci", Duration.ofDays(10));
    console.setPermission(OLGA, OLGA, true);
    console.updateSettings(
        OLGA, console.settings(OLGA).withRestricted(true), ChangeOptions.guarded());
    d.clock.advance(Duration.ofDays(9).plusHours(12));
    assertThat(d.core.sweepExpiryNotices().noticesSent()).isZero();
    d.clock.advance(DAY);
    assertThat(d.core.sweepExpiryNotices().noticesSent()).isZero();

    console.setPermission(OLGA, ANN, true);
    assertThat(d.core.sweepExpiryNotices().expiredNotices()).isOne();
    assertThat(notices()).containsExactly("EXPIRED ci");
  }

  @Test
  void deletedToken_nothing() {
    IssuedToken token = d.issuer().issue(ANN, "ci", Duration.ofDays(10));
    d.clock.advance(Duration.ofDays(5));
    d.issuer().delete(ANN, token.id());
    ExpirySweep sweep = d.core.sweepExpiryNotices();
    assertThat(sweep.tokensScanned()).isZero();
    d.clock.advance(Duration.ofDays(10));
    assertThat(d.core.sweepExpiryNotices().noticesSent()).isZero();
    assertThat(notices()).isEmpty();
  }

  @Test
  void tokenDeletedDuringTheSweep_nothingForIt() {
    IssuedToken token = d.issuer().issue(ANN, "ci", Duration.ofDays(3));
    TokenStore deletingOnListing =
        new ForwardingTokenStore(store) {
          @Override
          public List<TokenRecord> listCorp(
              String corp, @Nullable String ownerEmail, @Nullable ListPosition after, int limit) {
            List<TokenRecord> page = super.listCorp(corp, ownerEmail, after, limit);
            delegate().delete(token.id()); // deleted after it was read, before its notice
            return page;
          }
        };
    Deployment racing = new Deployment(deletingOnListing, b -> b);
    others.add(racing);
    ExpirySweep sweep = racing.core.sweepExpiryNotices();
    assertThat(sweep.tokensScanned()).isOne();
    assertThat(sweep.noticesSent()).isZero();
    assertThat(notices(racing)).isEmpty();
  }

  // ---- scale and failures --------------------------------------------------------------------

  @Test
  void manyCorpsAndTokens_walkedInPages_everyNoticeOnce() {
    SplittableRandom random = new SplittableRandom(42);
    int corps = ExpiryNotices.CORP_PAGE + 30;
    for (int c = 0; c < corps; c++) {
      store.insert(record(random, "corp" + c, "u@example.com", "t", Duration.ofDays(2)), 5);
    }
    int big = ExpiryNotices.TOKEN_PAGE * 2 + 7;
    for (int i = 0; i < big; i++) {
      store.insert(
          record(random, "big", "u" + i + "@example.com", "t", Duration.ofDays(1 + i % 30)), 5);
    }
    CountingStore counting = new CountingStore(store);
    Deployment swept = new Deployment(counting, b -> b);
    others.add(swept);
    ExpirySweep sweep = swept.core.sweepExpiryNotices();
    long bigDue = 0;
    for (int i = 0; i < big; i++) {
      bigDue += 1 + i % 30 <= 7 ? 1 : 0;
    }
    assertThat(sweep.corpsScanned()).isEqualTo(corps + 1L);
    assertThat(sweep.tokensScanned()).isEqualTo(corps + (long) big);
    assertThat(sweep.noticesSent()).isEqualTo(corps + bigDue);
    assertThat(notices(swept)).hasSize((int) (corps + bigDue));
    // Corp pages, one settings read per corp (none restricted), token pages: no read per token.
    assertThat(counting.reads.get()).isLessThanOrEqualTo(2 + 2 * (corps + 1) + 3);

    counting.reads.set(0);
    assertThat(swept.core.sweepExpiryNotices().noticesSent()).isZero();
    assertThat(counting.notices.get())
        .as("notices already recorded cost no store write on the next sweep")
        .isEqualTo(corps + bigDue);
  }

  @Test
  void storeFailsMidSweep_throws_andTheNextSweepSendsTheRest() {
    d.issuer().issue(ANN, "a", Duration.ofDays(2));
    d.issuer().issue(ZED, "z", Duration.ofDays(2));
    AtomicInteger allowed = new AtomicInteger(1);
    TokenStore failing =
        new ForwardingTokenStore(store) {
          @Override
          public boolean recordNotice(TokenId id, ExpiryNotice notice) {
            if (allowed.getAndDecrement() <= 0) {
              throw new StoreUnavailableException("test: the store is down");
            }
            return super.recordNotice(id, notice);
          }
        };
    Deployment flaky = new Deployment(failing, b -> b);
    others.add(flaky);
    assertThatThrownBy(flaky.core::sweepExpiryNotices)
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(notices(flaky)).hasSize(1);

    allowed.set(100);
    assertThat(flaky.core.sweepExpiryNotices().noticesSent()).isOne();
    assertThat(notices(flaky)).containsExactlyInAnyOrder("SEVEN_DAYS a", "SEVEN_DAYS z");
  }

  @Test
  void noListeners_sweepStillRecords_soNothingIsSentLater() {
    d.issuer().issue(ANN, "ci", Duration.ofDays(2));
    try (AuthCore silent = AuthCore.builder().users(d.users).store(store).clock(d.clock).build()) {
      assertThat(silent.sweepExpiryNotices().sevenDayNotices()).isOne();
    }
    assertThat(d.core.sweepExpiryNotices().noticesSent()).isZero();
  }

  private static TokenRecord record(
      SplittableRandom random, String corp, String owner, String name, Duration lifetime) {
    return TokenRecord.issued(
        TokenId.fromLong(random.nextLong()),
        corp,
        owner,
        name,
        START,
        START.plus(lifetime),
        SecretHash.of(SecretHash.Algorithm.SHA256, null, new byte[SecretHash.LENGTH]));
  }

  /** Counts the sweep's store reads and notice records. */
  private static final class CountingStore extends ForwardingTokenStore {
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger notices = new AtomicInteger();

    CountingStore(TokenStore delegate) {
      super(delegate);
    }

    @Override
    public List<String> corpsWithTokens(@Nullable String after, int n) {
      reads.incrementAndGet();
      return super.corpsWithTokens(after, n);
    }

    @Override
    public TokenSettings settings(String corp) {
      reads.incrementAndGet();
      return super.settings(corp);
    }

    @Override
    public List<TokenRecord> listCorp(
        String corp, @Nullable String ownerEmail, @Nullable ListPosition after, int limit) {
      reads.incrementAndGet();
      return super.listCorp(corp, ownerEmail, after, limit);
    }

    @Override
    public boolean recordNotice(TokenId id, ExpiryNotice notice) {
      notices.incrementAndGet();
      return super.recordNotice(id, notice);
    }
  }
}
