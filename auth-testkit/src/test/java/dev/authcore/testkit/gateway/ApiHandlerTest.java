package dev.authcore.testkit.gateway;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.AuditEvent;
import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.model.AuthCoreException;
import dev.authcore.model.ConflictException;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.LockoutException;
import dev.authcore.model.NotFoundException;
import dev.authcore.model.PermissionDeniedException;
import dev.authcore.model.Role;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.model.TokenLimitExceededException;
import dev.authcore.model.UserAccount;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.ListenerRegistration;
import dev.authcore.spi.StoreListener;
import dev.authcore.spi.TokenRecord;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import dev.authcore.testkit.FakeClock;
import dev.authcore.testkit.ForwardingTokenStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * How the gateway answers auth-core's refusals: one status per refusal, pinned here request by
 * request (the statuses are part of the gateway's fixed interface), and one place in the code that
 * maps them.
 */
class ApiHandlerTest {
  private static final String OLGA = "olga@example.com";
  private static final String ANN = "ann@example.com";
  private static final List<UserAccount> USERS =
      List.of(new UserAccount("acme", OLGA, Role.OWNER), new UserAccount("acme", ANN, Role.USER));
  private static final String SETTINGS = "/api/v0/corps/acme/tokenSettings";
  private static final String UNRESTRICTED =
      "{\"expiryDays\":null,\"restricted\":false,\"allowedIps\":\"\"}";

  /**
   * The in-memory store, with switches that make it fail like a real one, and no notifications of
   * changes (like a store that cannot send them), so a test can change it behind the gateway.
   */
  private static final class SwitchableStore extends ForwardingTokenStore {
    final InMemoryTokenStore memory;
    volatile @Nullable RuntimeException listingFails;
    volatile boolean settingsKeepChanging;
    volatile boolean deletesFail;

    SwitchableStore(InMemoryTokenStore memory) {
      super(memory);
      this.memory = memory;
    }

    @Override
    public List<TokenRecord> listByOwner(String corp, String ownerEmail) {
      RuntimeException failure = listingFails;
      if (failure != null) {
        throw failure;
      }
      return super.listByOwner(corp, ownerEmail);
    }

    @Override
    public boolean replaceSettings(String corp, TokenSettings expected, TokenSettings updated) {
      return !settingsKeepChanging && super.replaceSettings(corp, expected, updated);
    }

    @Override
    public Optional<TokenRecord> delete(TokenId id) {
      if (deletesFail) {
        throw new StoreUnavailableException("connection to db-7.internal refused");
      }
      return super.delete(id);
    }

    @Override
    public ListenerRegistration addListener(StoreListener listener) {
      return () -> {}; // never told of changes
    }
  }

  private final FakeClock clock = FakeClock.atDefaultStart();
  private final SwitchableStore store = new SwitchableStore(new InMemoryTokenStore());
  private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
  private final AuthCore core = core(store, clock, events);
  private final ApiHandler handler =
      new ApiHandler(core, clock, ClientAddressSource.create(List.of()), USERS, clock.instant());
  private final Map<String, String> tokens = new HashMap<>();

  ApiHandlerTest() {
    for (UserAccount user : USERS) {
      IssuedToken token = core.issuer().issue(user.email(), "bootstrap");
      tokens.put(user.email(), token.revealPlaintext());
    }
  }

  @AfterEach
  void close() {
    core.close();
  }

  // ---- one status per refusal, through a request ----------------------------------------------

  @Test
  void issue_nameBreaksARule_400SayingWhy() throws IOException {
    Answer a = send(ANN, "POST", "/api/v0/me/tokens", "{\"name\":\"" + "n".repeat(65) + "\"}");
    assertThat(a.status).isEqualTo(400);
    assertThat(a.error()).contains("token name must be at most 64 characters");
  }

  @Test
  void issue_nameTaken_400() throws IOException {
    Answer a = send(ANN, "POST", "/api/v0/me/tokens", "{\"name\":\"BOOTSTRAP\"}");
    assertThat(a.status).as("a taken name is a conflict in auth-core, 400 here").isEqualTo(400);
    assertThat(a.error()).containsIgnoringCase("bootstrap");
  }

  @Test
  void issue_tokenLimitReached_400() throws IOException {
    for (int i = 2; i <= 5; i++) {
      assertThat(send(ANN, "POST", "/api/v0/me/tokens", "{\"name\":\"t" + i + "\"}").status)
          .isEqualTo(201);
    }
    Answer sixth = send(ANN, "POST", "/api/v0/me/tokens", "{\"name\":\"t6\"}");
    assertThat(sixth.status).as("the limit is a conflict in auth-core, 400 here").isEqualTo(400);
    assertThat(store.memory.listByOwner("acme", ANN)).hasSize(5);
  }

  @Test
  void issue_permissionRevokedElsewhere_403FromAuthCore() throws IOException {
    store.memory.setPermission("acme", ANN, true);
    store.memory.setPermission("acme", OLGA, true);
    assertThat(send(OLGA, "PUT", SETTINGS, restricted()).status).isEqualTo(200);
    assertThat(send(ANN, "GET", "/api/v0/corps", null).status).isEqualTo(200);
    // Revoked by another node that cannot notify: the cached corp state still authenticates Ann,
    // and the issuer, which reads the permission from the store, refuses.
    store.memory.setPermission("acme", ANN, false);

    Answer a = send(ANN, "POST", "/api/v0/me/tokens", "{\"name\":\"more\"}");
    assertThat(a.status).isEqualTo(403);
    assertThat(a.error()).contains(ANN);
  }

  @Test
  void deleteInCorp_noSuchToken_404() throws IOException {
    Answer a = send(OLGA, "DELETE", "/api/v0/corps/acme/tokens/" + TokenId.fromLong(42), null);
    assertThat(a.status).isEqualTo(404);
    assertThat(a.error()).contains(TokenId.fromLong(42).toString());
  }

  @Test
  void setPermission_noSuchUser_404() throws IOException {
    Answer a =
        send(
            OLGA,
            "PUT",
            "/api/v0/corps/acme/users/nobody@example.com/tokenPermission",
            "{\"allowed\":true}");
    assertThat(a.status).isEqualTo(404);
    assertThat(a.error()).contains("nobody@example.com");
  }

  // ---- grants with an end ----------------------------------------------------------------------

  private static final String ANNS_PERMISSION =
      "/api/v0/corps/acme/users/ann@example.com/tokenPermission";

  @Test
  void permission_putWithUntil_getGivesItBack_andItEndsOnTheClock() throws IOException {
    Instant until = clock.instant().plus(Duration.ofDays(3));
    Answer put =
        send(OLGA, "PUT", ANNS_PERMISSION, "{\"allowed\":true,\"until\":\"" + until + "\"}");
    assertThat(put.status).isEqualTo(204);
    Answer get = send(OLGA, "GET", ANNS_PERMISSION, null);
    assertThat(get.status).isEqualTo(200);
    assertThat(get.json().get("allowed").booleanValue()).isTrue();
    assertThat(get.json().get("until").stringValue()).isEqualTo(until.toString());
    assertThat(events)
        .filteredOn(AuditEvent.PermissionChanged.class::isInstance)
        .singleElement()
        .extracting(e -> ((AuditEvent.PermissionChanged) e).until())
        .isEqualTo(until);

    clock.set(until);
    Answer ended = send(OLGA, "GET", ANNS_PERMISSION, null);
    assertThat(ended.json().get("allowed").booleanValue()).as("the end is exclusive").isFalse();
    assertThat(ended.json().get("until").stringValue()).isEqualTo(until.toString());
  }

  @Test
  void permission_putWithoutUntil_orNull_hasNoEnd() throws IOException {
    assertThat(send(OLGA, "PUT", ANNS_PERMISSION, "{\"allowed\":true}").status).isEqualTo(204);
    Answer get = send(OLGA, "GET", ANNS_PERMISSION, null);
    assertThat(get.json().get("allowed").booleanValue()).isTrue();
    assertThat(get.json().get("until").isNull()).isTrue();
    Instant until = clock.instant().plus(Duration.ofHours(1));
    send(OLGA, "PUT", ANNS_PERMISSION, "{\"allowed\":true,\"until\":\"" + until + "\"}");
    assertThat(send(OLGA, "PUT", ANNS_PERMISSION, "{\"allowed\":true,\"until\":null}").status)
        .isEqualTo(204);
    assertThat(send(OLGA, "GET", ANNS_PERMISSION, null).json().get("until").isNull()).isTrue();
  }

  @Test
  void permission_getWithoutAGrant_notAllowed_noEnd() throws IOException {
    Answer get = send(OLGA, "GET", ANNS_PERMISSION, null);
    assertThat(get.status).isEqualTo(200);
    assertThat(get.json().get("allowed").booleanValue()).isFalse();
    assertThat(get.json().get("until").isNull()).isTrue();
    assertThat(send(ANN, "GET", ANNS_PERMISSION, null).status).as("owners only").isEqualTo(403);
    assertThat(
            send(OLGA, "GET", "/api/v0/corps/acme/users/nobody@example.com/tokenPermission", null)
                .status)
        .isEqualTo(404);
  }

  @Test
  void permission_untilMalformed_400NamingTheField_nothingChanged() throws IOException {
    for (String bad : List.of("\"tomorrow\"", "\"2026-13-01T00:00:00Z\"", "17", "true")) {
      Answer a = send(OLGA, "PUT", ANNS_PERMISSION, "{\"allowed\":true,\"until\":" + bad + "}");
      assertThat(a.status).as(bad).isEqualTo(400);
      assertThat(a.json().get("details").toString()).as(bad).contains("until must be an ISO-8601");
    }
    assertThat(store.memory.permissionGrants("acme")).isEmpty();
  }

  @Test
  void permission_untilNotInTheFuture_400_nothingChanged() throws IOException {
    for (Instant bad : List.of(clock.instant(), clock.instant().minusSeconds(60))) {
      Answer a = send(OLGA, "PUT", ANNS_PERMISSION, "{\"allowed\":true,\"until\":\"" + bad + "\"}");
      assertThat(a.status).isEqualTo(400);
      assertThat(a.body()).contains("until").contains("must be in the future");
    }
    assertThat(store.memory.permissionGrants("acme")).isEmpty();
  }

  @Test
  void permission_untilWithAllowedFalse_400() throws IOException {
    store.memory.setPermission("acme", ANN, true);
    Instant until = clock.instant().plus(Duration.ofDays(1));
    Answer a =
        send(OLGA, "PUT", ANNS_PERMISSION, "{\"allowed\":false,\"until\":\"" + until + "\"}");
    assertThat(a.status).isEqualTo(400);
    assertThat(a.body()).contains("until").contains("applies only to a grant");
    assertThat(store.memory.permittedUsers("acme")).containsExactly(ANN);
  }

  @Test
  void updateSettings_othersKeepChangingThem_409() throws IOException {
    store.memory.setPermission("acme", OLGA, true); // so restricting locks nobody out
    store.settingsKeepChanging = true;
    Answer a = send(OLGA, "PUT", SETTINGS, restricted());
    assertThat(a.status).isEqualTo(409);
    assertThat(a.error()).contains("try again");
    assertThat(store.settings("acme")).isEqualTo(TokenSettings.defaults());
  }

  @Test
  void listOwn_storeUnavailable_503WithoutTheCause() throws IOException {
    store.listingFails = new StoreUnavailableException("connection to db-7.internal refused");
    Answer a = send(ANN, "GET", "/api/v0/me/tokens", null);
    assertThat(a.status).isEqualTo(503);
    assertThat(a.error()).isEqualTo("the token store is unavailable; try again later");
    assertThat(a.body).doesNotContain("db-7");
  }

  @Test
  void listCorp_malformedCursor_400() throws IOException {
    Answer a = send(OLGA, "GET", "/api/v0/corps/acme/tokens?cursor=c1.x", null);
    assertThat(a.status).isEqualTo(400);
    assertThat(a.error()).contains("cursor");
  }

  @Test
  void updateSettings_badAllowList_400WithEachProblemAndNothingChanged() throws IOException {
    String body =
        "{\"expiryDays\":null,\"restricted\":false,\"allowedIps\":\"10.0.0.0/8\\n1.2.3\"}";
    Answer a = send(OLGA, "PUT", SETTINGS, body);
    assertThat(a.status).isEqualTo(400);
    assertThat(a.error()).isEqualTo("invalid allow list; nothing was changed");
    JsonNode detail = a.json().get("details").get(0);
    assertThat(detail.get("line").intValue()).isEqualTo(2);
    assertThat(detail.get("text").stringValue()).isEqualTo("1.2.3");
    assertThat(store.settings("acme")).isEqualTo(TokenSettings.defaults());
  }

  @Test
  void tokenSettings_inactiveDays_alwaysReturned_optionalInPut_absentKeepsIt() throws IOException {
    assertThat(send(OLGA, "GET", SETTINGS, null).json().get("inactiveDays").isNull()).isTrue();
    Answer set = send(OLGA, "PUT", SETTINGS, withInactiveDays(UNRESTRICTED, "30"));
    assertThat(set.status).as(set.body).isEqualTo(200);
    assertThat(set.json().get("inactiveDays").intValue()).isEqualTo(30);
    // a client that does not know the field keeps the value in force
    Answer kept = send(OLGA, "PUT", SETTINGS, UNRESTRICTED.replace("null", "90"));
    assertThat(kept.status).as(kept.body).isEqualTo(200);
    assertThat(kept.json().get("inactiveDays").intValue()).isEqualTo(30);
    assertThat(kept.json().get("expiryDays").intValue()).isEqualTo(90);
    assertThat(store.settings("acme").inactiveDays()).isEqualTo(30);
    // the preview keeps it too
    Answer preview = send(OLGA, "POST", SETTINGS + "/preview", UNRESTRICTED);
    assertThat(preview.status).as(preview.body).isEqualTo(200);
    Answer cleared = send(OLGA, "PUT", SETTINGS, withInactiveDays(UNRESTRICTED, "null"));
    assertThat(cleared.json().get("inactiveDays").isNull()).isTrue();
    assertThat(store.settings("acme").inactiveDays()).isNull();
  }

  @Test
  void tokenSettings_stagedAllowedIps_optionalInPut_absentKeepsIt_emptyOrNullDiscards()
      throws IOException {
    Answer none = send(OLGA, "GET", SETTINGS, null);
    assertThat(none.json().get("stagedAllowedIps").isNull()).as(none.body).isTrue();
    assertThat(none.json().get("stagedSince").isNull()).isTrue();
    Answer staged = send(OLGA, "PUT", SETTINGS, withStaged(UNRESTRICTED, "\"10.0.0.0/8\""));
    assertThat(staged.status).as(staged.body).isEqualTo(200);
    assertThat(staged.json().get("stagedAllowedIps").stringValue()).isEqualTo("10.0.0.0/8\n");
    assertThat(staged.json().get("stagedSince").stringValue())
        .isEqualTo(clock.instant().toString());
    assertThat(staged.json().get("allowedIps").stringValue()).isEmpty();
    // a client that does not know the field keeps the staged list, and its instant
    clock.advance(Duration.ofMinutes(3));
    Answer kept = send(OLGA, "PUT", SETTINGS, UNRESTRICTED.replace("null", "90"));
    assertThat(kept.status).as(kept.body).isEqualTo(200);
    assertThat(kept.json().get("stagedAllowedIps").stringValue()).isEqualTo("10.0.0.0/8\n");
    assertThat(kept.json().get("stagedSince")).isEqualTo(staged.json().get("stagedSince"));
    assertThat(send(OLGA, "GET", SETTINGS, null).json()).isEqualTo(kept.json());
    for (String discard : List.of("\"\"", "null")) {
      send(OLGA, "PUT", SETTINGS, withStaged(UNRESTRICTED, "\"10.0.0.0/8\""));
      Answer gone = send(OLGA, "PUT", SETTINGS, withStaged(UNRESTRICTED, discard));
      assertThat(gone.status).as(gone.body).isEqualTo(200);
      assertThat(gone.json().get("stagedAllowedIps").isNull()).as(discard).isTrue();
      assertThat(store.settings("acme").staged()).as(discard).isNull();
    }
  }

  @Test
  void tokenSettings_badStagedList_400WithEachProblem_nothingChanged() throws IOException {
    send(OLGA, "PUT", SETTINGS, withStaged(UNRESTRICTED, "\"10.0.0.0/8\""));
    TokenSettings before = store.settings("acme");
    Answer a = send(OLGA, "PUT", SETTINGS, withStaged(UNRESTRICTED, "\"10.0.0.0/8\\n1.2.3\""));
    assertThat(a.status).as(a.body).isEqualTo(400);
    assertThat(a.error()).isEqualTo("invalid allow list in stagedAllowedIps; nothing was changed");
    JsonNode detail = a.json().get("details").get(0);
    assertThat(detail.get("line").intValue()).isEqualTo(2);
    assertThat(detail.get("text").stringValue()).isEqualTo("1.2.3");
    Answer notText = send(OLGA, "PUT", SETTINGS, withStaged(UNRESTRICTED, "7"));
    assertThat(notText.status).isEqualTo(400);
    assertThat(notText.body).contains("stagedAllowedIps must be a string");
    assertThat(store.settings("acme")).isEqualTo(before);
  }

  @Test
  void enforceStaged_nothingStaged_409_stagedList_inForce_lockoutNeedsConfirmation()
      throws IOException {
    String enforce = SETTINGS + "/enforceStaged";
    Answer nothing = send(OLGA, "POST", enforce, null);
    assertThat(nothing.status).as(nothing.body).isEqualTo(409);
    assertThat(nothing.error()).contains("no allow list staged");

    // The test's requests come from 127.0.0.1: a list without it would lock the owner out.
    send(OLGA, "PUT", SETTINGS, withStaged(UNRESTRICTED, "\"10.0.0.0/8\""));
    TokenSettings staged = store.settings("acme");
    Answer refused = send(OLGA, "POST", enforce, "{}");
    assertThat(refused.status).as(refused.body).isEqualTo(409);
    assertThat(refused.error()).contains("confirmLockout");
    assertThat(store.settings("acme")).isEqualTo(staged);

    send(OLGA, "PUT", SETTINGS, withStaged(UNRESTRICTED, "\"127.0.0.0/8\\n10.0.0.0/8\""));
    Answer enforced = send(OLGA, "POST", enforce, null);
    assertThat(enforced.status).as(enforced.body).isEqualTo(200);
    assertThat(enforced.json().get("allowedIps").stringValue())
        .isEqualTo("10.0.0.0/8\n127.0.0.0/8\n");
    assertThat(enforced.json().get("stagedAllowedIps").isNull()).isTrue();
    assertThat(send(OLGA, "POST", enforce, "{\"confirmLockout\":1}").status).isEqualTo(400);
  }

  @Test
  void listCorp_rowsCarryWouldBeBlocked_whileAListIsStaged() throws IOException {
    String tokens = "/api/v0/corps/acme/tokens";
    Answer before = send(OLGA, "GET", tokens, null);
    assertThat(before.json().get("data").get(0).get("wouldBeBlocked").isNull()).isTrue();
    send(OLGA, "PUT", SETTINGS, withStaged(UNRESTRICTED, "\"10.0.0.0/8\""));
    assertThat(send(ANN, "GET", "/api/v0/me/tokens", null).status).isEqualTo(200);
    assertThat(send(ANN, "GET", "/api/v0/me/tokens", null).status).isEqualTo(200);
    core.flushUsage();
    Answer listed = send(OLGA, "GET", tokens + "?creator=" + ANN, null);
    JsonNode blocked = listed.json().get("data").get(0).get("wouldBeBlocked");
    assertThat(blocked.get("count").longValue()).as(listed.body).isEqualTo(2);
    assertThat(blocked.get("ips").toString()).isEqualTo("[\"127.0.0.1\"]");
    assertThat(events).filteredOn(AuditEvent.WouldBeBlocked.class::isInstance).hasSize(2);
  }

  @Test
  void tokenSettings_badInactiveDays_400NamingIt_nothingChanged() throws IOException {
    send(OLGA, "PUT", SETTINGS, withInactiveDays(UNRESTRICTED, "30"));
    TokenSettings before = store.settings("acme");
    for (String bad : List.of("6", "366", "1.5", "\"x\"", "true", "7.0e400")) {
      Answer a = send(OLGA, "PUT", SETTINGS, withInactiveDays(UNRESTRICTED, bad));
      assertThat(a.status).as(bad + ": " + a.body).isEqualTo(400);
      assertThat(a.body).contains("inactiveDays must be a whole number of days from 7 to 365");
      assertThat(store.settings("acme")).as(bad).isEqualTo(before);
      Answer preview =
          send(OLGA, "POST", SETTINGS + "/preview", withInactiveDays(UNRESTRICTED, bad));
      assertThat(preview.status).as(bad + ": " + preview.body).isEqualTo(400);
    }
  }

  @Test
  void listCorp_rowsSayWhatExpiredThem() throws IOException {
    IssuedToken idle = core.issuer().issue(ANN, "idle");
    send(OLGA, "PUT", SETTINGS, withInactiveDays(UNRESTRICTED, "7"));
    clock.advance(Duration.ofDays(5));
    assertThat(send(OLGA, "GET", SETTINGS, null).status).isEqualTo(200);
    core.flushUsage();
    clock.advance(Duration.ofDays(4)); // idle: 9 days unused, past 7 days and the one-day margin
    Answer listing = send(OLGA, "GET", "/api/v0/corps/acme/tokens", null);
    assertThat(listing.status).as(listing.body).isEqualTo(200);
    @Nullable JsonNode idleRow = null;
    for (JsonNode row : listing.json().get("data")) {
      if (row.get("id").stringValue().equals(idle.id().toString())) {
        idleRow = row;
      } else if (row.get("status").stringValue().equals("ACTIVE")) {
        assertThat(row.get("expiredBy").isNull()).as(row.toString()).isTrue();
      }
    }
    requireNonNull(idleRow, "no row for the idle token");
    assertThat(idleRow.get("status").stringValue()).isEqualTo("EXPIRED");
    assertThat(requireNonNull(idleRow).get("expiredBy").stringValue()).isEqualTo("INACTIVITY");
  }

  @Test
  void delete_malformedTokenId_400() throws IOException {
    assertThat(send(ANN, "DELETE", "/api/v0/me/tokens/short", null).status).isEqualTo(400);
    assertThat(send(OLGA, "DELETE", "/api/v0/corps/acme/tokens/!!!!!!!!!!!", null).status)
        .isEqualTo(400);
  }

  @Test
  void storeMisused_illegalArgument_500NotTakenForBadInput() throws IOException {
    store.listingFails = new IllegalArgumentException("a bug, not the caller's input");
    Answer a = send(ANN, "GET", "/api/v0/me/tokens", null);
    assertThat(a.status).isEqualTo(500);
    assertThat(a.error()).isEqualTo("internal error");
    assertThat(a.body).doesNotContain("a bug");
  }

  // ---- the gateway's own syntax: its own 400s -------------------------------------------------

  @Test
  void listCorp_statusInAnyCase_unknownStatus400() throws IOException {
    assertThat(send(OLGA, "GET", "/api/v0/corps/acme/tokens?status=active", null).status)
        .isEqualTo(200);
    assertThat(send(OLGA, "GET", "/api/v0/corps/acme/tokens?status=Expired", null).status)
        .isEqualTo(200);
    Answer a = send(OLGA, "GET", "/api/v0/corps/acme/tokens?status=gone", null);
    assertThat(a.status).isEqualTo(400);
    assertThat(a.json().get("details").toString()).contains("ACTIVE, EXPIRED or DISABLED");
  }

  @Test
  void query_percentEscapesAndPlus_decodedAsUtf8() throws IOException {
    assertThat(send(ANN, "POST", "/api/v0/me/tokens", "{\"name\":\"deploy €uro\"}").status)
        .isEqualTo(201);
    Answer euro = send(OLGA, "GET", "/api/v0/corps/acme/tokens?name=y+%E2%82%acur", null);
    assertThat(euro.status).isEqualTo(200);
    assertThat(euro.json().get("data").size()).isEqualTo(1);
    assertThat(euro.json().get("data").get(0).get("name").stringValue()).isEqualTo("deploy €uro");
    Answer notUtf8 = send(OLGA, "GET", "/api/v0/corps/acme/tokens?name=%FF", null);
    assertThat(notUtf8.status).as("bytes that are not UTF-8 read as U+FFFD").isEqualTo(200);
    assertThat(notUtf8.json().get("data").size()).isZero();
  }

  @Test
  void clock_subMillisecondOrPastTheRange_400AndTheClockStays() throws IOException {
    long before = clock.millis();
    for (String advance : List.of("PT0.0000001S", "PT2562047788015215H", "-PT1S")) {
      Answer a = send(OLGA, "POST", "/api/v0/_clock", "{\"advance\":\"" + advance + "\"}");
      assertThat(a.status).as(advance).isEqualTo(400);
    }
    assertThat(clock.millis()).isEqualTo(before);
    Answer ok = send(OLGA, "POST", "/api/v0/_clock", "{\"advance\":\"PT0.001S\"}");
    assertThat(ok.status).isEqualTo(200);
    assertThat(clock.millis()).isEqualTo(before + 1);
  }

  // ---- leak reports: open to anyone ---------------------------------------------------------

  private static final String LEAKS = "/api/v0/_leaks";
  private static final Map.Entry<String, String> TEXT_PLAIN =
      Map.entry("Content-Type", "text/plain; charset=utf-8");

  private Answer report(String target, String text) throws IOException {
    return send("POST", target, List.of(TEXT_PLAIN), text);
  }

  private boolean authenticates(String who) throws IOException {
    return send(who, "GET", "/api/v0/corps", null).status == 200;
  }

  @Test
  void leaks_tokenInText_noCredentials_200FoundAndRevoked_thenTheToken401() throws IOException {
    assertThat(authenticates(ANN)).isTrue();
    Answer a = report(LEAKS + "?source=ticket+%E2%84%96+42", "seen in a log: " + tokens.get(ANN));
    assertThat(a.status).as(a.body).isEqualTo(200);
    assertThat(a.json()).isEqualTo(Json.MAPPER.readTree("{\"found\":1,\"revoked\":1}"));
    assertThat(authenticates(ANN)).as("revoked: its next use is refused").isFalse();
    assertThat(authenticates(OLGA)).isTrue();
    assertThat(events)
        .filteredOn(e -> e instanceof AuditEvent.TokenLeaked)
        .singleElement()
        .satisfies(
            e -> {
              AuditEvent.TokenLeaked leaked = (AuditEvent.TokenLeaked) e;
              assertThat(leaked.tokenOwner()).isEqualTo(ANN);
              assertThat(leaked.source()).isEqualTo("ticket \u2116 42");
            });
  }

  @Test
  void leaks_credentialHeadersSent_ignoredNotChecked() throws IOException {
    Answer a =
        send(
            "POST",
            LEAKS,
            List.of(
                TEXT_PLAIN,
                Map.entry("x-api-user", "nobody@example.com"),
                Map.entry("x-api-token", "not a token")),
            "nothing here");
    assertThat(a.status).isEqualTo(200);
    assertThat(a.json()).isEqualTo(Json.MAPPER.readTree("{\"found\":0,\"revoked\":0}"));
    assertThat(events).noneMatch(e -> e instanceof AuditEvent.TokenRejected);
  }

  @Test
  void leaks_wrongSecretForALiveToken_answersAsAnUnknownIdAndRevokesNothing() throws IOException {
    String live = requireNonNull(tokens.get(ANN));
    int idStart = Gateway.TOKEN_PREFIX.length() + 1;
    TokenId id = TokenId.parse(live.substring(idStart, idStart + TokenId.LENGTH));
    String forged =
        dev.authcore.testkit.TokenTexts.wellFormed(
            dev.authcore.testkit.Seeds.random(1), Gateway.TOKEN_PREFIX, id);
    String unknown =
        dev.authcore.testkit.TokenTexts.wellFormed(
            dev.authcore.testkit.Seeds.random(2), Gateway.TOKEN_PREFIX);
    Answer forgedAnswer = report(LEAKS, forged);
    Answer unknownAnswer = report(LEAKS, unknown);
    assertThat(forgedAnswer.status).isEqualTo(200);
    assertThat(forgedAnswer.body)
        .isEqualTo(unknownAnswer.body)
        .isEqualTo("{\"found\":1,\"revoked\":0}");
    assertThat(authenticates(ANN)).isTrue();
  }

  @Test
  void leaks_notTextPlain_415AndNothingRevoked() throws IOException {
    String text = "token: " + tokens.get(ANN);
    for (List<Map.Entry<String, String>> headers :
        List.of(
            List.<Map.Entry<String, String>>of(),
            List.of(Map.entry("Content-Type", "application/json")),
            List.of(Map.entry("Content-Type", "text/plain; charset=UTF-16")),
            List.of(Map.entry("Content-Type", "text/plainx")),
            List.of(TEXT_PLAIN, Map.entry("Content-Type", "text/plain")))) {
      Answer a = send("POST", LEAKS, headers, text);
      assertThat(a.status).as("%s: %s", headers, a.body).isEqualTo(415);
      assertThat(a.error()).startsWith("a leak report's body is the text itself");
    }
    assertThat(authenticates(ANN)).isTrue();
    for (String type :
        List.of("text/plain", "Text/Plain;Charset=\"US-ASCII\"", "text/plain; format=flowed")) {
      assertThat(send("POST", LEAKS, List.of(Map.entry("Content-Type", type)), "x").status)
          .as(type)
          .isEqualTo(200);
    }
  }

  @Test
  void leaks_badSource_400SayingWhy_andNothingRevoked() throws IOException {
    String text = requireNonNull(tokens.get(ANN));
    Answer tooLong = report(LEAKS + "?source=" + "s".repeat(201), text);
    assertThat(tooLong.status).isEqualTo(400);
    assertThat(tooLong.error()).contains("at most 200 characters, got 201");
    Answer tab = report(LEAKS + "?source=a%09b", text);
    assertThat(tab.status).isEqualTo(400);
    assertThat(tab.error()).contains("U+0009 at position 2");
    assertThat(report(LEAKS + "?source=a&source=b", text).status).isEqualTo(400);
    assertThat(report(LEAKS + "?from=x", text).status).isEqualTo(400);
    assertThat(authenticates(ANN)).isTrue();
    assertThat(report(LEAKS + "?source=" + "s".repeat(200), text).status).isEqualTo(200);
    assertThat(authenticates(ANN)).isFalse();
  }

  @Test
  void leaks_otherMethods_405AllowingPost() throws IOException {
    Answer a = send("GET", LEAKS, List.of(), null);
    assertThat(a.status).isEqualTo(405);
    assertThat(a.json().get("details").get(0).stringValue()).isEqualTo("allowed: POST");
  }

  @Test
  void leaks_tooManyTokens_400AndNothingRevoked() throws IOException {
    StringBuilder text = new StringBuilder(requireNonNull(tokens.get(ANN)));
    for (int i = 0; i < 100; i++) {
      text.append('\n')
          .append(
              dev.authcore.testkit.TokenTexts.wellFormed(
                  dev.authcore.testkit.Seeds.random(i), Gateway.TOKEN_PREFIX));
    }
    Answer a = report(LEAKS, text.toString());
    assertThat(a.status).isEqualTo(400);
    assertThat(a.error()).contains("more than 100 distinct tokens");
    assertThat(authenticates(ANN)).isTrue();
  }

  @Test
  void leaks_storeUnavailable_503WithoutTheCause() throws IOException {
    assertThat(authenticates(ANN)).isTrue();
    store.deletesFail = true;
    Answer a = report(LEAKS, requireNonNull(tokens.get(ANN)));
    assertThat(a.status).isEqualTo(503);
    assertThat(a.error()).isEqualTo("the token store is unavailable; try again later");
    assertThat(a.body).doesNotContain("db-7");
    store.deletesFail = false;
    assertThat(report(LEAKS, requireNonNull(tokens.get(ANN))).body)
        .isEqualTo("{\"found\":1,\"revoked\":1}");
  }

  @Test
  void textPlainProblem_onlyOneTextPlainWithAnAsciiCompatibleCharset() {
    assertThat(ApiHandler.textPlainProblem(List.of("text/plain"))).isNull();
    assertThat(ApiHandler.textPlainProblem(List.of("text/plain;charset=iso-8859-1"))).isNull();
    assertThat(ApiHandler.textPlainProblem(List.of(" TEXT/PLAIN ; CHARSET = UTF-8 "))).isNull();
    assertThat(ApiHandler.textPlainProblem(List.of())).endsWith("the request has no Content-Type");
    assertThat(ApiHandler.textPlainProblem(List.of("text/plain", "text/plain")))
        .endsWith("the request has 2 Content-Type headers");
    assertThat(ApiHandler.textPlainProblem(List.of("text/html"))).endsWith("got text/html");
    assertThat(ApiHandler.textPlainProblem(List.of("text/plain; charset=\"utf-16le\"")))
        .endsWith("got charset utf-16le");
    assertThat(ApiHandler.textPlainProblem(List.of("text/plain; charset")))
        .endsWith("got charset ");
  }

  // ---- the mapping itself ---------------------------------------------------------------------

  @Test
  void statusOf_everyRefusal() {
    assertThat(ApiHandler.statusOf(new InvalidInputException("token name", "bad"))).isEqualTo(400);
    assertThat(
            ApiHandler.statusOf(new ConflictException(ConflictException.Kind.NAME_TAKEN, "taken")))
        .isEqualTo(400);
    assertThat(ApiHandler.statusOf(new TokenLimitExceededException("five already", 5)))
        .isEqualTo(400);
    assertThat(
            ApiHandler.statusOf(
                new ConflictException(ConflictException.Kind.TOKEN_LIMIT, "five already")))
        .isEqualTo(400);
    assertThat(
            ApiHandler.statusOf(
                new ConflictException(ConflictException.Kind.CONCURRENT_CHANGE, "again")))
        .isEqualTo(409);
    assertThat(ApiHandler.statusOf(new LockoutException("locked out", List.of("no owner"))))
        .isEqualTo(409);
    assertThat(ApiHandler.statusOf(new PermissionDeniedException("no"))).isEqualTo(403);
    assertThat(ApiHandler.statusOf(new NotFoundException("none"))).isEqualTo(404);
    assertThat(ApiHandler.statusOf(new StoreUnavailableException("down"))).isEqualTo(503);
  }

  /**
   * The gateway's sources catch auth-core's refusals in one place, and never read an {@link
   * IllegalArgumentException} as a refusal. Two start-up steps catch one, each for a parser that
   * documents it: UsersFile (a users-file line that {@link UserAccount}'s constructor refuses) and
   * GatewayStores (a {@code --jdbc-url} pgjdbc cannot read); ClientAddressSource turns a bad {@code
   * --trusted-proxy} into a usage error.
   */
  @Test
  void gatewaySources_catchRefusalsInOnePlace_andNoIllegalArgumentOnRequests() throws IOException {
    Set<String> family =
        Set.of(
            AuthCoreException.class.getSimpleName(),
            InvalidInputException.class.getSimpleName(),
            PermissionDeniedException.class.getSimpleName(),
            NotFoundException.class.getSimpleName(),
            ConflictException.class.getSimpleName(),
            TokenLimitExceededException.class.getSimpleName(),
            StoreUnavailableException.class.getSimpleName(),
            "AllowListException");
    Pattern catchClause =
        Pattern.compile("catch\\s*\\(\\s*(?:final\\s+)?([\\w.|\\s]+?)\\s+\\w+\\s*\\)");
    List<String> refusalCatches = new ArrayList<>();
    List<String> illegalArgumentCatches = new ArrayList<>();
    Path sources = Path.of("src/main/java/dev/authcore/testkit/gateway");
    List<Path> files;
    try (Stream<Path> listing = Files.list(sources)) {
      files = listing.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    assertThat(files)
        .as("gateway sources under %s", sources.toAbsolutePath())
        .hasSizeGreaterThan(5);
    for (Path file : files) {
      Matcher m = catchClause.matcher(Files.readString(file, StandardCharsets.UTF_8));
      while (m.find()) {
        for (String type : m.group(1).split("\\|", -1)) {
          String simple = type.strip().substring(type.strip().lastIndexOf('.') + 1);
          String where = file.getFileName() + ": catch " + simple;
          if (family.contains(simple)) {
            refusalCatches.add(where);
          }
          if (simple.equals("IllegalArgumentException")) {
            illegalArgumentCatches.add(where);
          }
        }
      }
    }
    assertThat(refusalCatches)
        .containsExactlyInAnyOrder(
            "ApiHandler.java: catch AuthCoreException",
            // the same 400 with details, naming which of a settings body's two lists it was
            "ApiHandler.java: catch AllowListException",
            "ClientAddressSource.java: catch AllowListException",
            // at start, not on a request: another gateway issued the bootstrap token meanwhile
            "Gateway.java: catch ConflictException");
    assertThat(illegalArgumentCatches)
        .containsExactlyInAnyOrder(
            "UsersFile.java: catch IllegalArgumentException",
            "GatewayStores.java: catch IllegalArgumentException",
            // --bind is read by ClientAddresses.parse, whose refusal of bad text is that exception
            "GatewayOptions.java: catch IllegalArgumentException");
  }

  // ---- a token's own allow list ---------------------------------------------------------------

  /** {@code {"allowedIps": text}}, escaped by the gateway's own JSON writer. */
  private static String ipsBody(String text) {
    return Json.object().put("allowedIps", text).toString();
  }

  @Test
  void allowedIpsOwn_setListedAndRemoved() throws IOException {
    IssuedToken ci = core.issuer().issue(ANN, "ci");
    String target = "/api/v0/me/tokens/" + ci.id() + "/allowedIps";

    Answer set = send(ANN, "PUT", target, ipsBody("# office\n10.1.0.0/16\n10.1.2.3\n"));

    assertThat(set.status).isEqualTo(200);
    assertThat(set.json().get("allowedIps").stringValue()).isEqualTo("10.1.0.0/16\n10.1.2.3\n");
    assertThat(set.json().get("warnings")).hasSize(1);
    assertThat(set.json().get("warnings").get(0).stringValue()).contains("line 3");
    Answer rows = send(ANN, "GET", "/api/v0/me/tokens", null);
    for (JsonNode row : rows.json().get("data")) {
      String expected = row.get("name").stringValue().equals("ci") ? "10.1.0.0/16\n10.1.2.3\n" : "";
      assertThat(row.get("allowedIps").stringValue()).as(row.toString()).isEqualTo(expected);
    }

    Answer removed = send(ANN, "PUT", target, ipsBody(""));
    assertThat(removed.status).isEqualTo(200);
    assertThat(removed.body).isEqualTo("{\"allowedIps\":\"\",\"warnings\":[]}");
    assertThat(store.memory.find(ci.id()).orElseThrow().allowedIps()).isNull();
  }

  @Test
  void allowedIpsOwn_anotherUsersToken_404AsForDelete() throws IOException {
    IssuedToken olgas = core.issuer().issue(OLGA, "olgas");
    Answer a =
        send(ANN, "PUT", "/api/v0/me/tokens/" + olgas.id() + "/allowedIps", ipsBody("10.0.0.1"));
    assertThat(a.status).isEqualTo(404);
    assertThat(send(ANN, "DELETE", "/api/v0/me/tokens/" + olgas.id(), null).status).isEqualTo(404);
    assertThat(store.memory.find(olgas.id()).orElseThrow().allowedIps()).isNull();
  }

  @Test
  void allowedIpsInCorp_ownerForAnyToken_nonOwner403() throws IOException {
    IssuedToken anns = core.issuer().issue(ANN, "ci");
    String target = "/api/v0/corps/acme/tokens/" + anns.id() + "/allowedIps";

    assertThat(send(ANN, "PUT", target, ipsBody("10.0.0.1")).status).isEqualTo(403);
    Answer a = send(OLGA, "PUT", target, ipsBody("10.0.0.1"));

    assertThat(a.status).isEqualTo(200);
    assertThat(a.json().get("allowedIps").stringValue()).isEqualTo("10.0.0.1\n");
    Answer rows = send(OLGA, "GET", "/api/v0/corps/acme/tokens?creator=" + ANN, null);
    assertThat(rows.status).isEqualTo(200);
    assertThat(rows.body).contains("\"allowedIps\":\"10.0.0.1\\n\"");
    assertThat(
            send(
                    OLGA,
                    "PUT",
                    "/api/v0/corps/acme/tokens/" + TokenId.fromLong(42) + "/allowedIps",
                    ipsBody("10.0.0.1"))
                .status)
        .isEqualTo(404);
  }

  @Test
  void allowedIps_badText_400WithLineDetails_nothingChanged() throws IOException {
    IssuedToken ci = core.issuer().issue(ANN, "ci");
    Answer a =
        send(
            ANN,
            "PUT",
            "/api/v0/me/tokens/" + ci.id() + "/allowedIps",
            ipsBody("10.0.0.1\n10.0.0.5/8\n"));
    assertThat(a.status).isEqualTo(400);
    JsonNode detail = a.json().get("details").get(0);
    assertThat(detail.get("line").intValue()).isEqualTo(2);
    assertThat(detail.get("text").stringValue()).isEqualTo("10.0.0.5/8");
    assertThat(detail.get("reason").stringValue()).contains("10.0.0.0/8");
    assertThat(store.memory.find(ci.id()).orElseThrow().allowedIps()).isNull();
  }

  @Test
  void allowedIps_outsideTheCorpList_400Whole_warningPart() throws IOException {
    store.memory.setPermission("acme", OLGA, true);
    assertThat(
            send(
                    OLGA,
                    "PUT",
                    SETTINGS,
                    UNRESTRICTED.replace(
                        "\"allowedIps\":\"\"", "\"allowedIps\":\"127.0.0.0/8\\n10.0.0.0/8\""))
                .status)
        .isEqualTo(200);
    IssuedToken ci = core.issuer().issue(ANN, "ci");
    String target = "/api/v0/me/tokens/" + ci.id() + "/allowedIps";

    Answer outside = send(ANN, "PUT", target, ipsBody("192.168.0.0/16"));
    assertThat(outside.status).isEqualTo(400);
    assertThat(outside.json().get("details").get(0).get("line").intValue()).isZero();
    assertThat(outside.json().get("details").get(0).get("reason").stringValue())
        .contains("could never pass both");

    Answer partly = send(ANN, "PUT", target, ipsBody("10.1.0.0/16\n192.168.0.0/16"));
    assertThat(partly.status).isEqualTo(200);
    assertThat(partly.json().get("warnings").get(0).stringValue()).contains("192.168.0.0/16");
  }

  @Test
  void allowedIps_bodyWithoutTheField_400() throws IOException {
    IssuedToken ci = core.issuer().issue(ANN, "ci");
    String target = "/api/v0/me/tokens/" + ci.id() + "/allowedIps";
    assertThat(send(ANN, "PUT", target, "{}").status).isEqualTo(400);
    assertThat(send(ANN, "PUT", target, "{\"allowedIps\":7}").error()).isEqualTo("invalid request");
    assertThat(send(ANN, "PUT", target, "{\"allowedIps\":\"\",\"x\":1}").status).isEqualTo(400);
    assertThat(send(ANN, "POST", target, ipsBody("")).status).isEqualTo(405);
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private static AuthCore core(SwitchableStore store, FakeClock clock, List<AuditEvent> events) {
    InMemoryUserDirectory directory = new InMemoryUserDirectory();
    USERS.forEach(directory::add);
    return AuthCore.builder()
        .tokenPrefix(Gateway.TOKEN_PREFIX)
        .users(directory)
        .store(store)
        .clock(clock)
        .usageFlushInterval(Duration.ofMinutes(10))
        .auditListener(events::add)
        .build();
  }

  /**
   * {@code body} (a JSON object) with {@code "stagedAllowedIps"} set to the raw JSON {@code value}.
   */
  private static String withStaged(String body, String value) {
    return body.substring(0, body.length() - 1) + ",\"stagedAllowedIps\":" + value + "}";
  }

  /** {@code body} (a JSON object) with {@code "inactiveDays"} set to the raw JSON {@code value}. */
  private static String withInactiveDays(String body, String value) {
    return body.substring(0, body.length() - 1) + ",\"inactiveDays\":" + value + "}";
  }

  private static String restricted() {
    return UNRESTRICTED.replace("\"restricted\":false", "\"restricted\":true");
  }

  /** A status and body as the handler sent them. */
  private record Answer(int status, String body) {
    JsonNode json() {
      return Json.MAPPER.readTree(body);
    }

    String error() {
      return json().get("error").stringValue();
    }
  }

  private Answer send(String who, String method, String target, @Nullable String body)
      throws IOException {
    List<Map.Entry<String, String>> headers =
        List.of(
            Map.entry("x-api-user", who),
            Map.entry("x-api-token", requireNonNull(tokens.get(who), who)));
    return send(method, target, headers, body);
  }

  /** A request with exactly these headers: no credentials unless they are among them. */
  private Answer send(
      String method, String target, List<Map.Entry<String, String>> headers, @Nullable String body)
      throws IOException {
    FakeExchange exchange =
        new FakeExchange(
            method,
            URI.create(target),
            headers,
            body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000));
    exchange.runOn(handler);
    assertThat(exchange.statusesSent()).isEqualTo(1);
    return new Answer(
        exchange.status(), new String(exchange.responseBytes(), StandardCharsets.UTF_8));
  }
}
