package dev.authcore.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.model.Role;
import dev.authcore.model.UserAccount;
import dev.authcore.spi.UserDirectory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link UserDirectory} must meet, as JUnit 5 tests: extend this class and
 * implement {@link #newDirectory(List)}.
 *
 * <p>It checks that users are found by email ignoring ASCII case (and only ASCII case), that the
 * account comes back as stored (the email as given, the corp, the role), and that unknown emails
 * are not found. The suite uses fresh names in every test.
 */
public abstract class UserDirectoryContract {
  private final String corp = ContractSupport.uniqueCorp();
  private final String otherCorp = ContractSupport.uniqueCorp();

  /** A directory that knows exactly {@code users} (and possibly users of other tests). */
  protected abstract UserDirectory newDirectory(List<UserAccount> users) throws Exception;

  @Test
  void find_exactEmail_returnsAccountAsStored() throws Exception {
    UserAccount ann =
        new UserAccount(corp, "Ann.Lee@Example.com".replace("Ann", unique("Ann")), Role.OWNER);
    UserAccount bob = new UserAccount(otherCorp, ContractSupport.uniqueEmail("bob"), Role.USER);
    UserDirectory directory = newDirectory(List.of(ann, bob));
    assertThat(directory.find(ann.email())).contains(ann);
    assertThat(directory.find(bob.email())).contains(bob);
  }

  @Test
  void find_otherAsciiCase_findsTheSameUserWithEmailAsGiven() throws Exception {
    String email = unique("Ann") + ".Lee@Example.com";
    UserAccount ann = new UserAccount(corp, email, Role.USER);
    UserDirectory directory = newDirectory(List.of(ann));
    assertThat(directory.find(email.toLowerCase(java.util.Locale.ROOT))).contains(ann);
    assertThat(directory.find(email.toUpperCase(java.util.Locale.ROOT))).contains(ann);
  }

  @Test
  void find_nonAsciiCaseDiffers_notTheSameUser() throws Exception {
    String email = unique("zoë") + "@example.com";
    UserDirectory directory = newDirectory(List.of(new UserAccount(corp, email, Role.USER)));
    assertThat(directory.find(email.replace('ë', 'Ë'))).isEmpty();
  }

  @Test
  void find_unknownEmail_isEmpty() throws Exception {
    UserDirectory directory =
        newDirectory(List.of(new UserAccount(corp, ContractSupport.uniqueEmail("ann"), Role.USER)));
    assertThat(directory.find(ContractSupport.uniqueEmail("nobody"))).isEmpty();
  }

  private static String unique(String stem) {
    String email = ContractSupport.uniqueEmail(stem);
    return email.substring(0, email.indexOf('@'));
  }
}
