package dev.authcore.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenQueryTest {

  @ParameterizedTest
  @ValueSource(ints = {1, TokenQuery.MAX_LIMIT})
  void limit_endsOfTheRange_accepted(int limit) {
    assertThat(TokenQuery.all().withLimit(limit).limit()).isEqualTo(limit);
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, TokenQuery.MAX_LIMIT + 1})
  void limit_outsideTheRange_refused(int limit) {
    assertThatThrownBy(() -> TokenQuery.all().withLimit(limit))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("limit must be 1 to 1000 tokens per page, got " + limit);
  }

  @Test
  void all_firstPageOfDefaultSize() {
    assertThat(TokenQuery.all().limit()).isEqualTo(TokenQuery.DEFAULT_LIMIT);
    assertThat(TokenQuery.all().cursor()).isNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 365})
  void expiringWithinDays_inRange_accepted(int days) {
    assertThat(TokenQuery.all().withExpiringWithinDays(days).expiringWithinDays()).isEqualTo(days);
    assertThat(TokenQuery.all().withExpiringWithinDays(days).withLimit(3).expiringWithinDays())
        .as("kept by the other with methods")
        .isEqualTo(days);
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 366})
  void expiringWithinDays_outsideTheRange_refused(int days) {
    assertThatThrownBy(() -> TokenQuery.all().withExpiringWithinDays(days))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("expiringWithinDays must be a whole number of days from 1 to 365, got " + days);
  }

  @Test
  void fiveComponentConstructor_noExpiryWindow() {
    assertThat(new TokenQuery(null, null, null, 10, null).expiringWithinDays()).isNull();
    assertThat(TokenQuery.all().expiringWithinDays()).isNull();
  }
}
