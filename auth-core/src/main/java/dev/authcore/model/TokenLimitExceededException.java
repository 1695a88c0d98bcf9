package dev.authcore.model;

/**
 * A user already has as many tokens as the deployment allows (5 by default); expired and disabled
 * tokens count until deleted. Nothing was created. A gateway answers <b>HTTP 409</b>, as for every
 * {@link ConflictException}.
 */
public final class TokenLimitExceededException extends ConflictException {
  private static final long serialVersionUID = 1L;

  private final int limit;

  /**
   * @param message who has reached the limit, and what to do; never a secret
   * @param limit the per-user limit in force
   */
  public TokenLimitExceededException(String message, int limit) {
    super(Kind.TOKEN_LIMIT, message);
    this.limit = limit;
  }

  /** The per-user limit in force. */
  public int limit() {
    return limit;
  }
}
