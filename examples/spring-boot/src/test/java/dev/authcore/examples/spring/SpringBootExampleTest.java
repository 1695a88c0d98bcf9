package dev.authcore.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** The application as {@code java -jar} starts it: the printed command lets its user in. */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(120)
class SpringBootExampleTest {
  private static final Pattern CURL =
      Pattern.compile(
          "curl -H 'x-api-user: (\\S+)' -H 'x-api-token: (\\S+)' (http://127\\.0\\.0\\.1:\\d+/api/whoami)");

  @Test
  void start_printsAWorkingCommandPerUserWithoutToken_onlyOnce(CapturedOutput output)
      throws Exception {
    EmbeddedPostgres database = TestDatabase.shared();
    String[] args = {
      "--server.port=0",
      "--spring.datasource.url=" + database.getJdbcUrl("postgres", "postgres"),
      "--spring.datasource.username=postgres",
      "--example.users=demo dan@example.com OWNER"
    };

    try (ConfigurableApplicationContext first = SpringBootExample.start(args)) {
      List<String> commands = curlLines(output);
      assertThat(commands).hasSize(1);
      Matcher curl = CURL.matcher(commands.get(0));
      assertThat(curl.matches()).as(commands.get(0)).isTrue();
      assertThat(curl.group(3))
          .contains(":" + first.getEnvironment().getRequiredProperty("local.server.port") + "/");

      HttpResponse<String> response =
          Http.send(
              "GET",
              curl.group(3),
              null,
              "x-api-user",
              curl.group(1),
              "x-api-token",
              curl.group(2));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(Http.json(response).get("email").asString()).isEqualTo("dan@example.com");
      assertThat(Http.json(response).get("tokenName").asString()).isEqualTo("bootstrap");
    }
    try (ConfigurableApplicationContext again = SpringBootExample.start(args)) {
      assertThat(again.isRunning()).isTrue();
      assertThat(curlLines(output)).hasSize(1); // dan keeps the token printed before
    }
  }

  private static List<String> curlLines(CapturedOutput output) {
    return output.getOut().lines().filter(line -> line.startsWith("curl ")).toList();
  }
}
