package dev.authcore.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.authcore.internal.Corps;
import dev.authcore.internal.Emails;
import java.util.Objects;

/**
 * A user as the user directory ({@code dev.authcore.spi.UserDirectory}) knows them.
 *
 * @param corp the corp (tenant) the user belongs to: 1 to 64 printable ASCII characters, without
 *     spaces or {@code /}
 * @param email the user's email as given; compared ignoring ASCII case
 * @param role what the user may do in the corp
 */
public record UserAccount(String corp, String email, Role role) {
  /**
   * Checks the fields.
   *
   * @throws NullPointerException if any field is null
   * @throws IllegalArgumentException if {@code corp} breaks its rule, or {@code email} is not a
   *     plausible email address (3 to 254 characters, exactly one {@code @} with characters on both
   *     sides, no white space, control or invisible formatting characters)
   */
  public UserAccount {
    Corps.check(corp);
    Objects.requireNonNull(role, "role");
    Emails.check(email);
  }

  /**
   * Whether this user is an owner of their corp. Derived from the role, so not in the JSON form.
   */
  @JsonIgnore
  public boolean isOwner() {
    return role == Role.OWNER;
  }

  /**
   * The email in the form used as a lookup key: ASCII letters lower-cased, nothing else changed.
   */
  public String emailKey() {
    return Emails.key(email);
  }
}
