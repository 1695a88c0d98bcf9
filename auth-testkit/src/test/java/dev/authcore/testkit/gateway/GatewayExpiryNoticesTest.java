package dev.authcore.testkit.gateway;

import static dev.authcore.testkit.gateway.GatewayFixture.ANN;
import static dev.authcore.testkit.gateway.GatewayFixture.BOB;
import static dev.authcore.testkit.gateway.GatewayFixture.OLGA;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.AuditEvent;
import dev.authcore.AuthCore;
import dev.authcore.ExpirySweep;
import dev.authcore.model.Role;
import dev.authcore.store.InMemoryUserDirectory;
import dev.authcore.testkit.FakeClock;
import dev.authcore.testkit.gateway.GatewayFixture.Reply;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Expiry notices through the gateway: the audit log gets each notice once as the {@code _clock}
 * moves (and on the minute schedule, which follows the gateway's clock), the owner's table filters
 * by {@code expiringWithinDays}, and a bad N is a 400 that says what is wrong.
 */
class GatewayExpiryNoticesTest {
  @TempDir Path dir;

  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private GatewayFixture start(Path in, String... args) throws IOException {
    GatewayFixture gw = GatewayFixture.start(in, args);
    closing.add(0, gw);
    return gw;
  }

  private static Reply advance(GatewayFixture gw, String by) {
    return advance(gw, by, gw.token(OLGA));
  }

  private static Reply advance(GatewayFixture gw, String by, String olgasToken) {
    Reply moved =
        gw.call("POST", "/api/v0/_clock", OLGA, olgasToken, "{\"advance\":\"" + by + "\"}");
    assertThat(moved.status()).as(moved.text()).isEqualTo(200);
    return moved;
  }

  /** The notices in the audit log for the token {@code id}, as "TokenExpiringSoon 7" etc. */
  private static List<String> notices(GatewayFixture gw, String id) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode e : gw.audit()) {
      String type = e.get("event").stringValue();
      if (!e.has("tokenId") || !e.get("tokenId").stringValue().equals(id)) {
        continue;
      }
      if (type.equals("TokenExpiringSoon")) {
        out.add(type + " " + e.get("thresholdDays").intValue());
      } else if (type.equals("TokenExpired")) {
        out.add(type);
      }
    }
    return out;
  }

  private static String issue(GatewayFixture gw, String who, String name, int days) {
    Reply created =
        gw.as(
            who,
            "POST",
            "/api/v0/me/tokens",
            "{\"name\":\"" + name + "\",\"expiresInDays\":" + days + "}");
    assertThat(created.status()).as(created.text()).isEqualTo(201);
    return created.json().get("id").stringValue();
  }

  @Test
  void clockMoves_eachNoticeOnceInTheAuditLog() throws IOException {
    GatewayFixture gw = start(dir, "--fake-clock");
    String id = issue(gw, ANN, "ci", 10);
    assertThat(notices(gw, id)).isEmpty();

    advance(gw, "P3D");
    assertThat(notices(gw, id)).containsExactly("TokenExpiringSoon 7");
    JsonNode event =
        gw.audit().stream()
            .filter(e -> e.get("event").stringValue().equals("TokenExpiringSoon"))
            .findFirst()
            .orElseThrow();
    assertThat(event.get("corp").stringValue()).isEqualTo("acme");
    assertThat(event.get("tokenName").stringValue()).isEqualTo("ci");
    assertThat(event.get("tokenOwner").stringValue()).isEqualTo(ANN);
    assertThat(event.get("expires").isString()).isTrue();

    advance(gw, "PT1M");
    advance(gw, "P1D");
    assertThat(notices(gw, id)).containsExactly("TokenExpiringSoon 7");
    advance(gw, "P5D"); // 1 day before
    advance(gw, "P1D"); // expired
    advance(gw, "P30D");
    assertThat(notices(gw, id))
        .containsExactly("TokenExpiringSoon 7", "TokenExpiringSoon 1", "TokenExpired");
  }

  @Test
  void policyMadeTheTokenExpireIn3Days_oneSevenDayNotice() throws IOException {
    GatewayFixture gw = start(dir, "--fake-clock");
    Reply created = gw.as(BOB, "POST", "/api/v0/me/tokens", "{\"name\":\"old\"}");
    String id = created.json().get("id").stringValue();
    advance(gw, "P27D");
    Reply set =
        gw.as(
            OLGA,
            "PUT",
            "/api/v0/corps/acme/tokenSettings",
            "{\"expiryDays\":30,\"restricted\":false,\"allowedIps\":\"\"}");
    assertThat(set.status()).as(set.text()).isEqualTo(200);
    advance(gw, "PT1M");
    advance(gw, "PT1H");
    assertThat(notices(gw, id)).containsExactly("TokenExpiringSoon 7");
  }

  @Test
  void ownersTable_expiringWithinDays_filters() throws IOException {
    GatewayFixture gw = start(dir, "--fake-clock");
    String soon = issue(gw, ANN, "soon", 10);
    issue(gw, BOB, "later", 100);
    Reply within = gw.as(OLGA, "GET", "/api/v0/corps/acme/tokens?expiringWithinDays=30", null);
    assertThat(within.status()).as(within.text()).isEqualTo(200);
    assertThat(within.json().get("data").size()).isOne();
    assertThat(within.json().get("data").get(0).get("id").stringValue()).isEqualTo(soon);
    Reply all = gw.as(OLGA, "GET", "/api/v0/corps/acme/tokens?expiringWithinDays=365", null);
    assertThat(all.json().get("data").size()).isEqualTo(2);
    Reply combined =
        gw.as(OLGA, "GET", "/api/v0/corps/acme/tokens?expiringWithinDays=365&creator=" + BOB, null);
    assertThat(combined.json().get("data").size()).isOne();
  }

  @Test
  void ownersTable_badExpiringWithinDays_400SayingWhy() throws IOException {
    GatewayFixture gw = start(dir, "--fake-clock");
    for (String bad : List.of("0", "366", "abc", "7.5", "-1", "1e2", "99999999999")) {
      Reply r = gw.as(OLGA, "GET", "/api/v0/corps/acme/tokens?expiringWithinDays=" + bad, null);
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.json().get("error").stringValue()).isEqualTo("invalid query");
      assertThat(r.json().get("details").get(0).stringValue())
          .isEqualTo(
              "expiringWithinDays must be a whole number of days from 1 to 365, got '" + bad + "'");
    }
    assertThat(gw.as(OLGA, "GET", "/api/v0/corps/acme/tokens?expiringWithinDays=7", null).status())
        .isEqualTo(200);
    assertThat(gw.as(ANN, "GET", "/api/v0/corps/acme/tokens?expiringWithinDays=7", null).status())
        .as("owners only, checked before the query")
        .isEqualTo(403);
  }

  @Test
  void restartedGatewayOnTheSameDatabase_sendsNothingAlreadySent(@TempDir Path a, @TempDir Path b)
      throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      String url = postgres.getJdbcUrl("postgres", "postgres");
      String id;
      String olga;
      try (GatewayFixture first = GatewayFixture.start(a, "--fake-clock", "--jdbc-url", url)) {
        id = issue(first, ANN, "ci", 10);
        olga = first.token(OLGA); // the second gateway keeps the bootstrap tokens it finds
        advance(first, "P3D");
        assertThat(notices(first, id)).containsExactly("TokenExpiringSoon 7");
      }
      try (GatewayFixture second = GatewayFixture.start(b, "--fake-clock", "--jdbc-url", url)) {
        // Its clock started later: 3 days on, it is as far as the first one got, or further.
        advance(second, "P3D", olga);
        assertThat(notices(second, id)).isEmpty();
        advance(second, "P6D", olga);
        assertThat(notices(second, id)).containsExactly("TokenExpiringSoon 1");
      }
    }
  }

  // ---- the minute schedule follows the gateway's clock ---------------------------------------

  @Test
  void schedule_sweepsOncePerMinuteOfTheInjectedClock_notOfRealTime() {
    FakeClock clock = FakeClock.atDefaultStart();
    List<AuditEvent> events = new CopyOnWriteArrayList<>();
    try (AuthCore core = core(clock, events);
        NoticeSchedule schedule = NoticeSchedule.manual(core, clock)) {
      core.issuer().issue(ANN, "ci", Duration.ofDays(10));
      assertThat(schedule.tick()).as("the first tick sweeps").isNotNull();
      assertThat(schedule.tick()).as("the clock stood still").isNull();
      clock.advance(Duration.ofSeconds(59));
      assertThat(schedule.tick()).isNull();
      clock.advance(Duration.ofSeconds(1));
      assertThat(schedule.tick()).as("a minute of the clock passed").isNotNull();
      assertThat(schedule.tick()).isNull();

      clock.advance(Duration.ofDays(3));
      ExpirySweep sweep = java.util.Objects.requireNonNull(schedule.tick(), "a sweep is due");
      assertThat(sweep.sevenDayNotices()).isOne();
      assertThat(notices(events)).isOne();

      clock.set(clock.instant().minus(Duration.ofDays(2))); // set back
      assertThat(schedule.tick())
          .as("a clock set back sweeps and counts on from there")
          .isNotNull();
      assertThat(schedule.tick()).isNull();
      assertThat(notices(events)).isOne();
    }
  }

  private static long notices(List<AuditEvent> events) {
    return events.stream().filter(e -> e instanceof AuditEvent.TokenExpiringSoon).count();
  }

  private static AuthCore core(FakeClock clock, List<AuditEvent> events) {
    return AuthCore.builder()
        .tokenPrefix(Gateway.TOKEN_PREFIX)
        .users(new InMemoryUserDirectory().add("acme", ANN, Role.USER))
        .clock(clock)
        .usageFlushInterval(Duration.ZERO)
        .auditListener(events::add)
        .build();
  }
}
