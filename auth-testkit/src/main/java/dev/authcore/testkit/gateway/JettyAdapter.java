package dev.authcore.testkit.gateway;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * The thin layer between Jetty and {@link ApiHandler}: it reads a request's body without holding a
 * thread while the client is slow, within {@link ApiHandler#MAX_BODY_BYTES} (413 beyond it, at once
 * when {@code Content-Length} says so) and the connection's {@link ReadDeadline}; then it hands the
 * whole request to the API logic and writes its answer. Thread-safe.
 */
final class JettyAdapter extends Handler.Abstract {
  private final Function<ApiRequest, ApiResponse> api;
  private final ReadDeadline deadline;

  /**
   * @param api answers a whole request: {@link ApiHandler#handle}, or a stand-in with the same
   *     contract (never throws for anything a client sends)
   */
  JettyAdapter(Function<ApiRequest, ApiResponse> api, ReadDeadline deadline) {
    super(InvocationType.BLOCKING); // the API logic may wait on the store (bounded there)
    this.api = api;
    this.deadline = deadline;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Connection connection = request.getConnectionMetaData().getConnection();
    if (request.getLength() > ApiHandler.MAX_BODY_BYTES) {
      deadline.disarm(connection);
      tooLarge(response, callback);
      return true;
    }
    new BodyReader(request, response, callback, connection).run();
    return true;
  }

  /** Reads the body chunk by chunk, asking Jetty to call back when more arrives. */
  private final class BodyReader implements Runnable {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final Connection connection;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    BodyReader(Request request, Response response, Callback callback, Connection connection) {
      this.request = request;
      this.response = response;
      this.callback = callback;
      this.connection = connection;
    }

    @Override
    public void run() {
      while (true) {
        Content.@Nullable Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this); // no thread waits: Jetty runs this again when bytes arrive
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          callback.failed(chunk.getFailure());
          return;
        }
        ByteBuffer bytes = chunk.getByteBuffer();
        if (body.size() + bytes.remaining() > ApiHandler.MAX_BODY_BYTES) {
          chunk.release();
          deadline.disarm(connection);
          tooLarge(response, callback);
          return;
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        body.write(copy, 0, copy.length);
        boolean last = chunk.isLast();
        chunk.release();
        if (last) {
          deadline.disarm(connection);
          try {
            serve(request, response, callback, connection, body.toByteArray());
          } catch (RuntimeException e) {
            callback.failed(e); // Jetty answers 500 and closes; ApiHandler logs its own failures
          }
          return;
        }
      }
    }
  }

  private void serve(
      Request request, Response response, Callback callback, Connection connection, byte[] body) {
    ApiRequest apiRequest =
        new ApiRequest(
            request.getMethod(),
            request.getHttpURI().getPath(),
            request.getHttpURI().getQuery(),
            headers(request),
            peer(request),
            body);
    ApiResponse answer = api.apply(apiRequest);
    response.setStatus(answer.status());
    answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
    byte @Nullable [] bytes = answer.body();
    // The next request's deadline starts once this answer is out (before Jetty reads it).
    Callback rearm =
        Callback.from(
            () -> {
              deadline.arm(connection);
              callback.succeeded();
            },
            callback::failed);
    response.write(true, bytes == null ? null : ByteBuffer.wrap(bytes), rearm);
  }

  private static void tooLarge(Response response, Callback callback) {
    byte[] body =
        Json.MAPPER.writeValueAsBytes(
            Json.error("the request body is larger than " + ApiHandler.MAX_BODY_BYTES + " bytes"));
    response.setStatus(HttpStatus.PAYLOAD_TOO_LARGE_413);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    // The rest of the body is not read, so the connection cannot carry another request.
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static List<Map.Entry<String, String>> headers(Request request) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (HttpField field : request.getHeaders()) {
      out.add(new AbstractMap.SimpleImmutableEntry<>(field.getName(), field.getValue()));
    }
    return out;
  }

  private static InetAddress peer(Request request) {
    SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress();
    }
    throw new IllegalStateException("a TCP connector's peer is an IP address; got " + remote);
  }

  /**
   * Jetty's own error answers (a malformed request, headers over the limit, an unknown failure) as
   * the gateway's JSON error body, never echoing the request: {@code {"error":"..."}}.
   */
  static final class JsonErrors extends ErrorHandler {
    private final int maxHeaderBytes;

    JsonErrors(int maxHeaderBytes) {
      this.maxHeaderBytes = maxHeaderBytes;
    }

    private String text(int status) {
      return switch (status) {
        case HttpStatus.BAD_REQUEST_400 -> "malformed HTTP request";
        case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 ->
            "the request headers are larger than " + maxHeaderBytes + " bytes";
        case HttpStatus.PAYLOAD_TOO_LARGE_413 ->
            "the request body is larger than " + ApiHandler.MAX_BODY_BYTES + " bytes";
        default -> String.valueOf(HttpStatus.getMessage(status)).toLowerCase(java.util.Locale.ROOT);
      };
    }

    private byte[] body(int status) {
      return Json.MAPPER.writeValueAsBytes(Json.error(text(status)));
    }

    @Override
    protected void generateResponse(
        Request request,
        Response response,
        int code,
        @Nullable String message,
        @Nullable Throwable cause,
        Callback callback) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      response.write(true, ByteBuffer.wrap(body(code)), callback);
    }
  }
}
