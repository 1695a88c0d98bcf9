package dev.authcore.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authcore.AuthCore;
import dev.authcore.model.Role;
import dev.authcore.store.InMemoryUserDirectory;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Paging a corp larger than one store batch, where filters skip most tokens: every match is listed
 * once, newest first, and the cursor resumes exactly after the last row shown.
 */
class TokenConsolePagingTest {
  private static final String OWNER = "olga@example.com";
  private static final int USERS = 400; // 2,000 tokens: many store batches at any batch size

  private final AtomicLong millis =
      new AtomicLong(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
  private final InstantSource clock = () -> Instant.ofEpochMilli(millis.get());
  private final InMemoryUserDirectory users =
      new InMemoryUserDirectory().add("acme", OWNER, Role.OWNER);
  private @Nullable AuthCore core;

  /** Names of the needles, in the order they were issued (oldest first). */
  private final List<String> needles = new ArrayList<>();

  @BeforeEach
  void issueMany() {
    for (int u = 0; u < USERS; u++) {
      users.add("acme", "user" + u + "@example.com", Role.USER);
    }
    core = AuthCore.builder().users(users).clock(clock).usageFlushInterval(Duration.ZERO).build();
    for (int u = 0; u < USERS; u++) {
      for (int t = 0; t < 5; t++) {
        millis.addAndGet(1_000);
        // One token in 250 carries the needle, spread over the whole listing.
        boolean needle = (u * 5 + t) % 250 == 7;
        String name = needle ? "needle-" + u + "-" + t : "laptop-" + t;
        core().issuer().issue("user" + u + "@example.com", name);
        if (needle) {
          needles.add(name);
        }
      }
    }
  }

  @AfterEach
  void close() {
    core().close();
  }

  private AuthCore core() {
    AuthCore c = core;
    if (c == null) {
      throw new IllegalStateException("not set up");
    }
    return c;
  }

  @Test
  void rareNameFilter_everyMatchOnceNewestFirst_acrossPages() {
    TokenConsole console = TokenConsole.of(core());
    List<String> expected = new ArrayList<>(needles);
    java.util.Collections.reverse(expected);
    assertThat(expected).hasSize(8);

    List<String> seen = new ArrayList<>();
    TokenQuery query = TokenQuery.all().withNameContaining("NEEDLE").withLimit(3);
    int pages = 0;
    while (true) {
      TokenPage page = console.listCorp(OWNER, query);
      pages++;
      assertThat(page.rows()).hasSizeLessThanOrEqualTo(3);
      page.rows().forEach(row -> seen.add(row.name()));
      if (page.nextCursor() == null) {
        break;
      }
      assertThat(pages).as("pages").isLessThan(10);
      query = query.withCursor(page.nextCursor());
    }
    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void creatorFilter_listsOnlyThatUsersTokens_newestFirst() {
    TokenConsole console = TokenConsole.of(core());
    TokenPage first =
        console.listCorp(OWNER, TokenQuery.all().withCreator("USER123@example.com").withLimit(3));
    assertThat(first.rows())
        .extracting(TokenRow::name)
        .containsExactly("laptop-4", "laptop-3", "laptop-2");
    assertThat(first.nextCursor()).isNotNull();
    TokenPage rest =
        console.listCorp(
            OWNER,
            TokenQuery.all()
                .withCreator("user123@example.com")
                .withLimit(3)
                .withCursor(first.nextCursor()));
    assertThat(rest.rows()).extracting(TokenRow::name).containsExactly("laptop-1", "laptop-0");
    assertThat(rest.nextCursor()).isNull();
  }

  @Test
  void unfilteredPaging_visitsEveryTokenOnce() {
    TokenConsole console = TokenConsole.of(core());
    List<TokenRow> seen = new ArrayList<>();
    TokenQuery query = TokenQuery.all().withLimit(97);
    for (int pages = 0; pages < 100; pages++) {
      TokenPage page = console.listCorp(OWNER, query);
      seen.addAll(page.rows());
      if (page.nextCursor() == null) {
        break;
      }
      query = query.withCursor(page.nextCursor());
    }
    assertThat(seen).hasSize(USERS * 5);
    assertThat(seen).extracting(TokenRow::id).doesNotHaveDuplicates();
    for (int i = 1; i < seen.size(); i++) {
      assertThat(seen.get(i).created()).isBeforeOrEqualTo(seen.get(i - 1).created());
    }
  }
}
