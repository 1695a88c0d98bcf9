package dev.authcore.spi;

import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.UserAccount;
import java.util.Optional;

/**
 * Who the users are: email to corp and role. auth-core does not manage users; an application adapts
 * its own user store to this interface (the in-memory one in {@code dev.authcore.store} serves
 * tests and small deployments).
 *
 * <p>Implementations are thread-safe and find emails ignoring ASCII case ({@code Ann@Example.com}
 * and {@code ann@example.com} are one user). auth-core consults the directory when it checks an
 * actor's rights and when it loads a token into its cache: a token whose owner has left the
 * directory (or moved corp) stops verifying within the cache bound.
 */
public interface UserDirectory {
  /**
   * The user with this email, if any.
   *
   * @throws StoreUnavailableException if the directory cannot be reached
   */
  Optional<UserAccount> find(String email);
}
