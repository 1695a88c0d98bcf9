package dev.authcore.testkit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded {@code auth-gateway.jar}, run as the README says ({@code java -jar}) in its own JVM:
 * it starts, prints a {@code curl} command that answers 200, and refuses a bad flag with status 2.
 * Runs in {@code mvn verify} after {@code package} (failsafe), since the jar does not exist before.
 */
class GatewayJarIT {
  private static final Path JAR =
      Path.of(System.getProperty("gateway.jar", "target/auth-gateway.jar"));
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  /** The JVM options of the build's locale and time-zone traps (failsafe sets them). */
  private static final List<String> TRAPS =
      List.of(System.getProperty("gateway.jvm.args", "").trim().split("\\s+")).stream()
          .filter(a -> !a.isEmpty())
          .toList();

  /** {@code java <traps> -jar <jar> args...}. */
  private static List<String> javaJar(String... args) {
    List<String> command = new ArrayList<>();
    command.add(JAVA);
    command.addAll(TRAPS);
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    return command;
  }

  @Test
  void runsUnderTheLocaleAndZoneTraps() {
    assertThat(TRAPS)
        .as("failsafe hands the gateway JVM the same traps as the unit tests")
        .contains("-Duser.language=hi", "-Duser.timezone=America/St_Johns");
    assertThat(java.util.Locale.getDefault().getLanguage()).isEqualTo("hi");
    assertThat(java.util.TimeZone.getDefault().getID()).isEqualTo("America/St_Johns");
  }

  @BeforeAll
  static void jarAndCurlExist() {
    assertThat(JAR).as("the shaded jar (built by package)").isRegularFile();
    Curl.requireCurl();
  }

  @Test
  void jar_hasMainClassAndNoSignatureFiles() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      Manifest manifest = jar.getManifest();
      assertThat(manifest.getMainAttributes().getValue("Main-Class"))
          .isEqualTo(GatewayMain.class.getName());
      assertThat(Collections.list(jar.entries()))
          .noneMatch(e -> e.getName().matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)"));
      assertThat(jar.getEntry("org/junit/jupiter/api/Test.class"))
          .as("test frameworks left out")
          .isNull();
    }
  }

  @Test
  void jar_holdsTheGatewaysOptionalDependencies() throws IOException {
    // Optional in the kit's POM, so its users do not get them; the gateway's jar must.
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertThat(jar.getEntry("tools/jackson/databind/ObjectMapper.class")).isNotNull();
      assertThat(jar.getEntry("org/postgresql/Driver.class")).isNotNull();
      assertThat(jar.getEntry("org/eclipse/jetty/server/Server.class")).isNotNull();
      for (String file : ConsoleFiles.FILES.keySet()) {
        assertThat(jar.getEntry(ConsoleFiles.FOLDER + file)).as(file).isNotNull();
      }
      assertThat(jar.getEntry("META-INF/services/org.slf4j.spi.SLF4JServiceProvider"))
          .as("SLF4J finds its java.util.logging binding, so Jetty logs nothing on its own")
          .isNotNull();
      assertThat(jar.getEntry("META-INF/services/java.sql.Driver"))
          .as("DriverManager finds pgjdbc for --jdbc-url")
          .isNotNull();
    }
  }

  @Test
  void javaJar_printsCurlThatAnswers200() throws Exception {
    Process gateway =
        new ProcessBuilder(javaJar("--port", "0"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
      List<String> lines =
          CompletableFuture.supplyAsync(
                  () -> {
                    List<String> read = new ArrayList<>();
                    try {
                      String line;
                      while ((line = out.readLine()) != null) {
                        read.add(line);
                        if (line.startsWith("listening on ")) {
                          break;
                        }
                      }
                    } catch (IOException e) {
                      throw new IllegalStateException(e);
                    }
                    return read;
                  })
              .get(60, TimeUnit.SECONDS);
      assertThat(lines).hasSize(4);
      assertThat(lines.get(0)).startsWith("owner@example.com gw_");
      assertThat(lines.get(2))
          .matches(
              "console: http://127\\.0\\.0\\.1:\\d+/ \\(sign in with an email and its token\\)");
      assertThat(lines.get(3)).matches("listening on http://127\\.0\\.0\\.1:\\d+");
      Curl.Result result = Curl.shell(lines.get(1));
      assertThat(result.status()).as(result.body()).isEqualTo(200);
      assertThat(result.body()).contains("\"name\":\"demo\"");
      String console = lines.get(2).substring("console: ".length(), lines.get(2).indexOf(" ("));
      Curl.Result page = Curl.run(console);
      assertThat(page.status()).as("the console's page, from the jar").isEqualTo(200);
      assertThat(page.body()).contains("<title>auth-core console</title>");
    } finally {
      gateway.destroy();
      assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }
  }

  @Test
  void javaJar_badFlag_exit2WithUsage() throws Exception {
    Path err = Files.createTempFile("gateway", ".err");
    try {
      Process p =
          new ProcessBuilder(javaJar("--port", "http"))
              .redirectError(err.toFile())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(2);
      assertThat(Files.readString(err)).contains("--port must be a number").contains("usage:");
    } finally {
      Files.deleteIfExists(err);
    }
  }
}
