package dev.authcore.net;

import com.google.common.collect.ImmutableList;
import dev.authcore.model.InvalidInputException;
import java.util.List;

/**
 * Thrown by {@link IpAllowList#parse(String)} when the text is not a valid allow list. It carries
 * every problem found, not just the first, so an owner can fix the whole list in one go; nothing of
 * a refused list is applied (parsing is a pure function: the list in force stays in force).
 *
 * <p>A gateway answers HTTP 400, as for every {@link InvalidInputException}, listing {@link
 * #problems()} so each line can be marked where it stands.
 *
 * <p>The message is safe to log (see {@link AllowListProblem}) and names at most the first ten
 * problems; {@link #problems()} has them all, in line order.
 */
public final class AllowListException extends InvalidInputException {

  private static final long serialVersionUID = 1L;
  private static final int PROBLEMS_IN_MESSAGE = 10;

  private final ImmutableList<AllowListProblem> problems;

  AllowListException(List<AllowListProblem> problems) {
    super("IP allow list", summarise(problems));
    this.problems = ImmutableList.copyOf(problems);
  }

  /** Every problem found, in line order; never empty; unmodifiable. */
  public List<AllowListProblem> problems() {
    return problems;
  }

  private static String summarise(List<AllowListProblem> problems) {
    StringBuilder sb = new StringBuilder("IP allow list refused: ");
    sb.append(problems.size()).append(problems.size() == 1 ? " problem" : " problems");
    for (int i = 0; i < problems.size() && i < PROBLEMS_IN_MESSAGE; i++) {
      sb.append(i == 0 ? ": " : "; ").append(problems.get(i));
    }
    if (problems.size() > PROBLEMS_IN_MESSAGE) {
      sb.append("; and ").append(problems.size() - PROBLEMS_IN_MESSAGE).append(" more");
    }
    return sb.toString();
  }
}
