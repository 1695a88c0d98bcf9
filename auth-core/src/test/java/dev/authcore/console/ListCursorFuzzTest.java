package dev.authcore.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.authcore.AuthCore;
import dev.authcore.model.InvalidInputException;
import dev.authcore.model.Role;
import dev.authcore.model.TokenId;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fuzzes the paging cursor of {@link TokenConsole#listCorp}, which a console client passes back as
 * text (a query parameter of the reference gateway). Properties: a cursor is either refused with an
 * {@link InvalidInputException} whose message quotes it escaped, or read as a position, and then
 * the page holds exactly the tokens that follow that position in the full listing (newest first),
 * at most the limit; a cursor the console handed out reads back as that position.
 *
 * <p>Input: the cursor's text. In {@code mvn verify} it replays {@code ListCursorFuzzTestInputs/}.
 * To fuzz: {@code JAZZER_FUZZ=1 mvn -pl auth-core test -Dtest=ListCursorFuzzTest}.
 */
class ListCursorFuzzTest {
  private static final String OWNER = "olga@example.com";
  private static final int LIMIT = 2;
  private static final AtomicLong NOW =
      new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
  private static final AuthCore CORE =
      AuthCore.builder()
          .tokenPrefix("acme")
          .users(
              new InMemoryUserDirectory()
                  .add("acme", OWNER, Role.OWNER)
                  .add("acme", "ann@example.com", Role.USER))
          .store(new InMemoryTokenStore())
          .clock(() -> Instant.ofEpochMilli(NOW.get()))
          .build();
  private static final TokenConsole CONSOLE = TokenConsole.of(CORE);
  private static final List<TokenRow> ALL;

  static {
    for (int i = 0; i < 3; i++) {
      CORE.issuer().issue(OWNER, "owner-" + i);
      CORE.issuer().issue("ann@example.com", "ann-" + i); // same instant: ordered by id
      NOW.addAndGet(1000);
    }
    ALL = CONSOLE.listCorp(OWNER, TokenQuery.all()).rows();
  }

  @FuzzTest(maxDuration = "10s")
  void listCorp(byte[] input) {
    String cursor = new String(input, StandardCharsets.UTF_8);
    TokenPage page;
    try {
      page = CONSOLE.listCorp(OWNER, TokenQuery.all().withLimit(LIMIT).withCursor(cursor));
    } catch (InvalidInputException refused) {
      String message = String.valueOf(refused.getMessage());
      assertThat(message).startsWith("malformed cursor '").endsWith("': pass back a nextCursor");
      assertThat(message.chars()).allMatch(c -> (c >= 0x20 && c < 0x7F) || c == '…');
      return;
    }
    // Accepted: it must read as c1.<epoch millis>.<token id>.
    assertThat(cursor).startsWith("c1.");
    int dot = cursor.indexOf('.', 3);
    long millis = Long.parseLong(cursor.substring(3, dot));
    TokenId id = TokenId.parse(cursor.substring(dot + 1));
    List<TokenRow> expected =
        ALL.stream()
            .filter(
                r ->
                    r.created().toEpochMilli() < millis
                        || (r.created().toEpochMilli() == millis && r.id().compareTo(id) < 0))
            .limit(LIMIT)
            .toList();
    assertThat(page.rows()).isEqualTo(expected);
    if (page.nextCursor() != null) {
      TokenRow last = page.rows().get(page.rows().size() - 1);
      assertThat(page.nextCursor())
          .isEqualTo("c1." + last.created().toEpochMilli() + "." + last.id());
    }
  }
}
