package dev.authcore.internal.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.AuthCore;
import dev.authcore.model.Role;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsoleAccessTest {

  @Test
  void partsOf_deployment_itsOwnStoreWithEachCallNoted() {
    InMemoryTokenStore store = new InMemoryTokenStore();
    try (AuthCore core =
        AuthCore.builder()
            .users(new InMemoryUserDirectory().add("acme", "olga@example.com", Role.OWNER))
            .store(store)
            .usageFlushInterval(Duration.ZERO)
            .build()) {
      ConsoleParts parts = ConsoleAccess.partsOf(core);
      // The given store, behind the deployment's wrapper that notes each call for stats() and
      // health(): what the console writes lands in it.
      assertThat(parts.store()).hasToString(store.toString());
      assertThat(parts.store().setPermission("acme", "olga@example.com", true)).isFalse();
      assertThat(store.permittedUsers("acme")).containsExactly("olga@example.com");
      assertThat(parts.actors().actor("olga@example.com").isOwner()).isTrue();
      assertThat(ConsoleAccess.partsOf(core)).isSameAs(parts);
    }
  }

  @Test
  void install_secondTime_refused() {
    AuthCore.builder(); // the deployment class installs the lookup when it is initialised
    assertThatThrownBy(() -> ConsoleAccess.install(core -> ConsoleAccess.partsOf(core)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("installed already");
  }

  @Test
  void partsOf_somethingElse_refused() {
    AuthCore.builder();
    assertThatThrownBy(() -> ConsoleAccess.partsOf("not a deployment"))
        .isInstanceOf(ClassCastException.class);
  }
}
