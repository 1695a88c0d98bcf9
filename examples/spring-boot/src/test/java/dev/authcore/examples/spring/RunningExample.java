package dev.authcore.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.AuthCore;
import dev.authcore.console.ChangeOptions;
import dev.authcore.console.TokenConsole;
import dev.authcore.console.TokenRow;
import dev.authcore.model.Role;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.TokenSettings;
import dev.authcore.store.InMemoryUserDirectory;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The application started on a free port, on the shared embedded PostgreSQL, trusting 127.0.0.1 as
 * a proxy that writes {@code X-Forwarded-For}; called over real connections. Test classes that
 * extend it unchanged share one running application. Each test starts with no tokens and the corp's
 * default settings.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(
    properties = {
      "authcore.trusted-proxies=127.0.0.1",
      "example.users=acme olga@example.com OWNER, acme ann@example.com USER,"
          + " acme uma@example.com USER"
    })
@Import(RecordedEvents.class)
@Timeout(60)
abstract class RunningExample {
  static final String OWNER = "olga@example.com";
  static final String USER = "ann@example.com";
  static final String OTHER_USER = "uma@example.com";
  static final String UNAUTHORIZED = "{\"error\":\"unauthorized\"}";

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry, TestDatabase.shared());
  }

  @LocalServerPort int port;
  @Autowired AuthCore core;
  @Autowired TokenConsole console;
  @Autowired RecordedEvents events;

  @BeforeEach
  void cleanSlate() {
    console.updateSettings(
        OWNER, TokenSettings.defaults(), ChangeOptions.guarded().withLockoutConfirmed(true));
    for (String user : List.of(OWNER, USER, OTHER_USER)) {
      for (TokenRow row : console.listOwn(user)) {
        core.issuer().delete(user, row.id());
      }
    }
    events.clear();
  }

  /** A new token's plaintext, issued directly (not through the API under test). */
  String issue(String email, String name) {
    return core.issuer().issue(email, name).revealPlaintext();
  }

  /** A well-formed token of this application's prefix that its store has never seen. */
  static String tokenUnknownToTheStore(String email) {
    InMemoryUserDirectory users = new InMemoryUserDirectory().add("acme", email, Role.USER);
    try (AuthCore elsewhere = AuthCore.builder().tokenPrefix("acme").users(users).build()) {
      return elsewhere.issuer().issue(email, "ci").revealPlaintext();
    }
  }

  /** Lets tokens be used only from {@code range}. */
  void allowOnly(String range) {
    console.updateSettings(
        OWNER,
        TokenSettings.defaults().withAllowedIps(IpAllowList.parse(range)),
        ChangeOptions.guarded().withLockoutConfirmed(true));
  }

  /** The two credential headers, for {@link #call}. */
  static String[] as(String email, String token, String... more) {
    List<String> headers = new ArrayList<>(List.of("x-api-user", email, "x-api-token", token));
    headers.addAll(List.of(more));
    return headers.toArray(new String[0]);
  }

  HttpResponse<String> call(String method, String path, @Nullable String json, String... headers)
      throws IOException, InterruptedException {
    return Http.send(method, "http://127.0.0.1:" + port + path, json, headers);
  }

  HttpResponse<String> get(String path, String... headers)
      throws IOException, InterruptedException {
    return call("GET", path, null, headers);
  }

  /** The one answer every rejected request gets, whatever the reason. */
  static void assertUnauthorized(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).isEqualTo(UNAUTHORIZED);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
  }
}
