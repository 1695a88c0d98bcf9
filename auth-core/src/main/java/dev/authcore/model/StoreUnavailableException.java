package dev.authcore.model;

import org.jspecify.annotations.Nullable;

/**
 * A store or user directory could not do its work in time: its back end is unreachable, timed out
 * or failed. Nothing is known to have changed. It never signals a caller mistake or a rejected
 * token. A gateway answers <b>HTTP 503</b>; the same request may succeed later.
 *
 * <p>Store and directory implementations throw it for every back-end failure. Messages name the
 * operation and the cause, never a secret or a credential.
 */
public final class StoreUnavailableException extends AuthCoreException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message which operation failed, and why; never a secret
   */
  public StoreUnavailableException(String message) {
    super(message);
  }

  /**
   * @param message which operation failed, and why; never a secret
   * @param cause the back end's failure
   */
  public StoreUnavailableException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** Always 503. */
  @Override
  public int httpStatus() {
    return 503;
  }
}
