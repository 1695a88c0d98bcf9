package dev.authcore.model;

/**
 * The acting user may not do what they asked: a non-owner on an owner operation, a user acting on
 * another user's token, or a user without the token permission in a restricted corp creating one.
 * Nothing changed. The message says who, what and why. A gateway answers <b>HTTP 403</b>.
 */
public final class PermissionDeniedException extends AuthCoreException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message who may not do what, and why; never a secret
   */
  public PermissionDeniedException(String message) {
    super(message);
  }

  /** Always 403. */
  @Override
  public int httpStatus() {
    return 403;
  }
}
