package dev.authcore.testkit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.model.Role;
import dev.authcore.model.TokenId;
import dev.authcore.model.UserAccount;
import dev.authcore.spi.TokenRecord;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import dev.authcore.testkit.FakeClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Fuzzes the reference gateway's request handling ({@link ApiHandler} and the JSON bodies it reads
 * with {@link Json}) in process, without a socket: arbitrary methods, paths, query strings, headers
 * and bodies, a few requests in a row against one fresh gateway.
 *
 * <p>Properties, for every request: the handler answers exactly once and closes the exchange,
 * nothing escapes it, and the status is never a 5xx (the in-memory store cannot fail, so any 5xx is
 * a bug); a body is a JSON object, and an error body says what is wrong in {@code "error"}; every
 * 401 is the same {@code {"error":"unauthorized"}}; a 4xx changes no token, setting or permission;
 * and no response but the one creating a token, and no audit line, holds a token's plaintext or its
 * secret part. One exemption, for a reason outside the gateway: auth-core accepts a token name that
 * holds a token, and listings show names; after such a name is accepted, 2xx bodies are not checked
 * for that secret.
 *
 * <p>Input format (readable seeds): requests separated by a line {@code ====}; each is a line
 * {@code METHOD TARGET}, header lines {@code Name: value}, an empty line and the body. In the
 * target, header values and body, {@code {owner}}, {@code {user}} and {@code {other}} stand for the
 * emails of an owner and a user of corp {@code acme} and of an owner of corp {@code beta}; {@code
 * {owner-token}}, {@code {user-token}}, {@code {other-token}} for their tokens; {@code {owner-id}},
 * {@code {user-id}} for the tokens' ids; {@code {new-token}}, {@code {new-id}} for the last token
 * created by a request. The peer is 127.0.0.1, a trusted proxy, so {@code X-Forwarded-For} counts.
 *
 * <p>In {@code mvn verify} it replays {@code GatewayRequestFuzzTestInputs/}. To fuzz: {@code
 * JAZZER_FUZZ=1 mvn -pl auth-testkit -am test -Dtest=GatewayRequestFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class GatewayRequestFuzzTest {
  private static final int MAX_REQUESTS = 6;
  private static final String OWNER = "olga@example.com";
  private static final String USER = "ann@example.com";
  private static final String OTHER = "bea@example.org";
  private static final List<UserAccount> USERS =
      List.of(
          new UserAccount("acme", OWNER, Role.OWNER),
          new UserAccount("acme", USER, Role.USER),
          new UserAccount("beta", OTHER, Role.OWNER));
  private static final InetSocketAddress PEER =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);
  private static final ClientAddressSource CLIENTS =
      ClientAddressSource.create(List.of("127.0.0.1"));

  @FuzzTest(maxDuration = "10s")
  void handle(byte[] input) throws Exception {
    String text = new String(input, StandardCharsets.UTF_8);
    FakeClock clock = FakeClock.atDefaultStart();
    InMemoryUserDirectory directory = new InMemoryUserDirectory();
    USERS.forEach(directory::add);
    InMemoryTokenStore store = new InMemoryTokenStore();
    ByteArrayOutputStream auditBytes = new ByteArrayOutputStream();
    PrintStream auditErr = new PrintStream(auditBytes, true, StandardCharsets.UTF_8);
    AuditLog audit = AuditLog.to(auditBytes, auditErr);
    AuthCore core =
        AuthCore.builder()
            .tokenPrefix(Gateway.TOKEN_PREFIX)
            .users(directory)
            .store(store)
            .clock(clock)
            .usageFlushInterval(Duration.ofMinutes(10))
            .auditListener(audit)
            .build();
    try {
      Map<String, String> vars = new LinkedHashMap<>();
      List<String> secrets = new ArrayList<>();
      for (String[] who :
          List.of(
              new String[] {"owner", OWNER},
              new String[] {"user", USER},
              new String[] {"other", OTHER})) {
        IssuedToken token = core.issuer().issue(who[1], "bootstrap");
        vars.put("{" + who[0] + "}", who[1]);
        vars.put("{" + who[0] + "-token}", token.revealPlaintext());
        vars.put("{" + who[0] + "-id}", token.id().toString());
        secrets.add(token.revealPlaintext());
      }
      vars.put("{new-token}", "");
      vars.put("{new-id}", "");
      ApiHandler handler = new ApiHandler(core, clock, CLIENTS, USERS, clock.instant());
      List<String> namedAfterSecret = new ArrayList<>();

      String[] requests = text.split("\n====\n", -1);
      for (int r = 0; r < requests.length && r < MAX_REQUESTS; r++) {
        FakeExchange exchange = exchange(requests[r], vars);
        if (exchange == null) {
          continue; // the HTTP server refuses such a request line before any handler runs
        }
        String before = snapshot(store);
        exchange.runOn(handler);

        int status = exchange.status();
        assertThat(exchange.statusesSent()).isEqualTo(1);
        assertThat(status).isBetween(200, 499);
        String body = new String(exchange.responseBytes(), StandardCharsets.UTF_8);
        if (status == 204) {
          assertThat(body).isEmpty();
          continue;
        }
        JsonNode json = Json.MAPPER.readTree(body);
        assertThat(json.isObject()).as(body).isTrue();
        assertThat(exchange.responseHeader("Content-Type")).startsWith("application/json");
        if (status >= 400) {
          assertThat(json.get("error").isString()).as(body).isTrue();
          assertThat(snapshot(store)).as("a %s changed state", status).isEqualTo(before);
        }
        if (status == 401) {
          assertThat(body).isEqualTo("{\"error\":\"unauthorized\"}");
        }

        String own = "";
        if (status == 201) {
          own = json.get("token").stringValue();
          assertThat(own).startsWith(Gateway.TOKEN_PREFIX + "_");
          String name = json.get("name").stringValue();
          for (String secret : secrets) {
            if (name.contains(secret) || name.contains(secretPart(secret))) {
              namedAfterSecret.add(secret);
            }
          }
          vars.put("{new-token}", own);
          vars.put("{new-id}", json.get("id").stringValue());
        }
        for (String secret : secrets) {
          if (status < 400 && namedAfterSecret.contains(secret)) {
            continue;
          }
          assertThat(body).as("response %s", status).doesNotContain(secretPart(secret));
        }
        if (!own.isEmpty()) {
          assertThat(body).containsOnlyOnce(secretPart(own));
          secrets.add(own);
        }
      }
      core.flushUsage();
      String log = auditBytes.toString(StandardCharsets.UTF_8);
      for (String secret : secrets) {
        assertThat(log).doesNotContain(secretPart(secret));
      }
    } finally {
      core.close();
      audit.close();
    }
  }

  /** The request in {@code text}, or {@code null} if no HTTP server would hand it to a handler. */
  private static @Nullable FakeExchange exchange(String text, Map<String, String> vars) {
    String expanded = text;
    for (Map.Entry<String, String> v : vars.entrySet()) {
      expanded = expanded.replace(v.getKey(), v.getValue());
    }
    int headEnd = expanded.indexOf("\n\n");
    String head = headEnd < 0 ? expanded : expanded.substring(0, headEnd);
    String body = headEnd < 0 ? "" : expanded.substring(headEnd + 2);
    String[] lines = head.split("\n", -1);
    String requestLine = lines[0];
    int space = requestLine.indexOf(' ');
    String method = space < 0 ? requestLine : requestLine.substring(0, space);
    String target = space < 0 ? "/" : requestLine.substring(space + 1);
    if (method.isEmpty() || !method.chars().allMatch(c -> c > ' ' && c < 0x7F)) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(target);
    } catch (URISyntaxException e) {
      return null;
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = lines[i].substring(0, colon);
      String value = lines[i].substring(colon + 1).strip();
      if (name.indexOf('\r') >= 0 || value.indexOf('\r') >= 0) {
        continue; // a header no HTTP parser would deliver
      }
      headers.add(Map.entry(name, value));
    }
    return new FakeExchange(method, uri, headers, body.getBytes(StandardCharsets.UTF_8), PEER);
  }

  /** The tokens, settings and permissions of both corps, as text. */
  private static String snapshot(InMemoryTokenStore store) {
    StringBuilder out = new StringBuilder();
    for (UserAccount user : USERS) {
      TreeSet<String> tokens = new TreeSet<>();
      for (TokenRecord token : store.listByOwner(user.corp(), user.email())) {
        tokens.add(token.id() + " " + token.name() + " " + token.created());
      }
      out.append(user.email()).append(' ').append(tokens).append('\n');
    }
    for (String corp : List.of("acme", "beta")) {
      out.append(corp)
          .append(' ')
          .append(Json.settings(store.settings(corp)))
          .append(' ')
          .append(new TreeSet<>(store.permittedUsers(corp)))
          .append('\n');
    }
    return out.toString();
  }

  /** The secret part of a gateway token: what follows {@code gw_} and the 11-character id. */
  private static String secretPart(String token) {
    int start = Gateway.TOKEN_PREFIX.length() + 1 + TokenId.LENGTH;
    return token.substring(start, token.length() - 6);
  }
}
