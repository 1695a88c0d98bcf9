package dev.authcore.model;

/**
 * What the request names does not exist as far as the acting user may see: no token with that id in
 * the actor's corp, no such user in the corp, no acting user in the directory. A token of another
 * corp is reported as not found, never as forbidden, so ids of other corps cannot be probed.
 * Nothing changed. A gateway answers <b>HTTP 404</b>.
 */
public final class NotFoundException extends AuthCoreException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was not found, where; never a secret
   */
  public NotFoundException(String message) {
    super(message);
  }

  /** Always 404. */
  @Override
  public int httpStatus() {
    return 404;
  }
}
