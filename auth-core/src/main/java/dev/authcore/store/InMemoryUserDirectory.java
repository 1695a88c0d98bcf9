package dev.authcore.store;

import dev.authcore.internal.Emails;
import dev.authcore.model.Role;
import dev.authcore.model.UserAccount;
import dev.authcore.spi.UserDirectory;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A user directory in memory, for tests, demos and small deployments. Emails are found ignoring
 * ASCII case. Thread-safe: users may be added and removed while auth-core runs.
 */
public final class InMemoryUserDirectory implements UserDirectory {
  private final ConcurrentHashMap<String, UserAccount> byKey = new ConcurrentHashMap<>();

  /** An empty directory. */
  public InMemoryUserDirectory() {}

  /**
   * Adds a user, or replaces the user with the same email (ignoring ASCII case).
   *
   * @return this directory
   * @throws IllegalArgumentException if the corp or email is malformed
   */
  public InMemoryUserDirectory add(String corp, String email, Role role) {
    return add(new UserAccount(corp, email, role));
  }

  /** Adds or replaces a user. */
  public InMemoryUserDirectory add(UserAccount user) {
    byKey.put(user.emailKey(), user);
    return this;
  }

  /**
   * Removes a user. Their tokens stop verifying once auth-core's cache entry for them expires.
   *
   * @return whether the user existed
   */
  public boolean remove(String email) {
    return byKey.remove(Emails.key(email)) != null;
  }

  @Override
  public Optional<UserAccount> find(String email) {
    return Optional.ofNullable(byKey.get(Emails.key(email)));
  }

  @Override
  public String toString() {
    return "InMemoryUserDirectory[" + byKey.size() + " users]";
  }
}
