package dev.authcore.internal.wiring;

import dev.authcore.internal.Emails;
import dev.authcore.internal.LogSafe;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.NotFoundException;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.UserAccount;
import dev.authcore.spi.UserDirectory;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Resolves the acting user of an operation against the deployment's user directory, the same way
 * for the issuer and the console. Thread-safe as the directory is.
 */
public final class Actors {
  private final UserDirectory users;

  public Actors(UserDirectory users) {
    this.users = Objects.requireNonNull(users, "users");
  }

  /**
   * The account of an acting user.
   *
   * @throws NullPointerException if {@code email} is null
   * @throws InvalidInputException if the email is malformed
   * @throws NotFoundException if no such user exists; the message quotes the email made safe by
   *     {@link LogSafe#escape}
   * @throws StoreUnavailableException if the directory cannot be reached
   */
  public UserAccount actor(String email) {
    Objects.requireNonNull(email, "actor email");
    @Nullable String problem = Emails.problem(email);
    if (problem != null) {
      throw new InvalidInputException(
          "actor email", "actor email '" + LogSafe.escape(email) + "' is not valid: " + problem);
    }
    Optional<UserAccount> found = users.find(email);
    if (found.isEmpty()) {
      throw new NotFoundException(
          "unknown user '"
              + LogSafe.escape(email)
              + "': the actor email names no user in the directory");
    }
    return found.get();
  }

  /**
   * The user with this email, if any (a user acted upon, not the actor).
   *
   * @throws StoreUnavailableException if the directory cannot be reached
   */
  public Optional<UserAccount> find(String email) {
    return users.find(email);
  }
}
