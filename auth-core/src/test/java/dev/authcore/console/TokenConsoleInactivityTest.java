package dev.authcore.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.RejectionReason;
import dev.authcore.Verification;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.Role;
import dev.authcore.policy.ExpiryCause;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.TokenSettings;
import dev.authcore.policy.TokenStatus;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import dev.authcore.testkit.FakeClock;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Expiry of tokens nobody uses, across two nodes sharing one store. */
class TokenConsoleInactivityTest {
  private static final String OWNER = "olga@example.com";
  private static final String ANN = "ann@example.com";
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
  private static final Duration MARGIN = TokenSettings.INACTIVITY_MARGIN;

  private final FakeClock clock = FakeClock.atDefaultStart();
  private final InMemoryTokenStore store = new InMemoryTokenStore();
  private final InMemoryUserDirectory users =
      new InMemoryUserDirectory().add("acme", OWNER, Role.OWNER).add("acme", ANN, Role.USER);

  /** Usage is written in batches, every minute of real time: never within a test. */
  private final AuthCore nodeA = node();

  private final AuthCore nodeB = node();
  private final TokenConsole console = TokenConsole.of(nodeA);

  private AuthCore node() {
    return AuthCore.builder()
        .store(store)
        .users(users)
        .clock(clock)
        .usageFlushInterval(Duration.ofMinutes(1))
        .build();
  }

  @AfterEach
  void close() {
    nodeA.close();
    nodeB.close();
  }

  private static boolean expired(Verification v) {
    return v instanceof Verification.Rejected r && r.reason() == RejectionReason.EXPIRED;
  }

  private Verification verify(AuthCore node, IssuedToken token) {
    return node.verifier().verify(ANN, token.revealPlaintext(), CLIENT);
  }

  private TokenRow row(IssuedToken token) {
    return console.listCorp(OWNER, TokenQuery.all()).rows().stream()
        .filter(r -> r.id().equals(token.id()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void tokenUsedOnNodeBWithinTheBatchDelay_notExpiredOnNodeA() {
    console.updateSettings(OWNER, TokenSettings.defaults().withInactiveDays(7));
    IssuedToken token = nodeA.issuer().issue(ANN, "ci");
    assertThat(verify(nodeA, token).isAuthenticated()).isTrue();
    nodeA.flushUsage();
    // Used on B a minute before the seven days run out; B's batch has not been written.
    clock.advance(Duration.ofDays(7).minusMinutes(1));
    assertThat(verify(nodeB, token).isAuthenticated()).isTrue();
    // Two minutes later A, whose view of the last use is seven days old, still accepts it.
    clock.advance(Duration.ofMinutes(2));
    assertThat(verify(nodeA, token).isAuthenticated()).isTrue();
    assertThat(row(token).status()).isEqualTo(TokenStatus.ACTIVE);
    // Once B's use has landed, the token lives on from it.
    nodeB.flushUsage();
    nodeA.flushUsage();
    clock.advance(Duration.ofDays(7).plus(MARGIN).minusMinutes(5));
    assertThat(verify(nodeA, token).isAuthenticated()).isTrue();
  }

  @Test
  void tokenNotUsedAnywhere_expiresOnEveryNodeAfterTheDaysAndTheMargin() {
    console.updateSettings(OWNER, TokenSettings.defaults().withInactiveDays(7));
    IssuedToken token = nodeA.issuer().issue(ANN, "ci");
    clock.advance(Duration.ofDays(7).plus(MARGIN).minusMillis(1));
    assertThat(verify(nodeA, token).isAuthenticated()).isTrue();
    nodeA.flushUsage();
    clock.advance(Duration.ofDays(7).plus(MARGIN));
    assertThat(expired(verify(nodeA, token))).isTrue();
    assertThat(expired(verify(nodeB, token))).isTrue();
    TokenRow row = row(token);
    assertThat(row.status()).isEqualTo(TokenStatus.EXPIRED);
    assertThat(row.expiredBy()).isEqualTo(ExpiryCause.INACTIVITY);
  }

  @Test
  void inactivity_isRetroactive_andLiftingItBringsTokensBack() {
    IssuedToken token = nodeA.issuer().issue(ANN, "ci");
    clock.advance(Duration.ofDays(40));
    assertThat(verify(nodeB, token).isAuthenticated()).isTrue();
    nodeB.flushUsage();
    clock.advance(Duration.ofDays(30));
    // Unused for 30 days, set before the limit existed: expired as soon as it is set.
    console.updateSettings(OWNER, TokenSettings.defaults().withInactiveDays(10));
    assertThat(expired(verify(nodeA, token))).isTrue();
    assertThat(row(token).expiredBy()).isEqualTo(ExpiryCause.INACTIVITY);
    console.updateSettings(OWNER, TokenSettings.defaults());
    assertThat(verify(nodeA, token).isAuthenticated()).isTrue();
    TokenRow back = row(token);
    assertThat(back.status()).isEqualTo(TokenStatus.ACTIVE);
    assertThat(back.expiredBy()).isNull();
  }

  @Test
  void theEarlierOfAgeAndInactivityWins_withItsCause() {
    IssuedToken usedLately = nodeA.issuer().issue(ANN, "used lately");
    IssuedToken unused = nodeA.issuer().issue(ANN, "unused");
    clock.advance(Duration.ofDays(25));
    assertThat(verify(nodeA, usedLately).isAuthenticated()).isTrue();
    nodeA.flushUsage();
    clock.advance(Duration.ofDays(10)); // day 35
    console.updateSettings(
        OWNER, TokenSettings.defaults().withExpiry(ExpiryPolicy.days(30)).withInactiveDays(7));
    // Both passed 30 days of age on day 30; the unused one was inactive from day 8 already.
    assertThat(row(usedLately).expiredBy()).isEqualTo(ExpiryCause.AGE);
    assertThat(row(unused).expiredBy()).isEqualTo(ExpiryCause.INACTIVITY);
    console.updateSettings(
        OWNER, TokenSettings.defaults().withExpiry(ExpiryPolicy.days(90)).withInactiveDays(7));
    // Used on day 25, inactive from day 33: before the 90 days of age.
    assertThat(row(usedLately).expiredBy()).isEqualTo(ExpiryCause.INACTIVITY);
    IssuedToken own = nodeA.issuer().issue(ANN, "own", Duration.ofDays(1));
    clock.advance(Duration.ofDays(2));
    assertThat(row(own).expiredBy()).isEqualTo(ExpiryCause.TOKEN);
    assertThat(row(own).status()).isEqualTo(TokenStatus.EXPIRED);
  }

  @Test
  void preview_reportsTokensTheLimitWouldExpireByInactivity() {
    IssuedToken idle = nodeA.issuer().issue(ANN, "idle");
    IssuedToken busy = nodeA.issuer().issue(ANN, "busy");
    clock.advance(Duration.ofDays(20));
    assertThat(verify(nodeB, busy).isAuthenticated()).isTrue();
    nodeB.flushUsage();
    SettingsPreview preview = console.preview(OWNER, TokenSettings.defaults().withInactiveDays(14));
    assertThat(preview.wouldExpire()).extracting(TokenRow::id).containsExactly(idle.id());
    assertThat(preview.wouldExpire().get(0).expiredBy()).isEqualTo(ExpiryCause.INACTIVITY);
    assertThat(console.settings(OWNER).inactiveDays()).isNull(); // a preview changes nothing
  }

  @Test
  void badInactiveDays_refused_andNothingChanges() {
    console.updateSettings(OWNER, TokenSettings.defaults().withInactiveDays(30));
    for (int days : new int[] {6, 366}) {
      assertThatThrownBy(
              () -> console.updateSettings(OWNER, console.settings(OWNER).withInactiveDays(days)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("inactiveDays");
    }
    assertThat(console.settings(OWNER).inactiveDays()).isEqualTo(30);
    assertThat(store.settings("acme").inactiveDays()).isEqualTo(30);
  }
}
