package dev.authcore.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.common.testing.NullPointerTester;
import dev.authcore.AuditEvent;
import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.NotFoundException;
import dev.authcore.model.PermissionDeniedException;
import dev.authcore.model.Role;
import dev.authcore.model.TokenId;
import dev.authcore.model.UserAccount;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.TokenSettings;
import dev.authcore.policy.TokenStatus;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import dev.authcore.testkit.FakeClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TokenConsoleTest {
  private static final String OWNER = "olga@example.com";
  private static final String ANN = "ann@example.com";
  private static final String BOB = "bob@example.com";

  /**
   * Confirms restricting a corp where no owner holds the permission (not what these tests are
   * about).
   */
  private static final ChangeOptions CONFIRMED = ChangeOptions.guarded().withLockoutConfirmed(true);

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<AuditEvent> events = new ArrayList<>();
  private final InMemoryTokenStore store = new InMemoryTokenStore();
  private final AuthCore core =
      AuthCore.builder()
          .store(store)
          .users(
              new InMemoryUserDirectory()
                  .add("acme", OWNER, Role.OWNER)
                  .add("acme", ANN, Role.USER)
                  .add("acme", BOB, Role.USER)
                  .add("other", "eve@example.org", Role.OWNER))
          .clock(clock)
          .usageFlushInterval(Duration.ZERO)
          .auditListener(events::add)
          .build();
  private final TokenConsole console = TokenConsole.of(core);

  @AfterEach
  void close() {
    core.close();
  }

  private void advance(Duration by) {
    clock.advance(by);
  }

  @Test
  void ownerOperations_nonOwner_refusedAndNothingChanges() {
    IssuedToken bobs = core.issuer().issue(BOB, "bobs");
    TokenSettings restricted = TokenSettings.defaults().withRestricted(true);
    List<Executable> ownerOnly =
        List.of(
            () -> console.listCorp(ANN, TokenQuery.all()),
            () -> console.settings(ANN),
            () -> console.updateSettings(ANN, restricted),
            () -> console.preview(ANN, restricted),
            () -> console.setPermission(ANN, ANN, true),
            () -> console.permittedUsers(ANN),
            () -> console.delete(ANN, bobs.id()));
    for (Executable call : ownerOnly) {
      assertThatThrownBy(call::execute)
          .isInstanceOf(PermissionDeniedException.class)
          .hasMessageContaining(ANN);
    }
    assertThat(store.settings("acme")).isEqualTo(TokenSettings.defaults());
    assertThat(store.permittedUsers("acme")).isEmpty();
    assertThat(store.find(bobs.id())).isPresent();
  }

  @Test
  void account_knownActor_corpAndRoleAsTheDirectoryHasThem() {
    assertThat(console.account("OLGA@example.com"))
        .isEqualTo(new UserAccount("acme", OWNER, Role.OWNER));
    assertThat(console.account(ANN).isOwner()).isFalse();
  }

  @Test
  void account_unknownOrMalformedActor_refusedLikeEveryOperation() {
    assertThatThrownBy(() -> console.account("nobody@example.com"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("nobody@example.com");
    assertThatThrownBy(() -> console.account("not an email"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("actor email");
    assertThatThrownBy(() -> console.listOwn("nobody@example.com"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void everyMethod_nullArgument_nullPointerExceptionBeforeAnythingElse() {
    NullPointerTester tester =
        new NullPointerTester()
            .setDefault(AuthCore.class, core)
            .setDefault(String.class, "nobody")
            .setDefault(TokenId.class, TokenId.fromLong(1))
            .setDefault(TokenQuery.class, TokenQuery.all())
            .setDefault(TokenSettings.class, TokenSettings.defaults().withRestricted(true))
            .setDefault(ChangeOptions.class, ChangeOptions.guarded());
    tester.testAllPublicStaticMethods(TokenConsole.class);
    tester.testAllPublicInstanceMethods(console);
    assertThat(events).isEmpty();
    assertThat(store.settings("acme")).isEqualTo(TokenSettings.defaults());
  }

  @Test
  void of_null_throwsNullPointerException() {
    assertThatThrownBy(() -> TokenConsole.of(nullCore()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("core");
  }

  @SuppressWarnings("NullAway") // a caller without null checking may pass one
  private static AuthCore nullCore() {
    return null;
  }

  @Test
  void of_twice_bothWorkOnTheSameDeployment() {
    TokenConsole other = TokenConsole.of(core);
    other.updateSettings(OWNER, TokenSettings.defaults().withRestricted(true), CONFIRMED);
    assertThat(console.settings(OWNER).restricted()).isTrue();
    assertThat(events).hasSize(1);
  }

  @Test
  void listCorp_pagesThroughEveryTokenNewestFirstWithoutGapsOrRepeats() {
    Set<String> issued = new HashSet<>();
    for (String user : List.of(OWNER, ANN, BOB)) {
      for (int i = 0; i < 5; i++) {
        issued.add(core.issuer().issue(user, "t" + i).id().toString());
        advance(Duration.ofMinutes(1));
      }
    }
    List<TokenRow> seen = new ArrayList<>();
    TokenQuery query = TokenQuery.all().withLimit(4);
    while (true) {
      TokenPage page = console.listCorp(OWNER, query);
      seen.addAll(page.rows());
      if (page.nextCursor() == null) {
        break;
      }
      query = query.withCursor(page.nextCursor());
    }
    assertThat(seen).extracting(r -> r.id().toString()).containsExactlyInAnyOrderElementsOf(issued);
    for (int i = 1; i < seen.size(); i++) {
      assertThat(seen.get(i - 1).created()).isAfterOrEqualTo(seen.get(i).created());
    }
  }

  @Test
  void listCorp_filtersByCreatorNameAndStatus() {
    core.issuer().issue(ANN, "Deploy key");
    core.issuer().issue(ANN, "laptop");
    core.issuer().issue(BOB, "deploy-ci");
    core.issuer().issue(BOB, "short", Duration.ofDays(1));
    advance(Duration.ofDays(2));

    assertThat(console.listCorp(OWNER, TokenQuery.all().withCreator("ANN@example.com")).rows())
        .extracting(TokenRow::name)
        .containsExactlyInAnyOrder("Deploy key", "laptop");
    assertThat(console.listCorp(OWNER, TokenQuery.all().withNameContaining("DEPLOY")).rows())
        .extracting(TokenRow::name)
        .containsExactlyInAnyOrder("Deploy key", "deploy-ci");
    assertThat(console.listCorp(OWNER, TokenQuery.all().withStatus(TokenStatus.EXPIRED)).rows())
        .extracting(TokenRow::name)
        .containsExactly("short");
  }

  @Test
  void listCorp_expiringWithinDays_onlyTokensNotYetExpiredDueWithinTheWindow() {
    core.issuer().issue(ANN, "three", Duration.ofDays(3));
    core.issuer().issue(ANN, "seven", Duration.ofDays(7));
    core.issuer().issue(BOB, "eight", Duration.ofDays(8));
    core.issuer().issue(BOB, "gone", Duration.ofDays(1));
    core.issuer().issue(OWNER, "forever");
    advance(Duration.ofDays(1)); // gone: expired (now == expiry); three: 2 days; seven: 6 days
    assertThat(names(TokenQuery.all().withExpiringWithinDays(6)))
        .containsExactlyInAnyOrder("three", "seven"); // seven expires exactly 6 days from now
    assertThat(names(TokenQuery.all().withExpiringWithinDays(5))).containsExactly("three");
    assertThat(names(TokenQuery.all().withExpiringWithinDays(365)))
        .containsExactlyInAnyOrder("three", "seven", "eight");
    assertThat(names(TokenQuery.all().withExpiringWithinDays(7).withCreator(BOB)))
        .containsExactly("eight");

    // Under the policy in force now: a 2-day policy brings everything of 1 day ago within 1 day.
    console.updateSettings(OWNER, TokenSettings.defaults().withExpiry(ExpiryPolicy.days(2)));
    assertThat(names(TokenQuery.all().withExpiringWithinDays(1)))
        .containsExactlyInAnyOrder("three", "seven", "eight", "forever");
  }

  private List<String> names(TokenQuery query) {
    return console.listCorp(OWNER, query).rows().stream().map(TokenRow::name).toList();
  }

  @Test
  void listCorp_malformedCursor_refusedClearly() {
    assertThatThrownBy(() -> console.listCorp(OWNER, TokenQuery.all().withCursor("c1.x\n.y")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("malformed cursor")
        .hasMessageNotContaining("\n");
  }

  @Test
  void expiry_sixtyDayOldToken_expiresUnderThirtyAndReturnsUnderNinety() {
    IssuedToken token = core.issuer().issue(ANN, "old");
    advance(Duration.ofDays(60));
    assertThat(console.listOwn(ANN).get(0).status()).isEqualTo(TokenStatus.ACTIVE);

    console.updateSettings(OWNER, TokenSettings.defaults().withExpiry(ExpiryPolicy.days(30)));
    TokenRow row = console.listOwn(ANN).get(0);
    assertThat(row.status()).isEqualTo(TokenStatus.EXPIRED);
    assertThat(row.expires()).isEqualTo(token.created().plus(Duration.ofDays(30)));

    console.updateSettings(OWNER, TokenSettings.defaults().withExpiry(ExpiryPolicy.days(90)));
    assertThat(console.listOwn(ANN).get(0).status()).isEqualTo(TokenStatus.ACTIVE);
  }

  @Test
  void updateSettings_publishesBeforeAndAfter() {
    TokenSettings restricted = TokenSettings.defaults().withRestricted(true);
    console.updateSettings(OWNER, restricted, CONFIRMED);
    assertThat(events)
        .filteredOn(e -> e instanceof AuditEvent.SettingsChanged)
        .singleElement()
        .satisfies(
            e -> {
              AuditEvent.SettingsChanged changed = (AuditEvent.SettingsChanged) e;
              assertThat(changed.actor()).isEqualTo(OWNER);
              assertThat(changed.before()).isEqualTo(TokenSettings.defaults());
              assertThat(changed.after()).isEqualTo(restricted);
            });
  }

  @Test
  void restriction_disablesUntilGrantedAndGrantIsRemembered() {
    core.issuer().issue(ANN, "ci");
    console.setPermission(OWNER, OWNER, true);
    console.setPermission(OWNER, ANN, true);
    console.updateSettings(OWNER, TokenSettings.defaults().withRestricted(true));
    assertThat(console.listOwn(ANN).get(0).status()).isEqualTo(TokenStatus.ACTIVE);

    console.setPermission(OWNER, ANN, false);
    assertThat(console.listOwn(ANN).get(0).status()).isEqualTo(TokenStatus.DISABLED);

    console.setPermission(OWNER, ANN, true);
    console.updateSettings(OWNER, TokenSettings.defaults());
    console.updateSettings(OWNER, TokenSettings.defaults().withRestricted(true));
    assertThat(console.listOwn(ANN).get(0).status()).isEqualTo(TokenStatus.ACTIVE);
  }

  @Test
  void setPermission_userOfAnotherCorp_refused() {
    assertThatThrownBy(() -> console.setPermission(OWNER, "eve@example.org", true))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("no user");
  }

  @Test
  void setPermission_publishesOnlyActualChanges() {
    console.setPermission(OWNER, ANN, true);
    console.setPermission(OWNER, ANN, true);
    console.setPermission(OWNER, ANN, false);
    console.setPermission(OWNER, ANN, false);
    assertThat(events)
        .filteredOn(AuditEvent.PermissionChanged.class::isInstance)
        .map(AuditEvent.PermissionChanged.class::cast)
        .extracting(AuditEvent.PermissionChanged::before, AuditEvent.PermissionChanged::after)
        .containsExactly(tuple(false, true), tuple(true, false));
  }

  @Test
  void permittedUsers_listsExactlyTheGrantedUsers() {
    console.setPermission(OWNER, ANN, true);
    console.setPermission(OWNER, BOB, true);
    console.setPermission(OWNER, BOB, false);
    assertThat(console.permittedUsers(OWNER)).containsExactly(ANN);
  }

  @Test
  void preview_restrictingWithoutOwnPermission_warnsAndListsDisabledTokens() {
    core.issuer().issue(OWNER, "mine");
    core.issuer().issue(ANN, "hers");
    SettingsPreview preview = console.preview(OWNER, TokenSettings.defaults().withRestricted(true));
    assertThat(preview.wouldBeDisabled())
        .extracting(TokenRow::name)
        .containsExactlyInAnyOrder("mine", "hers");
    assertThat(preview.warnings()).anyMatch(w -> w.contains("Grant yourself the permission"));
    assertThat(store.settings("acme")).isEqualTo(TokenSettings.defaults());
  }

  @Test
  void preview_shorterExpiryAndBack_listsExpiringAndReturningTokens() {
    core.issuer().issue(ANN, "old");
    advance(Duration.ofDays(45));
    core.issuer().issue(ANN, "new");
    SettingsPreview toThirty =
        console.preview(OWNER, TokenSettings.defaults().withExpiry(ExpiryPolicy.days(30)));
    assertThat(toThirty.wouldExpire()).extracting(TokenRow::name).containsExactly("old");

    console.updateSettings(OWNER, TokenSettings.defaults().withExpiry(ExpiryPolicy.days(30)));
    SettingsPreview back = console.preview(OWNER, TokenSettings.defaults());
    assertThat(back.wouldComeBack()).extracting(TokenRow::name).containsExactly("old");
    assertThat(back.isHarmless()).isFalse();
  }

  @Test
  void preview_actorAddressRefused_warns() throws Exception {
    InetAddress actorAddress = InetAddress.getByName("192.0.2.7");
    TokenSettings proposed =
        TokenSettings.defaults().withAllowedIps(dev.authcore.net.IpAllowList.parse("10.0.0.0/8"));
    assertThat(console.preview(OWNER, proposed, actorAddress).warnings())
        .anyMatch(w -> w.contains("192.0.2.7"));
  }
}
