package dev.authcore.testkit.gateway;

/** The command line is wrong; the message says what, and the gateway prints its usage after it. */
final class UsageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }

  UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
