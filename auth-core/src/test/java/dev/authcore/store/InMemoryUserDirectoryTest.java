package dev.authcore.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.Role;
import dev.authcore.model.UserAccount;
import org.junit.jupiter.api.Test;

class InMemoryUserDirectoryTest {

  @Test
  void find_ignoresAsciiCaseOnly() {
    InMemoryUserDirectory users =
        new InMemoryUserDirectory().add("acme", "Ann@Example.com", Role.OWNER);
    assertThat(users.find("ann@example.com"))
        .contains(new UserAccount("acme", "Ann@Example.com", Role.OWNER));
    assertThat(users.find("ANN@EXAMPLE.COM")).isPresent();
    assertThat(users.find("\u0430nn@example.com")).isEmpty(); // Cyrillic a
    assertThat(users.find("bob@example.com")).isEmpty();
  }

  @Test
  void add_sameEmailOtherCase_replaces() {
    InMemoryUserDirectory users =
        new InMemoryUserDirectory()
            .add("acme", "ann@example.com", Role.USER)
            .add("globex", "ANN@example.com", Role.OWNER);
    assertThat(users.find("ann@example.com").orElseThrow())
        .isEqualTo(new UserAccount("globex", "ANN@example.com", Role.OWNER));
    assertThat(users).hasToString("InMemoryUserDirectory[1 users]");
  }

  @Test
  void remove_byAnyAsciiCase() {
    InMemoryUserDirectory users =
        new InMemoryUserDirectory().add("acme", "ann@example.com", Role.USER);
    assertThat(users.remove("ANN@example.com")).isTrue();
    assertThat(users.remove("ann@example.com")).isFalse();
    assertThat(users.find("ann@example.com")).isEmpty();
  }

  @Test
  void add_malformed_refused() {
    InMemoryUserDirectory users = new InMemoryUserDirectory();
    assertThatThrownBy(() -> users.add("acme", "not an email", Role.USER))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> users.add("a/b", "ann@example.com", Role.USER))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
