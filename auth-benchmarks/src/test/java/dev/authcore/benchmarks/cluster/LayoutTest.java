package dev.authcore.benchmarks.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LayoutTest {
  @Test
  void loadTokens_roundedUpToWholeUsers() {
    assertThat(new Layout(600).loadTokens()).isEqualTo(600);
    assertThat(new Layout(601).loadTokens()).isEqualTo(604);
    assertThat(new Layout(1).loadTokens()).isEqualTo(4);
  }

  @Test
  void all_everyEmailOnceAndEveryCorpWithAnOwner() {
    List<Layout.User> users = new Layout(600).all();
    Set<String> emails = new HashSet<>();
    Set<String> corps = new HashSet<>();
    Set<String> owned = new HashSet<>();
    for (Layout.User user : users) {
      assertThat(emails.add(user.email())).as(user.email()).isTrue();
      corps.add(user.corp());
      if (user.owner()) {
        owned.add(user.corp());
      }
    }
    assertThat(owned).isEqualTo(corps);
    assertThat(users).filteredOn(u -> u.corp().startsWith("load") && !u.owner()).hasSize(150);
    assertThat(users.get(0).line()).isEqualTo("load00 owner@load00.example OWNER");
  }

  @Test
  void new_outOfRange_saysWhichFlag() {
    assertThatThrownBy(() -> new Layout(0)).hasMessageContaining("--tokens");
  }
}
