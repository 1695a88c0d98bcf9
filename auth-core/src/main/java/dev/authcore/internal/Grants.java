package dev.authcore.internal;

import dev.authcore.policy.PermissionGrant;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Who holds the token permission at an instant, from a corp's stored grants. */
public final class Grants {
  private Grants() {}

  /** Keys of the users whose grant is held at {@code now} ({@link PermissionGrant#heldAt}). */
  public static Set<String> heldAt(List<PermissionGrant> grants, Instant now) {
    Set<String> held = new HashSet<>();
    for (PermissionGrant grant : grants) {
      if (grant.heldAt(now)) {
        held.add(grant.email());
      }
    }
    return Set.copyOf(held);
  }
}
