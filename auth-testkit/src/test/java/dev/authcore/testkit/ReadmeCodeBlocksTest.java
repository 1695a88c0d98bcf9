package dev.authcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of every {@code README.md} in the project compiles against this build
 * (auth-core, the kit, and the kit's test dependencies: JUnit, embedded PostgreSQL), so no README
 * can show code that does not build. A block is a whole source file, imports included, so a reader
 * can copy it as it is. A failure names the README and the line of the README where javac found the
 * problem. The root README's quick start is also run, by auth-core's {@code ReadmeQuickStartTest};
 * here every block is compiled, none is run.
 */
class ReadmeCodeBlocksTest {
  /** The project's root, seen from this module's directory (where Maven runs its tests). */
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static final Pattern TYPE_NAME =
      Pattern.compile(
          "^(?:public\\s+|abstract\\s+|final\\s+)*(?:class|interface|record|enum)\\s+(\\w+)",
          Pattern.MULTILINE);

  /** One {@code ```java} block: where it is and what it says. */
  record Block(Path readme, int firstLine, String source) {
    /** The README's path from the project root, with the line of the block's first code line. */
    String where(long lineInBlock) {
      return ROOT.relativize(readme) + ":" + (firstLine + lineInBlock - 1);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyJavaBlock_compiles(@TempDir Path dir) {
    List<Block> blocks = blocks();
    return blocks.stream()
        .map(
            b ->
                DynamicTest.dynamicTest(
                    b.where(1), () -> compile(b, Files.createTempDirectory(dir, "block"))));
  }

  @Test
  void theReadmesWithCodeAreFound() {
    assertThat(blocks())
        .extracting(b -> ROOT.relativize(b.readme()).toString().replace('\\', '/'))
        .as("the READMEs known to hold Java code; a README left out would go unchecked")
        .contains("README.md", "auth-testkit/README.md");
  }

  /** A block that does not compile is reported with its README line; this test proves it. */
  @Test
  void aBrokenBlock_failsNamingReadmeAndLine(@TempDir Path dir) throws IOException {
    Path readme = dir.resolve("README.md");
    Files.writeString(
        readme,
        "# Title\n\ntext\n\n```java\nclass Broken {\n  void f() {\n    undefined();\n  }\n}\n```\n",
        StandardCharsets.UTF_8);
    List<Block> found = blocksOf(readme);
    assertThat(found).hasSize(1);
    Path out = Files.createDirectory(dir.resolve("out"));
    // The call is on line 8 of the README: line 3 of the block, which starts on line 6.
    assertThatThrownBy(() -> compile(found.get(0), out))
        .as("a block calling an undefined method must fail")
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("README.md:8:")
        .hasMessageContaining("undefined()");
  }

  private static List<Block> blocks() {
    try (Stream<Path> files = Files.walk(ROOT, 3)) {
      List<Path> readmes =
          files
              .filter(p -> p.getFileName().toString().equals("README.md"))
              .filter(p -> !isIgnored(ROOT.relativize(p)))
              .sorted()
              .toList();
      List<Block> out = new ArrayList<>();
      for (Path readme : readmes) {
        out.addAll(blocksOf(readme));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Build output, version control and hidden directories hold no README of ours. */
  private static boolean isIgnored(Path relative) {
    for (Path part : relative) {
      String name = part.toString();
      if (name.equals("target") || name.equals("node_modules") || name.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** The {@code ```java} blocks of one README, with the line number of each block's first line. */
  static List<Block> blocksOf(Path readme) throws IOException {
    List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
    List<Block> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).strip().equals("```java")) {
        continue;
      }
      int first = i + 1;
      StringBuilder source = new StringBuilder();
      int j = first;
      while (j < lines.size() && !lines.get(j).strip().startsWith("```")) {
        source.append(lines.get(j)).append('\n');
        j++;
      }
      assertThat(j)
          .as("%s:%s: a ```java block is never closed", readme, i + 1)
          .isLessThan(lines.size());
      out.add(new Block(readme, first + 1, source.toString()));
      i = j;
    }
    return out;
  }

  private static void compile(Block block, Path dir) throws IOException {
    Matcher type = TYPE_NAME.matcher(block.source());
    assertThat(type.find())
        .as(
            "%s: a ```java block must be a whole source file (imports and a class), so it can be"
                + " compiled and copied as it is",
            block.where(1))
        .isTrue();
    Path source = dir.resolve(type.group(1) + ".java");
    Files.writeString(source, block.source(), StandardCharsets.UTF_8);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    boolean compiled;
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      compiled =
          javac
              .getTask(
                  null,
                  files,
                  diagnostics,
                  List.of(
                      "-proc:none",
                      "-classpath",
                      System.getProperty("java.class.path"),
                      "-d",
                      dir.toString()),
                  null,
                  files.getJavaFileObjects(source))
              .call();
    }
    StringBuilder report = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        report
            .append(block.where(d.getLineNumber()))
            .append(": ")
            .append(d.getMessage(Locale.ROOT))
            .append('\n');
      }
    }
    if (!compiled) {
      throw new AssertionError(
          "a ```java block of "
              + ROOT.relativize(block.readme())
              + " does not compile:\n"
              + report);
    }
  }
}
