package dev.authcore.testkit.gateway;

import static dev.authcore.testkit.gateway.GatewayFixture.ANN;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway under clients that are slow on purpose, over real sockets: hundreds of connections
 * that send part of a request and stop, or trickle it a byte at a time, must not stop it answering
 * others; oversized requests are answered 431 and 413 at once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewaySlowClientTest {
  private static final int SILENT = 200;
  private static final int TRICKLING = 20;

  /** How long a well-behaved request may take while the slow clients hang on. */
  private static final Duration PATIENCE = Duration.ofSeconds(5);

  @TempDir Path dir;
  private @Nullable GatewayFixture gw;
  private final List<Socket> sockets = new ArrayList<>();
  private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void start() throws IOException {
    gw = GatewayFixture.start(dir);
  }

  @AfterEach
  void stop() {
    trickler.shutdownNow();
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing a test socket; nothing to do
      }
    }
    if (gw != null) {
      gw.close();
    }
  }

  private GatewayFixture gw() {
    return java.util.Objects.requireNonNull(gw);
  }

  private Socket open() throws IOException {
    Socket socket = RawHttp.connect(gw().gateway.port());
    sockets.add(socket);
    return socket;
  }

  private int get(@Nullable String email, @Nullable String token) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(PATIENCE).build();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(gw().uri("/api/v0/me/tokens")).timeout(PATIENCE).GET();
    if (email != null && token != null) {
      request.header("x-api-user", email).header("x-api-token", token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void silentAndTricklingClients_othersAnsweredPromptly_tricklersClosedByTheDeadline()
      throws Exception {
    for (int i = 0; i < SILENT; i++) {
      Socket socket = open();
      socket.getOutputStream().write("GET /api/v0/corps HTTP/1.1\r\n".getBytes(US_ASCII));
      socket.getOutputStream().flush();
    }
    List<Socket> trickling = new ArrayList<>();
    for (int i = 0; i < TRICKLING; i++) {
      Socket socket = open();
      socket.getOutputStream().write("GET /api/v0/corps HTTP/1.1\r\nX-Slow: ".getBytes(US_ASCII));
      trickling.add(socket);
    }
    long started = System.nanoTime();
    ScheduledFuture<?> unused =
        trickler.scheduleAtFixedRate(
            () -> {
              for (Socket socket : trickling) {
                try {
                  OutputStream out = socket.getOutputStream();
                  out.write('a');
                  out.flush();
                } catch (IOException e) {
                  // closed by the gateway: what the test waits for
                }
              }
            },
            0,
            500,
            TimeUnit.MILLISECONDS);

    assertThat(get(ANN, gw().token(ANN))).as("authenticated, while they hang").isEqualTo(200);
    assertThat(get(null, null)).as("unauthenticated, while they hang").isEqualTo(401);

    // Each trickling connection is closed once its request has taken longer than the deadline,
    // although a byte arrived every half second.
    for (Socket socket : trickling) {
      socket.setSoTimeout(Gateway.READ_DEADLINE_MILLIS + 30_000);
      assertThat(closedByPeer(socket)).as("a trickling connection was closed").isTrue();
    }
    long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(tookMillis)
        .as("closed by the read deadline, not by the idle timeout (never idle)")
        .isGreaterThanOrEqualTo(Gateway.READ_DEADLINE_MILLIS - 1_000);
    assertThat(get(ANN, gw().token(ANN))).isEqualTo(200);
  }

  /** Reads until the peer closes: true on EOF or reset, false if it sent anything else. */
  private static boolean closedByPeer(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      int b = in.read();
      if (b < 0) {
        return true;
      }
      byte[] rest = in.readNBytes(11);
      // An error status before the close is also an answer of the deadline.
      String status = (char) b + new String(rest, US_ASCII);
      return status.startsWith("HTTP/1.1 4");
    } catch (SocketTimeoutException e) {
      return false;
    } catch (SocketException e) {
      return true; // reset
    }
  }

  @Test
  void headersOverTheLimit_431() throws IOException {
    RawHttp.Answer answer =
        RawHttp.exchange(
            gw().gateway.port(),
            "GET /api/v0/corps HTTP/1.1\r\nHost: gw\r\nX-Filler: "
                + "a".repeat(Gateway.MAX_HEADER_BYTES)
                + "\r\n\r\n");
    assertThat(answer.status()).as(answer.text()).isEqualTo(431);
    assertThat(answer.text()).contains("\"error\":\"the request headers are larger than 8192");
  }

  @Test
  void bodyDeclaredOverTheLimit_413AtOnce_withoutReadingIt() throws IOException {
    Socket socket = open();
    String head =
        "POST /api/v0/me/tokens HTTP/1.1\r\nHost: gw\r\nx-api-user: "
            + ANN
            + "\r\nx-api-token: "
            + gw().token(ANN)
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + (ApiHandler.MAX_BODY_BYTES + 1)
            + "\r\n\r\n";
    socket.getOutputStream().write(head.getBytes(US_ASCII));
    socket.getOutputStream().write(new byte[64 * 1024]); // then stop: the rest never comes
    socket.getOutputStream().flush();
    RawHttp.Answer answer = RawHttp.read(socket);
    assertThat(answer.status()).as(answer.text()).isEqualTo(413);
    assertThat(answer.text()).contains("larger than " + ApiHandler.MAX_BODY_BYTES + " bytes");
  }

  @Test
  void chunkedBodyOverTheLimit_413() throws IOException {
    Socket socket = open();
    String head =
        "POST /api/v0/me/tokens HTTP/1.1\r\nHost: gw\r\nx-api-user: "
            + ANN
            + "\r\nx-api-token: "
            + gw().token(ANN)
            + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(head.getBytes(US_ASCII));
    byte[] chunk = new byte[64 * 1024];
    try {
      for (int sent = 0; sent <= ApiHandler.MAX_BODY_BYTES; sent += chunk.length) {
        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(US_ASCII));
        out.write(chunk);
        out.write("\r\n".getBytes(US_ASCII));
      }
      out.flush();
    } catch (IOException e) {
      // the gateway may close before the last chunk; its answer is read below
    }
    RawHttp.Answer answer = RawHttp.read(socket);
    assertThat(answer.status()).as(answer.text()).isEqualTo(413);
  }

  @Test
  void leakReportDeclaredOverTheLimit_413AtOnce() throws IOException {
    Socket socket = open();
    String head =
        "POST /api/v0/_leaks HTTP/1.1\r\nHost: gw\r\nContent-Type: text/plain\r\nContent-Length: "
            + (ApiHandler.MAX_BODY_BYTES + 1)
            + "\r\n\r\n";
    socket.getOutputStream().write(head.getBytes(US_ASCII));
    socket.getOutputStream().write(new byte[64 * 1024]); // then stop: the rest never comes
    socket.getOutputStream().flush();
    RawHttp.Answer answer = RawHttp.read(socket);
    assertThat(answer.status()).as(answer.text()).isEqualTo(413);
  }

  @Test
  void leakReportChunkedOverTheLimit_413_butOneByteLessIsRead() throws IOException {
    assertThat(sendChunkedLeakReport(ApiHandler.MAX_BODY_BYTES + 1).status()).isEqualTo(413);
    RawHttp.Answer whole = sendChunkedLeakReport(ApiHandler.MAX_BODY_BYTES);
    assertThat(whole.status()).as(whole.text()).isEqualTo(200);
    assertThat(whole.text()).endsWith("{\"found\":0,\"revoked\":0}");
  }

  /** A leak report of {@code size} bytes of text, sent in 64 KiB chunks without a length. */
  private RawHttp.Answer sendChunkedLeakReport(int size) throws IOException {
    Socket socket = open();
    String head =
        String.join(
            "\r\n",
            "POST /api/v0/_leaks HTTP/1.1",
            "Host: gw",
            "Content-Type: text/plain",
            "Transfer-Encoding: chunked",
            "Connection: close",
            "",
            "");
    OutputStream out = socket.getOutputStream();
    out.write(head.getBytes(US_ASCII));
    byte[] text = new byte[64 * 1024];
    java.util.Arrays.fill(text, (byte) 'x');
    try {
      for (int sent = 0; sent < size; ) {
        int n = Math.min(text.length, size - sent);
        out.write((Integer.toHexString(n) + "\r\n").getBytes(US_ASCII));
        out.write(text, 0, n);
        out.write("\r\n".getBytes(US_ASCII));
        sent += n;
      }
      out.write("0\r\n\r\n".getBytes(US_ASCII));
      out.flush();
    } catch (IOException e) {
      // the gateway may close before the last chunk; its answer is read below
    }
    return RawHttp.read(socket);
  }

  private static final java.nio.charset.Charset US_ASCII = StandardCharsets.US_ASCII;
}
