package dev.authcore;

import static dev.authcore.Deployment.ANN;
import static dev.authcore.Deployment.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.StoreUnavailableException;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.TokenSettings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Refresh ahead and outage grace, on a hand-moved clock with background refreshes run when the test
 * says: a token in use is read again before its cache bound, off the request path; while the store
 * cannot be reached, what is cached is served up to the outage grace past the bound, and refused
 * after it; the deployment says once when it enters and once when it leaves outage mode.
 */
class OutageGraceTest {
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final Duration GRACE = Duration.ofSeconds(60);

  private final ManualExecutor refreshes = new ManualExecutor();
  private ControllableTokenStore store = new ControllableTokenStore(true);
  private Deployment d = deployment(b -> b);

  private Deployment deployment(UnaryOperator<AuthCore.Builder> more) {
    return new Deployment(
        store, b -> more.apply(b.cacheBound(BOUND).outageGrace(GRACE).refreshExecutor(refreshes)));
  }

  @AfterEach
  void close() {
    store.failing.set(false);
    d.close();
  }

  private boolean authenticated(IssuedToken token) {
    return d.verifier().verify(ANN, token.revealPlaintext(), CLIENT).isAuthenticated();
  }

  private void at(Duration sinceStart) {
    d.clock.set(START.plus(sinceStart));
  }

  @Test
  void busyToken_storeDown_servedWithinGrace_thenRefusedStoreUnavailable() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(authenticated(token)).isTrue(); // loaded at START
    store.failing.set(true);

    at(Duration.ofSeconds(8)); // past three quarters of the bound: refreshed in the background
    assertThat(authenticated(token)).isTrue();
    assertThat(refreshes.runPending()).isEqualTo(2); // token and corp settings; both fail
    assertThat(d.events(AuditEvent.OutageStarted.class))
        .containsExactly(new AuditEvent.OutageStarted(START.plusSeconds(8), GRACE));

    int finds = store.finds.get();
    for (long s : new long[] {10, 30, 69}) {
      at(Duration.ofSeconds(s));
      assertThat(authenticated(token)).as("%s s after the load", s).isTrue();
    }
    at(BOUND.plus(GRACE).minusMillis(1));
    assertThat(authenticated(token)).isTrue();
    assertThat(store.finds.get()).as("no store read on the request path").isEqualTo(finds);

    at(BOUND.plus(GRACE)); // bound plus grace: read again, and the store is still down
    assertThatThrownBy(() -> d.verifier().verify(ANN, token.revealPlaintext(), CLIENT))
        .isInstanceOf(StoreUnavailableException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token.revealPlaintext()));
    assertThat(d.events(AuditEvent.OutageStarted.class)).hasSize(1);
    assertThat(d.events(AuditEvent.OutageEnded.class)).isEmpty();
  }

  @Test
  void pastBound_firstFailedReadStartsOutageMode_andTheEntryIsServed() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(authenticated(token)).isTrue();
    store.failing.set(true);

    at(BOUND.plusSeconds(1)); // never refreshed (not used in between): read on this request
    assertThat(authenticated(token)).isTrue();
    assertThat(d.events(AuditEvent.OutageStarted.class))
        .containsExactly(new AuditEvent.OutageStarted(START.plus(BOUND).plusSeconds(1), GRACE));
    int finds = store.finds.get();
    assertThat(authenticated(token)).isTrue();
    assertThat(store.finds.get())
        .as("in outage mode: no read on the request path")
        .isEqualTo(finds);
  }

  @Test
  void graceZero_storeDown_nothingServedPastTheBound() {
    d.close();
    d = deployment(b -> b.outageGrace(Duration.ZERO));
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(authenticated(token)).isTrue();
    store.failing.set(true);
    at(BOUND.minusMillis(1));
    assertThat(authenticated(token)).isTrue();
    refreshes.runPending();
    at(BOUND);
    assertThatThrownBy(() -> d.verifier().verify(ANN, token.revealPlaintext(), CLIENT))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void outageMode_expiryStillComputedFromTheClock() {
    TokenSettings settings = store.settings("acme");
    assertThat(store.replaceSettings("acme", settings, settings.withExpiry(ExpiryPolicy.days(30))))
        .isTrue();
    IssuedToken token = d.issuer().issue(ANN, "ci"); // created at START: expires START + 30 days
    Duration expiry = Duration.ofDays(30);
    at(expiry.minusSeconds(20));
    assertThat(authenticated(token)).isTrue(); // loaded 20 s before it expires
    store.failing.set(true);

    at(expiry.minusMillis(1));
    assertThat(authenticated(token)).as("in outage mode, not yet expired").isTrue();
    assertThat(d.events(AuditEvent.OutageStarted.class)).hasSize(1);
    at(expiry);
    assertThat(Deployment.reasonOf(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT)))
        .isEqualTo(RejectionReason.EXPIRED);
  }

  @Test
  void hotToken_refreshedBeforeTheBound_neverReadOnTheRequestThread() {
    d.close();
    d = deployment(b -> b.outageGrace(Duration.ZERO)); // a read on the request path would fail
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(authenticated(token)).isTrue();
    int refreshed = 0;
    for (int second = 1; second <= 100; second++) {
      at(Duration.ofSeconds(second));
      store.failing.set(true); // the request thread may not reach the store...
      assertThat(authenticated(token)).as("at %s s", second).isTrue();
      store.failing.set(false); // ...the background refresh may
      refreshed += refreshes.runPending();
    }
    // Every 8 s (three quarters of the bound, rounded up to the next use), token and settings.
    assertThat(refreshed).isEqualTo(2 * (100 / 8));
  }

  @Test
  void refresh_seesDeletionMadeElsewhere_appliedBeforeTheBound() {
    d.close();
    store = new ControllableTokenStore(false); // changes by "another node": not heard
    d = deployment(b -> b);
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(authenticated(token)).isTrue();
    assertThat(store.delete(token.id())).isPresent();

    at(Duration.ofSeconds(8));
    assertThat(authenticated(token)).as("served while the refresh runs").isTrue();
    refreshes.runPending();
    assertThat(Deployment.reasonOf(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT)))
        .isEqualTo(RejectionReason.UNKNOWN);
    int finds = store.finds.get();
    assertThat(Deployment.reasonOf(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT)))
        .isEqualTo(RejectionReason.UNKNOWN);
    assertThat(store.finds.get()).as("remembered missing").isEqualTo(finds);
  }

  @Test
  void refresh_seesRestrictionMadeElsewhere_appliedBeforeTheBound() {
    d.close();
    store = new ControllableTokenStore(false);
    d = deployment(b -> b);
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(authenticated(token)).isTrue();
    TokenSettings before = store.settings("acme");
    assertThat(store.replaceSettings("acme", before, before.withRestricted(true))).isTrue();

    at(Duration.ofSeconds(8));
    assertThat(authenticated(token)).isTrue();
    refreshes.runPending();
    assertThat(Deployment.reasonOf(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT)))
        .isEqualTo(RejectionReason.DISABLED);
  }

  @Test
  void refresh_racingALocalDelete_doesNotPutTheTokenBack() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(authenticated(token)).isTrue();
    at(Duration.ofSeconds(8));
    assertThat(authenticated(token)).isTrue(); // refresh queued, holding the old entry
    d.issuer().delete(ANN, token.id());
    refreshes.runPending();
    assertThat(Deployment.reasonOf(d.verifier().verify(ANN, token.revealPlaintext(), CLIENT)))
        .isEqualTo(RejectionReason.UNKNOWN);
  }

  @Test
  void outageEvents_oncePerTransition_inOrder_secretFree() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    assertThat(authenticated(token)).isTrue();
    store.failing.set(true);
    at(BOUND);
    for (int i = 0; i < 5; i++) {
      assertThat(authenticated(token)).isTrue();
      refreshes.runPending(); // probes, failing
      d.clock.advance(Duration.ofSeconds(1));
    }
    assertThat(d.events(AuditEvent.OutageStarted.class)).hasSize(1);

    store.failing.set(false);
    assertThat(authenticated(token)).isTrue(); // starts a probe
    assertThat(d.events(AuditEvent.OutageEnded.class)).isEmpty();
    refreshes.runPending();
    d.clock.advance(Duration.ofSeconds(1));
    for (int i = 0; i < 5; i++) {
      assertThat(authenticated(token)).isTrue();
      refreshes.runPending();
    }
    assertThat(d.events(AuditEvent.OutageEnded.class))
        .containsExactly(
            new AuditEvent.OutageEnded(START.plus(BOUND).plusSeconds(5), START.plus(BOUND)));

    store.failing.set(true);
    at(BOUND.multipliedBy(3));
    assertThat(authenticated(token)).isTrue();
    assertThat(
            d.events.stream()
                .filter(
                    e ->
                        e instanceof AuditEvent.OutageStarted
                            || e instanceof AuditEvent.OutageEnded)
                .map(e -> e.getClass().getSimpleName())
                .toList())
        .containsExactly("OutageStarted", "OutageEnded", "OutageStarted");
    for (AuditEvent e : d.events) {
      assertThat(e.toString()).doesNotContain(token.revealPlaintext());
    }
    assertThat(d.events(AuditEvent.OutageStarted.class).get(0).corp()).isNull();
    assertThat(d.events(AuditEvent.OutageEnded.class).get(0).corp()).isNull();
  }

  @Test
  void missWhileDown_failsClosed_startsOutage_andRecoversWithoutRestart() {
    IssuedToken token = d.issuer().issue(ANN, "ci");
    store.failing.set(true);
    assertThatThrownBy(() -> d.verifier().verify(ANN, token.revealPlaintext(), CLIENT))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(d.events(AuditEvent.OutageStarted.class)).hasSize(1);
    store.failing.set(false);
    assertThat(authenticated(token)).isTrue();
    assertThat(d.events(AuditEvent.OutageEnded.class)).hasSize(1);
  }

  @Test
  void builder_outageGraceAndMaxConcurrentLoads_validated() {
    AuthCore.Builder b = AuthCore.builder();
    for (Duration bad :
        new Duration[] {
          Duration.ofMillis(-1), Duration.ofMillis(999), Duration.ofDays(1).plusMillis(1)
        }) {
      assertThatThrownBy(() -> b.outageGrace(bad))
          .as("%s", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("outage grace must be zero (disabled) or 1 second to 1 day, got " + bad);
    }
    b.outageGrace(Duration.ZERO).outageGrace(Duration.ofSeconds(1)).outageGrace(Duration.ofDays(1));
    for (int bad : new int[] {0, -1, 10_001}) {
      assertThatThrownBy(() -> b.maxConcurrentLoads(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("max concurrent loads must be 1 to 10,000, got " + bad);
    }
    b.maxConcurrentLoads(1).maxConcurrentLoads(10_000);
  }
}
