package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.authcore.model.TokenId;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Fuzzes {@link AuditEvents#toJsonLine} with hostile strings in every text field: the line is
 * always printable ASCII, one JSON object a strict parser accepts without trailing content, and
 * every field reads back as given (lone surrogates as U+FFFD), so no field's text can end the line,
 * forge a field or break the object.
 *
 * <p>In {@code mvn verify} it runs its seeds. To fuzz: {@code JAZZER_FUZZ=1 mvn -pl auth-core test
 * -Dtest=AuditEventsFuzzTest}.
 */
class AuditEventsFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void toJsonLine(FuzzedDataProvider data) {
    String corp = data.consumeString(40);
    String actor = data.consumeString(40);
    String name = data.consumeString(40);
    String claimed = data.consumeString(40);
    String ip = data.consumeRemainingAsString();
    Instant at = Instant.ofEpochMilli(1_700_000_000_000L);
    TokenId id = TokenId.fromLong(99);
    List<AuditEvent> events =
        List.of(
            new AuditEvent.TokenCreated(at, corp, actor, id, name, null),
            new AuditEvent.TokenDeleted(at, corp, actor, id, name, claimed),
            new AuditEvent.TokenLeaked(at, corp, id, name, actor, claimed),
            new AuditEvent.TokenRejected(at, RejectionReason.INVALID, id, corp, claimed, ip),
            new AuditEvent.TokenUsedFromNewIp(at, corp, id, claimed, ip),
            new AuditEvent.PermissionChanged(at, corp, actor, claimed, false, true));
    for (AuditEvent event : events) {
      String line = AuditEvents.toJsonLine(event);
      assertThat(line.chars()).as(line).allMatch(c -> c >= 0x20 && c < 0x7F);
      JsonNode tree = AuditEventsTest.STRICT.readTree(line);
      assertThat(AuditEventsTest.decode(tree)).isEqualTo(clean(event));
    }
  }

  /** The event as the line promises to give it back: lone surrogates as U+FFFD. */
  private static AuditEvent clean(AuditEvent e) {
    if (e instanceof AuditEvent.TokenCreated c) {
      return new AuditEvent.TokenCreated(
          c.at(), s(c.corp()), s(c.actor()), c.tokenId(), s(c.tokenName()), c.expiresAt());
    } else if (e instanceof AuditEvent.TokenDeleted c) {
      return new AuditEvent.TokenDeleted(
          c.at(), s(c.corp()), s(c.actor()), c.tokenId(), s(c.tokenName()), s(c.tokenOwner()));
    } else if (e instanceof AuditEvent.TokenLeaked c) {
      String source = c.source();
      return new AuditEvent.TokenLeaked(
          c.at(),
          s(c.corp()),
          c.tokenId(),
          s(c.tokenName()),
          s(c.tokenOwner()),
          source == null ? null : s(source));
    } else if (e instanceof AuditEvent.TokenRejected c) {
      String corp = c.corp();
      return new AuditEvent.TokenRejected(
          c.at(),
          c.reason(),
          c.tokenId(),
          corp == null ? null : s(corp),
          s(c.claimedUser()),
          s(c.clientIp()));
    } else if (e instanceof AuditEvent.TokenUsedFromNewIp c) {
      return new AuditEvent.TokenUsedFromNewIp(
          c.at(), s(c.corp()), c.tokenId(), s(c.tokenOwner()), s(c.clientIp()));
    } else if (e instanceof AuditEvent.PermissionChanged c) {
      return new AuditEvent.PermissionChanged(
          c.at(), s(c.corp()), s(c.actor()), s(c.user()), c.before(), c.after(), c.until());
    }
    throw new AssertionError(e.getClass().getName());
  }

  private static String s(String text) {
    return AuditEventsTest.withoutLoneSurrogates(text);
  }
}
