package dev.authcore.model;

import static java.util.Objects.requireNonNull;

/**
 * The request is well-formed and allowed, but the state it meets refuses it: the user already has a
 * token of that name, or as many tokens as allowed, other owners kept changing the same settings
 * meanwhile, or the change could lock the corp out and was not confirmed. Nothing changed. A
 * gateway answers <b>HTTP 409</b>; {@link #kind()} tells the cases apart.
 */
public class ConflictException extends AuthCoreException {
  private static final long serialVersionUID = 1L;

  /** Which conflict it is. */
  public enum Kind {
    /** The user already has a token of that name, ignoring case. */
    NAME_TAKEN,
    /** The user already has as many tokens as allowed ({@link TokenLimitExceededException}). */
    TOKEN_LIMIT,
    /** Others kept changing the same thing while this change was being saved; try again. */
    CONCURRENT_CHANGE,
    /**
     * The change could leave no owner able to use a token, or refuse the acting owner's own
     * requests, and was not confirmed ({@link LockoutException}).
     */
    LOCKOUT,
    /** An owner asked to enforce the corp's staged allow list while none is staged. */
    NOTHING_STAGED
  }

  private final Kind kind;

  /**
   * @param message what conflicts, and what to do; never a secret
   */
  public ConflictException(Kind kind, String message) {
    super(message);
    this.kind = requireNonNull(kind, "kind");
  }

  /** Which conflict it is. */
  public Kind kind() {
    return kind;
  }

  /** Always 409. */
  @Override
  public int httpStatus() {
    return 409;
  }
}
