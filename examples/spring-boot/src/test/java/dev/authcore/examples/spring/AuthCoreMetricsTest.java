package dev.authcore.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.RejectionReason;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** auth-core's counters in {@code /actuator/prometheus}, moving with the requests. */
class AuthCoreMetricsTest extends RunningExample {
  private static final String AUTHENTICATED =
      "authcore_verifications_total{outcome=\"authenticated\"}";
  private static final String REJECTED = "authcore_verifications_total{outcome=\"rejected\"}";
  private static final String INVALID = "authcore_rejections_total{reason=\"INVALID\"}";
  private static final String MALFORMED = "authcore_rejections_total{reason=\"MALFORMED\"}";
  private static final String TOKEN_HITS = "authcore_cache_hits_total{cache=\"tokens\"}";
  private static final String TOKEN_MISSES = "authcore_cache_misses_total{cache=\"tokens\"}";

  @Test
  void prometheus_servesEveryMeter() throws Exception {
    HttpResponse<String> response = get("/actuator/prometheus");

    assertThat(response.statusCode()).isEqualTo(200);
    String body = response.body();
    for (String outcome : new String[] {"authenticated", "rejected", "failed"}) {
      Http.metric(body, "authcore_verifications_total{outcome=\"" + outcome + "\"}");
    }
    for (RejectionReason reason : RejectionReason.values()) {
      Http.metric(body, "authcore_rejections_total{reason=\"" + reason + "\"}");
    }
    for (String cache : new String[] {"tokens", "corps"}) {
      String tag = "cache=\"" + cache + "\"";
      Http.metric(body, "authcore_cache_hits_total{" + tag + "}");
      Http.metric(body, "authcore_cache_misses_total{" + tag + "}");
      Http.metric(body, "authcore_cache_loads_total{" + tag + ",result=\"success\"}");
      Http.metric(body, "authcore_cache_loads_total{" + tag + ",result=\"failure\"}");
      Http.metric(body, "authcore_cache_load_time_seconds_total{" + tag + "}");
    }
    for (String counter :
        new String[] {
          "authcore_cache_loads_refused_total",
          "authcore_store_failures_total",
          "authcore_usage_batches_total",
          "authcore_usage_updates_total",
          "authcore_usage_write_failures_total",
          "authcore_usage_dropped_total",
          "authcore_feed_reconnects_total",
          "authcore_audit_dropped_total",
          "authcore_usage_queued",
          "authcore_feed_lag_seconds"
        }) {
      Http.metric(body, counter);
    }
    assertThat(Http.metric(body, "authcore_feed_state{state=\"CONNECTED\"}")).isEqualTo(1.0);
    assertThat(Http.metric(body, "authcore_feed_state{state=\"DISCONNECTED\"}")).isZero();
    assertThat(Http.metric(body, "authcore_feed_state{state=\"NONE\"}")).isZero();
  }

  @Test
  void verifications_countedByOutcomeAndReason() throws Exception {
    String token = issue(USER, "ci");
    String before = get("/actuator/prometheus").body();

    for (int i = 0; i < 3; i++) {
      assertThat(get("/api/whoami", as(USER, token)).statusCode()).isEqualTo(200);
    }
    assertUnauthorized(get("/api/whoami", as(OTHER_USER, token)));

    String after = get("/actuator/prometheus").body();
    assertThat(delta(before, after, AUTHENTICATED)).isEqualTo(3);
    assertThat(delta(before, after, REJECTED)).isEqualTo(1);
    assertThat(delta(before, after, INVALID)).isEqualTo(1);
    assertThat(delta(before, after, MALFORMED)).isZero();
    // Each of the four looked the token up once; at most the first had to read it.
    assertThat(delta(before, after, TOKEN_HITS) + delta(before, after, TOKEN_MISSES)).isEqualTo(4);
    assertThat(delta(before, after, TOKEN_HITS)).isGreaterThanOrEqualTo(3);
  }

  @Test
  void malformedToken_countedOnce() throws Exception {
    String before = get("/actuator/prometheus").body();

    assertUnauthorized(get("/api/whoami", as(USER, "not-a-token")));

    String after = get("/actuator/prometheus").body();
    assertThat(delta(before, after, MALFORMED)).isEqualTo(1);
    assertThat(delta(before, after, REJECTED)).isEqualTo(1);
    assertThat(delta(before, after, AUTHENTICATED)).isZero();
  }

  private static double delta(String before, String after, String series) {
    return Http.metric(after, series) - Http.metric(before, series);
  }
}
