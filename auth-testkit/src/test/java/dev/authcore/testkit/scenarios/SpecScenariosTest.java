package dev.authcore.testkit.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.AuditEvent;
import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.RejectionReason;
import dev.authcore.Verification;
import dev.authcore.console.TokenConsole;
import dev.authcore.console.TokenQuery;
import dev.authcore.console.TokenRow;
import dev.authcore.model.NotFoundException;
import dev.authcore.model.PermissionDeniedException;
import dev.authcore.model.Role;
import dev.authcore.model.TokenId;
import dev.authcore.model.TokenLimitExceededException;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * SPEC's rules, end to end through auth-core's public API (issuer, verifier, console) with a fake
 * clock and the in-memory store: the examples SPEC gives, each as one test.
 */
class SpecScenariosTest {
  private static final String OLGA = "olga@example.com"; // owner of acme
  private static final String ANN = "ann@example.com";
  private static final String BOB = "bob@example.com";
  private static final String BEA = "bea@example.org"; // owner of another corp
  private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  private final FakeClock clock = FakeClock.atDefaultStart();
  private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
  private final InMemoryTokenStore store = new InMemoryTokenStore();
  private final AuthCore core =
      AuthCore.builder()
          .tokenPrefix("acme")
          .users(
              new InMemoryUserDirectory()
                  .add("acme", OLGA, Role.OWNER)
                  .add("acme", ANN, Role.USER)
                  .add("acme", BOB, Role.USER)
                  .add("beta", BEA, Role.OWNER))
          .store(store)
          .clock(clock)
          .usageFlushInterval(Duration.ZERO)
          .auditListener(events::add)
          .build();
  private final TokenConsole console = TokenConsole.of(core);

  @AfterEach
  void close() {
    core.close();
  }

  private Verification verify(String email, IssuedToken token) {
    return core.verifier().verify(email, token.revealPlaintext(), CLIENT);
  }

  private static RejectionReason reason(Verification v) {
    assertThat(v).isInstanceOf(Verification.Rejected.class);
    return ((Verification.Rejected) v).reason();
  }

  private TokenRow row(String owner, TokenId id) {
    for (TokenRow row : console.listCorp(owner, TokenQuery.all().withLimit(1000)).rows()) {
      if (row.id().equals(id)) {
        return row;
      }
    }
    throw new AssertionError("no row for token " + id);
  }

  /** Confirmed: several scenarios restrict with no owner permitted on purpose. */
  private void setSettings(TokenSettings settings) {
    console.updateSettings(
        OLGA, settings, dev.authcore.console.ChangeOptions.guarded().withLockoutConfirmed(true));
  }

  @Test
  void limit5_thousandConcurrentIssuesForOneUser_exactlyFive() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String name = "token " + i;
      results.add(
          pool.submit(
              () -> {
                start.await();
                try {
                  core.issuer().issue(ANN, name);
                  return true;
                } catch (TokenLimitExceededException e) {
                  assertThat(e.limit()).isEqualTo(5);
                  return false;
                }
              }));
    }
    start.countDown();
    int issued = 0;
    for (Future<Boolean> result : results) {
      issued += result.get(60, TimeUnit.SECONDS) ? 1 : 0;
    }
    pool.shutdown();
    assertThat(issued).isEqualTo(5);
    assertThat(console.listOwn(ANN)).hasSize(5);
    assertThat(events).filteredOn(e -> e instanceof AuditEvent.TokenCreated).hasSize(5);
  }

  @Test
  void sixthToken_refusedUntilOneIsDeleted_expiredAndDisabledCount() {
    List<IssuedToken> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      five.add(core.issuer().issue(ANN, "t" + i, i == 0 ? Duration.ofDays(1) : null));
    }
    clock.advance(Duration.ofDays(2)); // the first token is expired now: it still counts
    assertThatThrownBy(() -> core.issuer().issue(ANN, "sixth"))
        .isInstanceOf(TokenLimitExceededException.class);
    core.issuer().delete(ANN, five.get(0).id());
    assertThat(core.issuer().issue(ANN, "sixth").name()).isEqualTo("sixth");
  }

  @Test
  void deleteThenVerify_rejectedAtOnce() {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    assertThat(verify(ANN, token).isAuthenticated()).isTrue();
    core.issuer().delete(ANN, token.id());
    assertThat(reason(verify(ANN, token))).isEqualTo(RejectionReason.UNKNOWN);
    assertThat(console.listOwn(ANN)).isEmpty();
  }

  @Test
  void ownerDeletesAnotherUsersToken_rejectedAtOnce() {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    assertThat(verify(ANN, token).isAuthenticated()).isTrue();
    console.delete(OLGA, token.id());
    assertThat(reason(verify(ANN, token))).isEqualTo(RejectionReason.UNKNOWN);
    assertThat(events)
        .filteredOn(e -> e instanceof AuditEvent.TokenDeleted)
        .singleElement()
        .satisfies(
            e -> {
              AuditEvent.TokenDeleted d = (AuditEvent.TokenDeleted) e;
              assertThat(d.actor()).isEqualTo(OLGA);
              assertThat(d.tokenOwner()).isEqualTo(ANN);
            });
  }

  @Test
  void expiry_sixtyDayOldToken_expiresUnder30_comesBackUnder90() {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    Instant created = token.created();
    clock.advance(Duration.ofDays(60));
    assertThat(verify(ANN, token).isAuthenticated()).as("no policy: never expires").isTrue();
    assertThat(row(OLGA, token.id()).expires()).isNull();

    setSettings(TokenSettings.defaults().withExpiry(ExpiryPolicy.days(30)));
    assertThat(reason(verify(ANN, token))).isEqualTo(RejectionReason.EXPIRED);
    assertThat(row(OLGA, token.id()).status()).isEqualTo(TokenStatus.EXPIRED);
    assertThat(row(OLGA, token.id()).expires()).isEqualTo(created.plus(Duration.ofDays(30)));

    setSettings(TokenSettings.defaults().withExpiry(ExpiryPolicy.days(90)));
    assertThat(verify(ANN, token).isAuthenticated()).isTrue();
    assertThat(row(OLGA, token.id()).status()).isEqualTo(TokenStatus.ACTIVE);
    assertThat(row(OLGA, token.id()).expires()).isEqualTo(created.plus(Duration.ofDays(90)));
  }

  @Test
  void expiry_exactlyAtCreatedPlusMaxAge_expired() {
    setSettings(TokenSettings.defaults().withExpiry(ExpiryPolicy.days(30)));
    IssuedToken token = core.issuer().issue(ANN, "ci");
    clock.set(token.created().plus(Duration.ofDays(30)).minusMillis(1));
    assertThat(verify(ANN, token).isAuthenticated()).as("one millisecond before").isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(reason(verify(ANN, token)))
        .as("at created + 30 days")
        .isEqualTo(RejectionReason.EXPIRED);
  }

  @Test
  void ownLifetime_andPolicy_earlierWins() {
    setSettings(TokenSettings.defaults().withExpiry(ExpiryPolicy.days(90)));
    IssuedToken token = core.issuer().issue(ANN, "ci", Duration.ofDays(10));
    assertThat(row(OLGA, token.id()).expires())
        .isEqualTo(token.created().plus(Duration.ofDays(10)));
    clock.advance(Duration.ofDays(10));
    assertThat(reason(verify(ANN, token))).isEqualTo(RejectionReason.EXPIRED);
  }

  @Test
  void restriction_ownersMustGrantThemselves() {
    IssuedToken olgas = core.issuer().issue(OLGA, "admin");
    IssuedToken anns = core.issuer().issue(ANN, "ci");
    assertThat(console.preview(OLGA, TokenSettings.defaults().withRestricted(true)).warnings())
        .anySatisfy(w -> assertThat(w).contains("You do not hold the token permission"));

    setSettings(TokenSettings.defaults().withRestricted(true));
    assertThat(reason(verify(OLGA, olgas))).isEqualTo(RejectionReason.DISABLED);
    assertThat(reason(verify(ANN, anns))).isEqualTo(RejectionReason.DISABLED);
    assertThatThrownBy(() -> core.issuer().issue(OLGA, "another"))
        .isInstanceOf(PermissionDeniedException.class);
    assertThat(console.listCorp(OLGA, TokenQuery.all()).rows())
        .as("restricting deletes nothing")
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(TokenStatus.DISABLED));

    console.setPermission(OLGA, OLGA, true);
    assertThat(verify(OLGA, olgas).isAuthenticated()).as("a grant takes effect at once").isTrue();
    assertThat(core.issuer().issue(OLGA, "another").name()).isEqualTo("another");
    assertThat(reason(verify(ANN, anns))).isEqualTo(RejectionReason.DISABLED);
    assertThat(row(OLGA, anns.id()).status()).isEqualTo(TokenStatus.DISABLED);
  }

  @Test
  void grant_rememberedAcrossRestrictionOffAndOn() {
    IssuedToken anns = core.issuer().issue(ANN, "ci");
    IssuedToken bobs = core.issuer().issue(BOB, "ci");
    console.setPermission(OLGA, ANN, true);
    setSettings(TokenSettings.defaults().withRestricted(true));
    assertThat(verify(ANN, anns).isAuthenticated()).isTrue();
    assertThat(reason(verify(BOB, bobs))).isEqualTo(RejectionReason.DISABLED);

    setSettings(TokenSettings.defaults());
    assertThat(verify(BOB, bobs).isAuthenticated()).as("off: everyone").isTrue();

    setSettings(TokenSettings.defaults().withRestricted(true));
    assertThat(verify(ANN, anns).isAuthenticated()).as("on again: grant remembered").isTrue();
    assertThat(reason(verify(BOB, bobs))).isEqualTo(RejectionReason.DISABLED);
    assertThat(console.permittedUsers(OLGA)).containsExactly(ANN);

    console.setPermission(OLGA, ANN, false);
    assertThat(reason(verify(ANN, anns)))
        .as("a revoke takes effect at once")
        .isEqualTo(RejectionReason.DISABLED);
  }

  @Test
  void bothExpiredAndDisabled_showsExpired() {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    clock.advance(Duration.ofDays(31));
    setSettings(TokenSettings.defaults().withExpiry(ExpiryPolicy.days(30)).withRestricted(true));
    assertThat(row(OLGA, token.id()).status()).isEqualTo(TokenStatus.EXPIRED);
    assertThat(reason(verify(ANN, token))).isEqualTo(RejectionReason.EXPIRED);
    assertThat(console.listCorp(OLGA, TokenQuery.all().withStatus(TokenStatus.DISABLED)).rows())
        .isEmpty();
    console.setPermission(OLGA, ANN, true);
    assertThat(row(OLGA, token.id()).status())
        .as("a grant does not revive it")
        .isEqualTo(TokenStatus.EXPIRED);
  }

  @Test
  void nonOwner_refusedOnEveryOwnerOperation_nothingChanges() {
    IssuedToken bobs = core.issuer().issue(BOB, "ci");
    TokenSettings proposed = TokenSettings.defaults().withRestricted(true);
    List<Executable> ownerOperations =
        List.of(
            () -> console.listCorp(ANN, TokenQuery.all()),
            () -> console.settings(ANN),
            () -> console.updateSettings(ANN, proposed),
            () -> console.permittedUsers(ANN),
            () -> console.setPermission(ANN, ANN, true),
            () -> console.setPermission(ANN, BOB, false),
            () -> console.preview(ANN, proposed),
            () -> console.delete(ANN, bobs.id()),
            () -> core.issuer().delete(ANN, bobs.id()));
    for (Executable operation : ownerOperations) {
      assertThatThrownBy(operation::execute).isInstanceOf(PermissionDeniedException.class);
    }
    assertThat(store.settings("acme")).isEqualTo(TokenSettings.defaults());
    assertThat(store.permittedUsers("acme")).isEmpty();
    assertThat(verify(BOB, bobs).isAuthenticated()).isTrue();
    assertThat(events)
        .noneMatch(
            e ->
                e instanceof AuditEvent.SettingsChanged
                    || e instanceof AuditEvent.PermissionChanged);
  }

  @Test
  void ownerOfAnotherCorp_cannotReachThisCorp() {
    IssuedToken anns = core.issuer().issue(ANN, "ci");
    assertThatThrownBy(() -> console.delete(BEA, anns.id())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> console.setPermission(BEA, ANN, true))
        .isInstanceOf(NotFoundException.class);
    assertThat(console.listCorp(BEA, TokenQuery.all()).rows()).isEmpty();
    assertThat(verify(ANN, anns).isAuthenticated()).isTrue();
  }

  @Test
  void everyRejection_isAnAuditEventWithReasonButNoSecret() {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    String plaintext = token.revealPlaintext();
    core.verifier().verify(BOB, plaintext, CLIENT); // INVALID: another user's token
    core.verifier().verify(ANN, plaintext.substring(1), CLIENT); // MALFORMED
    setSettings(TokenSettings.defaults().withRestricted(true));
    core.verifier().verify(ANN, plaintext, CLIENT); // DISABLED
    assertThat(events)
        .filteredOn(e -> e instanceof AuditEvent.TokenRejected)
        .extracting(e -> ((AuditEvent.TokenRejected) e).reason())
        .containsExactly(
            RejectionReason.INVALID, RejectionReason.MALFORMED, RejectionReason.DISABLED);
    String secret = plaintext.substring("acme_".length() + TokenId.LENGTH);
    for (AuditEvent event : events) {
      assertThat(event.toString())
          .doesNotContain(plaintext)
          .doesNotContain(secret.substring(0, 16));
    }
  }

  @Test
  void usage_listingShowsLastUseAndRecentAddressesNewestFirst() throws Exception {
    IssuedToken token = core.issuer().issue(ANN, "ci");
    core.verifier().verify(ANN, token.revealPlaintext(), InetAddress.getByName("192.0.2.1"));
    clock.advance(Duration.ofMinutes(5));
    core.verifier().verify(ANN, token.revealPlaintext(), InetAddress.getByName("2001:db8::7"));
    core.flushUsage();
    TokenRow row = row(OLGA, token.id());
    assertThat(row.lastUsed()).isEqualTo(clock.instant());
    assertThat(row.ips()).containsExactly("2001:db8::7", "192.0.2.1");
  }
}
