package dev.authcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.Role;
import dev.authcore.model.UserAccount;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The generators' values obey (or break) the rules as auth-core applies them. */
class GeneratorsTest {
  private static final long SEED = Seeds.seed("GeneratorsTest");

  private final RandomGenerator random = Seeds.random(SEED);
  private final InMemoryTokenStore store = new InMemoryTokenStore();
  private final AuthCore core =
      AuthCore.builder()
          .store(store)
          .users(new InMemoryUserDirectory().add("acme", "ann@example.com", Role.USER))
          .clock(FakeClock.atDefaultStart())
          .usageFlushInterval(Duration.ZERO)
          .build();

  @AfterEach
  void close() {
    core.close();
  }

  @Test
  void email_alwaysAcceptedByUserAccount() {
    for (int i = 0; i < 2000; i++) {
      String email = Generators.email(random);
      assertThat(new UserAccount("acme", email, Role.USER).email())
          .as("%s; %s", email, Seeds.replayHint(SEED))
          .isEqualTo(email)
          .doesNotContain("..")
          .doesNotStartWith(".");
    }
  }

  @Test
  void caseVariant_sameEmailIgnoringCase() {
    for (int i = 0; i < 200; i++) {
      String email = Generators.email(random);
      assertThat(Generators.caseVariant(random, email)).isEqualToIgnoringCase(email);
    }
  }

  @Test
  void corp_alwaysAcceptedByUserAccount() {
    for (int i = 0; i < 500; i++) {
      String corp = Generators.corp(random);
      assertThat(new UserAccount(corp, "a@example.com", Role.USER).corp()).isEqualTo(corp);
    }
  }

  @Test
  void tokenName_issuedAsItsTrimmedSelf() {
    boolean sawMaximum = false;
    boolean sawSupplementary = false;
    for (int i = 0; i < 500; i++) {
      String name = Generators.tokenName(random);
      IssuedToken token = core.issuer().issue("ann@example.com", name);
      assertThat(token.name()).as("%s", Seeds.replayHint(SEED)).isEqualTo(name.strip());
      int points = token.name().codePointCount(0, token.name().length());
      assertThat(points).isBetween(1, Generators.MAX_TOKEN_NAME_LENGTH);
      sawMaximum |= points == Generators.MAX_TOKEN_NAME_LENGTH;
      sawSupplementary |= points < token.name().length();
      core.issuer().delete("ann@example.com", token.id());
    }
    assertThat(sawMaximum).as("some names at the maximum length").isTrue();
    assertThat(sawSupplementary).as("some names beyond the BMP").isTrue();
  }

  @Test
  void invalidTokenName_refusedByIssuerAndNothingStored() {
    for (int i = 0; i < 500; i++) {
      Generators.Flawed name = Generators.invalidTokenName(random);
      assertThatThrownBy(() -> core.issuer().issue("ann@example.com", name.text()))
          .as("name that %s; %s", name.flaw(), Seeds.replayHint(SEED))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("token name");
    }
    assertThat(store.listByOwner("acme", "ann@example.com")).isEmpty();
  }

  @Test
  void simpleTokenName_issued() {
    String name = Generators.simpleTokenName(random);
    assertThat(core.issuer().issue("ann@example.com", name).name()).isEqualTo(name);
  }
}
