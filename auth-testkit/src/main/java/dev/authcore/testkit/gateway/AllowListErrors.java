package dev.authcore.testkit.gateway;

import dev.authcore.policy.AllowListProblem;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

/**
 * The problems of a refused allow list, line by line.
 *
 * <p>{@code IpAllowList.parse} throws {@code AllowListException} (an {@link
 * IllegalArgumentException} with {@code problems()}); that class arrives with the allow-list work
 * and is not on this branch, so it is read here by name. Once it is, replace this class with a
 * {@code catch (AllowListException e)} and {@code e.problems()}.
 */
final class AllowListErrors {
  private static final String EXCEPTION = "dev.authcore.policy.AllowListException";

  private AllowListErrors() {}

  /**
   * Every problem {@code e} reports; for any other exception, one problem at line 0 holding its
   * message.
   */
  static List<AllowListProblem> problems(IllegalArgumentException e) {
    if (e.getClass().getName().equals(EXCEPTION)) {
      try {
        Object problems = e.getClass().getMethod("problems").invoke(e);
        List<AllowListProblem> out = new ArrayList<>();
        for (Object p : (List<?>) problems) {
          out.add((AllowListProblem) p);
        }
        return out;
      } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException x) {
        throw new LinkageError(EXCEPTION + ".problems() could not be called", x);
      }
    }
    return List.of(new AllowListProblem(0, "", String.valueOf(e.getMessage())));
  }
}
