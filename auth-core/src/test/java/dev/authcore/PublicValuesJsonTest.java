package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.console.ChangeOptions;
import dev.authcore.console.SettingsPreview;
import dev.authcore.console.TokenAllowList;
import dev.authcore.console.TokenConsole;
import dev.authcore.console.TokenPage;
import dev.authcore.console.TokenQuery;
import dev.authcore.console.TokenRow;
import dev.authcore.console.WouldBeBlocked;
import dev.authcore.model.Role;
import dev.authcore.model.TokenId;
import dev.authcore.model.UserAccount;
import dev.authcore.net.AllowListProblem;
import dev.authcore.net.ClientAddressResolver;
import dev.authcore.net.ClientAddresses;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.PermissionGrant;
import dev.authcore.policy.StagedAllowList;
import dev.authcore.policy.TokenSettings;
import dev.authcore.policy.TokenStatus;
import dev.authcore.spi.BlockedTally;
import dev.authcore.spi.EndedGrant;
import dev.authcore.spi.FeedStatus;
import dev.authcore.spi.ListPosition;
import dev.authcore.spi.SecretHash;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.UsageUpdate;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import dev.authcore.store.jdbc.PostgresSchema;
import dev.authcore.store.jdbc.PostgresTokenStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every public value of the exported packages, written by Jackson 3 with its defaults, reads as
 * what it means: ids and allow lists as their text, records as exactly their components, and an
 * issued token never with its plaintext. The value types are found by scanning the exported
 * packages, so a new one fails {@link #everyPublicValueType_hasAnExpectedJsonForm()} until it is
 * given a sample and its expected JSON here (or is named as a service, not a value).
 */
class PublicValuesJsonTest {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123Z");
  private static final Instant T1 = Instant.parse("2025-04-01T00:00:00Z");
  private static final TokenId ID = TokenId.fromLong(42);
  private static final String ID_TEXT = ID.toString();
  private static final IpAllowList IPS = IpAllowList.parse("2001:db8::/32\n10.0.0.0/8 # office\n");
  private static final TokenSettings SETTINGS =
      new TokenSettings(ExpiryPolicy.days(30), true, IPS, 45);
  private static final String SETTINGS_JSON =
      "{\"expiry\":{\"maxAgeDays\":30},\"restricted\":true,"
          + "\"allowedIps\":\"10.0.0.0/8\\n2001:db8::/32\\n\",\"inactiveDays\":45,"
          + "\"staged\":null}";
  private static final TokenRow ROW =
      new TokenRow(
          ID, "ci", "ann@acme.test", T0, T1, TokenStatus.ACTIVE, null, List.of("10.1.2.3"));
  private static final String ROW_JSON =
      "{\"id\":\""
          + ID_TEXT
          + "\",\"name\":\"ci\",\"creator\":\"ann@acme.test\",\"created\":\"2025-03-01T10:15:30.123Z\","
          + "\"expires\":\"2025-04-01T00:00:00Z\",\"status\":\"ACTIVE\",\"lastUsed\":null,"
          + "\"ips\":[\"10.1.2.3\"],\"rotated\":null,\"previousValidUntil\":null,"
          + "\"expiredBy\":null,\"allowedIps\":\"\",\"wouldBeBlocked\":null}";
  private static final byte[] HASH_BYTES = new byte[SecretHash.LENGTH];
  private static final SecretHash HASH =
      SecretHash.of(SecretHash.Algorithm.SHA256, null, HASH_BYTES);

  /**
   * Public classes of the exported packages that are services, builders or static helpers, not
   * values: nothing to write as JSON. Exceptions and interfaces are left out by the scan itself.
   */
  private static final Set<Class<?>> NOT_VALUES =
      Set.of(
          AuthCore.class,
          AuthCore.Builder.class,
          TokenIssuer.class,
          TokenVerifier.class,
          SecretHashing.class, // holds key material: must never be written (see its own test)
          SecretRedactor.class,
          AuditEvents.class,
          AsyncAuditListener.class,
          TokenConsole.class,
          ClientAddressResolver.class,
          ClientAddresses.class,
          InMemoryTokenStore.class,
          InMemoryUserDirectory.class,
          PostgresSchema.class,
          PostgresTokenStore.class,
          PostgresTokenStore.Builder.class);

  /** One sample per value type and its JSON as Jackson must write it. */
  private static Map<Class<?>, Sample> samples() {
    Map<Class<?>, Sample> m = new LinkedHashMap<>();
    put(m, ID, '"' + ID_TEXT + '"');
    put(m, IPS, "\"10.0.0.0/8\\n2001:db8::/32\\n\"");
    put(m, ExpiryPolicy.days(90), "{\"maxAgeDays\":90}");
    put(m, SETTINGS, SETTINGS_JSON);
    put(
        m,
        new StagedAllowList(IPS, T0),
        "{\"allowedIps\":\"10.0.0.0/8\\n2001:db8::/32\\n\",\"since\":\"2025-03-01T10:15:30.123Z\"}");
    put(m, new WouldBeBlocked(3, List.of("192.0.2.1")), "{\"count\":3,\"ips\":[\"192.0.2.1\"]}");
    put(
        m,
        new BlockedTally(ID, T0, 3, List.of("192.0.2.1")),
        "{\"id\":\""
            + ID_TEXT
            + "\",\"since\":\"2025-03-01T10:15:30.123Z\",\"count\":3,\"ips\":[\"192.0.2.1\"]}");
    put(
        m,
        new UserAccount("acme", "Ann@acme.test", Role.OWNER),
        "{\"corp\":\"acme\",\"email\":\"Ann@acme.test\",\"role\":\"OWNER\"}");
    put(
        m,
        new AllowListProblem(3, "10.0.0.5/8", "host bits set"),
        "{\"line\":3,\"text\":\"10.0.0.5/8\",\"reason\":\"host bits set\"}");
    put(m, ROW, ROW_JSON);
    put(
        m,
        new TokenPage(List.of(ROW), "c1"),
        "{\"rows\":[" + ROW_JSON + "],\"nextCursor\":\"c1\"}");
    put(
        m,
        TokenQuery.all().withStatus(TokenStatus.EXPIRED).withCreator("ann@acme.test"),
        "{\"nameContains\":null,\"creator\":\"ann@acme.test\",\"status\":\"EXPIRED\",\"limit\":"
            + TokenQuery.DEFAULT_LIMIT
            + ",\"cursor\":null,\"expiringWithinDays\":null}");
    put(
        m,
        new ExpirySweep(T1, 2, 40, 3, 1, 5, 2),
        "{\"at\":\"2025-04-01T00:00:00Z\",\"corpsScanned\":2,\"tokensScanned\":40,"
            + "\"sevenDayNotices\":3,\"oneDayNotices\":1,\"expiredNotices\":5,"
            + "\"permissionEnds\":2}");
    put(
        m,
        new PermissionGrant("bob@acme.test", T1),
        "{\"email\":\"bob@acme.test\",\"until\":\"2025-04-01T00:00:00Z\"}");
    put(
        m,
        new EndedGrant("acme", "bob@acme.test", T1),
        "{\"corp\":\"acme\",\"email\":\"bob@acme.test\",\"until\":\"2025-04-01T00:00:00Z\"}");
    put(
        m,
        new AuditEvent.PermissionExpired(T1, "acme", "bob@acme.test", T0),
        "{\"at\":\"2025-04-01T00:00:00Z\",\"corp\":\"acme\",\"user\":\"bob@acme.test\","
            + "\"until\":\"2025-03-01T10:15:30.123Z\"}");
    put(
        m,
        new AuditEvent.TokenExpiringSoon(
            T0, "acme", ID, "ci", "ann@acme.test", T1, Duration.ofDays(7)),
        "{\"at\":\"2025-03-01T10:15:30.123Z\",\"corp\":\"acme\",\"tokenId\":\""
            + ID_TEXT
            + "\",\"tokenName\":\"ci\",\"tokenOwner\":\"ann@acme.test\","
            + "\"expires\":\"2025-04-01T00:00:00Z\",\"threshold\":\"PT168H\"}");
    put(
        m,
        new AuditEvent.TokenExpired(T1, "acme", ID, "ci", "ann@acme.test", T1),
        "{\"at\":\"2025-04-01T00:00:00Z\",\"corp\":\"acme\",\"tokenId\":\""
            + ID_TEXT
            + "\",\"tokenName\":\"ci\",\"tokenOwner\":\"ann@acme.test\","
            + "\"expired\":\"2025-04-01T00:00:00Z\"}");
    put(
        m,
        new SettingsPreview(List.of(ROW), List.of(), List.of(), List.of(), List.of("careful")),
        "{\"wouldExpire\":["
            + ROW_JSON
            + "],\"wouldBeDisabled\":[],\"wouldBeBlocked\":[],\"wouldComeBack\":[],"
            + "\"warnings\":[\"careful\"]}");
    put(
        m,
        new IssuedToken(ID, "acme", "ann@acme.test", "ci", T0, null, "act_SECRETPLAINTEXT"),
        "{\"id\":\""
            + ID_TEXT
            + "\",\"corp\":\"acme\",\"ownerEmail\":\"ann@acme.test\",\"name\":\"ci\","
            + "\"created\":\"2025-03-01T10:15:30.123Z\",\"expiresAt\":null}");
    put(
        m,
        new RotatedToken(
            new IssuedToken(ID, "acme", "ann@acme.test", "ci", T0, null, "act_SECRETPLAINTEXT"),
            T0,
            T1),
        "{\"token\":{\"id\":\""
            + ID_TEXT
            + "\",\"corp\":\"acme\",\"ownerEmail\":\"ann@acme.test\",\"name\":\"ci\","
            + "\"created\":\"2025-03-01T10:15:30.123Z\",\"expiresAt\":null},"
            + "\"rotated\":\"2025-03-01T10:15:30.123Z\","
            + "\"previousValidUntil\":\"2025-04-01T00:00:00Z\"}");
    put(
        m,
        new Verification.Authenticated("acme", "ann@acme.test", ID, "ci"),
        "{\"authenticated\":true,\"corp\":\"acme\",\"email\":\"ann@acme.test\",\"tokenId\":\""
            + ID_TEXT
            + "\",\"tokenName\":\"ci\"}");
    put(
        m,
        Verification.Rejected.of(RejectionReason.EXPIRED),
        "{\"authenticated\":false,\"reason\":\"EXPIRED\"}");
    put(m, HASH, '"' + HASH.encoded() + '"');
    put(
        m,
        new ListPosition(T0, ID),
        "{\"created\":\"2025-03-01T10:15:30.123Z\",\"id\":\"" + ID_TEXT + "\"}");
    put(
        m,
        new UsageUpdate(ID, T1, List.of("10.1.2.3", "2001:db8::1")),
        "{\"id\":\""
            + ID_TEXT
            + "\",\"lastUsed\":\"2025-04-01T00:00:00Z\",\"ips\":[\"10.1.2.3\",\"2001:db8::1\"]}");
    put(
        m,
        new TokenRecord(ID, "acme", "ann@acme.test", "ci", T0, null, HASH, T1, List.of("10.1.2.3")),
        "{\"id\":\""
            + ID_TEXT
            + "\",\"corp\":\"acme\",\"ownerEmail\":\"ann@acme.test\",\"name\":\"ci\","
            + "\"created\":\"2025-03-01T10:15:30.123Z\",\"expiresAt\":null,\"hash\":\""
            + HASH.encoded()
            + "\",\"lastUsed\":\"2025-04-01T00:00:00Z\",\"recentIps\":[\"10.1.2.3\"],"
            + "\"rotated\":null,\"previousHash\":null,\"previousValidUntil\":null,"
            + "\"allowedIps\":null}");
    put(
        m,
        new TokenRecord(
            ID,
            "acme",
            "ann@acme.test",
            "ci",
            T0,
            null,
            HASH,
            null,
            List.of(),
            T0,
            HASH,
            T1,
            "10.1.0.0/16\n"),
        "{\"id\":\""
            + ID_TEXT
            + "\",\"corp\":\"acme\",\"ownerEmail\":\"ann@acme.test\",\"name\":\"ci\","
            + "\"created\":\"2025-03-01T10:15:30.123Z\",\"expiresAt\":null,\"hash\":\""
            + HASH.encoded()
            + "\",\"lastUsed\":null,\"recentIps\":[],\"rotated\":\"2025-03-01T10:15:30.123Z\","
            + "\"previousHash\":\""
            + HASH.encoded()
            + "\",\"previousValidUntil\":\"2025-04-01T00:00:00Z\","
            + "\"allowedIps\":\"10.1.0.0/16\\n\"}");
    put(
        m,
        new TokenAllowList("10.1.0.0/16\n", List.of("Allow list: outside the corp's list")),
        "{\"allowedIps\":\"10.1.0.0/16\\n\",\"warnings\":[\"Allow list: outside the corp's list\"]}");
    put(
        m,
        new AuditEvent.TokenAllowListChanged(
            T0, "acme", "bob@acme.test", ID, "ci", "ann@acme.test", "10.1.0.0/16\n"),
        "{\"at\":\"2025-03-01T10:15:30.123Z\",\"corp\":\"acme\",\"actor\":\"bob@acme.test\","
            + "\"tokenId\":\""
            + ID_TEXT
            + "\",\"tokenName\":\"ci\",\"tokenOwner\":\"ann@acme.test\","
            + "\"allowedIps\":\"10.1.0.0/16\\n\"}");
    put(
        m,
        new AuditEvent.TokenCreated(T0, "acme", "ann@acme.test", ID, "ci", T1),
        "{\"at\":\"2025-03-01T10:15:30.123Z\",\"corp\":\"acme\",\"actor\":\"ann@acme.test\","
            + "\"tokenId\":\""
            + ID_TEXT
            + "\",\"tokenName\":\"ci\",\"expiresAt\":\"2025-04-01T00:00:00Z\"}");
    put(
        m,
        new AuditEvent.TokenDeleted(T0, "acme", "bob@acme.test", ID, "ci", "ann@acme.test"),
        "{\"at\":\"2025-03-01T10:15:30.123Z\",\"corp\":\"acme\",\"actor\":\"bob@acme.test\","
            + "\"tokenId\":\""
            + ID_TEXT
            + "\",\"tokenName\":\"ci\",\"tokenOwner\":\"ann@acme.test\"}");
    put(
        m,
        new AuditEvent.TokenLeaked(T0, "acme", ID, "ci", "ann@acme.test", "ticket 7"),
        "{\"at\":\"2025-03-01T10:15:30.123Z\",\"corp\":\"acme\",\"tokenId\":\""
            + ID_TEXT
            + "\",\"tokenName\":\"ci\",\"tokenOwner\":\"ann@acme.test\",\"source\":\"ticket 7\"}");
    put(m, new LeakReport(3, 1), "{\"found\":3,\"revoked\":1}");
    put(
        m,
        new AuditEvent.TokenRotated(T0, "acme", "bob@acme.test", ID, "ci", "ann@acme.test", T1),
        "{\"at\":\"2025-03-01T10:15:30.123Z\",\"corp\":\"acme\",\"actor\":\"bob@acme.test\","
            + "\"tokenId\":\""
            + ID_TEXT
            + "\",\"tokenName\":\"ci\",\"tokenOwner\":\"ann@acme.test\","
            + "\"previousValidUntil\":\"2025-04-01T00:00:00Z\"}");
    put(
        m,
        new AuditEvent.PreviousSecretUsed(T0, "acme", ID, "ci", "ann@acme.test", "10.1.2.3"),
        "{\"at\":\"2025-03-01T10:15:30.123Z\",\"corp\":\"acme\",\"tokenId\":\""
            + ID_TEXT
            + "\",\"tokenName\":\"ci\",\"tokenOwner\":\"ann@acme.test\","
            + "\"clientIp\":\"10.1.2.3\"}");
    put(
        m,
        new AuditEvent.TokenRejected(
            T0, RejectionReason.UNKNOWN, null, null, "<missing>", "unknown"),
        "{\"at\":\"2025-03-01T10:15:30.123Z\",\"reason\":\"UNKNOWN\",\"tokenId\":null,"
            + "\"corp\":null,\"claimedUser\":\"<missing>\",\"clientIp\":\"unknown\","
            + "\"refusedBy\":null}");
    put(
        m,
        new AuditEvent.TokenUsedFromNewIp(T0, "acme", ID, "ann@acme.test", "2001:db8::1"),
        "{\"at\":\"2025-03-01T10:15:30.123Z\",\"corp\":\"acme\",\"tokenId\":\""
            + ID_TEXT
            + "\",\"tokenOwner\":\"ann@acme.test\",\"clientIp\":\"2001:db8::1\"}");
    put(
        m,
        new AuditEvent.WouldBeBlocked(T0, "acme", ID, "ann@acme.test", "192.0.2.1", T1),
        "{\"at\":\"2025-03-01T10:15:30.123Z\",\"corp\":\"acme\",\"tokenId\":\""
            + ID_TEXT
            + "\",\"tokenOwner\":\"ann@acme.test\",\"clientIp\":\"192.0.2.1\","
            + "\"stagedSince\":\"2025-04-01T00:00:00Z\"}");
    put(
        m,
        new AuditEvent.SettingsChanged(
            T0, "acme", "ann@acme.test", TokenSettings.defaults(), SETTINGS),
        "{\"at\":\"2025-03-01T10:15:30.123Z\",\"corp\":\"acme\",\"actor\":\"ann@acme.test\","
            + "\"before\":{\"expiry\":{\"maxAgeDays\":null},\"restricted\":false,"
            + "\"allowedIps\":\"\",\"inactiveDays\":null,\"staged\":null},\"after\":"
            + SETTINGS_JSON
            + "}");
    put(
        m,
        new AuditEvent.PermissionChanged(T0, "acme", "ann@acme.test", "bob@acme.test", false, true),
        "{\"at\":\"2025-03-01T10:15:30.123Z\",\"corp\":\"acme\",\"actor\":\"ann@acme.test\","
            + "\"user\":\"bob@acme.test\",\"before\":false,\"after\":true,\"until\":null}");
    put(
        m,
        new AuditEvent.OutageStarted(T0, Duration.ofMinutes(5)),
        "{\"at\":\"2025-03-01T10:15:30.123Z\",\"outageGrace\":\"PT5M\"}");
    put(
        m,
        new AuditEvent.OutageEnded(T0, Instant.parse("2025-03-01T10:14:00Z")),
        "{\"at\":\"2025-03-01T10:15:30.123Z\",\"since\":\"2025-03-01T10:14:00Z\"}");
    put(m, ChangeOptions.guarded(), "{\"actorAddress\":null,\"lockoutConfirmed\":false}");
    put(
        m,
        FeedStatus.connected(2, Duration.ofMillis(250)),
        "{\"state\":\"CONNECTED\",\"reconnects\":2,\"lag\":\"PT0.25S\"}");
    AuthStats.CacheCounts tokens = new AuthStats.CacheCounts(90, 10, 9, 1, Duration.ofMillis(25));
    String tokensJson =
        "{\"hitCount\":90,\"missCount\":10,\"loadSuccessCount\":9,\"loadFailureCount\":1,"
            + "\"totalLoadTime\":\"PT0.025S\"}";
    put(m, tokens, tokensJson);
    AuthStats.UsageCounts usage = new AuthStats.UsageCounts(3, 40, 1, 2, 5);
    String usageJson =
        "{\"batchCount\":3,\"updateCount\":40,\"writeFailureCount\":1,\"droppedCount\":2,"
            + "\"queued\":5}";
    put(m, usage, usageJson);
    Map<RejectionReason, Long> rejections = new EnumMap<>(RejectionReason.class);
    long count = 0;
    for (RejectionReason reason : RejectionReason.values()) {
      rejections.put(reason, count++);
    }
    put(
        m,
        new AuthStats(
            100,
            rejections,
            1,
            tokens,
            new AuthStats.CacheCounts(70, 0, 0, 0, Duration.ZERO),
            1,
            2,
            usage,
            FeedStatus.NONE),
        "{\"authenticatedCount\":100,\"rejectionCounts\":{\"MALFORMED\":0,\"UNKNOWN\":1,"
            + "\"INVALID\":2,\"EXPIRED\":3,\"DISABLED\":4,\"IP_NOT_ALLOWED\":5},\"failedCount\":1,"
            + "\"tokenCache\":"
            + tokensJson
            + ",\"corpCache\":{\"hitCount\":70,\"missCount\":0,\"loadSuccessCount\":0,"
            + "\"loadFailureCount\":0,\"totalLoadTime\":\"PT0S\"},\"loadRefusedCount\":1,"
            + "\"storeFailureCount\":2,\"usage\":"
            + usageJson
            + ",\"feed\":{\"state\":\"NONE\",\"reconnects\":0,\"lag\":\"PT0S\"}}");
    AuthHealth.Store store = new AuthHealth.Store(false, T0, T1, T1, Duration.ofMinutes(5));
    String storeJson =
        "{\"reachable\":false,\"lastSuccess\":\"2025-03-01T10:15:30.123Z\","
            + "\"lastFailure\":\"2025-04-01T00:00:00Z\",\"outageSince\":\"2025-04-01T00:00:00Z\","
            + "\"outageGrace\":\"PT5M\"}";
    put(m, store, storeJson);
    AuthHealth.Usage usageHealth = new AuthHealth.Usage(5, 10_000, 0, null);
    String usageHealthJson =
        "{\"queued\":5,\"capacity\":10000,\"droppedSinceLastFlush\":0,\"lastFlush\":null}";
    put(m, usageHealth, usageHealthJson);
    put(
        m,
        new AuthHealth(
            AuthHealth.Status.DEGRADED,
            T1,
            List.of("outage mode"),
            store,
            FeedStatus.disconnected(0, Duration.ofSeconds(3)),
            usageHealth),
        "{\"status\":\"DEGRADED\",\"checkedAt\":\"2025-04-01T00:00:00Z\","
            + "\"problems\":[\"outage mode\"],\"store\":"
            + storeJson
            + ",\"feed\":{\"state\":\"DISCONNECTED\",\"reconnects\":0,\"lag\":\"PT3S\"},"
            + "\"usage\":"
            + usageHealthJson
            + "}");
    return m;
  }

  private record Sample(Object value, String json) {}

  private static void put(Map<Class<?>, Sample> m, Object value, String json) {
    m.put(value.getClass(), new Sample(value, json));
  }

  private static List<Class<?>> publicConcreteTypes() throws Exception {
    return ModuleApiTest.classesIn(ModuleApiTest.EXPORTED::contains).stream()
        .filter(ModuleApiTest::visibleOutsideModule)
        .filter(c -> !c.isInterface() && !Throwable.class.isAssignableFrom(c))
        .collect(Collectors.toList());
  }

  @Test
  void everyPublicValueType_hasAnExpectedJsonForm() throws Exception {
    Map<Class<?>, Sample> samples = samples();
    Set<String> uncovered = new TreeSet<>();
    for (Class<?> type : publicConcreteTypes()) {
      if (!type.isEnum() && !samples.containsKey(type) && !NOT_VALUES.contains(type)) {
        uncovered.add(type.getName());
      }
    }
    assertThat(uncovered)
        .as(
            "public value types without a JSON sample in this test (add one, or list a service in"
                + " NOT_VALUES)")
        .isEmpty();
  }

  @Test
  void values_writeAsExpected() {
    for (Map.Entry<Class<?>, Sample> e : samples().entrySet()) {
      String written = MAPPER.writeValueAsString(e.getValue().value());
      assertThat(MAPPER.readTree(written))
          .as("%s written as %s", e.getKey().getSimpleName(), written)
          .isEqualTo(MAPPER.readTree(e.getValue().json()));
    }
  }

  @Test
  void enums_writeAsTheirNames() throws Exception {
    for (Class<?> type : publicConcreteTypes()) {
      if (type.isEnum()) {
        for (Object constant : type.getEnumConstants()) {
          assertThat(MAPPER.writeValueAsString(constant))
              .isEqualTo('"' + ((Enum<?>) constant).name() + '"');
        }
      }
    }
  }

  @Test
  void textValues_readBack() {
    assertThat(MAPPER.readValue(MAPPER.writeValueAsString(ID), TokenId.class)).isEqualTo(ID);
    assertThat(MAPPER.readValue(MAPPER.writeValueAsString(IPS), IpAllowList.class)).isEqualTo(IPS);
    assertThat(MAPPER.readValue("\"\"", IpAllowList.class)).isEqualTo(IpAllowList.empty());
    assertThat(MAPPER.readValue(MAPPER.writeValueAsString(HASH), SecretHash.class)).isEqualTo(HASH);
  }

  @Test
  void issuedToken_neverWritesItsPlaintext_evenWithEveryMemberVisible() {
    IssuedToken token =
        new IssuedToken(ID, "acme", "ann@acme.test", "ci", T0, T1, "act_" + "Q".repeat(40) + "x");
    JsonMapper everything =
        JsonMapper.builder()
            .changeDefaultVisibility(
                v ->
                    v.withFieldVisibility(
                            com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.ANY)
                        .withGetterVisibility(
                            com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.ANY))
            .enable(MapperFeature.CAN_OVERRIDE_ACCESS_MODIFIERS)
            .build();
    for (JsonMapper mapper : List.of(MAPPER, everything)) {
      String written = mapper.writeValueAsString(token);
      assertThat(written).doesNotContain("QQQQ").doesNotContain("act_").contains(ID_TEXT);
      JsonNode tree = mapper.readTree(written);
      assertThat(tree.propertyNames())
          .containsExactlyInAnyOrder("id", "corp", "ownerEmail", "name", "created", "expiresAt");
    }
  }

  @Test
  void secretHashing_writesNothingOfItsKey() {
    // Jackson 3 writes a class without properties as {} by default (or refuses when configured
    // with FAIL_ON_EMPTY_BEANS): either way the key stays in.
    SecretHashing keyed = SecretHashing.hmacSha256("k1", filled(32, (byte) 0x5A));
    assertThat(MAPPER.writeValueAsString(keyed)).isEqualTo("{}");
  }

  private static byte[] filled(int n, byte b) {
    byte[] out = new byte[n];
    Arrays.fill(out, b);
    return out;
  }
}
