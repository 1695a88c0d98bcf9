package dev.authcore;

/**
 * A user already has as many tokens as the deployment allows (5 by default); expired and disabled
 * tokens count until deleted. Nothing was created.
 */
public class TokenLimitExceededException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final int limit;

  TokenLimitExceededException(String message, int limit) {
    super(message);
    this.limit = limit;
  }

  /** The per-user limit in force. */
  public int limit() {
    return limit;
  }
}
