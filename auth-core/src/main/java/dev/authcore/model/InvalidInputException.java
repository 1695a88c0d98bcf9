package dev.authcore.model;

import static java.util.Objects.requireNonNull;

/**
 * A value given to auth-core breaks one of its rules: a token name, an email, a duration, a cursor,
 * an allow list. Nothing changed. A gateway answers <b>HTTP 400</b>.
 *
 * <p>{@link #input()} names which input was refused, so a form can show the message beside the
 * field; the message says why.
 */
public class InvalidInputException extends AuthCoreException {
  private static final long serialVersionUID = 1L;

  private final String input;

  /**
   * @param input which input was refused, in words ({@code "token name"}, {@code "email"})
   * @param message what is wrong and how to put it right; never a secret
   */
  public InvalidInputException(String input, String message) {
    super(message);
    this.input = requireNonNull(input, "input");
  }

  /** Which input was refused, in words, e.g. {@code "token name"}. */
  public String input() {
    return input;
  }

  /** Always 400. */
  @Override
  public int httpStatus() {
    return 400;
  }
}
