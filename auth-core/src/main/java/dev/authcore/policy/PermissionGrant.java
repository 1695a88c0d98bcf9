package dev.authcore.policy;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One user's token permission in a corp, as stored: who holds it and, for a grant that ends by
 * itself, until when.
 *
 * <p>A grant with an end is held strictly before it: at the end instant and after it the user does
 * not hold the permission, exactly as if an owner had revoked it then ({@link #heldAt}). The ended
 * grant stays stored (and listed) until an owner grants the permission again or revokes it.
 *
 * <p>Immutable and thread-safe. The JSON form (Jackson's defaults) is {@code email} and {@code
 * until} (an instant, or {@code null} for no end).
 *
 * @param email the user's lookup key (the ASCII lower-cased email)
 * @param until when the grant ends (exclusive), or {@code null} if it does not end by itself
 */
public record PermissionGrant(String email, @Nullable Instant until) {
  /**
   * Checks the fields.
   *
   * @throws NullPointerException if {@code email} is null
   */
  public PermissionGrant {
    Objects.requireNonNull(email, "email");
  }

  /** A grant without an end. */
  public static PermissionGrant unending(String email) {
    return new PermissionGrant(email, null);
  }

  /** The end, if the grant ends by itself. */
  public Optional<Instant> end() {
    return Optional.ofNullable(until);
  }

  /**
   * Whether the user holds the permission at {@code now}: always without an end, else only before
   * it.
   */
  public boolean heldAt(Instant now) {
    // held while now < until: at the end instant the permission is gone
    return until == null || now.isBefore(until);
  }

  /**
   * Keys of the users whose grant among {@code grants} is {@linkplain #heldAt held} at {@code now}:
   * who holds the token permission then.
   *
   * @throws NullPointerException if an argument or a grant is null
   */
  public static Set<String> holdersAt(Collection<PermissionGrant> grants, Instant now) {
    Objects.requireNonNull(now, "now");
    Set<String> held = new HashSet<>();
    for (PermissionGrant grant : grants) {
      if (grant.heldAt(now)) {
        held.add(grant.email());
      }
    }
    return Set.copyOf(held);
  }
}
