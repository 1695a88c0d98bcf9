package dev.authcore.internal.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.InvalidInputException;
import dev.authcore.model.NotFoundException;
import dev.authcore.model.Role;
import dev.authcore.model.UserAccount;
import dev.authcore.store.InMemoryUserDirectory;
import org.junit.jupiter.api.Test;

class ActorsTest {
  private final Actors actors =
      new Actors(new InMemoryUserDirectory().add("acme", "ann@example.com", Role.USER));

  @Test
  void actor_knownIgnoringCase_account() {
    assertThat(actors.actor("ANN@example.com"))
        .isEqualTo(new UserAccount("acme", "ann@example.com", Role.USER));
  }

  @Test
  void actor_unknown_notFoundQuotingTheEmail() {
    assertThatThrownBy(() -> actors.actor("bob@example.com"))
        .isInstanceOf(NotFoundException.class)
        .hasMessage(
            "unknown user 'bob@example.com': the actor email names no user in the directory");
  }

  @Test
  void actor_malformed_invalidInputEscapedWithTheReason() {
    assertThatThrownBy(() -> actors.actor("ann\r\n@example.com"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("actor email 'ann\\u000D\\u000A@example.com' is not valid: ")
        .hasMessageNotContaining("\r");
  }

  @Test
  void find_someoneElse_optional() {
    assertThat(actors.find("ann@example.com")).isPresent();
    assertThat(actors.find("bob@example.com")).isEmpty();
  }
}
