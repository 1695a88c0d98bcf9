package dev.authcore.testkit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.authcore.SecretRedactor;
import dev.authcore.model.StoreUnavailableException;
import dev.authcore.model.UserAccount;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes what configures the reference gateway: the users file ({@link UsersFile#parse}) and the
 * command line ({@link GatewayOptions#parse}, with the {@code --trusted-proxy} ranges checked as
 * {@link ClientAddressSource#create} checks them at start).
 *
 * <p>Properties: each either accepts, and then what it read writes back to text that reads the same
 * again, or throws a {@link UsageException} whose message names the problem in printable text;
 * nothing else escapes. A message echoing an argument never shows the value of a {@code password=}
 * setting (pgjdbc's URL syntax, or a mistyped flag) nor a token or anything auth-core's {@link
 * SecretRedactor} takes for a secret.
 *
 * <p>Inputs: for {@link #usersFile}, the file's text; for {@link #options}, the arguments, one a
 * line. In {@code mvn verify} they replay {@code GatewayConfigFuzzTestInputs/}. To fuzz one: {@code
 * JAZZER_FUZZ=1 mvn -pl auth-testkit -am test -Dtest='GatewayConfigFuzzTest#options'
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class GatewayConfigFuzzTest {
  private static final String SOURCE = "--users users.txt";

  /** A {@code password=} setting whose value is shown rather than masked. */
  private static final Pattern UNMASKED_PASSWORD =
      Pattern.compile("(?i)(?:password|passwd|pwd)=(?![*…]|$)");

  @FuzzTest(maxDuration = "10s")
  void usersFile(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    List<UserAccount> users;
    try {
      users = UsersFile.parse(text, SOURCE);
    } catch (UsageException e) {
      String message = String.valueOf(e.getMessage());
      assertThat(message).startsWith(SOURCE + ":");
      assertThat(message.chars()).noneMatch(c -> c != '\n' && Character.isISOControl(c));
      int lines = text.split("\r?\n", -1).length;
      Matcher at = Pattern.compile("\n  line (\\d+): ").matcher(message);
      while (at.find()) {
        assertThat(Integer.parseInt(at.group(1))).isBetween(1, lines);
      }
      return;
    }
    List<String[]> content = new ArrayList<>();
    for (String line : text.split("\r?\n", -1)) {
      String stripped = line.strip();
      if (!stripped.isEmpty() && !stripped.startsWith("#")) {
        content.add(stripped.split("[ \t]+", -1));
      }
    }
    assertThat(users).isNotEmpty().hasSameSizeAs(content);
    Set<String> keys = new HashSet<>();
    StringBuilder written = new StringBuilder();
    for (int i = 0; i < users.size(); i++) {
      UserAccount user = users.get(i);
      String[] fields = content.get(i);
      assertThat(fields).hasSize(3);
      assertThat(user.corp()).isEqualTo(fields[0]);
      assertThat(user.email()).isEqualTo(fields[1]);
      // The role is the role's name in any ASCII case, nothing looser.
      assertThat(fields[2]).isEqualToIgnoringCase(user.role().name());
      assertThat(fields[2].chars()).allMatch(c -> c < 0x80);
      assertThat(keys.add(user.emailKey())).isTrue();
      written.append(user.corp()).append(' ').append(user.email()).append(' ');
      written.append(user.role()).append('\n');
    }
    assertThat(UsersFile.parse(written.toString(), SOURCE)).isEqualTo(users);
  }

  @FuzzTest(maxDuration = "10s")
  void options(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    String[] args = text.split("\n", -1);
    GatewayOptions options;
    try {
      options = GatewayOptions.parse(args);
      ClientAddressSource.create(options.trustedProxies());
    } catch (UsageException e) {
      checkMessage(e);
      return;
    }
    if (options.jdbcUrl() != null) {
      try {
        GatewayStores.dataSource(options.jdbcUrl());
      } catch (StoreUnavailableException e) {
        checkMessage(e);
        // No user:password@ part, no query: the URL is shown without its credentials.
        assertThat(e.getMessage()).doesNotContain("@", "?");
        assertThat(e.getCause()).isNull();
      }
    }
    assertThat(options.port()).isBetween(0, 65535);
    List<String> written = new ArrayList<>();
    written.add("--port=" + options.port());
    if (options.usersFile() != null) {
      written.add("--users=" + options.usersFile());
    }
    if (options.tokensOut() != null) {
      written.add("--tokens-out=" + options.tokensOut());
    }
    if (options.auditLog() != null) {
      written.add("--audit-log=" + options.auditLog());
    }
    for (String proxy : options.trustedProxies()) {
      written.add("--trusted-proxy=" + proxy);
    }
    assertThat(options.dbPoolSize()).isBetween(1, GatewayOptions.MAX_DB_POOL_SIZE);
    if (options.jdbcUrl() != null) {
      written.add("--jdbc-url=" + options.jdbcUrl());
      written.add("--db-pool-size=" + options.dbPoolSize());
    }
    if (options.fakeClock()) {
      written.add("--fake-clock");
    }
    if (options.help()) {
      written.add("--help");
    }
    assertThat(GatewayOptions.parse(written.toArray(String[]::new))).isEqualTo(options);
  }

  /**
   * A message echoing arguments: printable, no password value, no token nor anything secret-like.
   */
  private static void checkMessage(RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    assertThat(message).isNotBlank();
    assertThat(message.chars()).allMatch(c -> (c >= 0x20 && c < 0x7F) || c == '…' || c == '\n');
    assertThat(UNMASKED_PASSWORD.matcher(message).find()).as(message).isFalse();
    assertThat(SecretRedactor.holdsSecret(message)).as(message).isFalse();
  }
}
