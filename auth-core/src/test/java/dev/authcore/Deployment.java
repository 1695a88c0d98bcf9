package dev.authcore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.model.Role;
import dev.authcore.spi.TokenStore;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import dev.authcore.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A deployment for tests: two corps with known users, a hand-moved clock, manual usage flushing,
 * and every audit event captured.
 *
 * <p>Corp {@code acme}: {@link #ANN} and {@link #BOB} (users), {@link #OLGA} (owner). Corp {@code
 * globex}: {@link #ZED} (user) and {@link #OTTO} (owner).
 */
final class Deployment implements AutoCloseable {
  static final String ANN = "ann@example.com";
  static final String BOB = "bob@example.com";
  static final String OLGA = "olga@example.com";
  static final String ZED = "zed@globex.example";
  static final String OTTO = "otto@globex.example";
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  final FakeClock clock = FakeClock.at(START);
  final InMemoryUserDirectory users =
      new InMemoryUserDirectory()
          .add("acme", ANN, Role.USER)
          .add("acme", BOB, Role.USER)
          .add("acme", OLGA, Role.OWNER)
          .add("globex", ZED, Role.USER)
          .add("globex", OTTO, Role.OWNER);
  final List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
  final TokenStore store;
  final AuthCore core;

  Deployment() {
    this(new InMemoryTokenStore(), b -> b);
  }

  Deployment(TokenStore store, UnaryOperator<AuthCore.Builder> configure) {
    this.store = store;
    this.core =
        configure
            .apply(
                AuthCore.builder()
                    .tokenPrefix("acme")
                    .users(users)
                    .store(store)
                    .clock(clock)
                    .usageFlushInterval(Duration.ZERO)
                    .auditListener(events::add))
            .build();
  }

  TokenIssuer issuer() {
    return core.issuer();
  }

  TokenVerifier verifier() {
    return core.verifier();
  }

  /** The events of one type published so far. */
  <E extends AuditEvent> List<E> events(Class<E> type) {
    synchronized (events) {
      return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  static RejectionReason reasonOf(Verification v) {
    assertThat(v).isInstanceOf(Verification.Rejected.class);
    return ((Verification.Rejected) v).reason();
  }

  @Override
  public void close() {
    core.close();
  }
}
