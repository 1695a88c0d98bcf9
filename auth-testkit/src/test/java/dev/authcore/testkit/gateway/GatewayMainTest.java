package dev.authcore.testkit.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authcore.model.Role;
import dev.authcore.model.UserAccount;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, the users file and what the gateway prints at start. */
class GatewayMainTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private GatewayMain.Launch launch(String... args) {
    return GatewayMain.launch(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** The line that gives the console's address, for a gateway on 127.0.0.1. */
  static String consoleLine(int port) {
    return "console: http://127.0.0.1:" + port + "/ (sign in with an email and its token)";
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void parse_everyFlag() {
    GatewayOptions o =
        GatewayOptions.parse(
            "--port",
            "9090",
            "--users",
            "u.txt",
            "--tokens-out=t.txt",
            "--trusted-proxy",
            "10.0.0.0/8",
            "--trusted-proxy=2001:db8::/32",
            "--fake-clock",
            "--audit-log",
            "a.jsonl");
    assertThat(o.port()).isEqualTo(9090);
    assertThat(o.usersFile()).isEqualTo(Path.of("u.txt"));
    assertThat(o.tokensOut()).isEqualTo(Path.of("t.txt"));
    assertThat(o.trustedProxies()).containsExactly("10.0.0.0/8", "2001:db8::/32");
    assertThat(o.fakeClock()).isTrue();
    assertThat(o.auditLog()).isEqualTo(Path.of("a.jsonl"));
    assertThat(GatewayOptions.parse()).isEqualTo(GatewayOptions.defaults());
    assertThat(GatewayOptions.defaults().port()).isEqualTo(8080);
  }

  @Test
  void parse_badArguments_sayWhichOne() {
    String[][] cases = {
      {"--port"},
      {"--port", "http"},
      {"--port", "70000"},
      {"--port", "-1"},
      {"--port", "1", "--port", "2"},
      {"--verbose"},
      {"8080"},
      {"--users"},
      {"--users", "a", "--users", "b"},
      {"--fake-clock=yes"},
      {"--trusted-proxy", ""},
      {"--tokens-out", "--fake-clock"},
    };
    for (String[] args : cases) {
      assertThatThrownBy(() -> GatewayOptions.parse(args))
          .as(String.join(" ", args))
          .isInstanceOf(UsageException.class)
          .hasMessageFindingMatch("--|argument|option");
    }
  }

  @Test
  void launch_badFlag_usageOnStderrExit2() {
    GatewayMain.Launch launch = launch("--prot", "8080");
    assertThat(launch.gateway()).isNull();
    assertThat(launch.exitCode()).isEqualTo(2);
    assertThat(err())
        .contains("error: unknown option '--prot'")
        .contains("usage: java -jar auth-gateway.jar");
    assertThat(out()).isEmpty();
  }

  @Test
  void launch_help_usageOnStdoutExit0() {
    GatewayMain.Launch launch = launch("--help");
    assertThat(launch.gateway()).isNull();
    assertThat(launch.exitCode()).isZero();
    assertThat(out()).contains("--trusted-proxy CIDR").contains("--fake-clock");
  }

  @Test
  void launch_badTrustedProxy_exit2() {
    assertThat(launch("--port", "0", "--trusted-proxy", "10.0.0.0/0").exitCode()).isEqualTo(2);
    assertThat(launch("--port", "0", "--trusted-proxy", "proxy.local").exitCode()).isEqualTo(2);
    assertThat(err())
        .contains("--trusted-proxy '10.0.0.0/0'")
        .contains("--trusted-proxy 'proxy.local'");
  }

  @Test
  void trustedProxies_parsedAsStrictlyAsAnAllowList() throws IOException {
    ClientAddressSource source = ClientAddressSource.create(List.of("10.0.0.0/8", "2001:db8::/32"));
    assertThat(source.trusted().allows(InetAddress.getByAddress(new byte[] {10, 1, 2, 3})))
        .isTrue();
    assertThat(source.trusted().allows(InetAddress.getByAddress(new byte[] {11, 1, 2, 3})))
        .isFalse();
    assertThat(ClientAddressSource.create(List.of()).trusted().isEmpty()).isTrue();
    assertThatThrownBy(
            () -> ClientAddressSource.create(List.of("10.0.0.0/8", "010.0.0.1", "10.0.0.0/33")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--trusted-proxy '010.0.0.1'")
        .hasMessageContaining("--trusted-proxy '10.0.0.0/33'");
  }

  @Test
  void launch_portInUse_exit1() throws IOException {
    try (ServerSocket taken =
        new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
      GatewayMain.Launch launch =
          launch(
              "--port",
              String.valueOf(taken.getLocalPort()),
              "--audit-log",
              dir.resolve("a").toString());
      assertThat(launch.gateway()).isNull();
      assertThat(launch.exitCode()).isEqualTo(1);
      assertThat(err()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void launch_defaults_demoOwnerTokenCurlThenListening() {
    GatewayMain.Launch launch = launch("--port", "0");
    try (Gateway gateway = Objects.requireNonNull(launch.gateway())) {
      List<String> lines = out().lines().toList();
      assertThat(lines).hasSize(4);
      assertThat(lines.get(0)).matches("owner@example\\.com gw_[0-9A-Za-z]{49}");
      String token = lines.get(0).substring(lines.get(0).indexOf(' ') + 1);
      assertThat(lines.get(1))
          .isEqualTo(
              "curl -sS -H 'x-api-user: owner@example.com' -H 'x-api-token: "
                  + token
                  + "' http://127.0.0.1:"
                  + gateway.port()
                  + "/api/v0/corps");
      assertThat(lines.get(2)).isEqualTo(consoleLine(gateway.port()));
      assertThat(lines.get(3)).isEqualTo("listening on http://127.0.0.1:" + gateway.port());
      assertThat(err())
          .contains("\"event\":\"TokenCreated\"")
          .contains("\"tokenName\":\"bootstrap\"")
          .doesNotContain(token);
    }
  }

  @Test
  void launch_tokensOut_fileOfEveryUserOwnerReadableOnly_curlReadsTheFirstFromIt()
      throws IOException {
    Path users = Files.writeString(dir.resolve("users"), GatewayFixture.USERS);
    Path tokens = dir.resolve("tokens");
    GatewayMain.Launch launch =
        launch(
            "--port",
            "0",
            "--users",
            users.toString(),
            "--tokens-out",
            tokens.toString(),
            "--audit-log",
            dir.resolve("a").toString());
    try (Gateway gateway = Objects.requireNonNull(launch.gateway())) {
      List<String> written = Files.readAllLines(tokens);
      assertThat(written).hasSize(4);
      assertThat(written.get(0)).startsWith("olga@example.com gw_");
      assertThat(written.get(3)).startsWith("bea@example.org gw_");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokens)))
          .isEqualTo("rw-------");
      List<String> lines = out().lines().toList();
      assertThat(lines).hasSize(3);
      String olgas = written.get(0).substring(17);
      assertThat(lines.get(0))
          .contains("x-api-user: olga@example.com")
          .as("with --tokens-out, standard output carries no live token")
          .doesNotContain(olgas)
          .doesNotContain(olgas.substring(14, 40));
      assertThat(out()).doesNotContain(olgas.substring(14, 40));
      Curl.Result result = Curl.shell(lines.get(0));
      assertThat(result.status()).as("the curl line reads the token from the file").isEqualTo(200);
      assertThat(lines.get(1)).isEqualTo(consoleLine(gateway.port()));
      assertThat(lines.get(2)).isEqualTo("listening on http://127.0.0.1:" + gateway.port());
    }
  }

  @Test
  void usersFile_parsed_commentsAndBlankLinesIgnored() {
    assertThat(
            UsersFile.parse(
                "# x\n\nacme a@example.com owner\r\nacme\tb@example.com\tUSER\n", "test"))
        .containsExactly(
            new UserAccount("acme", "a@example.com", Role.OWNER),
            new UserAccount("acme", "b@example.com", Role.USER));
  }

  @Test
  void usersFile_everyBadLineReportedWithItsNumber() {
    assertThatThrownBy(
            () ->
                UsersFile.parse(
                    "acme a@example.com OWNER\nacme b@example.com ADMIN\nacme not-an-email USER\nacme A@example.com USER\nacme\n",
                    "users.txt"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("line 2: role must be OWNER or USER")
        .hasMessageContaining("line 3:")
        .hasMessageContaining("line 4: A@example.com appears twice")
        .hasMessageContaining("line 5: expected");
    assertThatThrownBy(() -> UsersFile.parse("# nobody\n", "users.txt"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("no users");
  }

  @Test
  void launch_missingUsersFile_exit2() {
    assertThat(launch("--port", "0", "--users", dir.resolve("none").toString()).exitCode())
        .isEqualTo(2);
    assertThat(err()).contains("--users").contains("cannot read it");
  }

  @Test
  void launch_tokensOutUnwritable_exit1AndPortReleased() throws IOException {
    int port;
    try (ServerSocket probe =
        new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
      port = probe.getLocalPort();
    }
    GatewayMain.Launch launch =
        launch(
            "--port", String.valueOf(port),
            "--tokens-out", dir.resolve("missing/dir/tokens").toString(),
            "--audit-log", dir.resolve("a").toString());
    assertThat(launch.gateway()).isNull();
    assertThat(launch.exitCode()).isEqualTo(1);
    assertThat(err()).contains("could not start");
    try (ServerSocket again =
        new ServerSocket(port, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
      assertThat(again.getLocalPort()).as("the port was released").isEqualTo(port);
    }
  }

  @Test
  void shellQuote_survivesQuotes() {
    assertThat(Gateway.shellQuote("x-api-user: o'neil@example.com"))
        .isEqualTo("'x-api-user: o'\\''neil@example.com'");
  }

  @Test
  void bind_badAddress_exit2SayingWhatIsWrong() {
    for (String bad : List.of("localhost", "127.0.0.256", "::g", "fe80::1%eth0", "")) {
      assertThat(launch("--bind", bad, "--port", "0").exitCode()).as(bad).isEqualTo(2);
    }
    assertThat(err()).contains("--bind needs an IP address such as 127.0.0.1, ::1, 0.0.0.0 or ::");
  }

  @Test
  void bind_everyInterface_printsALoopbackUrlThatWorks() throws Exception {
    GatewayMain.Launch launch = launch("--port", "0", "--bind", "0.0.0.0");
    try (Gateway gateway = Objects.requireNonNull(launch.gateway())) {
      List<String> lines = out().lines().toList();
      assertThat(lines.get(2)).isEqualTo(consoleLine(gateway.port()));
      assertThat(lines.get(3))
          .isEqualTo(
              "listening on http://127.0.0.1:"
                  + gateway.port()
                  + " (bound to 0.0.0.0, every interface)");
      Curl.Result result = Curl.shell(lines.get(1));
      assertThat(result.status()).as(result.body()).isEqualTo(200);
    }
  }

  @Test
  void bind_ipv6_urlInBrackets() {
    assertThat(GatewayOptions.parse("--bind", "::1").bind()).isEqualTo("::1");
    assertThat(GatewayOptions.parse("--bind", "[0:0:0:0:0:0:0:1]").bind()).isEqualTo("::1");
    assertThat(GatewayOptions.parse().bind()).isEqualTo("127.0.0.1");
    assertThat(Gateway.urlHost(dev.authcore.net.ClientAddresses.parse("::1"))).isEqualTo("[::1]");
    assertThat(Gateway.urlHost(dev.authcore.net.ClientAddresses.parse("::"))).isEqualTo("[::1]");
    assertThat(Gateway.urlHost(dev.authcore.net.ClientAddresses.parse("0.0.0.0")))
        .isEqualTo("127.0.0.1");
  }
}
