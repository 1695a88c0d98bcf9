package dev.authcore.testkit.gateway;

import dev.authcore.AuditEvent;
import dev.authcore.LeakReport;
import dev.authcore.console.SettingsPreview;
import dev.authcore.console.TokenAllowList;
import dev.authcore.console.TokenRow;
import dev.authcore.console.WouldBeBlocked;
import dev.authcore.net.AllowListProblem;
import dev.authcore.policy.ExpiryCause;
import dev.authcore.policy.StagedAllowList;
import dev.authcore.policy.TokenSettings;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's JSON shapes, written with Jackson's tree model so that every field name is spelled
 * out here, once. Instants are ISO-8601 UTC ({@code 2026-01-01T00:00:00Z}); absent values are
 * {@code null}, never omitted. No shape here can hold a token's plaintext except {@link #created}.
 */
final class Json {
  /** Strict reading: a repeated field or anything after the value is an error. */
  static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static void putInstant(ObjectNode node, String field, @Nullable Instant instant) {
    if (instant == null) {
      node.putNull(field);
    } else {
      node.put(field, instant.toString());
    }
  }

  /** {@code {"error": message, "details": []}}. */
  /** A user's token permission: {@code allowed} now, and the grant's {@code until} or null. */
  static ObjectNode permission(boolean allowed, @Nullable Instant until) {
    ObjectNode node = object();
    node.put("allowed", allowed);
    putInstant(node, "until", until);
    return node;
  }

  static ObjectNode error(String message) {
    ObjectNode node = object();
    node.put("error", message);
    node.putArray("details");
    return node;
  }

  /** {@code {"error": message, "details": [detail, ...]}}. */
  static ObjectNode error(String message, List<String> details) {
    ObjectNode node = object();
    node.put("error", message);
    ArrayNode array = node.putArray("details");
    details.forEach(array::add);
    return node;
  }

  /** {@code {"error": message, "details": [{"line","text","reason"}, ...]}}. */
  static ObjectNode allowListError(String message, List<AllowListProblem> problems) {
    ObjectNode node = object();
    node.put("error", message);
    ArrayNode array = node.putArray("details");
    for (AllowListProblem p : problems) {
      ObjectNode d = array.addObject();
      d.put("line", p.line());
      d.put("text", p.text());
      d.put("reason", p.reason());
    }
    return node;
  }

  /**
   * {@code
   * {"id","name","creator","created","expires","status","lastUsed","ips","rotated","previousValidUntil",
   * "expiredBy","allowedIps","wouldBeBlocked"}}: {@code expiredBy} is null, {@code "AGE"}, {@code
   * "INACTIVITY"} or {@code "TOKEN"}; {@code allowedIps} is the token's own list as canonical text,
   * {@code ""} for none; {@code wouldBeBlocked} is {@code {"count": n, "ips": [...]}} in the
   * owners' table while the corp has a list staged, else null.
   */
  static ObjectNode row(TokenRow row) {
    ObjectNode node = object();
    node.put("id", row.id().toString());
    node.put("name", row.name());
    node.put("creator", row.creator());
    putInstant(node, "created", row.created());
    putInstant(node, "expires", row.expires());
    node.put("status", row.status().name());
    putInstant(node, "lastUsed", row.lastUsed());
    ArrayNode ips = node.putArray("ips");
    row.ips().forEach(ips::add);
    putInstant(node, "rotated", row.rotated());
    putInstant(node, "previousValidUntil", row.previousValidUntil());
    @Nullable ExpiryCause expiredBy = row.expiredBy();
    if (expiredBy == null) {
      node.putNull("expiredBy");
    } else {
      node.put("expiredBy", expiredBy.name());
    }
    node.put("allowedIps", row.allowedIps());
    @Nullable WouldBeBlocked blocked = row.wouldBeBlocked();
    if (blocked == null) {
      node.putNull("wouldBeBlocked");
    } else {
      ObjectNode counts = node.putObject("wouldBeBlocked");
      counts.put("count", blocked.count());
      ArrayNode blockedIps = counts.putArray("ips");
      blocked.ips().forEach(blockedIps::add);
    }
    return node;
  }

  /** {@code {"allowedIps": canonical text, "warnings": [text, ...]}}. */
  static ObjectNode tokenAllowList(TokenAllowList list) {
    ObjectNode node = object();
    node.put("allowedIps", list.allowedIps());
    ArrayNode warnings = node.putArray("warnings");
    list.warnings().forEach(warnings::add);
    return node;
  }

  static ArrayNode rows(List<TokenRow> rows) {
    ArrayNode array = MAPPER.createArrayNode();
    rows.forEach(r -> array.add(row(r)));
    return array;
  }

  /** {@code {"data": [row, ...]}}. */
  static ObjectNode data(List<TokenRow> rows) {
    ObjectNode node = object();
    node.set("data", rows(rows));
    return node;
  }

  /**
   * The response to creating a token, {@code {"id","name","token","created","expires"}}: the only
   * shape that ever holds a token's plaintext.
   */
  static ObjectNode created(
      String id, String name, String plaintext, Instant created, @Nullable Instant expires) {
    ObjectNode node = object();
    node.put("id", id);
    node.put("name", name);
    node.put("token", plaintext);
    putInstant(node, "created", created);
    putInstant(node, "expires", expires);
    return node;
  }

  /**
   * The response to rotating a token, {@code {"id","name","token","created","expires",
   * "previousValidUntil"}}: the created shape and the end of the previous secret's grace period
   * ({@code null} for none).
   */
  static ObjectNode rotated(
      String id,
      String name,
      String plaintext,
      Instant created,
      @Nullable Instant expires,
      @Nullable Instant previousValidUntil) {
    ObjectNode node = created(id, name, plaintext, created, expires);
    putInstant(node, "previousValidUntil", previousValidUntil);
    return node;
  }

  /**
   * {@code {"expiryDays": days-or-null, "restricted": bool, "allowedIps": text, "inactiveDays":
   * days-or-null, "stagedAllowedIps": text-or-null, "stagedSince": instant-or-null}}.
   */
  static ObjectNode settings(TokenSettings settings) {
    ObjectNode node = object();
    @Nullable Long days = settings.expiry().maxAgeDays().orElse(null);
    if (days == null) {
      node.putNull("expiryDays");
    } else {
      node.put("expiryDays", days);
    }
    node.put("restricted", settings.restricted());
    node.put("allowedIps", settings.allowedIps().toText());
    @Nullable Integer inactiveDays = settings.inactiveDays();
    if (inactiveDays == null) {
      node.putNull("inactiveDays");
    } else {
      node.put("inactiveDays", inactiveDays.intValue());
    }
    @Nullable StagedAllowList staged = settings.staged();
    if (staged == null) {
      node.putNull("stagedAllowedIps");
      node.putNull("stagedSince");
    } else {
      node.put("stagedAllowedIps", staged.allowedIps().toText());
      putInstant(node, "stagedSince", staged.since());
    }
    return node;
  }

  /** {@code {"wouldExpire","wouldBeDisabled","wouldBeBlocked","wouldComeBack","warnings"}}. */
  static ObjectNode preview(SettingsPreview preview) {
    ObjectNode node = object();
    node.set("wouldExpire", rows(preview.wouldExpire()));
    node.set("wouldBeDisabled", rows(preview.wouldBeDisabled()));
    node.set("wouldBeBlocked", rows(preview.wouldBeBlocked()));
    node.set("wouldComeBack", rows(preview.wouldComeBack()));
    ArrayNode warnings = node.putArray("warnings");
    preview.warnings().forEach(warnings::add);
    return node;
  }

  /** {@code {"found": N, "revoked": M}}: the answer to a leak report. */
  static ObjectNode leakReport(LeakReport report) {
    ObjectNode node = object();
    node.put("found", report.found());
    node.put("revoked", report.revoked());
    return node;
  }

  /** One audit event as a JSON object: {@code {"event": type, "at": instant, ...its fields}}. */
  static ObjectNode event(AuditEvent event) {
    ObjectNode node = object();
    node.put("event", event.getClass().getSimpleName());
    putInstant(node, "at", event.at());
    if (event instanceof AuditEvent.TokenCreated e) {
      node.put("corp", e.corp());
      node.put("actor", e.actor());
      node.put("tokenId", e.tokenId().toString());
      node.put("tokenName", e.tokenName());
      putInstant(node, "expiresAt", e.expiresAt());
    } else if (event instanceof AuditEvent.TokenDeleted e) {
      node.put("corp", e.corp());
      node.put("actor", e.actor());
      node.put("tokenId", e.tokenId().toString());
      node.put("tokenName", e.tokenName());
      node.put("tokenOwner", e.tokenOwner());
    } else if (event instanceof AuditEvent.TokenRotated e) {
      node.put("corp", e.corp());
      node.put("actor", e.actor());
      node.put("tokenId", e.tokenId().toString());
      node.put("tokenName", e.tokenName());
      node.put("tokenOwner", e.tokenOwner());
      putInstant(node, "previousValidUntil", e.previousValidUntil());
    } else if (event instanceof AuditEvent.PreviousSecretUsed e) {
      node.put("corp", e.corp());
      node.put("tokenId", e.tokenId().toString());
      node.put("tokenName", e.tokenName());
      node.put("tokenOwner", e.tokenOwner());
      node.put("clientIp", e.clientIp());
    } else if (event instanceof AuditEvent.TokenLeaked e) {
      node.put("corp", e.corp());
      node.put("tokenId", e.tokenId().toString());
      node.put("tokenName", e.tokenName());
      node.put("tokenOwner", e.tokenOwner());
      node.put("source", e.source());
    } else if (event instanceof AuditEvent.TokenRejected e) {
      node.put("reason", e.reason().name());
      node.put("tokenId", e.tokenId() == null ? null : e.tokenId().toString());
      node.put("corp", e.corp());
      node.put("claimedUser", e.claimedUser());
      node.put("clientIp", e.clientIp());
      node.put("refusedBy", e.refusedBy());
    } else if (event instanceof AuditEvent.TokenAllowListChanged e) {
      node.put("corp", e.corp());
      node.put("actor", e.actor());
      node.put("tokenId", e.tokenId().toString());
      node.put("tokenName", e.tokenName());
      node.put("tokenOwner", e.tokenOwner());
      node.put("allowedIps", e.allowedIps());
    } else if (event instanceof AuditEvent.TokenUsedFromNewIp e) {
      node.put("corp", e.corp());
      node.put("tokenId", e.tokenId().toString());
      node.put("tokenOwner", e.tokenOwner());
      node.put("clientIp", e.clientIp());
    } else if (event instanceof AuditEvent.WouldBeBlocked e) {
      node.put("corp", e.corp());
      node.put("tokenId", e.tokenId().toString());
      node.put("tokenOwner", e.tokenOwner());
      node.put("clientIp", e.clientIp());
      putInstant(node, "stagedSince", e.stagedSince());
    } else if (event instanceof AuditEvent.SettingsChanged e) {
      node.put("corp", e.corp());
      node.put("actor", e.actor());
      node.set("before", settings(e.before()));
      node.set("after", settings(e.after()));
    } else if (event instanceof AuditEvent.PermissionChanged e) {
      node.put("corp", e.corp());
      node.put("actor", e.actor());
      node.put("user", e.user());
      node.put("before", e.before());
      node.put("after", e.after());
      putInstant(node, "until", e.until());
    } else if (event instanceof AuditEvent.PermissionExpired e) {
      node.put("corp", e.corp());
      node.put("user", e.user());
      putInstant(node, "until", e.until());
    } else if (event instanceof AuditEvent.OutageStarted e) {
      node.put("outageGrace", e.outageGrace().toString());
    } else if (event instanceof AuditEvent.OutageEnded e) {
      putInstant(node, "since", e.since());
    } else if (event instanceof AuditEvent.TokenExpiringSoon e) {
      node.put("corp", e.corp());
      node.put("tokenId", e.tokenId().toString());
      node.put("tokenName", e.tokenName());
      node.put("tokenOwner", e.tokenOwner());
      putInstant(node, "expires", e.expires());
      node.put("thresholdDays", e.threshold().toDays());
    } else if (event instanceof AuditEvent.TokenExpired e) {
      node.put("corp", e.corp());
      node.put("tokenId", e.tokenId().toString());
      node.put("tokenName", e.tokenName());
      node.put("tokenOwner", e.tokenOwner());
      putInstant(node, "expired", e.expired());
    }
    return node;
  }
}
