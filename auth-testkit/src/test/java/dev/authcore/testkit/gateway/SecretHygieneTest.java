package dev.authcore.testkit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.AuditEvent;
import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.RejectionReason;
import dev.authcore.Verification;
import dev.authcore.console.TokenConsole;
import dev.authcore.console.TokenQuery;
import dev.authcore.model.Role;
import dev.authcore.model.TokenId;
import dev.authcore.model.UserAccount;
import dev.authcore.net.AllowListException;
import dev.authcore.net.ClientAddressResolver;
import dev.authcore.net.ClientAddresses;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.ExpiryPolicy;
import dev.authcore.policy.TokenSettings;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import dev.authcore.testkit.FakeClock;
import dev.authcore.testkit.Seeds;
import dev.authcore.testkit.TokenTexts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise that a token's plaintext and secret never come back out of the library or the
 * reference gateway, tested by trying hard to make them: real tokens, their secret parts and their
 * prefix-less forms are put into every string a caller can pass (emails, names, cursors, allow-list
 * lines, client addresses, users, URLs, headers, body fields, command-line flags), and everything
 * the library and the gateway say in return is searched: log records of every level, audit events
 * and their fields, exceptions with their causes, returned values, HTTP bodies and headers, the
 * audit log, standard output and error.
 *
 * <p>A leak is the plaintext, the token without its prefix, the secret, or any 16 consecutive
 * characters of the secret. Every finding is collected with where it came from, and the test fails
 * once listing them all.
 */
class SecretHygieneTest {
  private static final String PREFIX = "acme";
  private static final String CORP = "acme";
  private static final String OLGA = "olga@example.com";
  private static final String ANN = "ann@example.com";
  private static final String BOB = "bob@example.com";
  private static final String CAROL = "carol@example.com";
  private static final InetAddress OFFICE = address("10.1.2.3");
  private static final InetAddress ELSEWHERE = address("192.0.2.7");
  private static final String USERS =
      """
      acme olga@example.com OWNER
      acme ann@example.com USER
      acme bob@example.com USER
      """;

  @TempDir Path dir;

  // ---- the detector
  // ------------------------------------------------------------------------------

  /** What must never appear, with a description of each; and what was found where. */
  static final class Exposure {
    private final Map<String, String> needles = new LinkedHashMap<>();
    private final Set<String> findings = Collections.synchronizedSet(new LinkedHashSet<>());

    /**
     * Watches a token: its plaintext, the token without its prefix, its secret, and 16-char runs.
     */
    void watch(String label, String plaintext, String prefix) {
      int secretStart = prefix.length() + 1 + TokenId.LENGTH;
      String secret = plaintext.substring(secretStart, secretStart + TokenTexts.SECRET_LENGTH);
      needles.put(plaintext, label + "'s plaintext");
      needles.put(plaintext.substring(prefix.length() + 1), label + " without its prefix");
      needles.put(secret, label + "'s secret");
      for (int i = 0; i + 16 <= secret.length(); i++) {
        needles.putIfAbsent(
            secret.substring(i, i + 16), label + "'s secret characters " + i + " to " + (i + 15));
      }
    }

    /** Records a finding if {@code value}'s text holds anything watched; returns whether. */
    boolean check(String where, @Nullable Object value) {
      if (value == null) {
        return false;
      }
      String text = String.valueOf(value);
      for (Map.Entry<String, String> needle : needles.entrySet()) {
        if (text.contains(needle.getKey())) {
          findings.add(mask(where) + " shows " + needle.getValue());
          return true;
        }
      }
      return false;
    }

    /** {@code text} with everything watched replaced by its description, for a finding's place. */
    String mask(String text) {
      String masked = text;
      for (Map.Entry<String, String> needle : needles.entrySet()) {
        masked = masked.replace(needle.getKey(), "<" + needle.getValue() + ">");
      }
      return masked;
    }

    /**
     * Checks a value's parts (record components, collection items, what an optional holds, the text
     * and warnings of an allow list, the names in a token or verification) and, when none of them
     * leaks, the value's own text, so that each leak is reported once, where it is most precise.
     */
    boolean inspect(String where, @Nullable Object value) {
      return inspect(where, value, 0);
    }

    private boolean inspect(String where, @Nullable Object value, int depth) {
      if (value == null || depth > 4) {
        return false;
      }
      boolean found = false;
      if (value instanceof Record record) {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
          try {
            found |= inspect(where + "." + c.getName(), c.getAccessor().invoke(record), depth + 1);
          } catch (ReflectiveOperationException e) {
            throw new LinkageError("cannot read " + where + "." + c.getName(), e);
          }
        }
      } else if (value instanceof Collection<?> items) {
        int i = 0;
        for (Object item : items) {
          found |= inspect(where + "[" + i++ + "]", item, depth + 1);
        }
      } else if (value instanceof Optional<?> optional) {
        found |= inspect(where + ".get()", optional.orElse(null), depth + 1);
      } else if (value instanceof IpAllowList list) {
        found |= check(where + ".toText()", list.toText());
        found |= inspect(where + ".warnings()", list.warnings(), depth + 1);
      } else if (value instanceof IssuedToken token) {
        found |= check(where + ".name()", token.name());
      } else if (value instanceof Verification.Authenticated a) {
        found |= check(where + ".tokenName()", a.tokenName());
        found |= check(where + ".email()", a.email());
      }
      return found || check(where + " toString", value);
    }

    /** Checks an exception, its causes and suppressed exceptions, and allow-list problems. */
    void thrown(String where, Throwable thrown) {
      Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
      for (Throwable t = thrown; t != null && seen.add(t); t = t.getCause()) {
        String name = where + " " + t.getClass().getSimpleName();
        if (!check(name + " message", t.getMessage())) {
          check(name + " localized message or toString", t.getLocalizedMessage() + " " + t);
        }
        for (Throwable suppressed : t.getSuppressed()) {
          thrown(name + " suppressed", suppressed);
        }
        if (t instanceof AllowListException e) {
          inspect(name + ".problems()", e.problems());
        }
      }
    }

    /** Runs {@code action}, inspecting its result or what it threw; returns the result. */
    <T> @Nullable T call(String where, Callable<T> action) {
      try {
        T result = action.call();
        inspect(where + " result", result);
        return result;
      } catch (Exception e) {
        thrown(where + " threw", e);
        return null;
      }
    }

    /** As {@link #call} for an action without a result. */
    void run(String where, ThrowingRunnable action) {
      call(
          where,
          () -> {
            action.run();
            return null;
          });
    }

    List<String> findings() {
      synchronized (findings) {
        return List.copyOf(findings);
      }
    }
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** Every log record of every logger, at every level, with its exception. */
  static final class LogCapture extends Handler {
    private final List<LogRecord> records = Collections.synchronizedList(new ArrayList<>());
    private final SimpleFormatter formatter = new SimpleFormatter();

    LogCapture() {
      setLevel(Level.ALL);
    }

    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {
      // records are kept in memory: nothing to flush
    }

    @Override
    public void close() {
      // records are kept in memory: nothing to release
    }

    void checkAll(Exposure exposure) {
      synchronized (records) {
        for (LogRecord r : records) {
          if (String.valueOf(r.getLoggerName()).startsWith("jdk.internal.httpclient")) {
            continue; // the test's own HTTP client, which logs what it sends
          }
          String where = "log " + r.getLoggerName() + " " + r.getLevel();
          exposure.check(where + " message", formatter.formatMessage(r));
          exposure.check(where + " formatted line", formatter.format(r));
          if (r.getThrown() != null) {
            exposure.thrown(where + " exception", r.getThrown());
          }
        }
      }
    }

    int size() {
      return records.size();
    }
  }

  // ---- the test
  // ----------------------------------------------------------------------------------

  @Test
  void exposure_detectsPlaintextSecretAndAnySixteenCharacters() {
    String token = TokenTexts.wellFormed(Seeds.random(7), PREFIX);
    String secret = token.substring(PREFIX.length() + 1 + TokenId.LENGTH).substring(0, 32);
    Exposure exposure = new Exposure();
    exposure.watch("t", token, PREFIX);

    exposure.check("a", "x " + token + " y");
    exposure.check("b", token.substring(PREFIX.length() + 1));
    exposure.check("c", "[" + secret + "]");
    exposure.check("d", "'" + secret.substring(9, 25) + "'");
    exposure.check("e", secret.substring(9, 24)); // 15 characters: below the threshold
    exposure.thrown("f", new IllegalStateException("outer", new RuntimeException(secret)));

    assertThat(exposure.findings())
        .containsExactly(
            "a shows t's plaintext",
            "b shows t without its prefix",
            "c shows t's secret",
            "d shows t's secret characters 9 to 24",
            "f RuntimeException message shows t's secret");
  }

  @Test
  void secrets_neverLeak_throughCoreConsolePoliciesOrGateway() throws Exception {
    Exposure exposure = new Exposure();
    LogCapture logs = new LogCapture();
    Logger root = Logger.getLogger("");
    Level rootLevel = root.getLevel();
    PrintStream systemOut = System.out;
    PrintStream systemErr = System.err;
    ByteArrayOutputStream jvmOut = new ByteArrayOutputStream();
    ByteArrayOutputStream jvmErr = new ByteArrayOutputStream();
    root.setLevel(Level.ALL);
    root.addHandler(logs);
    System.setOut(new PrintStream(new TeeStream(systemOut, jvmOut), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new TeeStream(systemErr, jvmErr), true, StandardCharsets.UTF_8));
    List<AuditEvent> events = Collections.synchronizedList(new ArrayList<>());
    Set<RejectionReason> reasons = EnumSet.noneOf(RejectionReason.class);
    try {
      coreScenario(exposure, events, reasons);
      gatewayScenario(exposure);
    } finally {
      System.setOut(systemOut);
      System.setErr(systemErr);
      root.removeHandler(logs);
      root.setLevel(rootLevel);
    }
    synchronized (events) {
      for (AuditEvent event : events) {
        exposure.inspect("audit event " + event.getClass().getSimpleName(), event);
      }
    }
    logs.checkAll(exposure);
    exposure.check("JVM standard output", jvmOut.toString(StandardCharsets.UTF_8));
    exposure.check("JVM standard error", jvmErr.toString(StandardCharsets.UTF_8));

    assertThat(exposure.findings()).as("places where a secret leaked").isEmpty();
    assertThat(reasons)
        .as("rejection reasons reached")
        .isEqualTo(EnumSet.allOf(RejectionReason.class));
    assertThat(logs.size()).as("log records captured").isPositive();
  }

  /**
   * The library alone: issue, verify, every rejection reason, then every string parameter of the
   * public API given a real token, its secret or its prefix-less form.
   */
  private void coreScenario(
      Exposure exposure, List<AuditEvent> events, Set<RejectionReason> reasons) {
    FakeClock clock = FakeClock.atDefaultStart();
    InMemoryUserDirectory users =
        new InMemoryUserDirectory()
            .add(CORP, OLGA, Role.OWNER)
            .add(CORP, ANN, Role.USER)
            .add(CORP, BOB, Role.USER)
            .add(CORP, CAROL, Role.USER);
    InMemoryTokenStore store = new InMemoryTokenStore();
    try (AuthCore core =
        AuthCore.builder()
            .tokenPrefix(PREFIX)
            .users(users)
            .store(store)
            .clock(clock)
            .usageFlushInterval(Duration.ZERO)
            .auditListener(
                event -> {
                  events.add(event);
                  if (event instanceof AuditEvent.TokenRejected r) {
                    reasons.add(r.reason());
                  }
                })
            .build()) {
      TokenConsole console = TokenConsole.of(core);
      IssuedToken annToken = core.issuer().issue(ANN, "ci");
      IssuedToken bobToken = core.issuer().issue(BOB, "deploy");
      IssuedToken carolToken = core.issuer().issue(CAROL, "short-lived", Duration.ofDays(1));
      IssuedToken olgaToken = core.issuer().issue(OLGA, "admin");
      exposure.watch("ann's token", annToken.revealPlaintext(), PREFIX);
      exposure.watch("bob's token", bobToken.revealPlaintext(), PREFIX);
      exposure.watch("carol's token", carolToken.revealPlaintext(), PREFIX);
      for (IssuedToken t : List.of(annToken, bobToken, carolToken, olgaToken)) {
        exposure.inspect("issued token", t);
      }
      String plaintext = annToken.revealPlaintext();
      Map<String, String> smuggled = smuggled(plaintext, PREFIX);

      // Success, and every rejection reason.
      RandomGenerator random = Seeds.random(11);
      exposure.call("verify success", () -> core.verifier().verify(ANN, plaintext, OFFICE));
      exposure.call("verify success again", () -> core.verifier().verify(ANN, plaintext, OFFICE));
      exposure.call(
          "verify malformed", () -> core.verifier().verify(ANN, plaintext.substring(1), OFFICE));
      exposure.call(
          "verify unknown",
          () -> core.verifier().verify(ANN, TokenTexts.wellFormed(random, PREFIX), OFFICE));
      exposure.call(
          "verify wrong secret",
          () ->
              core.verifier()
                  .verify(ANN, TokenTexts.wellFormed(random, PREFIX, annToken.id()), OFFICE));
      exposure.call("verify wrong user", () -> core.verifier().verify(BOB, plaintext, OFFICE));
      clock.advance(Duration.ofDays(2));
      exposure.call(
          "verify expired",
          () -> core.verifier().verify(CAROL, carolToken.revealPlaintext(), OFFICE));
      TokenSettings restricted =
          TokenSettings.defaults()
              .withRestricted(true)
              .withAllowedIps(IpAllowList.parse("10.0.0.0/8"));
      exposure.call("preview restriction", () -> console.preview(OLGA, restricted, ELSEWHERE));
      console.setPermission(OLGA, ANN, true);
      console.setPermission(OLGA, OLGA, true);
      exposure.call("restrict", () -> console.updateSettings(OLGA, restricted));
      exposure.call(
          "verify disabled", () -> core.verifier().verify(BOB, bobToken.revealPlaintext(), OFFICE));
      exposure.call(
          "verify outside allow list", () -> core.verifier().verify(ANN, plaintext, ELSEWHERE));

      // Tokens where they do not belong: in the verifier's other parameters.
      smuggled.forEach(
          (what, text) -> {
            exposure.call(
                "verify with " + what + " as the user",
                () -> core.verifier().verify(text, plaintext, OFFICE));
            exposure.call(
                "verify with " + what + " as user and token",
                () -> core.verifier().verify(text, text, OFFICE));
            exposure.call(
                "verify with " + what + " as the token",
                () -> core.verifier().verify(ANN, text, OFFICE));
            exposure.call(
                "verify with " + what + " as the client address",
                () -> core.verifier().verifyWithAddressText(ANN, plaintext, text));
            exposure.call(
                "verify with " + what + " in the client address",
                () -> core.verifier().verifyWithAddressText(ANN, plaintext, "10.1.2." + text));
          });

      // ... in the issuer and the console.
      smuggled.forEach(
          (what, text) -> {
            exposure.call("TokenConsole.account(" + what + ")", () -> console.account(text));
            exposure.call(
                "issue with " + what + " as the actor", () -> core.issuer().issue(text, "x"));
            exposure.call(
                "issue with " + what + " as the name", () -> core.issuer().issue(ANN, text));
            exposure.call(
                "issue with " + what + " as the name, again", () -> core.issuer().issue(ANN, text));
            exposure.call(
                "issue with " + what + " in a name with an invisible character",
                () -> core.issuer().issue(ANN, text + "\u200B"));
            exposure.call(
                "issue with " + what + " in a too long name",
                () -> core.issuer().issue(ANN, "n".repeat(60) + text));
            exposure.call(
                "issue with " + what + " as a name of another user",
                () -> core.issuer().issue(BOB, "my " + text));
            exposure.run(
                "delete with " + what + " as the actor",
                () -> core.issuer().delete(text, annToken.id()));
            exposure.call("listOwn(" + what + ")", () -> console.listOwn(text));
            exposure.call(
                "listCorp(actor " + what + ")", () -> console.listCorp(text, TokenQuery.all()));
            exposure.call(
                "listCorp(cursor " + what + ")",
                () -> console.listCorp(OLGA, TokenQuery.all().withCursor(text)));
            exposure.call(
                "listCorp(cursor c1.1." + what + ")",
                () -> console.listCorp(OLGA, TokenQuery.all().withCursor("c1.1." + text)));
            exposure.call(
                "listCorp(creator " + what + ")",
                () -> console.listCorp(OLGA, TokenQuery.all().withCreator(text)));
            exposure.call(
                "listCorp(name " + what + ")",
                () -> console.listCorp(OLGA, TokenQuery.all().withNameContaining(text)));
            exposure.call("settings(" + what + ")", () -> console.settings(text));
            exposure.call(
                "updateSettings(" + what + ")",
                () -> console.updateSettings(text, TokenSettings.defaults()));
            exposure.call("permittedUsers(" + what + ")", () -> console.permittedUsers(text));
            exposure.run(
                "setPermission(actor " + what + ")", () -> console.setPermission(text, ANN, true));
            exposure.run(
                "setPermission(user " + what + ")", () -> console.setPermission(OLGA, text, true));
            exposure.run(
                "setPermission(user " + what + " by a non-owner)",
                () -> console.setPermission(ANN, text, true));
            exposure.call(
                "preview(actor " + what + ")",
                () -> console.preview(text, TokenSettings.defaults()));
            exposure.run(
                "console.delete(actor " + what + ")", () -> console.delete(text, annToken.id()));
            exposure.call("TokenId.parse(" + what + ")", () -> TokenId.parse(text));
            // A value the caller builds holds what the caller gave it; only refusals are checked.
            exposure.run("UserAccount with " + what + " as email", () -> checkUser(CORP, text));
            exposure.run("UserAccount with " + what + " as corp", () -> checkUser(text, OLGA));
            exposure.call("tokenPrefix(" + what + ")", () -> AuthCore.builder().tokenPrefix(text));
          });

      // ... in the policy parsers.
      smuggled.forEach(
          (what, text) -> {
            for (String list :
                List.of(
                    text,
                    "10.0.0.0/8\n" + text,
                    text + "/8",
                    "10.0.0.0/" + text,
                    "1.2.3." + text,
                    "10.0.0.1-" + text,
                    text + "-10.0.0.1",
                    "2001:db8::" + text,
                    "fe80::1%" + text,
                    "10.0.0.1 " + text,
                    "10.0.0.1 # " + text + "\u202E",
                    "10.0.0.1," + text,
                    text + " # a comment\n10.0.0.0/8",
                    "10.0.0.0/8 # " + text + "\n10.0.0.0/8 # again",
                    "10.0.0.0/8\n10.1.0.0/16 # " + text)) {
              exposure.call(
                  "IpAllowList.parse(" + what + " in " + list.length() + " chars)",
                  () -> IpAllowList.parse(list));
              exposure.call(
                  "preview of an allow list with " + what,
                  () ->
                      console.preview(
                          OLGA, TokenSettings.defaults().withAllowedIps(IpAllowList.parse(list))));
            }
            for (String address :
                List.of(
                    text,
                    "10.1.2." + text,
                    text + ":443",
                    "fe80::1%" + text,
                    "[" + text + "]",
                    "2001:db8::" + text)) {
              exposure.call(
                  "ClientAddresses.parse(" + what + ")", () -> ClientAddresses.parse(address));
              ClientAddressResolver xff =
                  ClientAddressResolver.trustingXForwardedFor(IpAllowList.parse("10.0.0.0/8"));
              ClientAddressResolver fwd =
                  ClientAddressResolver.trustingForwarded(IpAllowList.parse("10.0.0.0/8"));
              exposure.call(
                  "X-Forwarded-For " + what,
                  () -> xff.resolve(OFFICE, List.of(address, "10.9.9.9"), List.of()));
              exposure.call(
                  "Forwarded " + what,
                  () ->
                      fwd.resolve(
                          OFFICE, List.of(), List.of("for=\"" + address + "\", for=10.9.9.9")));
              exposure.inspect("resolver", xff);
            }
            exposure.call(
                "ExpiryPolicy and settings",
                () -> TokenSettings.defaults().withExpiry(ExpiryPolicy.days(30)));
          });

      assertThat(console.listOwn(ANN))
          .as("Ann's tokens: none named after a token")
          .extracting(row -> row.name())
          .containsExactly("ci");
      exposure.call("listOwn", () -> console.listOwn(ANN));
      exposure.call("listCorp", () -> console.listCorp(OLGA, TokenQuery.all().withLimit(1)));
      exposure.call("settings", () -> console.settings(OLGA));
      exposure.call("permittedUsers", () -> console.permittedUsers(OLGA));
      exposure.run("flush usage", core::flushUsage);
      exposure.run("delete", () -> core.issuer().delete(ANN, annToken.id()));
      exposure.check("core", core);
      exposure.check("console", console);
      exposure.check("store", store);
      exposure.check("directory", users);
    }
  }

  /**
   * The reference gateway over HTTP, started as {@code java -jar} would start it, with its audit
   * log in a file and its own standard output and error captured.
   */
  private void gatewayScenario(Exposure exposure) throws IOException {
    Path usersFile = Files.writeString(dir.resolve("users.txt"), USERS);
    Path tokensFile = dir.resolve("tokens.txt");
    Path auditFile = dir.resolve("audit.jsonl");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    GatewayMain.Launch launch =
        GatewayMain.launch(
            new String[] {
              "--port",
              "0",
              "--users",
              usersFile.toString(),
              "--tokens-out",
              tokensFile.toString(),
              "--audit-log",
              auditFile.toString(),
              "--trusted-proxy",
              "127.0.0.1",
              "--fake-clock"
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(launch.gateway()).as(err.toString(StandardCharsets.UTF_8)).isNotNull();
    assertThat(Logger.getLogger("org.eclipse.jetty").isLoggable(Level.FINE))
        .as("Jetty at DEBUG logs request lines and headers, which hold tokens")
        .isFalse();
    assertThat(Logger.getLogger("org.eclipse.jetty.http.HttpParser").isLoggable(Level.FINE))
        .as("nor any of Jetty's loggers below it")
        .isFalse();
    Map<String, String> tokens = new LinkedHashMap<>();
    for (String line : Files.readAllLines(tokensFile, StandardCharsets.UTF_8)) {
      tokens.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1));
    }
    // With --tokens-out, standard output holds no token at all, not even in the curl line.
    String olga = tokens.get(OLGA);
    String ann = tokens.get(ANN);
    String bob = tokens.get(BOB);
    assertThat(List.of(String.valueOf(olga), String.valueOf(ann), String.valueOf(bob)))
        .allMatch(t -> t.startsWith(Gateway.TOKEN_PREFIX + "_"));
    exposure.watch("gateway olga's token", String.valueOf(olga), Gateway.TOKEN_PREFIX);
    exposure.watch("gateway ann's token", String.valueOf(ann), Gateway.TOKEN_PREFIX);
    exposure.watch("gateway bob's token", String.valueOf(bob), Gateway.TOKEN_PREFIX);
    Map<String, String> smuggled = smuggled(String.valueOf(ann), Gateway.TOKEN_PREFIX);
    List<Integer> statuses = new ArrayList<>();
    try (Gateway gateway = java.util.Objects.requireNonNull(launch.gateway())) {
      Http http = new Http(gateway.baseUri(), exposure, statuses);
      http.send("GET", "/api/v0/me/tokens", OLGA, olga, null, Map.of());
      http.send("GET", "/api/v0/me/tokens", ANN, ann, null, Map.of());
      http.send("GET", "/api/v0/me/tokens", BOB, ann, null, Map.of());
      for (Map.Entry<String, String> s : smuggled.entrySet()) {
        String text = s.getValue();
        String q = URLEncoder.encode(text, StandardCharsets.UTF_8);
        String listed = "/api/v0/corps/acme/tokens";
        String settings = "/api/v0/corps/acme/tokenSettings";
        http.send("GET", "/api/v0/me/tokens", text, ann, null, Map.of());
        http.send("GET", "/api/v0/me/tokens", text, text, null, Map.of());
        http.send("GET", "/api/v0/me/tokens", ANN, text, null, Map.of());
        http.send("GET", "/api/v0/me/tokens", ANN, ann, null, Map.of("X-Forwarded-For", text));
        http.send(
            "GET",
            "/api/v0/me/tokens",
            ANN,
            ann,
            null,
            Map.of("X-Forwarded-For", "10.0.0." + text));
        http.send("GET", "/api/v0/me/tokens", OLGA, olga, null, Map.of("X-Api-Note", text));
        http.send("GET", "/api/v0/" + q, OLGA, olga, null, Map.of());
        http.send("GET", "/api/v0/me/tokens?token=" + q, OLGA, olga, null, Map.of());
        http.send("GET", "/api/v0/me/tokens?" + q + "=1", OLGA, olga, null, Map.of());
        if (text.indexOf('@') < 0) {
          http.send(text, "/api/v0/me/tokens", OLGA, olga, null, Map.of());
        }
        for (String param : List.of("cursor", "creator", "name", "status", "limit", q)) {
          http.send("GET", listed + "?" + param + "=" + q, OLGA, olga, null, Map.of());
        }
        http.send("GET", listed + "?cursor=c1.1." + q, OLGA, olga, null, Map.of());
        http.send("DELETE", "/api/v0/me/tokens/" + q, ANN, ann, null, Map.of());
        http.send("DELETE", listed + "/" + q, OLGA, olga, null, Map.of());
        http.send("GET", "/api/v0/corps/" + q + "/tokens", OLGA, olga, null, Map.of());
        String permission = "/api/v0/corps/acme/users/" + q + "/tokenPermission";
        assertThat(http.send("PUT", permission, OLGA, olga, "{\"allowed\":true}", Map.of()))
            .as("setting the permission of a user named by %s", s.getKey())
            .isEqualTo(404);
        http.send("PUT", permission, OLGA, olga, "{\"" + text + "\":true}", Map.of());
        assertThat(
                http.send(
                    "POST", "/api/v0/me/tokens", BOB, bob, "{\"name\":\"" + text + "\"}", Map.of()))
            .as("creating a token named by %s", s.getKey())
            .isEqualTo(400);
        http.send("POST", "/api/v0/me/tokens", BOB, bob, "{\"name\":\"x" + text + "x\"}", Map.of());
        http.send("POST", "/api/v0/me/tokens", BOB, bob, "{\"" + text + "\":1}", Map.of());
        http.send("POST", "/api/v0/me/tokens", BOB, bob, text, Map.of());
        http.send("POST", "/api/v0/me/tokens", BOB, bob, "{\"name\":" + text + "}", Map.of());
        http.send("POST", "/api/v0/_clock", OLGA, olga, "{\"advance\":\"" + text + "\"}", Map.of());
        for (String list :
            List.of(
                text,
                "10.0.0.0/" + text,
                "1.2.3." + text,
                "127.0.0.0/8\\n10.0.0.0/8 # " + text + "\\n10.0.0.0/8",
                "127.0.0.0/8\\n10.0.0.0/8\\n10.1.0.0/16 # " + text)) {
          String body =
              "{\"expiryDays\":null,\"restricted\":false,\"allowedIps\":\"" + list + "\"}";
          http.send("PUT", settings, OLGA, olga, body, Map.of());
          http.send("POST", settings + "/preview", OLGA, olga, body, Map.of());
        }
        assertThat(http.send("GET", settings, OLGA, olga, null, Map.of())).isEqualTo(200);
        assertThat(http.send("GET", listed, OLGA, olga, null, Map.of())).isEqualTo(200);
      }
      http.send(
          "PUT",
          "/api/v0/corps/acme/tokenSettings",
          OLGA,
          olga,
          "{\"expiryDays\":null,\"restricted\":false,\"allowedIps\":\"\"}",
          Map.of());
      // Leak reports: a source or a content type holding a token is never echoed, and a report of
      // text holding the tokens answers counts only. Ann's token is revoked last, by that report.
      for (String text : smuggled.values()) {
        String q = URLEncoder.encode(text, StandardCharsets.UTF_8);
        Map<String, String> plain = Map.of("Content-Type", "text/plain");
        http.send("POST", "/api/v0/_leaks?source=" + q + "%09", null, null, "nothing", plain);
        http.send("POST", "/api/v0/_leaks?source=" + q, null, null, "nothing", plain);
        http.send("POST", "/api/v0/_leaks", null, null, "nothing", Map.of("Content-Type", text));
      }
      String source = URLEncoder.encode("found beside " + bob, StandardCharsets.UTF_8);
      assertThat(
              http.send(
                  "POST",
                  "/api/v0/_leaks?source=" + source,
                  OLGA,
                  olga,
                  String.join("\n", smuggled.values()),
                  Map.of("Content-Type", "text/plain")))
          .as("a leak report of text holding Ann's token")
          .isEqualTo(200);
      assertThat(http.send("GET", "/api/v0/me/tokens", ANN, ann, null, Map.of()))
          .as("Ann's token, revoked by the report")
          .isEqualTo(401);
    }
    exposure.check("gateway audit log", Files.readString(auditFile, StandardCharsets.UTF_8));
    assertThat(Files.readString(auditFile, StandardCharsets.UTF_8))
        .as("the report's event, its source redacted")
        .contains("\"event\":\"TokenLeaked\"")
        .contains("found beside <redacted: token>");
    exposure.check("gateway standard output", out.toString(StandardCharsets.UTF_8));
    exposure.check("gateway standard error", err.toString(StandardCharsets.UTF_8));
    assertThat(statuses).as("gateway answers").contains(200, 400, 401, 404, 405, 415);

    // The command line: a token pasted into a flag is not echoed by the usage message.
    for (Map.Entry<String, String> s : smuggled.entrySet()) {
      for (String[] args :
          List.of(
              new String[] {"--trusted-proxy", s.getValue()},
              new String[] {"--port", s.getValue()},
              new String[] {"--" + s.getValue()},
              new String[] {s.getValue()})) {
        ByteArrayOutputStream cliOut = new ByteArrayOutputStream();
        ByteArrayOutputStream cliErr = new ByteArrayOutputStream();
        GatewayMain.Launch refused =
            GatewayMain.launch(
                args,
                new PrintStream(cliOut, true, StandardCharsets.UTF_8),
                new PrintStream(cliErr, true, StandardCharsets.UTF_8));
        assertThat(refused.gateway()).isNull();
        String where = "gateway command line " + String.join(" ", args);
        exposure.check(where + ", standard output", cliOut.toString(StandardCharsets.UTF_8));
        exposure.check(where + ", standard error", cliErr.toString(StandardCharsets.UTF_8));
      }
    }
  }

  /** An HTTP client that checks every response's status line, headers and body. */
  private static final class Http {
    private final URI base;
    private final Exposure exposure;
    private final List<Integer> statuses;
    private final HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    Http(URI base, Exposure exposure, List<Integer> statuses) {
      this.base = base;
      this.exposure = exposure;
      this.statuses = statuses;
    }

    int send(
        String method,
        String path,
        @Nullable String user,
        @Nullable String token,
        @Nullable String body,
        Map<String, String> headers) {
      String where = "gateway " + method.substring(0, Math.min(method.length(), 6)) + " " + path;
      HttpRequest.Builder request =
          HttpRequest.newBuilder(base.resolve(path))
              .timeout(Duration.ofSeconds(30))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      if (user != null) {
        request.header("x-api-user", user);
      }
      if (token != null) {
        request.header("x-api-token", token);
      }
      headers.forEach(request::header);
      try {
        HttpResponse<String> response =
            client.send(
                request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        statuses.add(response.statusCode());
        exposure.check(where + " response body (" + response.statusCode() + ")", response.body());
        exposure.check(where + " response headers", response.headers().map());
        return response.statusCode();
      } catch (IOException e) {
        exposure.thrown(where + " failed", e);
        return -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** Copies what is written to two streams. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream first;
    private final java.io.OutputStream second;

    TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      first.flush();
      second.flush();
    }
  }

  /** The forms of a token a careless caller might paste: whole, secret only, without prefix. */
  private static Map<String, String> smuggled(String plaintext, String prefix) {
    int secretStart = prefix.length() + 1 + TokenId.LENGTH;
    Map<String, String> forms = new LinkedHashMap<>();
    forms.put("the plaintext", plaintext);
    forms.put("the secret", plaintext.substring(secretStart, secretStart + 32));
    forms.put("the token without its prefix", plaintext.substring(prefix.length() + 1));
    forms.put("the plaintext in an email", plaintext + "@example.com");
    return forms;
  }

  private static void checkUser(String corp, String email) {
    var unused = new UserAccount(corp, email, Role.USER);
  }

  private static InetAddress address(String text) {
    return ClientAddresses.parse(text);
  }
}
