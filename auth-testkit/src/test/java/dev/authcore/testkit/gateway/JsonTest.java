package dev.authcore.testkit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The gateway's JSON for audit events that carry no token: the outage transitions. */
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
}
