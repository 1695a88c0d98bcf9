package dev.authcore.testkit.gateway;

import tools.jackson.databind.node.ObjectNode;

/** A request the gateway answers with an error status and body; thrown inside a handler. */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // never serialized
  private final ObjectNode body;

  private final int status;

  HttpError(int status, ObjectNode body) {
    super("HTTP " + status, null, false, false);
    this.status = status;
    this.body = body;
  }

  int status() {
    return status;
  }

  ObjectNode body() {
    return body;
  }

  static HttpError badRequest(String message) {
    return new HttpError(400, Json.error(message));
  }
}
