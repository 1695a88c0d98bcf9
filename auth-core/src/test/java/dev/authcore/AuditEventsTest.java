package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.testing.NullPointerTester;
import dev.authcore.model.TokenId;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.StagedAllowList;
import dev.authcore.policy.TokenSettings;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link AuditEvents#toJsonLine}: every event type round-trips through its line (parsed back by a
 * strict JSON parser and rebuilt into an equal event), the field names are the documented ECS ones,
 * and hostile text stays one valid line of printable ASCII.
 */
class AuditEventsTest {
  /** Strict: duplicate keys and trailing content after the object are errors. */
  static final JsonMapper STRICT =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123Z");
  private static final Instant T1 = Instant.parse("2025-04-01T00:00:00Z");
  private static final TokenId ID = TokenId.fromLong(0x1234_5678_9ABCL);
  private static final TokenSettings SETTINGS =
      new TokenSettings(
          ExpiryPolicy.days(30),
          true,
          IpAllowList.parse("10.0.0.0/8\n2001:db8::/32\n10.9.9.9"),
          60,
          new StagedAllowList(
              IpAllowList.parse("10.0.0.0/8"), Instant.parse("2025-02-01T00:00:00Z")));

  /** Samples of every event type: each type at least once, optional fields present and absent. */
  static List<AuditEvent> samples() {
    return List.of(
        new AuditEvent.TokenCreated(T0, "acme", "ann@acme.test", ID, "ci deploy", T1),
        new AuditEvent.TokenCreated(T0, "acme", "ann@acme.test", ID, "ci", null),
        new AuditEvent.TokenDeleted(T0, "acme", "bob@acme.test", ID, "ci", "ann@acme.test"),
        new AuditEvent.TokenRotated(T0, "acme", "bob@acme.test", ID, "ci", "ann@acme.test", T1),
        new AuditEvent.TokenRotated(T0, "acme", "ann@acme.test", ID, "ci", "ann@acme.test", null),
        new AuditEvent.PreviousSecretUsed(T0, "acme", ID, "ci", "ann@acme.test", "10.1.2.3"),
        new AuditEvent.PreviousSecretUsed(T0, "acme", ID, "ci", "ann@acme.test", "unknown"),
        new AuditEvent.TokenLeaked(
            T0, "acme", ID, "ci", "ann@acme.test", "https://paste.example/raw/x1"),
        new AuditEvent.TokenLeaked(T0, "acme", ID, "ci", "ann@acme.test", null),
        new AuditEvent.TokenRejected(
            T0,
            RejectionReason.IP_NOT_ALLOWED,
            ID,
            "acme",
            "ann@acme.test",
            "2001:db8::7",
            AuditEvent.TokenRejected.TOKEN_LIST),
        new AuditEvent.TokenRejected(
            T0,
            RejectionReason.IP_NOT_ALLOWED,
            ID,
            "acme",
            "ann@acme.test",
            "10.1.2.3",
            AuditEvent.TokenRejected.CORP_LIST),
        new AuditEvent.TokenRejected(
            T0, RejectionReason.IP_NOT_ALLOWED, ID, "acme", "ann@acme.test", "2001:db8::7"),
        new AuditEvent.TokenRejected(
            T0, RejectionReason.MALFORMED, null, null, "<missing>", "unknown"),
        new AuditEvent.TokenAllowListChanged(
            T0, "acme", "bob@acme.test", ID, "ci", "ann@acme.test", "10.1.0.0/16\n2001:db8::/48\n"),
        new AuditEvent.TokenAllowListChanged(
            T0, "acme", "ann@acme.test", ID, "ci", "ann@acme.test", ""),
        new AuditEvent.TokenUsedFromNewIp(T0, "acme", ID, "ann@acme.test", "10.1.2.3"),
        new AuditEvent.WouldBeBlocked(T0, "acme", ID, "ann@acme.test", "192.0.2.1", T1),
        new AuditEvent.SettingsChanged(
            T0, "acme", "ann@acme.test", TokenSettings.defaults(), SETTINGS),
        new AuditEvent.PermissionChanged(T0, "acme", "ann@acme.test", "bob@acme.test", true, false),
        new AuditEvent.PermissionChanged(
            T0, "acme", "ann@acme.test", "bob@acme.test", false, true, T1),
        new AuditEvent.PermissionExpired(T1, "acme", "bob@acme.test", T1.minusSeconds(30)),
        new AuditEvent.OutageStarted(T0, Duration.ofMinutes(5)),
        new AuditEvent.OutageEnded(T1, T0),
        new AuditEvent.TokenExpiringSoon(
            T0, "acme", ID, "ci deploy", "ann@acme.test", T1, Duration.ofDays(7)),
        new AuditEvent.TokenExpiringSoon(
            T0, "acme", ID, "ci", "ann@acme.test", T1, Duration.ofDays(1)),
        new AuditEvent.TokenExpired(T1, "acme", ID, "ci", "ann@acme.test", T1));
  }

  @Test
  void samples_coverEveryPermittedEventType() {
    Set<Class<?>> sampled = samples().stream().map(Object::getClass).collect(Collectors.toSet());
    assertThat(sampled)
        .as("add a sample (and a case in decode) for every AuditEvent type")
        .containsExactlyInAnyOrder(AuditEvent.class.getPermittedSubclasses());
  }

  @Test
  void everyEventType_roundTripsThroughItsLine() {
    for (AuditEvent event : samples()) {
      String line = AuditEvents.toJsonLine(event);
      assertThat(decode(STRICT.readTree(line))).as(line).isEqualTo(event);
    }
  }

  @Test
  void everyComponent_isReadBack() {
    // decode() is written by hand: check it cannot pass by reusing the sample. A changed
    // component of each event must give a different line.
    for (AuditEvent event : samples()) {
      for (var component : event.getClass().getRecordComponents()) {
        AuditEvent changed = withComponentChanged(event, component.getName());
        assertThat(AuditEvents.toJsonLine(changed))
            .as("%s.%s must be in the line", event.getClass().getSimpleName(), component.getName())
            .isNotEqualTo(AuditEvents.toJsonLine(event));
      }
    }
  }

  @Test
  void lines_useTheDocumentedFieldNames() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put(
        "TokenCreated",
        "@timestamp ecs.version event.kind event.category event.type event.action event.outcome"
            + " organization.id user.name authcore.token.id authcore.token.name"
            + " authcore.token.expires");
    expected.put(
        "TokenDeleted",
        "@timestamp ecs.version event.kind event.category event.type event.action event.outcome"
            + " organization.id user.name user.target.name authcore.token.id authcore.token.name");
    expected.put(
        "TokenLeaked",
        "@timestamp ecs.version event.kind event.category event.type event.action event.outcome"
            + " organization.id user.target.name authcore.token.id authcore.token.name"
            + " authcore.leak.source");
    expected.put(
        "TokenRejected",
        "@timestamp ecs.version event.kind event.category event.type event.action event.outcome"
            + " event.reason organization.id user.name source.address source.ip"
            + " authcore.token.id authcore.refused_by");
    expected.put(
        "TokenAllowListChanged",
        "@timestamp ecs.version event.kind event.category event.type event.action event.outcome"
            + " organization.id user.name user.target.name authcore.token.id authcore.token.name"
            + " authcore.token.allowed_ips");
    expected.put(
        "TokenRotated",
        "@timestamp ecs.version event.kind event.category event.type event.action event.outcome"
            + " organization.id user.name user.target.name authcore.token.id authcore.token.name"
            + " authcore.token.previous_valid_until");
    expected.put(
        "PreviousSecretUsed",
        "@timestamp ecs.version event.kind event.category event.type event.action event.outcome"
            + " organization.id user.name source.address source.ip authcore.token.id"
            + " authcore.token.name");
    expected.put(
        "TokenUsedFromNewIp",
        "@timestamp ecs.version event.kind event.category event.type event.action event.outcome"
            + " organization.id user.name source.address source.ip authcore.token.id");
    expected.put(
        "WouldBeBlocked",
        "@timestamp ecs.version event.kind event.category event.type event.action event.outcome"
            + " organization.id user.name source.address source.ip authcore.token.id"
            + " authcore.staged.since");
    expected.put(
        "SettingsChanged",
        "@timestamp ecs.version event.kind event.category event.type event.action event.outcome"
            + " organization.id user.name authcore.settings.before.restricted"
            + " authcore.settings.before.allowed_ips authcore.settings.after.expiry_days"
            + " authcore.settings.after.inactive_days"
            + " authcore.settings.after.restricted authcore.settings.after.allowed_ips"
            + " authcore.settings.after.staged_allowed_ips authcore.settings.after.staged_since");
    expected.put(
        "PermissionChanged",
        "@timestamp ecs.version event.kind event.category event.type event.action event.outcome"
            + " organization.id user.name user.target.name authcore.permission.before"
            + " authcore.permission.after");
    expected.put(
        "PermissionExpired",
        "@timestamp ecs.version event.kind event.category event.type event.action event.outcome"
            + " organization.id user.target.name authcore.permission.until");
    expected.put(
        "OutageStarted",
        "@timestamp ecs.version event.kind event.category event.type event.action event.outcome"
            + " authcore.outage.grace");
    expected.put(
        "TokenExpiringSoon",
        "@timestamp ecs.version event.kind event.category event.type event.action event.outcome"
            + " organization.id user.target.name authcore.token.id authcore.token.name"
            + " authcore.token.expires authcore.notice.threshold");
    expected.put(
        "TokenExpired",
        "@timestamp ecs.version event.kind event.category event.type event.action event.outcome"
            + " organization.id user.target.name authcore.token.id authcore.token.name"
            + " authcore.token.expires");
    expected.put(
        "OutageEnded",
        "@timestamp ecs.version event.kind event.category event.type event.action event.outcome"
            + " authcore.outage.since");
    Map<String, String> seen = new LinkedHashMap<>();
    for (AuditEvent event : samples()) {
      seen.putIfAbsent(
          event.getClass().getSimpleName(),
          String.join(" ", STRICT.readTree(AuditEvents.toJsonLine(event)).propertyNames()));
    }
    assertThat(seen).containsExactlyInAnyOrderEntriesOf(expected);
  }

  @Test
  void line_exactText_forOneEvent() {
    assertThat(
            AuditEvents.toJsonLine(
                new AuditEvent.TokenRejected(
                    T0, RejectionReason.EXPIRED, ID, "acme", "ann@acme.test", "10.1.2.3")))
        .isEqualTo(
            "{\"@timestamp\":\"2025-03-01T10:15:30.123Z\",\"ecs.version\":\"8.11.0\","
                + "\"event.kind\":\"event\",\"event.category\":[\"authentication\"],"
                + "\"event.type\":[\"start\"],\"event.action\":\"token-rejected\","
                + "\"event.outcome\":\"failure\",\"event.reason\":\"EXPIRED\","
                + "\"organization.id\":\"acme\",\"user.name\":\"ann@acme.test\","
                + "\"source.address\":\"10.1.2.3\",\"source.ip\":\"10.1.2.3\","
                + "\"authcore.token.id\":\""
                + ID
                + "\"}");
  }

  @Test
  void sourceIp_onlyForAnAddress() {
    JsonNode unknown =
        STRICT.readTree(
            AuditEvents.toJsonLine(
                new AuditEvent.TokenRejected(
                    T0, RejectionReason.MALFORMED, null, null, "x", "unknown")));
    assertThat(unknown.get("source.address").stringValue()).isEqualTo("unknown");
    assertThat(unknown.has("source.ip")).isFalse();
    assertThat(unknown.has("organization.id")).isFalse();
    assertThat(unknown.has("authcore.token.id")).isFalse();
  }

  static final String HOSTILE =
      "a\"b\\c\u0000\u0001\n\r\t\u001f\u007f\u0085\u2028\u2029\u00e9\ud83d\ude00 </script>";

  @Test
  void hostileText_staysOneLineOfPrintableAscii_andReadsBack() {
    for (String s :
        List.of(
            HOSTILE,
            "\ud800",
            "x\udc00y",
            "\ude00\ud83d",
            "\ud83d",
            "",
            "\\u0022",
            "\"}\n{\"event.action\":\"forged\"")) {
      AuditEvent event = new AuditEvent.TokenDeleted(T0, s, s, ID, s, s);
      String line = AuditEvents.toJsonLine(event);
      assertThat(line.chars()).as(line).allMatch(c -> c >= 0x20 && c < 0x7F);
      JsonNode tree = STRICT.readTree(line);
      String expected = withoutLoneSurrogates(s);
      assertThat(tree.get("user.name").stringValue()).isEqualTo(expected);
      assertThat(tree.get("authcore.token.name").stringValue()).isEqualTo(expected);
      assertThat(tree.get("event.action").stringValue()).isEqualTo("token-deleted");
    }
  }

  @Test
  void publicMethods_refuseNull() {
    new NullPointerTester().testAllPublicStaticMethods(AuditEvents.class);
  }

  @Test
  void jsonLinesTo_writesOneLinePerEventAndFlushes() {
    StringWriter out = new StringWriter();
    AuditListener listener = AuditEvents.jsonLinesTo(out);
    for (AuditEvent e : samples()) {
      listener.onEvent(e);
    }
    String[] lines = out.toString().split("\n", -1);
    assertThat(lines).hasSize(samples().size() + 1);
    assertThat(lines[lines.length - 1]).isEmpty();
    List<AuditEvent> back = new ArrayList<>();
    for (String line : Arrays.copyOf(lines, lines.length - 1)) {
      back.add(decode(STRICT.readTree(line)));
    }
    assertThat(back).isEqualTo(samples());
  }

  @Test
  void jsonLinesTo_writeFailure_isUnchecked() {
    Writer broken =
        new Writer() {
          @Override
          public void write(char[] cbuf, int off, int len) throws IOException {
            throw new IOException("disk full");
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    AuditListener listener = AuditEvents.jsonLinesTo(broken);
    UncheckedIOException e =
        assertThrows(UncheckedIOException.class, () -> listener.onEvent(samples().get(0)));
    assertThat(e).hasMessageContaining("audit JSON line");
  }

  /** What the encoder promises for text that is not Unicode: each lone surrogate as U+FFFD. */
  static String withoutLoneSurrogates(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
      } else {
        sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return sb.toString();
  }

  /** Rebuilds the event from its line, by the documented field table alone. */
  static AuditEvent decode(JsonNode n) {
    Instant at = Instant.parse(text(n, "@timestamp"));
    assertThat(text(n, "ecs.version")).isEqualTo(AuditEvents.ECS_VERSION);
    assertThat(text(n, "event.kind")).isEqualTo("event");
    assertThat(n.get("event.category").isArray()).isTrue();
    assertThat(n.get("event.type").isArray()).isTrue();
    String action = text(n, "event.action");
    assertThat(text(n, "event.outcome"))
        .isEqualTo(
            action.equals("token-rejected") || action.equals("store-outage-started")
                ? "failure"
                : "success");
    return switch (action) {
      case "token-created" ->
          new AuditEvent.TokenCreated(
              at,
              text(n, "organization.id"),
              text(n, "user.name"),
              TokenId.parse(text(n, "authcore.token.id")),
              text(n, "authcore.token.name"),
              n.has("authcore.token.expires")
                  ? Instant.parse(text(n, "authcore.token.expires"))
                  : null);
      case "token-deleted" ->
          new AuditEvent.TokenDeleted(
              at,
              text(n, "organization.id"),
              text(n, "user.name"),
              TokenId.parse(text(n, "authcore.token.id")),
              text(n, "authcore.token.name"),
              text(n, "user.target.name"));
      case "token-rotated" ->
          new AuditEvent.TokenRotated(
              at,
              text(n, "organization.id"),
              text(n, "user.name"),
              TokenId.parse(text(n, "authcore.token.id")),
              text(n, "authcore.token.name"),
              text(n, "user.target.name"),
              n.has("authcore.token.previous_valid_until")
                  ? Instant.parse(text(n, "authcore.token.previous_valid_until"))
                  : null);
      case "token-previous-secret-used" ->
          new AuditEvent.PreviousSecretUsed(
              at,
              text(n, "organization.id"),
              TokenId.parse(text(n, "authcore.token.id")),
              text(n, "authcore.token.name"),
              text(n, "user.name"),
              sourceAddress(n));
      case "token-leaked" ->
          new AuditEvent.TokenLeaked(
              at,
              text(n, "organization.id"),
              TokenId.parse(text(n, "authcore.token.id")),
              text(n, "authcore.token.name"),
              text(n, "user.target.name"),
              n.has("authcore.leak.source") ? text(n, "authcore.leak.source") : null);
      case "token-rejected" ->
          new AuditEvent.TokenRejected(
              at,
              RejectionReason.valueOf(text(n, "event.reason")),
              n.has("authcore.token.id") ? TokenId.parse(text(n, "authcore.token.id")) : null,
              n.has("organization.id") ? text(n, "organization.id") : null,
              text(n, "user.name"),
              sourceAddress(n),
              n.has("authcore.refused_by") ? text(n, "authcore.refused_by") : null);
      case "token-allow-list-changed" -> {
        StringBuilder ips = new StringBuilder();
        for (JsonNode ip : n.get("authcore.token.allowed_ips")) {
          ips.append(ip.stringValue()).append('\n');
        }
        yield new AuditEvent.TokenAllowListChanged(
            at,
            text(n, "organization.id"),
            text(n, "user.name"),
            TokenId.parse(text(n, "authcore.token.id")),
            text(n, "authcore.token.name"),
            text(n, "user.target.name"),
            ips.toString());
      }
      case "token-used-from-new-ip" ->
          new AuditEvent.TokenUsedFromNewIp(
              at,
              text(n, "organization.id"),
              TokenId.parse(text(n, "authcore.token.id")),
              text(n, "user.name"),
              sourceAddress(n));
      case "token-would-be-blocked" ->
          new AuditEvent.WouldBeBlocked(
              at,
              text(n, "organization.id"),
              TokenId.parse(text(n, "authcore.token.id")),
              text(n, "user.name"),
              sourceAddress(n),
              Instant.parse(text(n, "authcore.staged.since")));
      case "settings-changed" ->
          new AuditEvent.SettingsChanged(
              at,
              text(n, "organization.id"),
              text(n, "user.name"),
              settings(n, "authcore.settings.before."),
              settings(n, "authcore.settings.after."));
      case "permission-changed" ->
          new AuditEvent.PermissionChanged(
              at,
              text(n, "organization.id"),
              text(n, "user.name"),
              text(n, "user.target.name"),
              n.get("authcore.permission.before").booleanValue(),
              n.get("authcore.permission.after").booleanValue(),
              n.has("authcore.permission.until")
                  ? Instant.parse(text(n, "authcore.permission.until"))
                  : null);
      case "permission-expired" ->
          new AuditEvent.PermissionExpired(
              at,
              text(n, "organization.id"),
              text(n, "user.target.name"),
              Instant.parse(text(n, "authcore.permission.until")));
      case "store-outage-started" ->
          new AuditEvent.OutageStarted(at, Duration.parse(text(n, "authcore.outage.grace")));
      case "store-outage-ended" ->
          new AuditEvent.OutageEnded(at, Instant.parse(text(n, "authcore.outage.since")));
      case "token-expiring-soon" ->
          new AuditEvent.TokenExpiringSoon(
              at,
              text(n, "organization.id"),
              TokenId.parse(text(n, "authcore.token.id")),
              text(n, "authcore.token.name"),
              text(n, "user.target.name"),
              Instant.parse(text(n, "authcore.token.expires")),
              Duration.parse(text(n, "authcore.notice.threshold")));
      case "token-expired" ->
          new AuditEvent.TokenExpired(
              at,
              text(n, "organization.id"),
              TokenId.parse(text(n, "authcore.token.id")),
              text(n, "authcore.token.name"),
              text(n, "user.target.name"),
              Instant.parse(text(n, "authcore.token.expires")));
      default -> throw new AssertionError("unknown event.action " + action);
    };
  }

  private static String sourceAddress(JsonNode n) {
    String address = text(n, "source.address");
    if (n.has("source.ip")) {
      assertThat(text(n, "source.ip")).isEqualTo(address);
    }
    return address;
  }

  private static TokenSettings settings(JsonNode n, String prefix) {
    JsonNode days = n.get(prefix + "expiry_days");
    JsonNode inactive = n.get(prefix + "inactive_days");
    StringBuilder ips = new StringBuilder();
    for (JsonNode ip : n.get(prefix + "allowed_ips")) {
      ips.append(ip.stringValue()).append('\n');
    }
    @Nullable StagedAllowList staged = null;
    JsonNode stagedIps = n.get(prefix + "staged_allowed_ips");
    if (stagedIps != null) {
      StringBuilder text = new StringBuilder();
      for (JsonNode ip : stagedIps) {
        text.append(ip.stringValue()).append('\n');
      }
      staged =
          new StagedAllowList(
              IpAllowList.parse(text.toString()), Instant.parse(text(n, prefix + "staged_since")));
    }
    return new TokenSettings(
        days == null ? ExpiryPolicy.never() : ExpiryPolicy.days(days.longValue()),
        n.get(prefix + "restricted").booleanValue(),
        IpAllowList.parse(ips.toString()),
        inactive == null ? null : inactive.intValue(),
        staged);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    assertThat(v).as("field %s in %s", field, n).isNotNull();
    assertThat(v.isString()).as("field %s is a string", field).isTrue();
    return v.stringValue();
  }

  /** The event with one component changed, to prove the line depends on it. */
  private static AuditEvent withComponentChanged(AuditEvent e, String component) {
    Instant later = Instant.parse("2030-01-01T00:00:00Z");
    TokenId otherId = TokenId.fromLong(7);
    if (e instanceof AuditEvent.TokenCreated c) {
      return new AuditEvent.TokenCreated(
          component.equals("at") ? later : c.at(),
          component.equals("corp") ? "other" : c.corp(),
          component.equals("actor") ? "x@o.test" : c.actor(),
          component.equals("tokenId") ? otherId : c.tokenId(),
          component.equals("tokenName") ? "renamed" : c.tokenName(),
          component.equals("expiresAt") ? (c.expiresAt() == null ? later : null) : c.expiresAt());
    } else if (e instanceof AuditEvent.TokenDeleted c) {
      return new AuditEvent.TokenDeleted(
          component.equals("at") ? later : c.at(),
          component.equals("corp") ? "other" : c.corp(),
          component.equals("actor") ? "x@o.test" : c.actor(),
          component.equals("tokenId") ? otherId : c.tokenId(),
          component.equals("tokenName") ? "renamed" : c.tokenName(),
          component.equals("tokenOwner") ? "y@o.test" : c.tokenOwner());
    } else if (e instanceof AuditEvent.TokenRotated c) {
      return new AuditEvent.TokenRotated(
          component.equals("at") ? later : c.at(),
          component.equals("corp") ? "other" : c.corp(),
          component.equals("actor") ? "x@o.test" : c.actor(),
          component.equals("tokenId") ? otherId : c.tokenId(),
          component.equals("tokenName") ? "renamed" : c.tokenName(),
          component.equals("tokenOwner") ? "y@o.test" : c.tokenOwner(),
          component.equals("previousValidUntil")
              ? (c.previousValidUntil() == null ? later : null)
              : c.previousValidUntil());
    } else if (e instanceof AuditEvent.PreviousSecretUsed c) {
      return new AuditEvent.PreviousSecretUsed(
          component.equals("at") ? later : c.at(),
          component.equals("corp") ? "other" : c.corp(),
          component.equals("tokenId") ? otherId : c.tokenId(),
          component.equals("tokenName") ? "renamed" : c.tokenName(),
          component.equals("tokenOwner") ? "y@o.test" : c.tokenOwner(),
          component.equals("clientIp") ? "192.0.2.1" : c.clientIp());
    } else if (e instanceof AuditEvent.TokenLeaked c) {
      return new AuditEvent.TokenLeaked(
          component.equals("at") ? later : c.at(),
          component.equals("corp") ? "other" : c.corp(),
          component.equals("tokenId") ? otherId : c.tokenId(),
          component.equals("tokenName") ? "renamed" : c.tokenName(),
          component.equals("tokenOwner") ? "y@o.test" : c.tokenOwner(),
          component.equals("source") ? (c.source() == null ? "ticket 7" : null) : c.source());
    } else if (e instanceof AuditEvent.TokenRejected c) {
      // refusedBy is only set for IP_NOT_ALLOWED: changing it may change the reason too
      boolean changeList = component.equals("refusedBy");
      @Nullable String refusedBy =
          changeList
              ? (AuditEvent.TokenRejected.TOKEN_LIST.equals(c.refusedBy())
                  ? AuditEvent.TokenRejected.CORP_LIST
                  : AuditEvent.TokenRejected.TOKEN_LIST)
              : component.equals("reason") ? null : c.refusedBy();
      RejectionReason reason =
          changeList
              ? RejectionReason.IP_NOT_ALLOWED
              : component.equals("reason") ? RejectionReason.DISABLED : c.reason();
      return new AuditEvent.TokenRejected(
          component.equals("at") ? later : c.at(),
          reason,
          component.equals("tokenId") ? (c.tokenId() == null ? otherId : null) : c.tokenId(),
          component.equals("corp") ? (c.corp() == null ? "other" : null) : c.corp(),
          component.equals("claimedUser") ? "x@o.test" : c.claimedUser(),
          component.equals("clientIp") ? "192.0.2.1" : c.clientIp(),
          refusedBy);
    } else if (e instanceof AuditEvent.TokenAllowListChanged c) {
      return new AuditEvent.TokenAllowListChanged(
          component.equals("at") ? later : c.at(),
          component.equals("corp") ? "other" : c.corp(),
          component.equals("actor") ? "x@o.test" : c.actor(),
          component.equals("tokenId") ? otherId : c.tokenId(),
          component.equals("tokenName") ? "renamed" : c.tokenName(),
          component.equals("tokenOwner") ? "y@o.test" : c.tokenOwner(),
          component.equals("allowedIps")
              ? (c.allowedIps().isEmpty() ? "192.0.2.0/24\n" : "")
              : c.allowedIps());
    } else if (e instanceof AuditEvent.TokenUsedFromNewIp c) {
      return new AuditEvent.TokenUsedFromNewIp(
          component.equals("at") ? later : c.at(),
          component.equals("corp") ? "other" : c.corp(),
          component.equals("tokenId") ? otherId : c.tokenId(),
          component.equals("tokenOwner") ? "y@o.test" : c.tokenOwner(),
          component.equals("clientIp") ? "192.0.2.1" : c.clientIp());
    } else if (e instanceof AuditEvent.WouldBeBlocked c) {
      return new AuditEvent.WouldBeBlocked(
          component.equals("at") ? later : c.at(),
          component.equals("corp") ? "other" : c.corp(),
          component.equals("tokenId") ? otherId : c.tokenId(),
          component.equals("tokenOwner") ? "y@o.test" : c.tokenOwner(),
          component.equals("clientIp") ? "192.0.2.9" : c.clientIp(),
          component.equals("stagedSince") ? later : c.stagedSince());
    } else if (e instanceof AuditEvent.SettingsChanged c) {
      TokenSettings other = TokenSettings.defaults().withRestricted(true);
      return new AuditEvent.SettingsChanged(
          component.equals("at") ? later : c.at(),
          component.equals("corp") ? "other" : c.corp(),
          component.equals("actor") ? "x@o.test" : c.actor(),
          component.equals("before") ? other : c.before(),
          component.equals("after") ? other : c.after());
    } else if (e instanceof AuditEvent.PermissionChanged c) {
      return new AuditEvent.PermissionChanged(
          component.equals("at") ? later : c.at(),
          component.equals("corp") ? "other" : c.corp(),
          component.equals("actor") ? "x@o.test" : c.actor(),
          component.equals("user") ? "y@o.test" : c.user(),
          component.equals("before") ? !c.before() : c.before(),
          component.equals("after") ? !c.after() : c.after(),
          component.equals("until") ? later : c.until());
    } else if (e instanceof AuditEvent.PermissionExpired c) {
      return new AuditEvent.PermissionExpired(
          component.equals("at") ? later : c.at(),
          component.equals("corp") ? "other" : c.corp(),
          component.equals("user") ? "y@o.test" : c.user(),
          component.equals("until") ? later : c.until());
    }
    if (e instanceof AuditEvent.OutageStarted c) {
      return new AuditEvent.OutageStarted(
          component.equals("at") ? later : c.at(),
          component.equals("outageGrace") ? c.outageGrace().plusSeconds(1) : c.outageGrace());
    } else if (e instanceof AuditEvent.OutageEnded c) {
      return new AuditEvent.OutageEnded(
          component.equals("at") ? later : c.at(),
          component.equals("since") ? c.since().minusSeconds(1) : c.since());
    }
    if (e instanceof AuditEvent.TokenExpiringSoon c) {
      return new AuditEvent.TokenExpiringSoon(
          component.equals("at") ? later : c.at(),
          component.equals("corp") ? "other" : c.corp(),
          component.equals("tokenId") ? otherId : c.tokenId(),
          component.equals("tokenName") ? "renamed" : c.tokenName(),
          component.equals("tokenOwner") ? "y@o.test" : c.tokenOwner(),
          component.equals("expires") ? later : c.expires(),
          component.equals("threshold") ? c.threshold().plusDays(1) : c.threshold());
    } else if (e instanceof AuditEvent.TokenExpired c) {
      return new AuditEvent.TokenExpired(
          component.equals("at") ? later : c.at(),
          component.equals("corp") ? "other" : c.corp(),
          component.equals("tokenId") ? otherId : c.tokenId(),
          component.equals("tokenName") ? "renamed" : c.tokenName(),
          component.equals("tokenOwner") ? "y@o.test" : c.tokenOwner(),
          component.equals("expired") ? later : c.expired());
    }
    throw new AssertionError("no case for " + e.getClass());
  }

  @Test
  void expiringSoon_thresholdWrittenInDays() {
    JsonNode line =
        STRICT.readTree(
            AuditEvents.toJsonLine(
                new AuditEvent.TokenExpiringSoon(
                    T0, "acme", ID, "ci", "ann@acme.test", T1, Duration.ofDays(7))));
    assertThat(text(line, "authcore.notice.threshold")).isEqualTo("P7D");
    assertThat(text(line, "event.action")).isEqualTo("token-expiring-soon");
    assertThat(line.has("user.name")).as("no actor: the schedule sent it").isFalse();
  }
}
