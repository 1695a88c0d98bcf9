package dev.authcore.testkit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.AuditEvent;
import dev.authcore.LeakReport;
import dev.authcore.model.TokenId;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The gateway's JSON for audit events (the outage transitions, leaked and rotated tokens, uses of a
 * previous secret, expiry notices) and leak reports.
 */
class JsonTest {
  private static final Instant AT = Instant.parse("2026-12-02T10:15:30Z");

  @Test
  void event_outageStarted_namesTheGrace() {
    assertThat(Json.event(new AuditEvent.OutageStarted(AT, Duration.ofMinutes(5))).toString())
        .isEqualTo(
            "{\"event\":\"OutageStarted\",\"at\":\"2026-12-02T10:15:30Z\",\"outageGrace\":\"PT5M\"}");
  }

  @Test
  void event_outageEnded_saysSinceWhen() {
    assertThat(Json.event(new AuditEvent.OutageEnded(AT, AT.minusSeconds(90))).toString())
        .isEqualTo(
            "{\"event\":\"OutageEnded\",\"at\":\"2026-12-02T10:15:30Z\","
                + "\"since\":\"2026-12-02T10:14:00Z\"}");
  }

  @Test
  void event_tokenLeaked_namesTheTokenItsOwnerAndTheSource() {
    TokenId id = TokenId.fromLong(42);
    assertThat(
            Json.event(
                    new AuditEvent.TokenLeaked(
                        AT, "acme", id, "ci", "ann@example.com", "https://paste.example/x"))
                .toString())
        .isEqualTo(
            "{\"event\":\"TokenLeaked\",\"at\":\"2026-12-02T10:15:30Z\",\"corp\":\"acme\","
                + "\"tokenId\":\""
                + id
                + "\",\"tokenName\":\"ci\",\"tokenOwner\":\"ann@example.com\","
                + "\"source\":\"https://paste.example/x\"}");
    assertThat(
            Json.event(new AuditEvent.TokenLeaked(AT, "acme", id, "ci", "ann@example.com", null))
                .get("source")
                .isNull())
        .as("no source said: null, not left out")
        .isTrue();
  }

  @Test
  void event_tokenRotated_namesActorOwnerAndTheGraceEnd() {
    TokenId id = TokenId.fromLong(42);
    assertThat(
            Json.event(
                    new AuditEvent.TokenRotated(
                        AT,
                        "acme",
                        "olga@example.com",
                        id,
                        "ci",
                        "ann@example.com",
                        AT.plus(Duration.ofHours(1))))
                .toString())
        .isEqualTo(
            "{\"event\":\"TokenRotated\",\"at\":\"2026-12-02T10:15:30Z\",\"corp\":\"acme\","
                + "\"actor\":\"olga@example.com\",\"tokenId\":\""
                + id
                + "\",\"tokenName\":\"ci\",\"tokenOwner\":\"ann@example.com\","
                + "\"previousValidUntil\":\"2026-12-02T11:15:30Z\"}");
    assertThat(
            Json.event(
                    new AuditEvent.TokenRotated(
                        AT, "acme", "ann@example.com", id, "ci", "ann@example.com", null))
                .get("previousValidUntil")
                .isNull())
        .as("no grace: null, not left out")
        .isTrue();
  }

  @Test
  void event_previousSecretUsed_namesTheTokenAndTheClient() {
    TokenId id = TokenId.fromLong(42);
    assertThat(
            Json.event(
                    new AuditEvent.PreviousSecretUsed(
                        AT, "acme", id, "ci", "ann@example.com", "192.0.2.7"))
                .toString())
        .isEqualTo(
            "{\"event\":\"PreviousSecretUsed\",\"at\":\"2026-12-02T10:15:30Z\","
                + "\"corp\":\"acme\",\"tokenId\":\""
                + id
                + "\",\"tokenName\":\"ci\",\"tokenOwner\":\"ann@example.com\","
                + "\"clientIp\":\"192.0.2.7\"}");
  }

  @Test
  void event_tokenExpiringSoon_namesTheTokenItsOwnerTheExpiryAndTheThreshold() {
    TokenId id = TokenId.fromLong(42);
    assertThat(
            Json.event(
                    new AuditEvent.TokenExpiringSoon(
                        AT,
                        "acme",
                        id,
                        "ci",
                        "ann@example.com",
                        AT.plus(Duration.ofDays(7)),
                        Duration.ofDays(7)))
                .toString())
        .isEqualTo(
            "{\"event\":\"TokenExpiringSoon\",\"at\":\"2026-12-02T10:15:30Z\",\"corp\":\"acme\","
                + "\"tokenId\":\""
                + id
                + "\",\"tokenName\":\"ci\",\"tokenOwner\":\"ann@example.com\","
                + "\"expires\":\"2026-12-09T10:15:30Z\",\"thresholdDays\":7}");
  }

  @Test
  void event_tokenExpired_namesTheTokenItsOwnerAndWhen() {
    TokenId id = TokenId.fromLong(42);
    assertThat(
            Json.event(new AuditEvent.TokenExpired(AT, "acme", id, "ci", "ann@example.com", AT))
                .toString())
        .isEqualTo(
            "{\"event\":\"TokenExpired\",\"at\":\"2026-12-02T10:15:30Z\",\"corp\":\"acme\","
                + "\"tokenId\":\""
                + id
                + "\",\"tokenName\":\"ci\",\"tokenOwner\":\"ann@example.com\","
                + "\"expired\":\"2026-12-02T10:15:30Z\"}");
  }

  @Test
  void event_tokenAllowListChanged_namesActorOwnerAndTheList() {
    TokenId id = TokenId.fromLong(42);
    assertThat(
            Json.event(
                    new AuditEvent.TokenAllowListChanged(
                        AT,
                        "acme",
                        "olga@example.com",
                        id,
                        "ci",
                        "ann@example.com",
                        "10.0.0.0/8\n"))
                .toString())
        .isEqualTo(
            "{\"event\":\"TokenAllowListChanged\",\"at\":\"2026-12-02T10:15:30Z\","
                + "\"corp\":\"acme\",\"actor\":\"olga@example.com\",\"tokenId\":\""
                + id
                + "\",\"tokenName\":\"ci\",\"tokenOwner\":\"ann@example.com\","
                + "\"allowedIps\":\"10.0.0.0/8\\n\"}");
  }

  @Test
  void event_tokenRejected_namesTheListThatRefused() {
    TokenId id = TokenId.fromLong(42);
    assertThat(
            Json.event(
                    new AuditEvent.TokenRejected(
                        AT,
                        dev.authcore.RejectionReason.IP_NOT_ALLOWED,
                        id,
                        "acme",
                        "ann@example.com",
                        "192.0.2.7",
                        AuditEvent.TokenRejected.TOKEN_LIST))
                .toString())
        .isEqualTo(
            "{\"event\":\"TokenRejected\",\"at\":\"2026-12-02T10:15:30Z\","
                + "\"reason\":\"IP_NOT_ALLOWED\",\"tokenId\":\""
                + id
                + "\",\"corp\":\"acme\",\"claimedUser\":\"ann@example.com\","
                + "\"clientIp\":\"192.0.2.7\",\"refusedBy\":\"token\"}");
  }

  @Test
  void event_permissionChanged_carriesTheEndOrNull() {
    Instant until = AT.plus(Duration.ofDays(30));
    assertThat(
            Json.event(
                    new AuditEvent.PermissionChanged(
                        AT, "acme", "olga@example.com", "ann@example.com", false, true, until))
                .toString())
        .isEqualTo(
            "{\"event\":\"PermissionChanged\",\"at\":\"2026-12-02T10:15:30Z\","
                + "\"corp\":\"acme\",\"actor\":\"olga@example.com\","
                + "\"user\":\"ann@example.com\",\"before\":false,\"after\":true,"
                + "\"until\":\"2027-01-01T10:15:30Z\"}");
    assertThat(
            Json.event(
                    new AuditEvent.PermissionChanged(
                        AT, "acme", "olga@example.com", "ann@example.com", true, false))
                .toString())
        .endsWith("\"before\":true,\"after\":false,\"until\":null}");
  }

  @Test
  void event_permissionExpired_namesTheUserAndTheEnd() {
    assertThat(
            Json.event(
                    new AuditEvent.PermissionExpired(
                        AT, "acme", "ann@example.com", AT.minusSeconds(30)))
                .toString())
        .isEqualTo(
            "{\"event\":\"PermissionExpired\",\"at\":\"2026-12-02T10:15:30Z\","
                + "\"corp\":\"acme\",\"user\":\"ann@example.com\","
                + "\"until\":\"2026-12-02T10:15:00Z\"}");
  }

  @Test
  void permission_allowedAndUntil() {
    assertThat(Json.permission(true, AT).toString())
        .isEqualTo("{\"allowed\":true,\"until\":\"2026-12-02T10:15:30Z\"}");
    assertThat(Json.permission(false, null).toString())
        .isEqualTo("{\"allowed\":false,\"until\":null}");
  }

  @Test
  void leakReport_foundAndRevoked() {
    assertThat(Json.leakReport(new LeakReport(3, 1)).toString())
        .isEqualTo("{\"found\":3,\"revoked\":1}");
  }
}
