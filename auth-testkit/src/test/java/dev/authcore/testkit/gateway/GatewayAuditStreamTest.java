package dev.authcore.testkit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The audit log is written off the request path: a stream that stops taking bytes (a stderr pipe
 * nobody reads, a disk that hangs) holds no request, rejections included, and what waited is
 * written once the stream moves again.
 */
@Timeout(120)
class GatewayAuditStreamTest {

  /** Takes bytes until {@link #stall()}, then blocks every write until {@link #release()}. */
  private static final class StallingStream extends OutputStream {
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean stalled;

    void stall() {
      stalled = true;
    }

    void release() {
      released.countDown();
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (stalled) {
        try {
          released.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while stalled", e);
        }
      }
      synchronized (written) {
        written.write(b, off, len);
      }
    }

    String text() {
      synchronized (written) {
        return written.toString(StandardCharsets.UTF_8);
      }
    }
  }

  @Test
  void stalledAuditStream_rejectionsAnsweredAtOnce_eventsWrittenOnceItMoves() throws Exception {
    StallingStream err = new StallingStream();
    GatewayMain.Launch launch =
        GatewayMain.launch(
            new String[] {"--port", "0"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    Gateway gateway = Objects.requireNonNull(launch.gateway(), "gateway started");
    try {
      err.stall();
      HttpClient http = HttpClient.newHttpClient();
      URI corps = gateway.baseUri().resolve("/api/v0/corps");
      for (int i = 0; i < 40; i++) {
        HttpRequest request =
            HttpRequest.newBuilder(corps)
                .timeout(Duration.ofSeconds(10))
                .header("x-api-user", "owner@example.com")
                .header("x-api-token", "not a token " + i)
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("request %s", i).isEqualTo(401);
      }
      assertThat(gateway.awaitAuditWritten(Duration.ofMillis(200)))
          .as("events are still waiting for the stalled stream")
          .isFalse();
      assertThat(err.text()).doesNotContain("TokenRejected");

      err.release();
      assertThat(gateway.awaitAuditWritten(Duration.ofSeconds(30))).isTrue();
      assertThat(err.text().lines().filter(l -> l.contains("\"TokenRejected\"")).count())
          .isEqualTo(40);
    } finally {
      err.release();
      gateway.close();
    }
  }
}
