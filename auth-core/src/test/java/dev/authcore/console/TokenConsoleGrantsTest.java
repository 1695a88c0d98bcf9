package dev.authcore.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.AuditEvent;
import dev.authcore.AuthCore;
import dev.authcore.AuthStats;
import dev.authcore.ExpirySweep;
import dev.authcore.IssuedToken;
import dev.authcore.RejectionReason;
import dev.authcore.Verification;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.LockoutException;
import dev.authcore.model.PermissionDeniedException;
import dev.authcore.model.Role;
import dev.authcore.policy.PermissionGrant;
import dev.authcore.policy.TokenSettings;
import dev.authcore.policy.TokenStatus;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import dev.authcore.testkit.FakeClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Grants of the token permission that end by themselves, across two nodes sharing one store. The
 * end is exclusive: the user holds the permission strictly before it.
 */
class TokenConsoleGrantsTest {
  private static final String OWNER = "olga@example.com";
  private static final String OTTO = "otto@example.com";
  private static final String ANN = "ann@example.com";
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  private final FakeClock clock = FakeClock.atDefaultStart();
  private final InMemoryTokenStore store = new InMemoryTokenStore();
  private final InMemoryUserDirectory users =
      new InMemoryUserDirectory()
          .add("acme", OWNER, Role.OWNER)
          .add("acme", OTTO, Role.OWNER)
          .add("acme", ANN, Role.USER);
  private final List<AuditEvent> eventsA = new CopyOnWriteArrayList<>();
  private final List<AuditEvent> eventsB = new CopyOnWriteArrayList<>();

  /**
   * Caches are bounded by an hour: an entry is reloaded only when older, or dropped by a change.
   */
  private final AuthCore nodeA = node(eventsA);

  private final AuthCore nodeB = node(eventsB);
  private final TokenConsole console = TokenConsole.of(nodeA);
  private final Instant start = clock.instant();
  private final Instant end = start.plus(Duration.ofDays(10));

  private AuthCore node(List<AuditEvent> events) {
    return AuthCore.builder()
        .store(store)
        .users(users)
        .clock(clock)
        .cacheBound(Duration.ofHours(1))
        .auditListener(events::add)
        .build();
  }

  @BeforeEach
  void restrictWithTheOwnerPermitted() {
    console.setPermission(OWNER, OWNER, true);
    console.updateSettings(OWNER, TokenSettings.defaults().withRestricted(true));
    eventsA.clear();
  }

  @AfterEach
  void close() {
    nodeA.close();
    nodeB.close();
  }

  private Verification verify(AuthCore node, IssuedToken token) {
    return node.verifier().verify(ANN, token.revealPlaintext(), CLIENT);
  }

  private static boolean disabled(Verification v) {
    return v instanceof Verification.Rejected r && r.reason() == RejectionReason.DISABLED;
  }

  private TokenRow row(IssuedToken token) {
    return console.listCorp(OWNER, TokenQuery.all()).rows().stream()
        .filter(r -> r.id().equals(token.id()))
        .findFirst()
        .orElseThrow();
  }

  private List<AuditEvent.PermissionExpired> expiredEvents() {
    List<AuditEvent.PermissionExpired> all = new ArrayList<>();
    for (AuditEvent e : eventsA) {
      if (e instanceof AuditEvent.PermissionExpired p) {
        all.add(p);
      }
    }
    for (AuditEvent e : eventsB) {
      if (e instanceof AuditEvent.PermissionExpired p) {
        all.add(p);
      }
    }
    return all;
  }

  private void grantAnnUntil(Instant until) {
    console.setPermission(OWNER, ANN, true, until, ChangeOptions.guarded());
  }

  @Test
  void grantWithEnd_heldBeforeIt_notAtTheEndInstant_norAfter() {
    grantAnnUntil(end);
    IssuedToken token = nodeA.issuer().issue(ANN, "ci");
    clock.set(end.minusMillis(1));
    assertThat(verify(nodeA, token).isAuthenticated()).isTrue();
    assertThat(verify(nodeB, token).isAuthenticated()).isTrue();
    assertThat(row(token).status()).isEqualTo(TokenStatus.ACTIVE);
    assertThat(console.permittedUsers(OWNER)).contains(ANN);

    // The end is exclusive: at exactly the end instant the permission is gone.
    clock.set(end);
    assertThat(disabled(verify(nodeA, token))).isTrue();
    assertThat(disabled(verify(nodeB, token))).isTrue();
    clock.advance(Duration.ofDays(3));
    assertThat(disabled(verify(nodeA, token))).isTrue();
  }

  @Test
  void afterTheEnd_tokensDisabledNotDeleted_listedDisabled_noNewTokens_grantRemembered() {
    grantAnnUntil(end);
    IssuedToken token = nodeA.issuer().issue(ANN, "ci");
    clock.set(end.plusSeconds(1));

    Verification v = verify(nodeA, token);
    assertThat(v).isInstanceOf(Verification.Rejected.class);
    // The same reason as a revoked permission.
    assertThat(((Verification.Rejected) v).reason()).isEqualTo(RejectionReason.DISABLED);
    assertThat(store.find(token.id())).isPresent();
    assertThat(row(token).status()).isEqualTo(TokenStatus.DISABLED);
    assertThat(console.listOwn(ANN))
        .extracting(TokenRow::status)
        .containsExactly(TokenStatus.DISABLED);
    assertThatThrownBy(() -> nodeA.issuer().issue(ANN, "another"))
        .isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("does not hold the token permission");

    assertThat(console.permittedUsers(OWNER)).containsExactly(OWNER);
    assertThat(console.permissionGrants(OWNER))
        .containsExactly(new PermissionGrant(ANN, end), PermissionGrant.unending(OWNER));
    assertThat(console.permissionGrant(OWNER, ANN)).contains(new PermissionGrant(ANN, end));
    assertThat(console.permissionGrant(OWNER, OTTO)).isEmpty();
  }

  @Test
  void endTakesEffect_onACachedTokenAndCorp_withNoStoreRead() {
    Instant soon = start.plus(Duration.ofMinutes(5)); // within the cache bound
    grantAnnUntil(soon);
    IssuedToken token = nodeA.issuer().issue(ANN, "ci");
    assertThat(verify(nodeA, token).isAuthenticated()).isTrue(); // caches token and corp
    AuthStats before = nodeA.stats();
    clock.set(soon.minusMillis(1));
    assertThat(verify(nodeA, token).isAuthenticated()).isTrue();
    clock.set(soon);
    assertThat(disabled(verify(nodeA, token))).isTrue();
    AuthStats delta = nodeA.stats().minus(before);
    assertThat(delta.corpCache().loadSuccessCount()).as("corp loads").isZero();
    assertThat(delta.tokenCache().loadSuccessCount()).as("token loads").isZero();
  }

  @Test
  void aNewGrant_bringsTheTokensBack() {
    grantAnnUntil(end);
    IssuedToken token = nodeA.issuer().issue(ANN, "ci");
    clock.set(end.plus(Duration.ofDays(1)));
    assertThat(disabled(verify(nodeB, token))).isTrue();

    console.setPermission(OWNER, ANN, true);
    assertThat(verify(nodeA, token).isAuthenticated()).isTrue();
    assertThat(row(token).status()).isEqualTo(TokenStatus.ACTIVE);
    assertThat(console.permissionGrant(OWNER, ANN)).contains(PermissionGrant.unending(ANN));

    // And a grant with a later end, until that end.
    Instant later = clock.instant().plus(Duration.ofDays(2));
    grantAnnUntil(later);
    assertThat(verify(nodeA, token).isAuthenticated()).isTrue();
    clock.set(later);
    assertThat(disabled(verify(nodeA, token))).isTrue();
  }

  @Test
  void anEndNotInTheFuture_isRefused_nothingChanged() {
    console.setPermission(OWNER, ANN, true);
    for (Instant bad : List.of(start, start.minusMillis(1), start.minus(Duration.ofDays(400)))) {
      assertThatThrownBy(() -> grantAnnUntil(bad))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.input()).isEqualTo("until"))
          .hasMessageContaining("must be in the future")
          .hasMessageContaining(bad.toString());
    }
    assertThat(console.permissionGrant(OWNER, ANN)).contains(PermissionGrant.unending(ANN));
    assertThat(eventsA).filteredOn(AuditEvent.PermissionChanged.class::isInstance).hasSize(1);
  }

  @Test
  void anEndWithARevocation_isRefused_nothingChanged() {
    console.setPermission(OWNER, ANN, true);
    assertThatThrownBy(() -> console.setPermission(OWNER, ANN, false, end, ChangeOptions.guarded()))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.input()).isEqualTo("until"))
        .hasMessageContaining("applies only to a grant");
    assertThat(console.permittedUsers(OWNER)).contains(ANN);
  }

  @Test
  void permissionChanged_carriesTheEnd_andAChangedEndIsAChange() {
    grantAnnUntil(end);
    grantAnnUntil(end); // the same grant again: no change, no event
    Instant later = end.plus(Duration.ofDays(1));
    grantAnnUntil(later);
    console.setPermission(OWNER, ANN, false);
    assertThat(eventsA)
        .filteredOn(AuditEvent.PermissionChanged.class::isInstance)
        .map(AuditEvent.PermissionChanged.class::cast)
        .extracting(
            AuditEvent.PermissionChanged::before,
            AuditEvent.PermissionChanged::after,
            AuditEvent.PermissionChanged::until)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(false, true, end),
            org.assertj.core.groups.Tuple.tuple(true, true, later),
            org.assertj.core.groups.Tuple.tuple(true, false, null));
  }

  @Test
  void revokingAnEndedGrant_removesIt_heldBeforeFalse() {
    grantAnnUntil(end);
    clock.set(end);
    eventsA.clear();
    console.setPermission(OWNER, ANN, false);
    assertThat(console.permissionGrants(OWNER)).containsExactly(PermissionGrant.unending(OWNER));
    assertThat(eventsA)
        .singleElement()
        .isEqualTo(new AuditEvent.PermissionChanged(end, "acme", OWNER, ANN, false, false));
  }

  @Test
  void endEvent_publishedOncePerGrantEnd_withTwoNodesSweeping() {
    grantAnnUntil(end);
    clock.set(end.minusMillis(1));
    assertThat(nodeA.sweepExpiryNotices().permissionEnds()).isZero();
    assertThat(expiredEvents()).isEmpty();

    clock.set(end.plusSeconds(30));
    ExpirySweep a = nodeA.sweepExpiryNotices();
    ExpirySweep b = nodeB.sweepExpiryNotices();
    assertThat(a.permissionEnds() + b.permissionEnds()).isEqualTo(1);
    assertThat(expiredEvents())
        .containsExactly(new AuditEvent.PermissionExpired(clock.instant(), "acme", ANN, end));
    clock.advance(Duration.ofDays(1));
    nodeA.sweepExpiryNotices();
    nodeB.sweepExpiryNotices();
    assertThat(expiredEvents()).hasSize(1);

    // A new grant that ends again is published again, once.
    Instant later = clock.instant().plus(Duration.ofHours(1));
    grantAnnUntil(later);
    clock.set(later);
    nodeB.sweepExpiryNotices();
    nodeA.sweepExpiryNotices();
    assertThat(expiredEvents()).hasSize(2);
    assertThat(expiredEvents().get(1).until()).isEqualTo(later);
  }

  @Test
  void endEvent_concurrentSweeps_publishOnce() throws Exception {
    for (int i = 0; i < 50; i++) {
      users.add("acme", "u" + i + "@example.com", Role.USER);
      console.setPermission(OWNER, "u" + i + "@example.com", true, end, ChangeOptions.guarded());
    }
    clock.set(end);
    Thread other = new Thread(nodeB::sweepExpiryNotices);
    other.start();
    nodeA.sweepExpiryNotices();
    other.join();
    assertThat(expiredEvents()).hasSize(50);
    assertThat(expiredEvents())
        .extracting(AuditEvent.PermissionExpired::user)
        .doesNotHaveDuplicates();
  }

  @Test
  void anUnrestrictedCorp_keepsTokensActive_afterTheEnd() {
    grantAnnUntil(end);
    IssuedToken token = nodeA.issuer().issue(ANN, "ci");
    console.updateSettings(OWNER, TokenSettings.defaults());
    clock.set(end.plusSeconds(1));
    assertThat(verify(nodeA, token).isAuthenticated()).isTrue();
    assertThat(row(token).status()).isEqualTo(TokenStatus.ACTIVE);
  }

  @Test
  void anOwnersOwnGrantWithAnEnd_thatWouldLeaveNoOwner_isRefusedUnlessConfirmed() {
    assertThatThrownBy(
            () -> console.setPermission(OWNER, OWNER, true, end, ChangeOptions.guarded()))
        .isInstanceOf(LockoutException.class)
        .hasMessageContaining("only until " + end);
    assertThat(console.permissionGrant(OWNER, OWNER)).contains(PermissionGrant.unending(OWNER));

    console.setPermission(
        OWNER, OWNER, true, end, ChangeOptions.guarded().withLockoutConfirmed(true));
    assertThat(console.permissionGrant(OWNER, OWNER)).contains(new PermissionGrant(OWNER, end));
  }

  @Test
  void anOwnersGrantWithAnEnd_isAllowed_whileAnotherOwnerHoldsItPastTheEnd() {
    console.setPermission(OWNER, OTTO, true, end.plusSeconds(1), ChangeOptions.guarded());
    console.setPermission(OWNER, OWNER, true, end, ChangeOptions.guarded());
    assertThat(console.permissionGrants(OWNER))
        .extracting(PermissionGrant::until)
        .containsExactly(end, end.plusSeconds(1));
    // Another owner's grant ending no later than this one does not count.
    assertThatThrownBy(() -> console.setPermission(OWNER, OTTO, true, end, ChangeOptions.guarded()))
        .isInstanceOf(LockoutException.class);
  }

  @Test
  void preview_judgesPermissionsHeldNow() {
    console.updateSettings(OWNER, TokenSettings.defaults());
    grantAnnUntil(end);
    IssuedToken token = nodeA.issuer().issue(ANN, "ci");
    SettingsPreview before = console.preview(OWNER, TokenSettings.defaults().withRestricted(true));
    assertThat(before.wouldBeDisabled()).isEmpty();
    clock.set(end);
    SettingsPreview after = console.preview(OWNER, TokenSettings.defaults().withRestricted(true));
    assertThat(after.wouldBeDisabled()).extracting(TokenRow::id).containsExactly(token.id());
  }

  @Test
  void permissionGrant_ofAnUnknownUser_isNotFound() {
    assertThatThrownBy(() -> console.permissionGrant(OWNER, "nobody@example.com"))
        .isInstanceOf(dev.authcore.model.NotFoundException.class);
    assertThatThrownBy(() -> console.permissionGrants(ANN))
        .isInstanceOf(PermissionDeniedException.class);
  }
}
