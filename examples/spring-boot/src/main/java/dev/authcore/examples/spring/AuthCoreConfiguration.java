package dev.authcore.examples.spring;

import dev.authcore.AsyncAuditListener;
import dev.authcore.AuditEvents;
import dev.authcore.AuditListener;
import dev.authcore.AuthCore;
import dev.authcore.AuthHealth;
import dev.authcore.console.TokenConsole;
import dev.authcore.net.ClientAddressResolver;
import dev.authcore.net.IpAllowList;
import dev.authcore.spi.TokenStore;
import dev.authcore.spi.UserDirectory;
import dev.authcore.store.jdbc.NotificationWaiter;
import dev.authcore.store.jdbc.PostgresSchema;
import dev.authcore.store.jdbc.PostgresTokenStore;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One auth-core deployment as Spring beans: the PostgreSQL store on Boot's pool, the audit stream
 * as JSON lines, the deployment itself, its console, the trusted proxies, a health indicator and
 * its metrics. The application provides the {@link UserDirectory} bean (its own users).
 *
 * <p>Properties: {@code authcore.token-prefix} (default {@code tok}), {@code authcore.outage-grace}
 * (how long cached tokens are served past the cache bound while the store cannot be reached;
 * default {@code 5m}, {@code 0s} to fail closed) and {@code authcore.trusted-proxies} (addresses,
 * CIDR blocks or ranges of the proxies whose {@code X-Forwarded-For} is believed, comma-separated;
 * empty trusts none). Beans are closed in the order auth-core asks: the deployment first, then the
 * store and the audit stream.
 */
@Configuration(proxyBeanMethods = false)
public class AuthCoreConfiguration {
  /** Between {@code DOWN} and {@code UP} in {@code management.endpoint.health.status.order}. */
  static final Status DEGRADED = new Status("DEGRADED");

  /**
   * The store on Boot's pool, after applying auth-core's schema. The change feed listens for other
   * nodes' changes on a plain connection of its own (pgjdbc's, with the pool's URL and
   * credentials), so the pool lends all its connections to requests and its leak detection stays
   * meaningful.
   */
  @Bean(destroyMethod = "close")
  PostgresTokenStore tokenStore(DataSource pool, DataSourceProperties properties) {
    PostgresSchema.migrate(pool);
    PGSimpleDataSource listen =
        properties.initializeDataSourceBuilder().type(PGSimpleDataSource.class).build();
    listen.setConnectTimeout(3); // seconds: the feed reconnects by itself after a failure
    listen.setLoginTimeout(3);
    listen.setApplicationName("authcore-change-feed"); // as pg_stat_activity shows it
    return PostgresTokenStore.builder(pool)
        .notifications(NotificationWaiter.pgjdbc(), listen)
        .build();
  }

  /**
   * Audit events as one JSON line each on the logger {@code authcore.audit} (logback-spring.xml
   * prints the bare line), written on a thread of their own so a slow appender never slows a
   * request; {@code authcore.audit.dropped} counts what a full queue refused.
   */
  @Bean(destroyMethod = "close")
  AsyncAuditListener auditLog() {
    Logger log = LoggerFactory.getLogger("authcore.audit");
    return AsyncAuditListener.wrap(
        event -> log.info(AuditEvents.toJsonLine(event)), 10_000, Duration.ofSeconds(5));
  }

  /** The deployment, publishing to every {@link AuditListener} bean. */
  @Bean(destroyMethod = "close")
  AuthCore authCore(
      @Value("${authcore.token-prefix:tok}") String prefix,
      @Value("${authcore.outage-grace:5m}") Duration outageGrace,
      TokenStore store,
      UserDirectory users,
      ObjectProvider<AuditListener> auditListeners) {
    AuthCore.Builder builder =
        AuthCore.builder().tokenPrefix(prefix).outageGrace(outageGrace).store(store).users(users);
    auditListeners.orderedStream().forEach(builder::auditListener);
    return builder.build();
  }

  @Bean
  TokenConsole tokenConsole(AuthCore core) {
    return TokenConsole.of(core);
  }

  /** The proxies whose {@code X-Forwarded-For} is believed; a bad entry stops the start, named. */
  @Bean
  ClientAddressResolver trustedProxies(
      @Value("${authcore.trusted-proxies:}") List<String> proxies) {
    return ClientAddressResolver.trustingXForwardedFor(
        IpAllowList.parse(String.join("\n", proxies)));
  }

  /**
   * {@code authCore} in {@code /actuator/health}, from {@link AuthCore#health()}: {@code UP},
   * {@code DEGRADED} (requests are answered, some from older data or with usage at risk; HTTP 200
   * by {@code application.properties}) or {@code DOWN}, with the problems in words and the facts
   * behind them. It never calls the store, so it answers at once while the database hangs.
   */
  @Bean
  HealthIndicator authCoreHealthIndicator(AuthCore core) {
    return () -> {
      AuthHealth health = core.health();
      Health.Builder answer =
          switch (health.status()) {
            case UP -> Health.up();
            case DEGRADED -> Health.status(DEGRADED);
            case DOWN -> Health.down();
          };
      answer
          .withDetail("problems", health.problems())
          .withDetail("storeReachable", health.store().reachable())
          .withDetail("feed", health.feed().state())
          .withDetail("usageQueued", health.usage().queued())
          .withDetail("usageDropped", health.usage().droppedSinceLastFlush());
      Instant outageSince = health.store().outageSince();
      if (outageSince != null) {
        answer.withDetail("outageSince", outageSince.toString());
      }
      return answer.build();
    };
  }

  /** auth-core's counters and the audit queue's drops in {@code /actuator/prometheus}. */
  @Bean
  MeterBinder authCoreMetrics(AuthCore core, AsyncAuditListener auditLog) {
    return new AuthCoreMetrics(core, auditLog);
  }
}
