package dev.authcore.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.testing.EqualsTester;
import dev.authcore.AuditEvent;
import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.model.ConflictException;
import dev.authcore.model.LockoutException;
import dev.authcore.model.Role;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.TokenSettings;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import dev.authcore.testkit.FakeClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The console's lock-out guard: changes that could leave a corp with no owner able to act. */
class TokenConsoleLockoutTest {
  private static final String OLGA = "olga@example.com";
  private static final String OWEN = "owen@example.com";
  private static final String ANN = "ann@example.com";
  private static final TokenSettings RESTRICTED = TokenSettings.defaults().withRestricted(true);

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<AuditEvent> events = new ArrayList<>();
  private final InMemoryTokenStore store = new InMemoryTokenStore();
  private final InMemoryUserDirectory users =
      new InMemoryUserDirectory()
          .add("acme", OLGA, Role.OWNER)
          .add("acme", OWEN, Role.OWNER)
          .add("acme", ANN, Role.USER)
          .add("other", "eve@example.org", Role.OWNER);
  private final AuthCore core =
      AuthCore.builder()
          .store(store)
          .users(users)
          .clock(clock)
          .usageFlushInterval(Duration.ZERO)
          .auditListener(events::add)
          .build();
  private final TokenConsole console = TokenConsole.of(core);

  @AfterEach
  void close() {
    core.close();
  }

  private static InetAddress address(String text) throws Exception {
    return InetAddress.getByName(text);
  }

  private static TokenSettings allowing(String list) {
    return TokenSettings.defaults().withAllowedIps(IpAllowList.parse(list));
  }

  private List<AuditEvent> changes() {
    return events.stream()
        .filter(
            e ->
                e instanceof AuditEvent.SettingsChanged
                    || e instanceof AuditEvent.PermissionChanged)
        .toList();
  }

  // ---- restricting ---------------------------------------------------------------------------

  @Test
  void restrict_noOwnerHoldsThePermission_refusedWithThePreviewsWarnings_nothingChanges() {
    core.issuer().issue(OLGA, "mine");
    console.setPermission(OLGA, ANN, true); // a user, not an owner
    events.clear();
    SettingsPreview preview = console.preview(OLGA, RESTRICTED);

    assertThatThrownBy(() -> console.updateSettings(OLGA, RESTRICTED))
        .isInstanceOfSatisfying(
            LockoutException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ConflictException.Kind.LOCKOUT);
              assertThat(e.httpStatus()).isEqualTo(409);
              assertThat(e.warnings()).isEqualTo(preview.warnings());
              assertThat(e.warnings())
                  .anyMatch(w -> w.startsWith("No owner of the corp holds the token permission"));
              assertThat(e.getMessage())
                  .contains("acme", "No owner of the corp holds the token permission")
                  .contains("Nothing was changed");
            });
    assertThat(store.settings("acme")).isEqualTo(TokenSettings.defaults());
    assertThat(changes()).isEmpty();
  }

  @Test
  void restrict_nobodyHoldsThePermission_refused() {
    assertThatThrownBy(() -> console.updateSettings(OLGA, RESTRICTED))
        .isInstanceOf(LockoutException.class);
    assertThat(store.settings("acme").restricted()).isFalse();
  }

  @Test
  void restrict_confirmed_madeAndPublished() {
    TokenSettings now =
        console.updateSettings(
            OLGA, RESTRICTED, ChangeOptions.guarded().withLockoutConfirmed(true));
    assertThat(now).isEqualTo(RESTRICTED);
    assertThat(store.settings("acme")).isEqualTo(RESTRICTED);
    assertThat(changes()).singleElement().isInstanceOf(AuditEvent.SettingsChanged.class);
  }

  @Test
  void restrict_actingOwnerHoldsThePermission_madeWithoutConfirmation() {
    console.setPermission(OLGA, OLGA, true);
    assertThat(console.updateSettings(OLGA, RESTRICTED)).isEqualTo(RESTRICTED);
  }

  @Test
  void restrict_anotherOwnerHoldsThePermission_madeWithoutConfirmation() {
    console.setPermission(OLGA, OWEN, true);
    assertThat(console.updateSettings(OLGA, RESTRICTED)).isEqualTo(RESTRICTED);
    // The acting owner is still told that their own tokens stop working.
    assertThat(console.preview(OLGA, RESTRICTED).warnings())
        .anyMatch(w -> w.contains("Grant yourself the permission"))
        .noneMatch(w -> w.startsWith("No owner of the corp"));
  }

  @Test
  void restrict_onlyPermittedOwnerLeftTheDirectory_refused() {
    console.setPermission(OLGA, OWEN, true);
    users.remove(OWEN);
    assertThatThrownBy(() -> console.updateSettings(OLGA, RESTRICTED))
        .isInstanceOf(LockoutException.class);
  }

  @Test
  void restrict_onlyPermittedOwnerMovedToAnotherCorp_refused() {
    console.setPermission(OLGA, OWEN, true);
    users.remove(OWEN);
    users.add("other", OWEN, Role.OWNER);
    assertThatThrownBy(() -> console.updateSettings(OLGA, RESTRICTED))
        .isInstanceOf(LockoutException.class);
  }

  @Test
  void alreadyRestrictedWithNoOwnerPermitted_otherChangesNeedNoConfirmation() {
    console.updateSettings(OLGA, RESTRICTED, ChangeOptions.guarded().withLockoutConfirmed(true));
    TokenSettings thirtyDays = RESTRICTED.withExpiry(ExpiryPolicy.days(30));
    assertThat(console.updateSettings(OLGA, thirtyDays)).isEqualTo(thirtyDays);
    assertThat(console.updateSettings(OLGA, TokenSettings.defaults()))
        .isEqualTo(TokenSettings.defaults());
  }

  @Test
  void sameSettingsAgain_neverRefused() {
    console.updateSettings(OLGA, RESTRICTED, ChangeOptions.guarded().withLockoutConfirmed(true));
    assertThat(console.updateSettings(OLGA, RESTRICTED)).isEqualTo(RESTRICTED);
  }

  // ---- revoking ------------------------------------------------------------------------------

  @Test
  void revoke_lastPermittedOwnerWhileRestricted_refused_nothingChanges() {
    console.setPermission(OLGA, OLGA, true);
    console.setPermission(OLGA, ANN, true);
    console.updateSettings(OLGA, RESTRICTED);
    IssuedToken olgas = core.issuer().issue(OLGA, "mine");
    events.clear();

    assertThatThrownBy(() -> console.setPermission(OLGA, "OLGA@example.com", false))
        .isInstanceOfSatisfying(
            LockoutException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ConflictException.Kind.LOCKOUT);
              assertThat(e.warnings())
                  .singleElement()
                  .asString()
                  .contains(OLGA, "would leave no owner of the restricted corp holding it");
              assertThat(e.getMessage()).contains(OLGA, "acme", "Nothing was changed");
            });
    assertThat(store.permittedUsers("acme")).containsExactlyInAnyOrder(OLGA, ANN);
    assertThat(changes()).isEmpty();
    assertThat(
            core.verifier()
                .verify(OLGA, olgas.revealPlaintext(), InetAddress.getLoopbackAddress())
                .isAuthenticated())
        .isTrue();
  }

  @Test
  void revoke_lastPermittedOwnerByAnotherOwner_refused() {
    console.setPermission(OLGA, OWEN, true);
    console.updateSettings(OLGA, RESTRICTED);
    assertThatThrownBy(() -> console.setPermission(OLGA, OWEN, false))
        .isInstanceOf(LockoutException.class);
    assertThat(store.permittedUsers("acme")).containsExactly(OWEN);
  }

  @Test
  void revoke_lastPermittedOwnerConfirmed_revokedAndPublished() {
    console.setPermission(OLGA, OLGA, true);
    console.updateSettings(OLGA, RESTRICTED);
    events.clear();
    console.setPermission(OLGA, OLGA, false, ChangeOptions.guarded().withLockoutConfirmed(true));
    assertThat(store.permittedUsers("acme")).isEmpty();
    assertThat(changes()).singleElement().isInstanceOf(AuditEvent.PermissionChanged.class);
  }

  @Test
  void revoke_anotherOwnerStillPermitted_revokedWithoutConfirmation() {
    console.setPermission(OLGA, OLGA, true);
    console.setPermission(OLGA, OWEN, true);
    console.updateSettings(OLGA, RESTRICTED);
    console.setPermission(OLGA, OLGA, false);
    assertThat(store.permittedUsers("acme")).containsExactly(OWEN);
  }

  @Test
  void revoke_notRestricted_orAUser_orNotHeld_revokedWithoutConfirmation() {
    console.setPermission(OLGA, OLGA, true);
    console.setPermission(OLGA, OLGA, false); // the corp is not restricted
    assertThat(store.permittedUsers("acme")).isEmpty();

    console.setPermission(OLGA, OLGA, true);
    console.setPermission(OLGA, ANN, true);
    console.updateSettings(OLGA, RESTRICTED);
    console.setPermission(OLGA, ANN, false); // a user, not an owner
    console.setPermission(OLGA, OWEN, false); // an owner who does not hold it
    assertThat(store.permittedUsers("acme")).containsExactly(OLGA);
  }

  @Test
  void grant_neverRefused() {
    console.updateSettings(OLGA, RESTRICTED, ChangeOptions.guarded().withLockoutConfirmed(true));
    console.setPermission(OLGA, ANN, true);
    console.setPermission(OLGA, OLGA, true);
    assertThat(store.permittedUsers("acme")).containsExactlyInAnyOrder(ANN, OLGA);
  }

  // ---- the acting owner's address -------------------------------------------------------------

  @Test
  void allowListRefusingTheActorsAddress_refusedWithThePreviewsWarnings() throws Exception {
    InetAddress olgaAt = address("192.0.2.7");
    TokenSettings elsewhere = allowing("10.0.0.0/8\n10.0.0.1");
    SettingsPreview preview = console.preview(OLGA, elsewhere, olgaAt);
    ChangeOptions fromOlga = ChangeOptions.guarded().withActorAddress(olgaAt);

    assertThatThrownBy(() -> console.updateSettings(OLGA, elsewhere, fromOlga))
        .isInstanceOfSatisfying(
            LockoutException.class,
            e -> {
              assertThat(e.warnings()).isEqualTo(preview.warnings());
              assertThat(e.warnings())
                  .anyMatch(
                      w -> w.contains("refuses the address you are connected from (192.0.2.7)"))
                  .anyMatch(w -> w.startsWith("Allow list line 2"));
              assertThat(e.getMessage()).contains("192.0.2.7").doesNotContain("Allow list line");
            });
    assertThat(store.settings("acme")).isEqualTo(TokenSettings.defaults());
    assertThat(changes()).isEmpty();

    assertThat(console.updateSettings(OLGA, elsewhere, fromOlga.withLockoutConfirmed(true)))
        .isEqualTo(elsewhere);
  }

  @Test
  void allowListRefusingAnIpv4MappedActorAddress_refused() throws Exception {
    InetAddress mapped =
        InetAddress.getByAddress(
            new byte[] {
              0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 7
            });
    assertThatThrownBy(
            () ->
                console.updateSettings(
                    OLGA, allowing("10.0.0.0/8"), ChangeOptions.guarded().withActorAddress(mapped)))
        .isInstanceOf(LockoutException.class)
        .hasMessageContaining("192.0.2.7");
  }

  @Test
  void allowListAllowingTheActorsAddress_orAddressUnknown_madeWithoutConfirmation()
      throws Exception {
    ChangeOptions fromOlga = ChangeOptions.guarded().withActorAddress(address("10.1.2.3"));
    assertThat(console.updateSettings(OLGA, allowing("10.0.0.0/8"), fromOlga))
        .isEqualTo(allowing("10.0.0.0/8"));
    assertThat(console.updateSettings(OLGA, allowing("192.0.2.0/24")))
        .as("no address given: nothing to check it against")
        .isEqualTo(allowing("192.0.2.0/24"));
  }

  @Test
  void listAlreadyRefusingTheActor_otherChangesNeedNoConfirmation() throws Exception {
    TokenSettings elsewhere = allowing("10.0.0.0/8");
    ChangeOptions fromOutside = ChangeOptions.guarded().withActorAddress(address("192.0.2.7"));
    console.updateSettings(OLGA, elsewhere, fromOutside.withLockoutConfirmed(true));
    TokenSettings thirtyDays = elsewhere.withExpiry(ExpiryPolicy.days(30));
    assertThat(console.updateSettings(OLGA, thirtyDays, fromOutside)).isEqualTo(thirtyDays);
    assertThat(console.updateSettings(OLGA, TokenSettings.defaults(), fromOutside))
        .as("an empty list allows everyone")
        .isEqualTo(TokenSettings.defaults());
  }

  @Test
  void restrictAndRefuseTheActor_bothReasonsInTheMessage() throws Exception {
    TokenSettings both = allowing("10.0.0.0/8").withRestricted(true);
    assertThatThrownBy(
            () ->
                console.updateSettings(
                    OLGA, both, ChangeOptions.guarded().withActorAddress(address("192.0.2.7"))))
        .isInstanceOf(LockoutException.class)
        .hasMessageContaining("No owner of the corp holds the token permission")
        .hasMessageContaining("192.0.2.7");
  }

  // ---- the values ----------------------------------------------------------------------------

  @Test
  void changeOptions_immutableValues() throws Exception {
    InetAddress at = address("192.0.2.7");
    ChangeOptions guarded = ChangeOptions.guarded();
    assertThat(guarded.actorAddress()).isNull();
    assertThat(guarded.lockoutConfirmed()).isFalse();
    ChangeOptions confirmed = guarded.withActorAddress(at).withLockoutConfirmed(true);
    assertThat(confirmed.actorAddress()).isEqualTo(at);
    assertThat(confirmed.lockoutConfirmed()).isTrue();
    assertThat(guarded).isEqualTo(ChangeOptions.guarded());
    new EqualsTester()
        .addEqualityGroup(
            guarded,
            new ChangeOptions(null, false),
            confirmed.withActorAddress(null).withLockoutConfirmed(false))
        .addEqualityGroup(confirmed, new ChangeOptions(at, true))
        .addEqualityGroup(guarded.withLockoutConfirmed(true))
        .testEquals();
  }

  @Test
  void lockoutException_withoutWarnings_refused() {
    assertThatThrownBy(() -> new LockoutException("locked out", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    LockoutException e = new LockoutException("locked out", List.of("w"));
    assertThat(e.warnings()).containsExactly("w");
    assertThat(Set.copyOf(e.warnings())).hasSize(1);
  }
}
