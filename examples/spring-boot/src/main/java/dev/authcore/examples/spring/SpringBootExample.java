package dev.authcore.examples.spring;

import dev.authcore.AuthCore;
import dev.authcore.console.TokenConsole;
import dev.authcore.model.Role;
import dev.authcore.model.UserAccount;
import dev.authcore.spi.UserDirectory;
import dev.authcore.store.InMemoryUserDirectory;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The example application: the auth-core beans ({@link AuthCoreConfiguration}), the two security
 * chains ({@link SecurityConfiguration}) and the token API ({@link TokenController}), with users
 * from the {@code example.users} property.
 *
 * <p>Run it against a PostgreSQL database ({@code spring.datasource.*}): once started it issues a
 * token named {@code bootstrap} to each user who has none and prints it inside a {@code curl}
 * command. See the README.
 */
// Boot's generated in-memory user (and its password in the log) has no use here: requests are
// authenticated by their tokens only.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
public class SpringBootExample {

  /**
   * Who the users are. A real application adapts its own user store to {@link UserDirectory}; here
   * they come from {@code example.users}.
   */
  @Bean
  UserDirectory users(@Value("${example.users}") List<String> users) {
    InMemoryUserDirectory directory = new InMemoryUserDirectory();
    parseUsers(users).forEach(directory::add);
    return directory;
  }

  /**
   * Reads {@code example.users}: entries {@code "<corp> <email> <OWNER|USER>"}.
   *
   * @throws IllegalArgumentException naming the entry that is not of that form
   */
  static List<UserAccount> parseUsers(List<String> entries) {
    List<UserAccount> accounts = new ArrayList<>();
    for (String entry : entries) {
      String[] fields = entry.trim().split("\\s+", -1);
      if (fields.length != 3 || !(fields[2].equals("OWNER") || fields[2].equals("USER"))) {
        throw new IllegalArgumentException(
            "example.users: each entry is \"<corp> <email> <OWNER|USER>\", got \"" + entry + "\"");
      }
      accounts.add(new UserAccount(fields[0], fields[1], Role.valueOf(fields[2])));
    }
    return accounts;
  }

  /** Runs the application until it is stopped; see the class documentation. */
  public static void main(String[] args) {
    start(args);
  }

  /**
   * Starts the application, then issues a {@code bootstrap} token to each user who has none and
   * prints it inside a {@code curl} command; on a database that already holds a user's tokens, it
   * prints nothing for that user.
   *
   * @return the running application
   */
  static ConfigurableApplicationContext start(String... args) {
    ConfigurableApplicationContext context = SpringApplication.run(SpringBootExample.class, args);
    AuthCore core = context.getBean(AuthCore.class);
    TokenConsole console = context.getBean(TokenConsole.class);
    String port = context.getEnvironment().getProperty("local.server.port", "8080");
    List<String> entries =
        List.of(context.getEnvironment().getRequiredProperty("example.users", String[].class));
    for (UserAccount user : parseUsers(entries)) {
      if (console.listOwn(user.email()).isEmpty()) {
        String token = core.issuer().issue(user.email(), "bootstrap").revealPlaintext();
        System.out.printf(
            "curl -H 'x-api-user: %s' -H 'x-api-token: %s' http://127.0.0.1:%s/api/whoami%n",
            user.email(), token, port);
      }
    }
    return context;
  }
}
