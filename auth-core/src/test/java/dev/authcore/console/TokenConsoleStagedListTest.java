package dev.authcore.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.AuditEvent;
import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.RejectionReason;
import dev.authcore.Verification;
import dev.authcore.model.ConflictException;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.LockoutException;
import dev.authcore.model.Role;
import dev.authcore.net.ClientAddresses;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.StagedAllowList;
import dev.authcore.policy.TokenSettings;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import dev.authcore.testkit.FakeClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A corp allow list staged in report-only mode, across two nodes sharing one store. */
class TokenConsoleStagedListTest {
  private static final String OWNER = "olga@example.com";
  private static final String ANN = "ann@example.com";
  private static final InetAddress OFFICE = ClientAddresses.parse("10.0.0.7");
  private static final InetAddress HOME = ClientAddresses.parse("192.0.2.1");
  private static final InetAddress CAFE = ClientAddresses.parse("2001:db8::1");
  private static final IpAllowList OFFICE_ONLY = IpAllowList.parse("10.0.0.0/8");

  private final FakeClock clock = FakeClock.atDefaultStart();
  private final InMemoryTokenStore store = new InMemoryTokenStore();
  private final InMemoryUserDirectory users =
      new InMemoryUserDirectory().add("acme", OWNER, Role.OWNER).add("acme", ANN, Role.USER);
  private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

  /** Usage is written in batches every minute of real time: never within a test. */
  private final AuthCore nodeA = node();

  private final AuthCore nodeB = node();
  private final TokenConsole console = TokenConsole.of(nodeA);
  private final IssuedToken token = nodeA.issuer().issue(ANN, "ci");

  private AuthCore node() {
    return AuthCore.builder()
        .store(store)
        .users(users)
        .clock(clock)
        .usageFlushInterval(Duration.ofMinutes(1))
        .auditListener(events::add)
        .build();
  }

  @AfterEach
  void close() {
    nodeA.close();
    nodeB.close();
  }

  private Verification verify(AuthCore node, InetAddress from) {
    return node.verifier().verify(ANN, token.revealPlaintext(), from);
  }

  private TokenSettings stage(IpAllowList list) {
    return console.changeSettings(
        OWNER, s -> s.withStagedAllowedIps(list, clock.instant()), ChangeOptions.guarded());
  }

  private TokenRow row() {
    nodeA.flushUsage();
    nodeB.flushUsage();
    return console.listCorp(OWNER, TokenQuery.all()).rows().stream()
        .filter(r -> r.id().equals(token.id()))
        .findFirst()
        .orElseThrow();
  }

  private static StagedAllowList staged(TokenSettings settings) {
    return Objects.requireNonNull(settings.staged(), "no list staged");
  }

  private long blockedCount() {
    return Objects.requireNonNull(row().wouldBeBlocked(), "no counts").count();
  }

  private List<AuditEvent.WouldBeBlocked> wouldBeBlockedEvents() {
    return events.stream()
        .filter(AuditEvent.WouldBeBlocked.class::isInstance)
        .map(AuditEvent.WouldBeBlocked.class::cast)
        .toList();
  }

  @Test
  void stagedList_decidesNothing_butCountsWhatItWouldRefuse() {
    TokenSettings saved = stage(OFFICE_ONLY);
    assertThat(staged(saved).since()).isEqualTo(clock.instant());
    assertThat(saved.allowedIps().isEmpty()).isTrue();

    assertThat(verify(nodeA, HOME).isAuthenticated()).isTrue();
    assertThat(verify(nodeA, HOME).isAuthenticated()).isTrue();
    assertThat(verify(nodeA, OFFICE).isAuthenticated()).isTrue();
    assertThat(verify(nodeB, CAFE).isAuthenticated()).isTrue();

    WouldBeBlocked blocked = row().wouldBeBlocked();
    assertThat(blocked).isEqualTo(new WouldBeBlocked(3, List.of("2001:db8::1", "192.0.2.1")));
  }

  @Test
  void noStagedList_rowsCarryNoCounts_andTheUserListNever() {
    assertThat(verify(nodeA, HOME).isAuthenticated()).isTrue();
    assertThat(row().wouldBeBlocked()).isNull();
    stage(OFFICE_ONLY);
    assertThat(row().wouldBeBlocked()).isEqualTo(WouldBeBlocked.none());
    assertThat(console.listOwn(ANN).get(0).wouldBeBlocked()).isNull();
  }

  @Test
  void requestsRefusedForAnotherReason_areNotCounted() {
    console.changeSettings(
        OWNER,
        s -> s.withAllowedIps(IpAllowList.parse("10.0.0.0/8\n192.0.2.0/24")),
        ChangeOptions.guarded());
    stage(OFFICE_ONLY);
    assertThat(verify(nodeA, CAFE)).isInstanceOf(Verification.Rejected.class);
    Verification wrongUser = nodeA.verifier().verify(OWNER, token.revealPlaintext(), HOME);
    assertThat(wrongUser.isAuthenticated()).isFalse();
    assertThat(verify(nodeA, HOME).isAuthenticated()).isTrue();

    assertThat(row().wouldBeBlocked()).isEqualTo(new WouldBeBlocked(1, List.of("192.0.2.1")));
  }

  @Test
  void events_atMostOncePerTokenAndAddressPerHour() {
    stage(OFFICE_ONLY);
    for (int i = 0; i < 5; i++) {
      assertThat(verify(nodeA, HOME).isAuthenticated()).isTrue();
    }
    assertThat(verify(nodeA, CAFE).isAuthenticated()).isTrue();
    assertThat(wouldBeBlockedEvents())
        .extracting(AuditEvent.WouldBeBlocked::clientIp)
        .containsExactly("192.0.2.1", "2001:db8::1");
    AuditEvent.WouldBeBlocked first = wouldBeBlockedEvents().get(0);
    assertThat(first.tokenId()).isEqualTo(token.id());
    assertThat(first.tokenOwner()).isEqualTo(ANN);
    assertThat(first.corp()).isEqualTo("acme");
    assertThat(first.stagedSince()).isEqualTo(clock.instant());

    clock.advance(Duration.ofMinutes(59));
    assertThat(verify(nodeA, HOME).isAuthenticated()).isTrue();
    assertThat(wouldBeBlockedEvents()).hasSize(2);
    clock.advance(Duration.ofMinutes(1));
    assertThat(verify(nodeA, HOME).isAuthenticated()).isTrue();
    assertThat(wouldBeBlockedEvents()).hasSize(3);
    // Every request was counted all the same.
    assertThat(blockedCount()).isEqualTo(8);
  }

  @Test
  void restagingTheSameList_keepsItsCounts_anotherListStartsAfresh() {
    stage(OFFICE_ONLY);
    Instant since = clock.instant();
    assertThat(verify(nodeA, HOME).isAuthenticated()).isTrue();
    assertThat(blockedCount()).isEqualTo(1);

    clock.advance(Duration.ofMinutes(5));
    assertThat(staged(stage(IpAllowList.parse("10.0.0.0/8"))).since()).isEqualTo(since);
    assertThat(blockedCount()).isEqualTo(1);

    TokenSettings other = stage(IpAllowList.parse("10.0.0.0/16"));
    assertThat(staged(other).since()).isEqualTo(clock.instant());
    assertThat(row().wouldBeBlocked()).isEqualTo(WouldBeBlocked.none());
    assertThat(verify(nodeA, HOME).isAuthenticated()).isTrue();
    assertThat(blockedCount()).isEqualTo(1);
  }

  @Test
  void anotherListStagedInTheSameMillisecond_startsAfresh() {
    TokenSettings first = stage(OFFICE_ONLY);
    assertThat(verify(nodeA, HOME).isAuthenticated()).isTrue();
    assertThat(blockedCount()).isEqualTo(1);
    TokenSettings second = stage(IpAllowList.parse("10.0.0.0/16")); // the clock has not moved
    assertThat(staged(second).since()).isAfter(staged(first).since());
    assertThat(row().wouldBeBlocked()).isEqualTo(WouldBeBlocked.none());
  }

  @Test
  void countsStillInABatchForAnEarlierStaging_areDropped() {
    stage(OFFICE_ONLY);
    assertThat(verify(nodeB, HOME).isAuthenticated()).isTrue(); // B has not written it yet
    clock.advance(Duration.ofSeconds(1));
    stage(IpAllowList.parse("10.0.0.0/16")); // applies on A at once, on B within the cache bound
    nodeB.flushUsage();
    assertThat(row().wouldBeBlocked()).isEqualTo(WouldBeBlocked.none());
  }

  @Test
  void enforce_putsTheStagedListInForce_atomically() {
    stage(OFFICE_ONLY);
    assertThat(verify(nodeA, HOME).isAuthenticated()).isTrue();
    TokenSettings enforced =
        console.enforceStaged(OWNER, ChangeOptions.guarded().withActorAddress(OFFICE));
    assertThat(enforced.allowedIps()).isEqualTo(OFFICE_ONLY);
    assertThat(enforced.staged()).isNull();
    assertThat(console.settings(OWNER)).isEqualTo(enforced);
    assertThat(verify(nodeA, HOME))
        .matches(
            v ->
                v instanceof Verification.Rejected r
                    && r.reason() == RejectionReason.IP_NOT_ALLOWED);
    assertThat(verify(nodeA, OFFICE).isAuthenticated()).isTrue();
    assertThat(row().wouldBeBlocked()).isNull();
  }

  @Test
  void enforce_withNothingStaged_isAConflict_andChangesNothing() {
    TokenSettings before = console.settings(OWNER);
    assertThatThrownBy(() -> console.enforceStaged(OWNER, ChangeOptions.guarded()))
        .isInstanceOfSatisfying(
            ConflictException.class,
            e -> assertThat(e.kind()).isEqualTo(ConflictException.Kind.NOTHING_STAGED))
        .hasMessageContaining("no allow list staged");
    assertThat(console.settings(OWNER)).isEqualTo(before);
  }

  @Test
  void enforce_aListRefusingTheOwnersOwnAddress_needsConfirmation() {
    TokenSettings staged = stage(OFFICE_ONLY);
    ChangeOptions fromHome = ChangeOptions.guarded().withActorAddress(HOME);
    assertThatThrownBy(() -> console.enforceStaged(OWNER, fromHome))
        .isInstanceOf(LockoutException.class);
    assertThat(console.settings(OWNER)).isEqualTo(staged);
    assertThat(console.enforceStaged(OWNER, fromHome.withLockoutConfirmed(true)).allowedIps())
        .isEqualTo(OFFICE_ONLY);
  }

  @Test
  void discard_removesTheStagedListAndItsCounts() {
    stage(OFFICE_ONLY);
    assertThat(verify(nodeA, HOME).isAuthenticated()).isTrue();
    TokenSettings discarded =
        console.changeSettings(OWNER, s -> s.withStaged(null), ChangeOptions.guarded());
    assertThat(discarded.staged()).isNull();
    assertThat(row().wouldBeBlocked()).isNull();
    assertThat(verify(nodeA, HOME).isAuthenticated()).isTrue();
  }

  @Test
  void anEmptyStagedList_isRefusedWithAClearError() {
    assertThatThrownBy(() -> new StagedAllowList(IpAllowList.empty(), clock.instant()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("at least one entry");
    // Through the convenience method an empty list means "stage none".
    assertThat(TokenSettings.defaults().withStagedAllowedIps(IpAllowList.empty(), clock.instant()))
        .isEqualTo(TokenSettings.defaults());
  }

  @Test
  void preview_ofEnforcingTheStagedList_reportsWhatItWouldBlock() {
    TokenSettings staged = stage(OFFICE_ONLY);
    assertThat(verify(nodeA, HOME).isAuthenticated()).isTrue();
    nodeA.flushUsage();
    SettingsPreview preview = console.preview(OWNER, staged.withStagedEnforced(), HOME);
    assertThat(preview.wouldBeBlocked()).extracting(TokenRow::id).containsExactly(token.id());
    assertThat(preview.warnings()).isNotEmpty();
  }

  @Test
  void aChangeOfOtherSettings_keepsTheStagedList() {
    TokenSettings staged = stage(OFFICE_ONLY);
    TokenSettings after =
        console.changeSettings(OWNER, s -> s.withInactiveDays(30), ChangeOptions.guarded());
    assertThat(after.staged()).isEqualTo(staged.staged());
    assertThat(after.inactiveDays()).isEqualTo(30);
  }

  @Test
  void settingsChangedEvents_carryTheStagedList() {
    stage(OFFICE_ONLY);
    AuditEvent.SettingsChanged changed =
        events.stream()
            .filter(AuditEvent.SettingsChanged.class::isInstance)
            .map(AuditEvent.SettingsChanged.class::cast)
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(changed.before().staged()).isNull();
    assertThat(staged(changed.after()).allowedIps()).isEqualTo(OFFICE_ONLY);
  }
}
