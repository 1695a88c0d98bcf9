package dev.authcore.testkit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's files over HTTP: what is served, with which headers, and what is refused. */
class ConsoleFilesTest {
  @TempDir static Path dir;
  static GatewayFixture gateway;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    gateway = GatewayFixture.start(dir);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static HttpResponse<String> send(String method, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(gateway.uri(path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void root_isTheConsolePage_withAStrictPolicy() throws Exception {
    HttpResponse<String> page = send("GET", "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")
        .doesNotContain("unsafe-inline", "unsafe-eval");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(page.body()).contains("<script type=\"module\" src=\"app.js\"></script>");
    assertThat(send("GET", "/index.html").body()).isEqualTo(page.body());
  }

  @Test
  void everyListedFile_servedWithItsType() throws Exception {
    for (var file : ConsoleFiles.FILES.entrySet()) {
      HttpResponse<String> answer = send("GET", "/" + file.getKey());
      assertThat(answer.statusCode()).as(file.getKey()).isEqualTo(200);
      assertThat(answer.headers().firstValue("Content-Type")).hasValue(file.getValue());
      assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }
    assertThat(send("GET", "/app.js").headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(send("GET", "/console.css").headers().firstValue("Content-Type"))
        .hasValue("text/css; charset=utf-8");
  }

  @Test
  void everyFileInTheFolder_isListed_andNoneHoldsInlineCode() throws IOException {
    Path folder = Path.of("src/main/resources", ConsoleFiles.FOLDER);
    try (Stream<Path> files = Files.list(folder)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names).containsExactlyInAnyOrderElementsOf(ConsoleFiles.FILES.keySet());
    }
    String html = Files.readString(folder.resolve("index.html"));
    assertThat(html).doesNotContain("<style", "style=", "onclick", "onload", "<script>");
    for (String name : ConsoleFiles.FILES.keySet()) {
      String text = Files.readString(folder.resolve(name));
      assertThat(text).as(name).doesNotContain("innerHTML", "outerHTML", "eval(", "localStorage.");
      assertThat(text).as(name).doesNotContain("insertAdjacentHTML", "document.write");
    }
  }

  @Test
  void head_answersWithoutBody() throws Exception {
    HttpResponse<String> head = send("HEAD", "/app.js");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void unknownPaths_directories_andTraversal_notFound() throws Exception {
    for (String path :
        List.of(
            "/nothing.js",
            "/dev/",
            "/console/",
            "/dev/authcore/testkit/gateway/console/app.js",
            "/dev/authcore/testkit/gateway/Gateway.class",
            "/..%2fGateway.class",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/./app.js",
            "/app.js/",
            "/APP.JS")) {
      HttpResponse<String> answer = send("GET", path);
      assertThat(answer.statusCode()).as(path).isIn(400, 404);
      assertThat(answer.body()).as(path).startsWith("{\"error\":").doesNotContain("import ");
    }
  }

  @Test
  void rawTraversal_refused() throws Exception {
    for (String target : List.of("/../app.js", "/../../etc/passwd", "//app.js", "/%2e%2e/app.js")) {
      RawHttp.Answer answer =
          RawHttp.exchange(
              gateway.gateway.port(),
              "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      assertThat(answer.status()).as(target).isIn(400, 404);
      assertThat(answer.text()).as(target).doesNotContain("root:", "import ");
    }
  }

  @Test
  void otherMethods_405() throws Exception {
    HttpResponse<String> post = send("POST", "/");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void api_stillServedBesideTheFiles() {
    assertThat(gateway.as(GatewayFixture.ANN, "GET", "/api/v0/corps", null).status())
        .isEqualTo(200);
    assertThat(gateway.as(GatewayFixture.ANN, "GET", "/api/v0/nothing", null).status())
        .isEqualTo(404);
    assertThat(gateway.call("GET", "/api/v0/me/tokens", null, null, null).status()).isEqualTo(401);
  }

  @Test
  void corpUsers_listedForOwners_withTheirPermission() {
    GatewayFixture.Reply none =
        gateway.as(GatewayFixture.OLGA, "GET", "/api/v0/corps/acme/users", null);
    assertThat(none.status()).isEqualTo(200);
    assertThat(none.json().get("data")).hasSize(3);
    assertThat(none.json().get("data").get(0).get("email").stringValue())
        .isEqualTo(GatewayFixture.OLGA);
    assertThat(none.json().get("data").get(0).get("role").stringValue()).isEqualTo("OWNER");
    assertThat(
            gateway
                .as(
                    GatewayFixture.OLGA,
                    "PUT",
                    "/api/v0/corps/acme/users/bob@example.com/tokenPermission",
                    "{\"allowed\":true,\"until\":\"2999-01-01T00:00:00Z\"}")
                .status())
        .isEqualTo(204);
    GatewayFixture.Reply after =
        gateway.as(GatewayFixture.OLGA, "GET", "/api/v0/corps/acme/users", null);
    var bob = after.json().get("data").get(2);
    assertThat(bob.get("email").stringValue()).isEqualTo(GatewayFixture.BOB);
    assertThat(bob.get("role").stringValue()).isEqualTo("USER");
    assertThat(bob.get("allowed").booleanValue()).isTrue();
    assertThat(bob.get("until").stringValue()).isEqualTo("2999-01-01T00:00:00Z");
    assertThat(after.json().get("data").get(1).get("allowed").booleanValue()).isFalse();
    assertThat(gateway.as(GatewayFixture.ANN, "GET", "/api/v0/corps/acme/users", null).status())
        .isEqualTo(403);
    assertThat(gateway.as(GatewayFixture.OLGA, "GET", "/api/v0/corps/beta/users", null).status())
        .isEqualTo(404);
    assertThat(gateway.as(GatewayFixture.OLGA, "POST", "/api/v0/corps/acme/users", "{}").status())
        .isEqualTo(405);
  }
}
