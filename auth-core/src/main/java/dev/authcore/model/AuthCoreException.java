package dev.authcore.model;

import org.jspecify.annotations.Nullable;

/**
 * An outcome of an auth-core operation that its caller must handle and answer: the request was
 * refused, and nothing changed. Each subclass names the HTTP status a gateway should answer, also
 * available as {@link #httpStatus()}, so a gateway maps the whole family in one place:
 *
 * <pre>{@code
 * try {
 *   ...
 * } catch (AuthCoreException e) {
 *   return respond(e.httpStatus(), e.getMessage());
 * }
 * }</pre>
 *
 * <table>
 *   <caption>The family</caption>
 *   <tr><th>exception</th><th>status</th><th>when</th></tr>
 *   <tr><td>{@link InvalidInputException}</td><td>400</td><td>a value breaks a rule (a token
 *       name, an email, an allow list, a duration, a cursor)</td></tr>
 *   <tr><td>{@link PermissionDeniedException}</td><td>403</td><td>the acting user may not do
 *       this</td></tr>
 *   <tr><td>{@link NotFoundException}</td><td>404</td><td>no such token or user, as far as the
 *       actor may see</td></tr>
 *   <tr><td>{@link ConflictException}</td><td>409</td><td>the request fits no longer: a name
 *       taken, the token limit reached ({@link TokenLimitExceededException}), a concurrent change,
 *       an unconfirmed lock-out ({@link LockoutException})</td></tr>
 *   <tr><td>{@link StoreUnavailableException}</td><td>503</td><td>the store could not be reached
 *       in time</td></tr>
 * </table>
 *
 * <p>Mistakes in using the API itself (a null argument, a builder misused, an out-of-range
 * configuration value) are not part of this family: they throw the JDK's {@link
 * NullPointerException}, {@link IllegalArgumentException} and {@link IllegalStateException}, and
 * are bugs to fix rather than outcomes to answer.
 *
 * <p>Messages say what, where and why, never hold a secret, and are safe to log and to show to the
 * acting user: text from a request is escaped, and anything that looks like a token or a secret is
 * redacted.
 */
public abstract class AuthCoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  AuthCoreException(String message) {
    super(message);
  }

  AuthCoreException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** The HTTP status a gateway should answer with, as documented on each subclass. */
  public abstract int httpStatus();
}
