package dev.authcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.Role;
import dev.authcore.model.UserAccount;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperationsTest {
  private static final List<UserAccount> USERS =
      List.of(
          new UserAccount("acme", "olga@example.com", Role.OWNER),
          new UserAccount("acme", "ann@example.com", Role.USER));

  @Test
  void sequence_sameSeed_sameOperations() {
    assertThat(Operations.sequence(Seeds.random(5), USERS, 200))
        .isEqualTo(Operations.sequence(Seeds.random(5), USERS, 200));
    assertThat(Operations.sequence(Seeds.random(5), USERS, 200))
        .isNotEqualTo(Operations.sequence(Seeds.random(6), USERS, 200));
  }

  @Test
  void sequence_drawsEveryKindByEveryUser() {
    List<Operation> ops = Operations.sequence(Seeds.random(11), USERS, 2000);
    assertThat(ops).hasSize(2000);
    Set<Class<?>> kinds = new HashSet<>();
    Set<String> actors = new HashSet<>();
    for (Operation op : ops) {
      kinds.add(op.getClass());
      if (op instanceof Operation.SetExpiry e) {
        actors.add(e.actor());
      }
    }
    assertThat(kinds).containsExactlyInAnyOrder(Operation.class.getPermittedSubclasses());
    assertThat(actors).containsExactlyInAnyOrder("olga@example.com", "ann@example.com");
  }

  @Test
  void sequence_drawsListsAndClientsFromThePools() {
    List<Operation> ops = Operations.sequence(Seeds.random(12), USERS, 2000);
    Set<String> clients = new HashSet<>();
    Set<String> entries = new HashSet<>();
    Set<Integer> sizes = new HashSet<>();
    for (Operation op : ops) {
      List<String> list = null;
      if (op instanceof Operation.SetTokenAllowList set) {
        list = set.entries();
      } else if (op instanceof Operation.SetCorpAllowList set) {
        list = set.entries();
      } else if (op instanceof Operation.StageAllowList stage) {
        list = stage.entries();
      }
      if (list != null) {
        entries.addAll(list);
        sizes.add(list.size());
        assertThat(new HashSet<>(list)).hasSameSizeAs(list);
      }
      if (op instanceof Operation.Verify v) {
        clients.add(v.client());
      }
    }
    assertThat(clients).containsExactlyInAnyOrderElementsOf(Operations.CLIENTS);
    assertThat(entries).containsExactlyInAnyOrderElementsOf(Operations.ALLOW_ENTRIES);
    assertThat(sizes).containsExactlyInAnyOrder(0, 1, 2);
  }

  @Test
  void sequence_noUsersOrNegativeLength_refused() {
    assertThatThrownBy(() -> Operations.sequence(Seeds.random(1), List.of(), 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Operations.sequence(Seeds.random(1), USERS, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
