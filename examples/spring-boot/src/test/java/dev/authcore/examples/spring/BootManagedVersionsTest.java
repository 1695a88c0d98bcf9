package dev.authcore.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.File;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootVersion;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

/**
 * This example runs auth-core on the Caffeine version Spring Boot manages, as a Boot application
 * that adds auth-core gets it, not on the newer one the rest of the build uses. The build copies
 * Boot's BOM to the file named by the {@code boot.bom} system property.
 */
class BootManagedVersionsTest {

  @Test
  void caffeine_isTheVersionSpringBootManages() throws Exception {
    Document bom = readBom();
    String managed = bom.getElementsByTagName("caffeine.version").item(0).getTextContent();

    assertThat(Caffeine.class.getPackage().getImplementationVersion())
        .as(
            "Caffeine on the class path; if Boot manages another version now, set caffeine.version"
                + " in examples/spring-boot/pom.xml to it")
        .isEqualTo(managed);
  }

  @Test
  void bom_isTheRunningBootVersion() throws Exception {
    Document bom = readBom();
    String version = "";
    for (Node n = bom.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeName().equals("version")) {
        version = n.getTextContent();
      }
    }

    assertThat(version).isEqualTo(SpringBootVersion.getVersion());
  }

  private static Document readBom() throws Exception {
    File file = new File(System.getProperty("boot.bom", "boot.bom property not set"));
    assertThat(file).as("Boot's BOM, copied by the build").isFile();
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(file);
  }
}
