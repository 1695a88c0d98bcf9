package dev.authcore.benchmarks;

import dev.authcore.AuthCore;
import dev.authcore.IssuedToken;
import dev.authcore.RejectionReason;
import dev.authcore.RotatedToken;
import dev.authcore.SecretHashing;
import dev.authcore.TokenIssuer;
import dev.authcore.TokenVerifier;
import dev.authcore.Verification;
import dev.authcore.console.TokenAllowList;
import dev.authcore.console.TokenConsole;
import dev.authcore.model.Role;
import dev.authcore.net.IpAllowList;
import dev.authcore.policy.StagedAllowList;
import dev.authcore.policy.TokenSettings;
import dev.authcore.spi.TokenRecord;
import dev.authcore.store.InMemoryTokenStore;
import dev.authcore.store.InMemoryUserDirectory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One verification of a request ({@code TokenVerifier.verify(email, token, InetAddress)}), the
 * per-request path, against the one cost it cannot avoid: hashing the presented secret.
 *
 * <ul>
 *   <li>{@code hit}: a valid token whose record auth-core has cached, verified again and again from
 *       the same client (in-memory store, no audit listener). {@code hashing}: {@code sha256} (the
 *       default) or {@code hmac} ({@code SecretHashing.hmacSha256("k1", 32 random bytes)}). {@code
 *       allowList}: {@code none}, or {@code 1000} entries (IPv4 blocks, addresses and ranges, IPv6
 *       blocks, none adjacent, see {@link Fixtures#allowListText}) of which one holds the client.
 *   <li>{@code hitWithTokenList}: as {@code hit}, for a token with its own 1,000-entry allow list
 *       holding the client; {@code corpList}: {@code none} or the same 1,000 entries (two checks).
 *   <li>{@code hitWithStagedList}: as {@code hit} (no list in force), for a corp with a 1,000-entry
 *       list staged in report-only mode; {@code staged}: {@code holdsClient} or {@code
 *       refusesClient} (the request is also counted, and its event is due once an hour).
 *   <li>{@code hitDuringGrace}: as {@code hit} (no allow list), for a token rotated with a grace
 *       period of 7 days that is still running, so the presented secret's hash is compared with
 *       both stored hashes. {@code secret}: {@code current} (the new secret) or {@code previous}
 *       (the secret before the rotation, still valid). Both stored hashes are made with the same
 *       key, so it hashes once and compares twice.
 *   <li>{@code miss}: the first verification of each of {@value Miss#TOKENS} valid tokens by a
 *       deployment that has never seen them (empty caches, in-memory store): the store lookup, the
 *       user lookup and building the cache entry. A fresh {@link AuthCore} over a fresh store
 *       holding the same records is built before every shot (outside the timing), and each shot
 *       verifies every token once in a shuffled order, so every call is a real miss; the score is
 *       per verification. The corp settings load once per shot too (1 in {@value Miss#TOKENS}).
 *   <li>{@code floorSha256}: the baseline. One SHA-256 of a 32-byte secret with a per-thread {@link
 *       MessageDigest} ({@code update} then {@code digest(buf, 0, 32)}): what {@code hit} with
 *       default hashing cannot avoid.
 *   <li>{@code floorHmacSha256}: one JDK {@link Mac} HMAC-SHA256 of the same 32 bytes, the baseline
 *       for keyed hashing as a gateway would write it.
 * </ul>
 *
 * <p>Targets, measured in the same run: {@code hit} with {@code sha256} and no allow list at most 3
 * times {@code floorSha256}; a 1,000-entry allow list adds at most 60 ns to {@code hit}; {@code
 * hitDuringGrace} costs at most one 32-byte comparison (a few ns) more than {@code hit} with the
 * same hashing, whichever secret is presented. Command (from the repository root, after {@code mvn
 * -B package -DskipTests}):
 *
 * <pre>
 * java -jar auth-benchmarks/target/benchmarks.jar VerifyBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VerifyBenchmark {

  static SecretHashing hashing(String name) {
    return switch (name) {
      case "sha256" -> SecretHashing.sha256();
      case "hmac" -> {
        byte[] deploymentSecret = new byte[32];
        new SplittableRandom(7).nextBytes(deploymentSecret);
        yield SecretHashing.hmacSha256("k1", deploymentSecret);
      }
      default -> throw new IllegalArgumentException("hashing must be sha256 or hmac, got " + name);
    };
  }

  /** One deployment with one issued token, cached before measuring. */
  @State(Scope.Benchmark)
  @SuppressWarnings("NullAway.Init") // JMH runs @Setup before any benchmark method
  public static class Hit {
    /** How secrets are hashed: {@code sha256} (default) or {@code hmac} (keyed). */
    @Param({"sha256", "hmac"})
    public String hashing = "sha256";

    /** The corp's IP allow list: {@code none}, or {@code 1000} entries holding the client. */
    @Param({"none", "1000"})
    public String allowList = "none";

    final String email = "ann@example.com";
    final InetAddress client = Fixtures.client();
    AuthCore core;
    TokenVerifier verifier;
    String token;

    @Setup(Level.Trial)
    public void setUp() {
      InMemoryUserDirectory users =
          new InMemoryUserDirectory().add(Fixtures.CORP, email, Role.USER);
      InMemoryTokenStore store = new InMemoryTokenStore();
      core =
          AuthCore.builder()
              .tokenPrefix(Fixtures.PREFIX)
              .users(users)
              .store(store)
              .hashing(VerifyBenchmark.hashing(hashing))
              .build();
      verifier = core.verifier();
      IssuedToken issued = core.issuer().issue(email, "gateway");
      token = issued.revealPlaintext();
      if (!allowList.equals("none")) {
        int entries = Integer.parseInt(allowList);
        IpAllowList list = IpAllowList.parse(Fixtures.allowListText(entries));
        if (list.size() != entries) {
          throw new IllegalStateException("allow list has " + list.size() + " entries");
        }
        TokenSettings defaults = TokenSettings.defaults();
        if (!store.replaceSettings(Fixtures.CORP, defaults, defaults.withAllowedIps(list))) {
          throw new IllegalStateException("could not set the allow list");
        }
        Fixtures.expectRejected(
            verifier.verify(email, token, Fixtures.outsider()),
            RejectionReason.IP_NOT_ALLOWED,
            "a client outside the allow list");
      }
      Fixtures.expectAuthenticated(verifier.verify(email, token, client), "the issued token");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      core.close();
    }
  }

  /**
   * A cached token of a corp with no allow list in force and a 1,000-entry list staged in
   * report-only mode: {@code holdsClient} (the staged list allows the client: one more allow-list
   * check) or {@code refusesClient} (it would refuse it: the request is counted too).
   */
  @State(Scope.Benchmark)
  @SuppressWarnings("NullAway.Init") // JMH runs @Setup before any benchmark method
  public static class Staged {
    /** Whether the staged list holds the client. */
    @Param({"holdsClient", "refusesClient"})
    public String staged = "holdsClient";

    final String email = "ann@example.com";
    InetAddress client;
    AuthCore core;
    TokenVerifier verifier;
    String token;

    @Setup(Level.Trial)
    public void setUp() {
      InMemoryUserDirectory users =
          new InMemoryUserDirectory().add(Fixtures.CORP, email, Role.USER);
      InMemoryTokenStore store = new InMemoryTokenStore();
      core =
          AuthCore.builder()
              .tokenPrefix(Fixtures.PREFIX)
              .users(users)
              .store(store)
              .hashing(VerifyBenchmark.hashing("sha256"))
              .build();
      verifier = core.verifier();
      token = core.issuer().issue(email, "gateway").revealPlaintext();
      IpAllowList list = IpAllowList.parse(Fixtures.allowListText(1000));
      TokenSettings defaults = TokenSettings.defaults();
      TokenSettings staging =
          defaults.withStaged(new StagedAllowList(list, java.time.Instant.now()));
      if (!store.replaceSettings(Fixtures.CORP, defaults, staging)) {
        throw new IllegalStateException("could not stage the allow list");
      }
      client = staged.equals("holdsClient") ? Fixtures.client() : Fixtures.outsider();
      if (list.allows(client) != staged.equals("holdsClient")) {
        throw new IllegalStateException("the staged list does not decide as " + staged);
      }
      Fixtures.expectAuthenticated(verifier.verify(email, token, client), "the issued token");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      core.close();
    }
  }

  /**
   * A cached token with its own 1,000-entry allow list holding the client, under a corp with no
   * list ({@code corpList=none}) or the same 1,000 entries ({@code 1000}): both lists are checked.
   */
  @State(Scope.Benchmark)
  @SuppressWarnings("NullAway.Init") // JMH runs @Setup before any benchmark method
  public static class TokenList {
    /** The corp's IP allow list: {@code none}, or {@code 1000} entries holding the client. */
    @Param({"none", "1000"})
    public String corpList = "none";

    final String email = "ann@example.com";
    final InetAddress client = Fixtures.client();
    AuthCore core;
    TokenVerifier verifier;
    String token;

    @Setup(Level.Trial)
    public void setUp() {
      InMemoryUserDirectory users =
          new InMemoryUserDirectory().add(Fixtures.CORP, email, Role.USER);
      InMemoryTokenStore store = new InMemoryTokenStore();
      core =
          AuthCore.builder()
              .tokenPrefix(Fixtures.PREFIX)
              .users(users)
              .store(store)
              .hashing(VerifyBenchmark.hashing("sha256"))
              .build();
      verifier = core.verifier();
      IssuedToken issued = core.issuer().issue(email, "gateway");
      token = issued.revealPlaintext();
      String text = Fixtures.allowListText(1000);
      if (corpList.equals("1000")) {
        TokenSettings defaults = TokenSettings.defaults();
        if (!store.replaceSettings(
            Fixtures.CORP, defaults, defaults.withAllowedIps(IpAllowList.parse(text)))) {
          throw new IllegalStateException("could not set the corp's allow list");
        }
      }
      TokenAllowList own = TokenConsole.of(core).setAllowedIps(email, issued.id(), text);
      if (IpAllowList.parse(own.allowedIps()).size() != 1000) {
        throw new IllegalStateException("the token's list has not 1000 entries");
      }
      Fixtures.expectRejected(
          verifier.verify(email, token, Fixtures.outsider()),
          RejectionReason.IP_NOT_ALLOWED,
          "a client outside the token's list");
      Fixtures.expectAuthenticated(verifier.verify(email, token, client), "the issued token");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      core.close();
    }
  }

  /** One deployment with one token rotated with a 7-day grace period, both secrets cached. */
  @State(Scope.Benchmark)
  @SuppressWarnings("NullAway.Init") // JMH runs @Setup before any benchmark method
  public static class DuringGrace {
    /** How secrets are hashed: {@code sha256} (default) or {@code hmac} (keyed). */
    @Param({"sha256", "hmac"})
    public String hashing = "sha256";

    /** Which secret is presented: {@code current} or {@code previous}. */
    @Param({"current", "previous"})
    public String secret = "current";

    final String email = "ann@example.com";
    final InetAddress client = Fixtures.client();
    AuthCore core;
    TokenVerifier verifier;
    String token;

    @Setup(Level.Trial)
    public void setUp() {
      InMemoryUserDirectory users =
          new InMemoryUserDirectory().add(Fixtures.CORP, email, Role.USER);
      core =
          AuthCore.builder()
              .tokenPrefix(Fixtures.PREFIX)
              .users(users)
              .store(new InMemoryTokenStore())
              .hashing(VerifyBenchmark.hashing(hashing))
              .build();
      verifier = core.verifier();
      IssuedToken issued = core.issuer().issue(email, "gateway");
      RotatedToken rotated =
          core.issuer().rotate(email, issued.id(), TokenIssuer.MAX_ROTATION_GRACE);
      token =
          switch (secret) {
            case "current" -> rotated.token().revealPlaintext();
            case "previous" -> issued.revealPlaintext();
            default ->
                throw new IllegalArgumentException(
                    "secret must be current or previous, got " + secret);
          };
      Fixtures.expectAuthenticated(
          verifier.verify(email, rotated.token().revealPlaintext(), client), "the new secret");
      Fixtures.expectAuthenticated(
          verifier.verify(email, issued.revealPlaintext(), client), "the previous secret");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      core.close();
    }
  }

  /**
   * {@value #TOKENS} issued tokens; before every shot, a new deployment over a new store holding
   * their records, so none is cached.
   */
  @State(Scope.Benchmark)
  @SuppressWarnings("NullAway.Init") // JMH runs @Setup before any benchmark method
  public static class Miss {
    static final int TOKENS = 50_000;
    private static final int PER_USER = 100;

    /** How secrets are hashed: {@code sha256} (default) or {@code hmac} (keyed). */
    @Param({"sha256", "hmac"})
    public String hashing = "sha256";

    final InetAddress client = Fixtures.client();
    SecretHashing secretHashing;
    InMemoryUserDirectory users;
    List<TokenRecord> records;
    String[] emails;
    String[] tokens;
    @Nullable AuthCore core;

    @Setup(Level.Trial)
    public void issueTokens() {
      secretHashing = VerifyBenchmark.hashing(hashing);
      users = new InMemoryUserDirectory();
      InMemoryTokenStore store = new InMemoryTokenStore();
      List<String[]> issued = new ArrayList<>(TOKENS);
      try (AuthCore issuing =
          AuthCore.builder()
              .tokenPrefix(Fixtures.PREFIX)
              .users(users)
              .store(store)
              .hashing(secretHashing)
              .maxTokensPerUser(PER_USER)
              .usageFlushInterval(Duration.ZERO)
              .build()) {
        for (int u = 0; u < TOKENS / PER_USER; u++) {
          String email = "user" + u + "@example.com";
          users.add(Fixtures.CORP, email, Role.USER);
          for (int t = 0; t < PER_USER; t++) {
            issued.add(
                new String[] {email, issuing.issuer().issue(email, "t" + t).revealPlaintext()});
          }
        }
      }
      records = store.listCorp(Fixtures.CORP, null, null, TOKENS);
      if (records.size() != TOKENS) {
        throw new IllegalStateException("expected " + TOKENS + " records, got " + records.size());
      }
      Collections.shuffle(issued, new Random(11));
      emails = new String[TOKENS];
      tokens = new String[TOKENS];
      for (int i = 0; i < TOKENS; i++) {
        emails[i] = issued.get(i)[0];
        tokens[i] = issued.get(i)[1];
      }
    }

    @Setup(Level.Iteration)
    public void freshDeployment() {
      closeDeployment();
      InMemoryTokenStore store = new InMemoryTokenStore();
      for (TokenRecord record : records) {
        store.insert(record, PER_USER);
      }
      core =
          AuthCore.builder()
              .tokenPrefix(Fixtures.PREFIX)
              .users(users)
              .store(store)
              .hashing(secretHashing)
              .maxTokensPerUser(PER_USER)
              .usageFlushInterval(Duration.ZERO)
              .build();
    }

    @TearDown(Level.Iteration)
    public void closeDeployment() {
      if (core != null) {
        core.close();
        core = null;
      }
    }

    TokenVerifier verifier() {
      if (core == null) {
        throw new IllegalStateException("no deployment: JMH did not run the iteration setup");
      }
      return core.verifier();
    }
  }

  /** A 32-byte secret, a per-thread SHA-256 digest and a per-thread HMAC-SHA256 {@link Mac}. */
  @State(Scope.Thread)
  public static class Floor {
    final byte[] secret =
        Fixtures.secret(new SplittableRandom(3)).getBytes(StandardCharsets.US_ASCII);
    final byte[] out = new byte[32];
    MessageDigest sha256 = Fixtures.sha256();
    Mac hmac = newHmac();

    private static Mac newHmac() {
      byte[] key = new byte[32];
      new SplittableRandom(5).nextBytes(key);
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac;
      } catch (NoSuchAlgorithmException | InvalidKeyException e) {
        throw new IllegalStateException("every Java platform provides HmacSHA256", e);
      }
    }
  }

  @Benchmark
  public Verification hit(Hit s) {
    return s.verifier.verify(s.email, s.token, s.client);
  }

  @Benchmark
  public Verification hitWithTokenList(TokenList s) {
    return s.verifier.verify(s.email, s.token, s.client);
  }

  @Benchmark
  public Verification hitWithStagedList(Staged s) {
    return s.verifier.verify(s.email, s.token, s.client);
  }

  @Benchmark
  public Verification hitDuringGrace(DuringGrace s) {
    return s.verifier.verify(s.email, s.token, s.client);
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OperationsPerInvocation(Miss.TOKENS)
  public int miss(Miss s) {
    TokenVerifier verifier = s.verifier();
    int authenticated = 0;
    for (int i = 0; i < Miss.TOKENS; i++) {
      if (verifier.verify(s.emails[i], s.tokens[i], s.client).isAuthenticated()) {
        authenticated++;
      }
    }
    if (authenticated != Miss.TOKENS) {
      throw new IllegalStateException(
          "only " + authenticated + " of " + Miss.TOKENS + " tokens verified");
    }
    return authenticated;
  }

  @Benchmark
  public byte[] floorSha256(Floor f) throws DigestException {
    f.sha256.update(f.secret, 0, 32);
    f.sha256.digest(f.out, 0, 32);
    return f.out;
  }

  @Benchmark
  public byte[] floorHmacSha256(Floor f) throws ShortBufferException {
    f.hmac.update(f.secret, 0, 32);
    f.hmac.doFinal(f.out, 0);
    return f.out;
  }
}
