package dev.authcore;

/**
 * The acting user may not do what they asked: a non-owner on an owner operation, a user deleting
 * another user's token, or a user without the token permission in a restricted corp creating one.
 * Nothing changed. The message says who, what and why; a gateway maps it to HTTP 403.
 */
public class PermissionDeniedException extends SecurityException {
  private static final long serialVersionUID = 1L;

  public PermissionDeniedException(String message) {
    super(message);
  }
}
