package dev.authcore;

import static dev.authcore.Deployment.ANN;
import static dev.authcore.Deployment.BOB;
import static dev.authcore.Deployment.OLGA;
import static dev.authcore.Deployment.OTTO;
import static dev.authcore.Deployment.reasonOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.console.SettingsPreview;
import dev.authcore.console.TokenAllowList;
import dev.authcore.console.TokenConsole;
import dev.authcore.console.TokenRow;
import dev.authcore.model.NotFoundException;
import dev.authcore.model.PermissionDeniedException;
import dev.authcore.model.TokenId;
import dev.authcore.net.AllowListException;
import dev.authcore.net.AllowListProblem;
import dev.authcore.net.ClientAddresses;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.ListenerRegistration;
import dev.authcore.spi.StoreListener;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.testkit.ForwardingTokenStore;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A token's own IP allow list, from the console's change to the verifier's answer. */
class TokenAllowListTest {
  private static final InetAddress OFFICE = ClientAddresses.parse("10.1.2.3");
  private static final InetAddress LAB = ClientAddresses.parse("10.2.0.9");
  private static final InetAddress HOME = ClientAddresses.parse("192.168.1.5");

  private final Deployment d = new Deployment();
  private final TokenConsole console = TokenConsole.of(d.core);

  @AfterEach
  void close() {
    d.close();
  }

  private Verification verify(IssuedToken token, InetAddress client) {
    return d.verifier().verify(token.ownerEmail(), token.revealPlaintext(), client);
  }

  private void corpList(String text) {
    console.updateSettings(OLGA, console.settings(OLGA).withAllowedIps(IpAllowList.parse(text)));
  }

  private TokenRow rowOf(String owner, TokenId id) {
    return console.listOwn(owner).stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void ownToken_setByItsUser_appliesAtOnceOnThisNode() {
    IssuedToken ci = d.issuer().issue(ANN, "ci");
    assertThat(verify(ci, HOME).isAuthenticated()).isTrue(); // cached before the change

    TokenAllowList saved = console.setAllowedIps(ANN, ci.id(), "# office\n10.1.0.0/16\n");

    assertThat(saved.allowedIps()).isEqualTo("10.1.0.0/16\n");
    assertThat(saved.warnings()).isEmpty();
    assertThat(verify(ci, OFFICE).isAuthenticated()).isTrue();
    assertThat(reasonOf(verify(ci, HOME))).isEqualTo(RejectionReason.IP_NOT_ALLOWED);
    assertThat(d.store.find(ci.id()).orElseThrow().allowedIps()).isEqualTo("10.1.0.0/16\n");
  }

  @Test
  void anyTokenOfTheCorp_setByAnOwner() {
    IssuedToken anns = d.issuer().issue(ANN, "ci");

    console.setAllowedIps(OLGA, anns.id(), "10.1.0.0/16");

    assertThat(reasonOf(verify(anns, HOME))).isEqualTo(RejectionReason.IP_NOT_ALLOWED);
    AuditEvent.TokenAllowListChanged event =
        d.events(AuditEvent.TokenAllowListChanged.class).get(0);
    assertThat(event.actor()).isEqualTo(OLGA);
    assertThat(event.tokenOwner()).isEqualTo(ANN);
    assertThat(event.tokenId()).isEqualTo(anns.id());
    assertThat(event.corp()).isEqualTo("acme");
    assertThat(event.allowedIps()).isEqualTo("10.1.0.0/16\n");
  }

  @Test
  void anotherUsersToken_refusedAsRotateIs_andNothingChanges() {
    IssuedToken anns = d.issuer().issue(ANN, "ci");

    assertThatThrownBy(() -> console.setAllowedIps(BOB, anns.id(), "10.1.0.0/16"))
        .isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining(BOB)
        .hasMessageContaining(anns.id().toString());
    assertThatThrownBy(() -> console.setAllowedIps(OTTO, anns.id(), "10.1.0.0/16"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("globex");
    assertThatThrownBy(() -> console.setAllowedIps(ANN, TokenId.fromLong(42), "10.1.0.0/16"))
        .isInstanceOf(NotFoundException.class);
    // the same answers rotate gives
    assertThatThrownBy(() -> d.issuer().rotate(BOB, anns.id(), Duration.ZERO))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> d.issuer().rotate(OTTO, anns.id(), Duration.ZERO))
        .isInstanceOf(NotFoundException.class);

    assertThat(d.store.find(anns.id()).orElseThrow().allowedIps()).isNull();
    assertThat(d.events(AuditEvent.TokenAllowListChanged.class)).isEmpty();
  }

  @Test
  void badText_refusedWithLineNumbers_nothingChanges() {
    IssuedToken ci = d.issuer().issue(ANN, "ci");
    console.setAllowedIps(ANN, ci.id(), "10.1.0.0/16");

    AllowListException e =
        (AllowListException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> console.setAllowedIps(ANN, ci.id(), "10.1.0.0/16\n010.0.0.1\n10.0.0.5/8\n"));

    assertThat(e.problems()).extracting(AllowListProblem::line).containsExactly(2, 3);
    assertThat(e.problems().get(1).reason()).contains("10.0.0.0/8");
    assertThat(rowOf(ANN, ci.id()).allowedIps()).isEqualTo("10.1.0.0/16\n");
  }

  @Test
  void bothLists_mustPass_andTheEventNamesTheListThatRefused() {
    corpList("10.0.0.0/8\n");
    IssuedToken ci = d.issuer().issue(ANN, "ci");
    console.setAllowedIps(ANN, ci.id(), "10.1.0.0/16\n192.168.1.0/24\n");

    assertThat(verify(ci, OFFICE).isAuthenticated()).isTrue(); // in both
    assertThat(reasonOf(verify(ci, LAB))).isEqualTo(RejectionReason.IP_NOT_ALLOWED); // corp only
    assertThat(reasonOf(verify(ci, HOME))).isEqualTo(RejectionReason.IP_NOT_ALLOWED); // token only

    List<AuditEvent.TokenRejected> rejected = d.events(AuditEvent.TokenRejected.class);
    assertThat(rejected)
        .extracting(AuditEvent.TokenRejected::clientIp, AuditEvent.TokenRejected::refusedBy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("10.2.0.9", AuditEvent.TokenRejected.TOKEN_LIST),
            org.assertj.core.groups.Tuple.tuple("192.168.1.5", AuditEvent.TokenRejected.CORP_LIST));
  }

  @Test
  void otherRejections_nameNoList() {
    IssuedToken ci = d.issuer().issue(ANN, "ci");
    d.verifier().verify(BOB, ci.revealPlaintext(), OFFICE);
    assertThat(d.events(AuditEvent.TokenRejected.class))
        .singleElement()
        .satisfies(e -> assertThat(e.refusedBy()).isNull());
  }

  @Test
  void whollyOutsideTheCorpList_refused_nothingChanges() {
    corpList("10.0.0.0/8\n");
    IssuedToken ci = d.issuer().issue(ANN, "ci");
    console.setAllowedIps(ANN, ci.id(), "10.1.0.0/16");

    assertThatThrownBy(() -> console.setAllowedIps(ANN, ci.id(), "192.168.0.0/16\n"))
        .isInstanceOfSatisfying(
            AllowListException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .satisfies(
                        p -> {
                          assertThat(p.line()).isZero();
                          assertThat(p.reason()).contains("could never pass both");
                        }));
    assertThat(rowOf(ANN, ci.id()).allowedIps()).isEqualTo("10.1.0.0/16\n");
    assertThat(d.events(AuditEvent.TokenAllowListChanged.class)).hasSize(1);
  }

  @Test
  void partlyOutsideTheCorpList_acceptedWithAWarningNamingThePart() {
    corpList("10.0.0.0/8\n");
    IssuedToken ci = d.issuer().issue(ANN, "ci");

    TokenAllowList saved =
        console.setAllowedIps(ANN, ci.id(), "10.1.0.0/16\n11.0.0.0/24\n192.168.1.7\n");

    assertThat(saved.allowedIps()).isEqualTo("10.1.0.0/16\n11.0.0.0/24\n192.168.1.7\n");
    assertThat(saved.warnings())
        .singleElement()
        .satisfies(
            w ->
                assertThat(w)
                    .contains("outside the corp's allow list")
                    .contains("11.0.0.0/24, 192.168.1.7")
                    .doesNotContain("10.1.0.0"));
  }

  @Test
  void noCorpList_everythingIsInside_andParserWarningsAreKept() {
    IssuedToken ci = d.issuer().issue(ANN, "ci");
    TokenAllowList saved = console.setAllowedIps(ANN, ci.id(), "10.1.0.0/16\n10.1.2.3\n");
    assertThat(saved.warnings()).singleElement().satisfies(w -> assertThat(w).contains("line 2"));
  }

  @Test
  void emptyText_removesTheList() {
    IssuedToken ci = d.issuer().issue(ANN, "ci");
    console.setAllowedIps(ANN, ci.id(), "10.1.0.0/16");
    assertThat(reasonOf(verify(ci, HOME))).isEqualTo(RejectionReason.IP_NOT_ALLOWED);

    TokenAllowList saved = console.setAllowedIps(ANN, ci.id(), " \n# none\n");

    assertThat(saved.allowedIps()).isEmpty();
    assertThat(verify(ci, HOME).isAuthenticated()).isTrue();
    assertThat(d.store.find(ci.id()).orElseThrow().allowedIps()).isNull();
    assertThat(rowOf(ANN, ci.id()).allowedIps()).isEmpty();
    assertThat(rowOf(ANN, ci.id()).hasOwnAllowList()).isFalse();
    assertThat(d.events(AuditEvent.TokenAllowListChanged.class))
        .extracting(AuditEvent.TokenAllowListChanged::allowedIps)
        .containsExactly("10.1.0.0/16\n", "");
  }

  @Test
  void listings_showWhetherATokenHasItsOwnList() {
    IssuedToken ci = d.issuer().issue(ANN, "ci");
    IssuedToken plain = d.issuer().issue(ANN, "plain");
    console.setAllowedIps(ANN, ci.id(), "2001:db8::/32\n10.1.0.0/16\n");

    assertThat(rowOf(ANN, ci.id()).allowedIps()).isEqualTo("10.1.0.0/16\n2001:db8::/32\n");
    assertThat(rowOf(ANN, ci.id()).hasOwnAllowList()).isTrue();
    assertThat(rowOf(ANN, plain.id()).allowedIps()).isEmpty();
    assertThat(console.listCorp(OLGA, dev.authcore.console.TokenQuery.all()).rows())
        .extracting(TokenRow::name, TokenRow::allowedIps)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("ci", "10.1.0.0/16\n2001:db8::/32\n"),
            org.assertj.core.groups.Tuple.tuple("plain", ""));
  }

  @Test
  void rotation_keepsTheList() {
    IssuedToken ci = d.issuer().issue(ANN, "ci");
    console.setAllowedIps(ANN, ci.id(), "10.1.0.0/16");

    RotatedToken rotated = d.issuer().rotate(ANN, ci.id(), Duration.ofHours(1));

    assertThat(d.store.find(ci.id()).orElseThrow().allowedIps()).isEqualTo("10.1.0.0/16\n");
    assertThat(reasonOf(verify(rotated.token(), HOME))).isEqualTo(RejectionReason.IP_NOT_ALLOWED);
    assertThat(verify(rotated.token(), OFFICE).isAuthenticated()).isTrue();
  }

  @Test
  void secondNodeOnTheSameStore_appliesAtOnceWhenTold() {
    InMemoryTokenStore shared = new InMemoryTokenStore();
    try (Deployment a = new Deployment(shared, x -> x);
        Deployment b = new Deployment(shared, x -> x.cacheBound(Duration.ofHours(1)))) {
      IssuedToken ci = a.issuer().issue(ANN, "ci");
      assertThat(b.verifier().verify(ANN, ci.revealPlaintext(), HOME).isAuthenticated())
          .isTrue(); // cached on b

      TokenConsole.of(a.core).setAllowedIps(ANN, ci.id(), "10.1.0.0/16");

      assertThat(reasonOf(b.verifier().verify(ANN, ci.revealPlaintext(), HOME)))
          .isEqualTo(RejectionReason.IP_NOT_ALLOWED);
      assertThat(b.verifier().verify(ANN, ci.revealPlaintext(), OFFICE).isAuthenticated()).isTrue();
    }
  }

  @Test
  void secondNodeNotTold_appliesWithinTheCacheBound() {
    InMemoryTokenStore shared = new InMemoryTokenStore();
    Duration bound = Duration.ofSeconds(30);
    try (Deployment a = new Deployment(shared, x -> x);
        Deployment b = new Deployment(new Silent(shared), x -> x.cacheBound(bound))) {
      IssuedToken ci = a.issuer().issue(ANN, "ci");
      assertThat(b.verifier().verify(ANN, ci.revealPlaintext(), HOME).isAuthenticated()).isTrue();

      TokenConsole.of(a.core).setAllowedIps(ANN, ci.id(), "10.1.0.0/16");

      // b still serves its cached copy within the bound, then reads the store again
      assertThat(b.verifier().verify(ANN, ci.revealPlaintext(), HOME).isAuthenticated()).isTrue();
      b.clock.advance(bound);
      assertThat(reasonOf(b.verifier().verify(ANN, ci.revealPlaintext(), HOME)))
          .isEqualTo(RejectionReason.IP_NOT_ALLOWED);
    }
  }

  @Test
  void unreadableStoredList_refusesEveryClient() {
    IssuedToken ci = d.issuer().issue(ANN, "ci");
    // written past the console, as a hand-edited database row could be
    d.store.setAllowedIps(ci.id(), "not a list\n");
    assertThat(reasonOf(verify(ci, OFFICE))).isEqualTo(RejectionReason.IP_NOT_ALLOWED);
  }

  @Test
  void preview_accountsForTokenLists() {
    IssuedToken lab = d.issuer().issue(ANN, "lab");
    IssuedToken office = d.issuer().issue(BOB, "office");
    IssuedToken plain = d.issuer().issue(OLGA, "plain");
    assertThat(verify(lab, HOME).isAuthenticated()).isTrue(); // before it had its own list
    console.setAllowedIps(ANN, lab.id(), "10.2.0.0/16");
    assertThat(verify(lab, LAB).isAuthenticated()).isTrue();
    assertThat(verify(office, OFFICE).isAuthenticated()).isTrue();
    assertThat(verify(plain, HOME).isAuthenticated()).isTrue();
    d.core.flushUsage();

    // The new corp list allows HOME and OFFICE, so "plain" and "office" keep working; "lab" was
    // used from HOME too, but its own list refuses HOME: with the new list it could pass both
    // lists from no address at all.
    SettingsPreview preview =
        console.preview(
            OLGA,
            TokenSettings.defaults()
                .withAllowedIps(IpAllowList.parse("10.1.0.0/16\n192.168.0.0/16\n")));

    assertThat(preview.wouldBeBlocked()).extracting(TokenRow::name).containsExactly("lab");
    assertThat(preview.warnings())
        .anySatisfy(w -> assertThat(w).contains("share no address").contains("lab"));

    SettingsPreview wider =
        console.preview(
            OLGA,
            TokenSettings.defaults()
                .withAllowedIps(IpAllowList.parse("10.0.0.0/8\n192.168.0.0/16\n")));
    assertThat(wider.wouldBeBlocked()).isEmpty();
    assertThat(wider.warnings()).noneSatisfy(w -> assertThat(w).contains("share no address"));
  }

  @Test
  void preview_tokenListThatAlreadyRefusesAnAddress_isNotNewlyBlockedThere() {
    IssuedToken ci = d.issuer().issue(ANN, "ci");
    assertThat(verify(ci, HOME).isAuthenticated()).isTrue();
    d.core.flushUsage();
    console.setAllowedIps(ANN, ci.id(), "10.1.0.0/16");

    // HOME is in ci's recent addresses, but ci's own list refuses it already: a corp list that
    // refuses HOME changes nothing for ci.
    SettingsPreview preview =
        console.preview(
            OLGA, TokenSettings.defaults().withAllowedIps(IpAllowList.parse("10.0.0.0/8\n")));
    assertThat(preview.wouldBeBlocked()).isEmpty();
  }

  @Test
  void laterCorpChange_thatPutsATokenListWhollyOutside_isAllowed_andTheTokenStopsPassing() {
    IssuedToken ci = d.issuer().issue(ANN, "ci");
    console.setAllowedIps(ANN, ci.id(), "10.1.0.0/16");

    corpList("10.2.0.0/16\n");

    assertThat(reasonOf(verify(ci, OFFICE))).isEqualTo(RejectionReason.IP_NOT_ALLOWED);
    assertThat(reasonOf(verify(ci, LAB))).isEqualTo(RejectionReason.IP_NOT_ALLOWED);
    assertThat(d.events(AuditEvent.TokenRejected.class))
        .extracting(AuditEvent.TokenRejected::refusedBy)
        .containsExactly(AuditEvent.TokenRejected.CORP_LIST, AuditEvent.TokenRejected.TOKEN_LIST);
  }

  /** A store that never tells this node of changes: caches expire on their bound only. */
  private static final class Silent extends ForwardingTokenStore {
    Silent(InMemoryTokenStore delegate) {
      super(delegate);
    }

    @Override
    public ListenerRegistration addListener(StoreListener listener) {
      return () -> {};
    }
  }
}
