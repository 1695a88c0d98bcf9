package dev.authcore.spi;

/**
 * A store could not do its work: its back end is unreachable, timed out or failed. This is
 * auth-core's infrastructure failure; it never signals a caller mistake or a rejected token.
 *
 * <p>Messages name the operation and the cause, never a secret.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
