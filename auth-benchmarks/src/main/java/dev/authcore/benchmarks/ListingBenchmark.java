package dev.authcore.benchmarks;

import dev.authcore.AuthCore;
import dev.authcore.console.TokenConsole;
import dev.authcore.console.TokenPage;
import dev.authcore.console.TokenQuery;
import dev.authcore.model.Role;
import dev.authcore.spi.ListPosition;
import dev.authcore.spi.TokenRecord;
import dev.authcore.spi.TokenStore;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An owner's corp-wide token listing through the console ({@code
 * TokenConsole.of(core).listCorp(owner, query)}), one page of 100 rows, on a corp of {@code
 * corpTokens} tokens (100,000) held by 5 tokens per user in the in-memory store.
 *
 * <ul>
 *   <li>{@code firstPage}: {@code TokenQuery.all()}, the newest 100.
 *   <li>{@code middlePage}: the page after a cursor half-way down the listing.
 *   <li>{@code creatorPage}: {@code withCreator(one user)}: that user's 5 tokens.
 *   <li>{@code nameFilteredPage}: {@code withNameContaining("deploy")}, which 1 token in 100
 *       matches, so filling a page reads about 10,000 tokens.
 *   <li>{@code storeFirstPage}: the baseline, the store's own {@code listCorp(corp, null, null,
 *       100)}: the records of the first page, without the console's rows, status and paging.
 * </ul>
 *
 * <p>No target is set; ratios to the baseline show what the console and each filter cost. Command:
 *
 * <pre>
 * java -jar auth-benchmarks/target/benchmarks.jar ListingBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ListingBenchmark {
  private static final int TOKENS_PER_USER = 5;
  private static final int PAGE = TokenQuery.DEFAULT_LIMIT;

  /** One corp of {@code corpTokens} tokens and its owner. */
  @State(Scope.Benchmark)
  @SuppressWarnings("NullAway.Init") // JMH runs @Setup before any benchmark method
  public static class Corp {
    /** How many tokens the corp holds. */
    @Param({"100000"})
    public int corpTokens = 100_000;

    final String owner = "owner@example.com";
    AuthCore core;
    TokenConsole console;
    TokenStore store;
    String someUser;
    TokenQuery middle;
    TokenQuery byCreator;
    TokenQuery byName;

    @Setup(Level.Trial)
    public void setUp() {
      if (corpTokens < 2 * PAGE || corpTokens % TOKENS_PER_USER != 0) {
        throw new IllegalArgumentException(
            "corpTokens must be a multiple of " + TOKENS_PER_USER + " and at least " + 2 * PAGE);
      }
      SplittableRandom random = new SplittableRandom(23);
      InMemoryUserDirectory users =
          new InMemoryUserDirectory().add(Fixtures.CORP, owner, Role.OWNER);
      store = new InMemoryTokenStore();
      String email = "";
      for (int i = 0; i < corpTokens; i++) {
        if (i % TOKENS_PER_USER == 0) {
          email = "user" + (i / TOKENS_PER_USER) + "@example.com";
          users.add(Fixtures.CORP, email, Role.USER);
        }
        String name = (i % 100 == 42 ? "deploy-" : "ci-") + i;
        TokenRecord record =
            TokenRecord.issued(
                Fixtures.id(random),
                Fixtures.CORP,
                email,
                name,
                Fixtures.CREATED.plusSeconds(i),
                null,
                Fixtures.sha256Hash(Fixtures.secret(random)));
        if (store.insert(record, TOKENS_PER_USER) != TokenStore.InsertOutcome.INSERTED) {
          throw new IllegalStateException("fixture insert " + i + " failed");
        }
      }
      core =
          AuthCore.builder()
              .tokenPrefix(Fixtures.PREFIX)
              .users(users)
              .store(store)
              .usageFlushInterval(Duration.ZERO)
              .build();
      console = TokenConsole.of(core);
      someUser = "user" + (corpTokens / TOKENS_PER_USER / 3) + "@example.com";
      byCreator = TokenQuery.all().withCreator(someUser);
      byName = TokenQuery.all().withNameContaining("deploy");
      middle = TokenQuery.all().withCursor(Fixtures.cursorAt(console, owner, corpTokens / 2));
      check(console.listCorp(owner, TokenQuery.all()), PAGE, "the first page");
      check(console.listCorp(owner, middle), PAGE, "the middle page");
      check(console.listCorp(owner, byCreator), TOKENS_PER_USER, "one user's tokens");
      check(console.listCorp(owner, byName), PAGE, "the name-filtered page");
    }

    private static void check(TokenPage page, int rows, String what) {
      if (page.rows().size() != rows) {
        throw new IllegalStateException(
            "benchmark fixture broken: "
                + what
                + " has "
                + page.rows().size()
                + " rows, not "
                + rows);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      core.close();
    }
  }

  @Benchmark
  public TokenPage firstPage(Corp c) {
    return c.console.listCorp(c.owner, TokenQuery.all());
  }

  @Benchmark
  public TokenPage middlePage(Corp c) {
    return c.console.listCorp(c.owner, c.middle);
  }

  @Benchmark
  public TokenPage creatorPage(Corp c) {
    return c.console.listCorp(c.owner, c.byCreator);
  }

  @Benchmark
  public TokenPage nameFilteredPage(Corp c) {
    return c.console.listCorp(c.owner, c.byName);
  }

  @Benchmark
  public List<TokenRecord> storeFirstPage(Corp c) {
    return c.store.listCorp(Fixtures.CORP, null, (ListPosition) null, PAGE);
  }
}
