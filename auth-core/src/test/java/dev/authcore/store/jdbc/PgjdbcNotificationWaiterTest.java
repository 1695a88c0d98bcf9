package dev.authcore.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * The shipped pgjdbc waiter's guard: without the driver it says what to add. That it receives
 * notifications is tested against a real PostgreSQL in auth-testkit, where the store's change-feed
 * tests use it.
 */
class PgjdbcNotificationWaiterTest {

  @Test
  void pgjdbc_driverPresent_aWaiter() {
    assertThat(NotificationWaiter.pgjdbc()).hasToString("NotificationWaiter.pgjdbc()");
  }

  @Test
  void create_driverAbsent_clearFailureNamingTheArtifact() throws Exception {
    try (URLClassLoader withoutDriver =
        new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> PgjdbcNotificationWaiter.create(withoutDriver))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("org.postgresql:postgresql")
          .hasMessageContaining("pass a NotificationWaiter for your driver");
    }
  }
}
