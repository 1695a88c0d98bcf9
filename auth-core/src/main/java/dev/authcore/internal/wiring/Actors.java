package dev.authcore.internal.wiring;

import dev.authcore.internal.Emails;
import dev.authcore.internal.LogSafe;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.NotFoundException;
import dev.authcore.model.PermissionDeniedException;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.TokenId;
import dev.authcore.model.UserAccount;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
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
   * The token {@code id} of the actor's corp, if the actor may change it ({@code what}, a verb for
   * the message): their own, or any as an owner. The one rule for deleting, rotating and setting a
   * token's allow list.
   *
   * @throws NotFoundException if the corp has no such token
   * @throws PermissionDeniedException if it is another user's and the actor is no owner
   * @throws StoreUnavailableException if the store cannot be reached
   */
  public static TokenRecord changeableToken(
      TokenStore store, UserAccount actor, TokenId id, String what) {
    Optional<TokenRecord> found = store.find(id).filter(t -> t.corp().equals(actor.corp()));
    if (found.isEmpty()) {
      throw new NotFoundException("no token " + id + " in corp " + actor.corp());
    }
    TokenRecord token = found.get();
    if (!actor.isOwner() && !Emails.same(token.ownerEmail(), actor.email())) {
      throw new PermissionDeniedException(
          actor.email()
              + " may not "
              + what
              + " token "
              + id
              + " of another user; only its owner or a corp owner may");
    }
    return token;
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
