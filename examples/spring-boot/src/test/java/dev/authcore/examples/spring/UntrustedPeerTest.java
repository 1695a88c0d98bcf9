package dev.authcore.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.RejectionReason;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The application trusting only proxies in 192.0.2.0/24, so the tests' peer (127.0.0.1) is an
 * ordinary client whose {@code X-Forwarded-For} proves nothing. It runs as if on Kubernetes, where
 * Boot would let Tomcat take the client from {@code X-Forwarded-For} of any private or loopback
 * peer, unless {@code server.forward-headers-strategy=none} keeps that to the filter.
 */
@TestPropertySource(
    properties = {"authcore.trusted-proxies=192.0.2.0/24", "spring.main.cloud-platform=kubernetes"})
class UntrustedPeerTest extends RunningExample {

  @Test
  void forwardedHeaderFromUntrustedPeer_ignored() throws Exception {
    String token = issue(USER, "ci");
    allowOnly("203.0.113.7");

    HttpResponse<String> response =
        get("/api/whoami", as(USER, token, "X-Forwarded-For", "203.0.113.7"));

    assertUnauthorized(response);
    assertThat(events.lastRejection().reason()).isEqualTo(RejectionReason.IP_NOT_ALLOWED);
    assertThat(events.lastRejection().clientIp()).isEqualTo("127.0.0.1");
  }

  @Test
  void untrustedPeer_judgedByItsOwnAddress() throws Exception {
    String token = issue(USER, "ci");
    allowOnly("127.0.0.1");

    HttpResponse<String> response =
        get("/api/whoami", as(USER, token, "X-Forwarded-For", "not-an-address, 198.51.100.1"));

    assertThat(response.statusCode()).isEqualTo(200);
  }
}
