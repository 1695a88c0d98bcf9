package dev.authcore.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What adding auth-testkit puts on a user's test classpath: the kit's own dependencies that Maven
 * passes on (compile or runtime scope, not optional) and theirs. The reference gateway's JSON
 * library and database driver must not be among them: they are optional here and shaded into {@code
 * auth-gateway.jar}.
 *
 * <p>Read from the POMs Maven publishes: this module's {@code pom.xml} is the descriptor installed
 * with the kit (the shade plugin writes no reduced POM), with scopes and optional flags managed in
 * the parent; auth-core's is the descriptor of the one reactor module the kit passes on. External
 * dependencies passed on are listed by name, so a new one is a decision this test asks for.
 */
class KitDependenciesTest {
  /** What the kit is for: auth-core, nullness annotations, Guava, and JUnit with AssertJ. */
  private static final Set<String> PASSED_ON =
      Set.of(
          "dev.authcore:auth-core",
          "org.jspecify:jspecify",
          "com.google.guava:guava",
          "org.junit.jupiter:junit-jupiter",
          "org.assertj:assertj-core");

  /** Group ids of what only the gateway (or a database test) needs. */
  private static final List<String> GATEWAY_ONLY_GROUPS =
      List.of(
          "tools.jackson",
          "com.fasterxml.jackson",
          "org.postgresql",
          "com.zaxxer",
          "org.eclipse.jetty",
          "org.slf4j");

  private final Map<String, Managed> managed = managed(read(Path.of("../pom.xml")));

  @Test
  void kit_passesOnOnlyWhatItIsFor() throws Exception {
    assertThat(passedOn(read(Path.of("pom.xml"))))
        .as(
            "dependencies of auth-testkit that reach every user's test classpath; one the gateway"
                + " alone needs is <optional>true</optional> (the shade plugin still puts it in"
                + " auth-gateway.jar)")
        .isSubsetOf(PASSED_ON);
  }

  @Test
  void kit_declaresTheGatewaysDependenciesOptional() throws Exception {
    Map<String, Declared> declared = declared(read(Path.of("pom.xml")));
    for (String gatewayOnly :
        List.of(
            "tools.jackson.core:jackson-databind",
            "org.postgresql:postgresql",
            "com.zaxxer:HikariCP",
            "org.eclipse.jetty:jetty-server",
            "org.slf4j:slf4j-jdk14")) {
      assertThat(declared).containsKey(gatewayOnly);
      Declared d = java.util.Objects.requireNonNull(declared.get(gatewayOnly));
      assertThat(d.optional() || (!d.scope().equals("compile") && !d.scope().equals("runtime")))
          .as("%s is kept from the kit's users", gatewayOnly)
          .isTrue();
    }
  }

  @Test
  void authCore_passesOnNoGatewayDependency() throws Exception {
    for (String coordinates : passedOn(read(Path.of("../auth-core/pom.xml")))) {
      for (String group : GATEWAY_ONLY_GROUPS) {
        assertThat(coordinates)
            .as("auth-core passes %s on to every user of the kit", coordinates)
            .doesNotStartWith(group);
      }
    }
  }

  @Test
  void passedOn_readsScopeAndOptionalAsMavenDoes() throws Exception {
    Path pom = Files.createTempFile("kit-dependencies", ".xml");
    try {
      Files.writeString(
          pom,
          """
          <project xmlns="http://maven.apache.org/POM/4.0.0">
            <dependencies>
              <dependency><groupId>a</groupId><artifactId>compile</artifactId></dependency>
              <dependency>
                <groupId>a</groupId><artifactId>runtime</artifactId><scope>runtime</scope>
              </dependency>
              <dependency>
                <groupId>a</groupId><artifactId>optional</artifactId><optional>true</optional>
              </dependency>
              <dependency><groupId>a</groupId><artifactId>test</artifactId><scope>test</scope></dependency>
              <dependency>
                <groupId>a</groupId><artifactId>provided</artifactId><scope>provided</scope>
              </dependency>
              <dependency><groupId>org.junit</groupId><artifactId>junit-bom</artifactId></dependency>
            </dependencies>
            <build><plugins><plugin><dependencies>
              <dependency><groupId>a</groupId><artifactId>plugin-only</artifactId></dependency>
            </dependencies></plugin></plugins></build>
          </project>
          """);
      // junit-bom gets scope import from the parent's management, which is never passed on.
      assertThat(passedOn(read(pom))).containsExactlyInAnyOrder("a:compile", "a:runtime");
    } finally {
      Files.delete(pom);
    }
  }

  // ---- reading POMs --------------------------------------------------------------------------

  private record Declared(String scope, boolean optional) {}

  private record Managed(@Nullable String scope, @Nullable String optional) {}

  /** groupId:artifactId of the dependencies Maven passes on to users of {@code pom}'s artifact. */
  private Set<String> passedOn(Document pom) {
    Set<String> out = new TreeSet<>();
    declared(pom)
        .forEach(
            (coordinates, d) -> {
              if (!d.optional() && (d.scope().equals("compile") || d.scope().equals("runtime"))) {
                out.add(coordinates);
              }
            });
    return out;
  }

  /** The project's own dependencies (not plugins' or managed ones), with effective scope. */
  private Map<String, Declared> declared(Document pom) {
    Map<String, Declared> out = new HashMap<>();
    for (Element dependency : dependencies(pom, "dependencies")) {
      String coordinates = coordinates(dependency);
      Managed m = managed.getOrDefault(coordinates, new Managed(null, null));
      String scope = firstNonNull(text(dependency, "scope"), m.scope(), "compile");
      String optional = firstNonNull(text(dependency, "optional"), m.optional(), "false");
      out.put(coordinates, new Declared(scope, Boolean.parseBoolean(optional)));
    }
    return out;
  }

  private static Map<String, Managed> managed(Document parent) {
    Map<String, Managed> out = new HashMap<>();
    for (Element dependency : dependencies(parent, "dependencyManagement")) {
      out.put(
          coordinates(dependency),
          new Managed(text(dependency, "scope"), text(dependency, "optional")));
    }
    return out;
  }

  /**
   * The {@code dependency} elements in {@code <project><dependencies>} or in {@code <project>
   * <dependencyManagement><dependencies>}.
   */
  private static List<Element> dependencies(Document pom, String section) {
    List<Element> out = new ArrayList<>();
    Element project = pom.getDocumentElement();
    @Nullable Element list = child(project, section);
    if (list != null && section.equals("dependencyManagement")) {
      list = child(list, "dependencies");
    }
    if (list == null) {
      return out;
    }
    for (Node n = list.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getLocalName().equals("dependency")) {
        out.add(e);
      }
    }
    return out;
  }

  private static String coordinates(Element dependency) {
    return text(dependency, "groupId") + ":" + text(dependency, "artifactId");
  }

  private static @Nullable String text(Element parent, String name) {
    @Nullable Element e = child(parent, name);
    return e == null ? null : e.getTextContent().strip();
  }

  private static @Nullable Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getLocalName().equals(name)) {
        return e;
      }
    }
    return null;
  }

  private static String firstNonNull(@Nullable String a, @Nullable String b, String otherwise) {
    return a != null ? a : b != null ? b : otherwise;
  }

  private static Document read(Path pom) {
    try (InputStream in = Files.newInputStream(pom)) {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      DocumentBuilder builder = factory.newDocumentBuilder();
      return builder.parse(in);
    } catch (IOException | javax.xml.parsers.ParserConfigurationException e) {
      throw new AssertionError("cannot read " + pom.toAbsolutePath(), e);
    } catch (org.xml.sax.SAXException e) {
      throw new AssertionError(pom.toAbsolutePath() + " is not well-formed XML", e);
    }
  }
}
