package dev.authcore.testkit;

import dev.authcore.policy.AllowListProblem;
import dev.authcore.policy.IpAllowList;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

/**
 * Test support for the allow-list parts of the kit, which need auth-core's real strict {@link
 * IpAllowList} (it arrives from the allow-list branch; worktrees without it carry a stand-in that
 * refuses every non-empty list).
 */
public final class KitFixtures {
  private KitFixtures() {}

  /** Whether the real allow-list parser is present (the stand-in refuses every entry). */
  public static boolean realAllowListParser() {
    try {
      return IpAllowList.parse("192.0.2.1").size() == 1;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The problems an {@code AllowListException} carries, read without naming the class (not in the
   * stand-ins); empty if {@code e} is another exception.
   */
  public static List<AllowListProblem> problems(IllegalArgumentException e) {
    if (!e.getClass().getName().equals("dev.authcore.policy.AllowListException")) {
      return List.of();
    }
    try {
      Object problems = e.getClass().getMethod("problems").invoke(e);
      List<AllowListProblem> out = new ArrayList<>();
      for (Object p : (List<?>) problems) {
        out.add((AllowListProblem) p);
      }
      return out;
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException x) {
      throw new LinkageError("AllowListException.problems() could not be read", x);
    }
  }
}
