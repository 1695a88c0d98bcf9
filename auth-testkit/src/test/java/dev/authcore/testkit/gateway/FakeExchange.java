package dev.authcore.testkit.gateway;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP exchange held in memory, so a handler can be driven without a socket: the request is
 * what the test gives, the response is recorded. Not thread-safe.
 */
final class FakeExchange extends HttpExchange {
  private final String method;
  private final URI uri;
  private final Headers requestHeaders;
  private final InputStream requestBody;
  private final InetSocketAddress peer;
  private final Headers responseHeaders = new Headers();
  private final ByteArrayOutputStream responseBody = new ByteArrayOutputStream();
  private final Map<String, Object> attributes = new HashMap<>();
  private int status = -1;
  private int statusesSent;
  private boolean closed;

  FakeExchange(
      String method, URI uri, Headers requestHeaders, byte[] body, InetSocketAddress peer) {
    this.method = method;
    this.uri = uri;
    this.requestHeaders = requestHeaders;
    this.requestBody = new ByteArrayInputStream(body);
    this.peer = peer;
  }

  /** The status sent, or -1 if none was. */
  int status() {
    return status;
  }

  /** How many times the handler sent a status line (a correct handler: exactly once). */
  int statusesSent() {
    return statusesSent;
  }

  boolean closed() {
    return closed;
  }

  byte[] responseBytes() {
    return responseBody.toByteArray();
  }

  @Override
  public Headers getRequestHeaders() {
    return requestHeaders;
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return uri;
  }

  @Override
  public String getRequestMethod() {
    return method;
  }

  @Override
  public HttpContext getHttpContext() {
    throw new UnsupportedOperationException("the gateway's handler needs no context");
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public InputStream getRequestBody() {
    return requestBody;
  }

  @Override
  public OutputStream getResponseBody() {
    return responseBody;
  }

  @Override
  public void sendResponseHeaders(int rCode, long responseLength) {
    statusesSent++;
    status = rCode;
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return peer;
  }

  @Override
  public int getResponseCode() {
    return status;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return new InetSocketAddress(peer.getAddress(), 8080);
  }

  @Override
  public String getProtocol() {
    return "HTTP/1.1";
  }

  @Override
  public @Nullable Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public void setAttribute(String name, @Nullable Object value) {
    if (value == null) {
      attributes.remove(name);
    } else {
      attributes.put(name, value);
    }
  }

  @Override
  public void setStreams(@Nullable InputStream i, @Nullable OutputStream o) {
    throw new UnsupportedOperationException("the gateway's handler replaces no streams");
  }

  @Override
  public @Nullable HttpPrincipal getPrincipal() {
    return null;
  }
}
