package dev.authcore.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.Verification;
import dev.authcore.model.Role;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.TokenSettings;
import dev.authcore.store.InMemoryUserDirectory;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What {@link TokenConsole#preview} reports before an owner changes the corp's settings. */
class SettingsPreviewTest {
  private static final String OWNER = "olga@example.com";
  private static final String ANN = "ann@example.com";

  private final AuthCore core =
      AuthCore.builder()
          .users(
              new InMemoryUserDirectory()
                  .add("acme", OWNER, Role.OWNER)
                  .add("acme", ANN, Role.USER))
          .clock(InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z")))
          .usageFlushInterval(Duration.ZERO)
          .build();
  private final TokenConsole console = TokenConsole.of(core);

  @AfterEach
  void close() {
    core.close();
  }

  private static TokenSettings allowing(String allowList) {
    return TokenSettings.defaults().withAllowedIps(IpAllowList.parse(allowList));
  }

  /** Verifies the token from {@code ip} and writes the usage to the store. */
  private void useFrom(String email, IssuedToken token, String ip) throws Exception {
    Verification v =
        core.verifier().verify(email, token.revealPlaintext(), InetAddress.getByName(ip));
    assertThat(v.isAuthenticated()).as("verified from %s", ip).isTrue();
    core.flushUsage();
  }

  private static List<String> names(List<TokenRow> rows) {
    return rows.stream().map(TokenRow::name).toList();
  }

  @Test
  void isHarmless_onlyWhenEveryListIsEmpty() {
    core.issuer().issue(ANN, "ci");
    TokenRow row = console.listOwn(ANN).get(0);
    List<TokenRow> none = List.of();
    List<TokenRow> one = List.of(row);
    assertThat(new SettingsPreview(none, none, none, none, List.of()).isHarmless()).isTrue();
    assertThat(new SettingsPreview(one, none, none, none, List.of()).isHarmless()).isFalse();
    assertThat(new SettingsPreview(none, one, none, none, List.of()).isHarmless()).isFalse();
    assertThat(new SettingsPreview(none, none, one, none, List.of()).isHarmless()).isFalse();
    assertThat(new SettingsPreview(none, none, none, one, List.of()).isHarmless()).isFalse();
    assertThat(new SettingsPreview(none, none, none, none, List.of("w")).isHarmless()).isFalse();
  }

  @Test
  void preview_sameSettings_harmless() {
    core.issuer().issue(ANN, "ci");
    assertThat(console.preview(OWNER, TokenSettings.defaults()).isHarmless()).isTrue();
  }

  @Test
  void preview_allowListRefusingARecentAddress_listsTheTokenAsBlocked() throws Exception {
    IssuedToken ci = core.issuer().issue(ANN, "ci");
    core.issuer().issue(ANN, "unused");
    useFrom(ANN, ci, "10.1.2.3");

    SettingsPreview preview = console.preview(OWNER, allowing("192.0.2.0/24"));

    assertThat(names(preview.wouldBeBlocked())).containsExactly("ci");
    assertThat(preview.warnings()).noneMatch(w -> w.contains("your own tokens"));
  }

  @Test
  void preview_allowListKeepingEveryRecentAddress_blocksNothing() throws Exception {
    IssuedToken ci = core.issuer().issue(ANN, "ci");
    useFrom(ANN, ci, "10.1.2.3");

    SettingsPreview preview = console.preview(OWNER, allowing("10.0.0.0/8"));

    assertThat(preview.wouldBeBlocked()).isEmpty();
    assertThat(preview.isHarmless()).isTrue();
  }

  @Test
  void preview_ownTokenUsedFromARefusedAddress_warnsTheOwner() throws Exception {
    IssuedToken mine = core.issuer().issue(OWNER, "mine");
    useFrom(OWNER, mine, "10.1.2.3");

    SettingsPreview preview = console.preview(OWNER, allowing("192.0.2.0/24"));

    assertThat(names(preview.wouldBeBlocked())).containsExactly("mine");
    assertThat(preview.warnings()).anyMatch(w -> w.contains("your own tokens"));
  }

  @Test
  void preview_droppingTheAllowList_blocksNothing() throws Exception {
    IssuedToken ci = core.issuer().issue(ANN, "ci");
    useFrom(ANN, ci, "10.1.2.3");
    console.updateSettings(OWNER, allowing("10.0.0.0/8"));

    SettingsPreview preview = console.preview(OWNER, TokenSettings.defaults());

    assertThat(preview.wouldBeBlocked()).isEmpty();
    assertThat(preview.isHarmless()).isTrue();
  }

  @Test
  void preview_addressTheCurrentListAlreadyRefuses_notReportedAsNewlyBlocked() throws Exception {
    IssuedToken ci = core.issuer().issue(ANN, "ci");
    useFrom(ANN, ci, "10.1.2.3");
    console.updateSettings(OWNER, allowing("192.0.2.0/24"));

    SettingsPreview preview = console.preview(OWNER, allowing("198.51.100.0/24"));

    assertThat(preview.wouldBeBlocked()).isEmpty();
  }

  @Test
  void preview_tokenThatWouldBeDisabled_notAlsoListedAsBlocked() throws Exception {
    IssuedToken ci = core.issuer().issue(ANN, "ci");
    useFrom(ANN, ci, "10.1.2.3");
    console.setPermission(OWNER, OWNER, true);

    SettingsPreview preview = console.preview(OWNER, allowing("192.0.2.0/24").withRestricted(true));

    assertThat(names(preview.wouldBeDisabled())).containsExactly("ci");
    assertThat(preview.wouldBeBlocked()).isEmpty();
  }

  @Test
  void preview_restrictingWithNobodyPermitted_warnsThatEveryTokenStops() {
    SettingsPreview preview = console.preview(OWNER, TokenSettings.defaults().withRestricted(true));

    assertThat(preview.warnings())
        .anyMatch(w -> w.contains("Nobody holds the token permission"))
        .anyMatch(w -> w.contains("Grant yourself the permission"));
  }

  @Test
  void preview_restrictingWithOnlyTheOwnerPermitted_noWarning() {
    console.setPermission(OWNER, OWNER, true);

    SettingsPreview preview = console.preview(OWNER, TokenSettings.defaults().withRestricted(true));

    assertThat(preview.warnings()).isEmpty();
  }

  @Test
  void preview_restrictingWithOnlyAnotherUserPermitted_warnsAboutTheOwnerAndTheLockout() {
    console.setPermission(OWNER, ANN, true);

    SettingsPreview preview = console.preview(OWNER, TokenSettings.defaults().withRestricted(true));

    assertThat(preview.warnings())
        .satisfiesExactly(
            w -> assertThat(w).contains("Grant yourself the permission"),
            w -> assertThat(w).startsWith("No owner of the corp holds the token permission"));
  }

  @Test
  void preview_actorAddressAllowed_noWarning() throws Exception {
    SettingsPreview preview =
        console.preview(OWNER, allowing("10.0.0.0/8"), InetAddress.getByName("10.9.9.9"));

    assertThat(preview.warnings()).isEmpty();
  }
}
