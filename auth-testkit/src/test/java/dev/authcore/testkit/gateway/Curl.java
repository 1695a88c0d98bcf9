package dev.authcore.testkit.gateway;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code curl} binary (or a shell command line) and returns its status and body. */
final class Curl {
  private Curl() {}

  /** What curl printed: the HTTP status from {@code -w} and the body before it. */
  record Result(int status, String body) {}

  /** Fails the test with a clear message if there is no {@code curl} on the PATH. */
  static void requireCurl() {
    try {
      Process p = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        fail("'curl --version' failed; the gateway's end-to-end tests need a working curl");
      }
    } catch (IOException e) {
      fail(
          "curl is not installed (or not on the PATH): the gateway's end-to-end tests drive it with"
              + " the real curl binary; install it (apt-get install curl), as .ci/run does",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted", e);
    }
  }

  /** {@code curl -sS <args> -w '\n%{http_code}'}. */
  static Result run(String... args) {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30"));
    command.addAll(List.of(args));
    command.addAll(List.of("-w", "\n%{http_code}"));
    return parse(exec(command));
  }

  /** {@code commandLine} run by {@code sh -c}, with {@code -w '\n%{http_code}'} appended. */
  static Result shell(String commandLine) {
    return parse(exec(List.of("sh", "-c", commandLine + " --max-time 30 -w '\\n%{http_code}'")));
  }

  private static Result parse(String output) {
    int newline = output.lastIndexOf('\n');
    if (newline < 0) {
      return fail("curl printed no status: " + output);
    }
    return new Result(
        Integer.parseInt(output.substring(newline + 1).strip()), output.substring(0, newline));
  }

  private static String exec(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
      p.getOutputStream().close();
      String out;
      String err;
      try (InputStream stdout = p.getInputStream();
          InputStream stderr = p.getErrorStream()) {
        out = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
        err = new String(stderr.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return fail("curl did not finish: " + command.get(0));
      }
      if (p.exitValue() != 0) {
        return fail("curl exited with " + p.exitValue() + ": " + err);
      }
      return out;
    } catch (IOException e) {
      return fail("cannot run curl: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted", e);
    }
  }
}
