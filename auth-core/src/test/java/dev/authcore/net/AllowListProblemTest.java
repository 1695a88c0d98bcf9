package dev.authcore.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The limits of a problem's text and how many problems an exception's message names. */
class AllowListProblemTest {

  @Test
  void new_printableAsciiEnds_accepted() {
    assertThat(new AllowListProblem(1, " ~", " ~").text()).isEqualTo(" ~");
  }

  @Test
  void new_characterJustOutsidePrintableAscii_refused() {
    assertThatThrownBy(() -> new AllowListProblem(1, "\u001f", "r"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AllowListProblem(1, "t", "\u007f"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void new_textOf400Characters_accepted_401Refused() {
    assertThat(new AllowListProblem(1, "x".repeat(400), "r").text()).hasSize(400);
    assertThatThrownBy(() -> new AllowListProblem(1, "x".repeat(401), "r"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("text is 401 characters long; at most 400");
  }

  @Test
  void exceptionMessage_namesTheFirstTenProblemsAndCountsTheRest() {
    List<AllowListProblem> problems = new ArrayList<>();
    for (int line = 1; line <= 12; line++) {
      problems.add(new AllowListProblem(line, "bad" + line, "reason" + line));
    }
    String message = new AllowListException(problems).getMessage();
    assertThat(message)
        .startsWith("IP allow list refused: 12 problems: ")
        .contains("bad10")
        .doesNotContain("bad11")
        .endsWith("; and 2 more");
  }

  @Test
  void exceptionMessage_tenProblems_allNamedNothingMore() {
    List<AllowListProblem> problems = new ArrayList<>();
    for (int line = 1; line <= 10; line++) {
      problems.add(new AllowListProblem(line, "bad" + line, "reason" + line));
    }
    assertThat(new AllowListException(problems).getMessage())
        .contains("bad10")
        .doesNotContain("more");
  }
}
