package dev.authcore.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.base.Preconditions;
import inet.ipaddr.IPAddressString;
import java.io.InputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

/**
 * The schema files as a migration tool meets them when auth-core is a named module: read through
 * the module's class loader from outside the module, as Flyway's class path scanner reads them. The
 * test runs on the class path, so it builds a module layer of its own from auth-core's compiled
 * classes and its dependencies' jars.
 */
class PostgresSchemaModulePathTest {

  private static Path location(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static ModuleLayer authCoreLayer() throws URISyntaxException {
    List<Path> paths = new ArrayList<>();
    paths.add(location(PostgresSchema.class));
    for (Class<?> dependency :
        List.of(
            Preconditions.class,
            com.google.common.util.concurrent.internal.InternalFutureFailureAccess.class,
            Caffeine.class,
            IPAddressString.class,
            NullMarked.class)) {
      paths.add(location(dependency));
    }
    ModuleFinder finder = ModuleFinder.of(paths.toArray(Path[]::new));
    ModuleLayer boot = ModuleLayer.boot();
    Configuration configuration =
        boot.configuration().resolve(finder, ModuleFinder.of(), Set.of("dev.authcore"));
    // The platform loader as parent: the class path, which holds auth-core too, must not answer.
    return boot.defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
  }

  @Test
  void files_readableThroughTheModulesClassLoader_fromOutsideTheModule() throws Exception {
    ModuleLayer layer = authCoreLayer();
    Module module = layer.findModule("dev.authcore").orElseThrow();
    assertThat(module.getDescriptor().isAutomatic()).isFalse();
    ClassLoader loader = layer.findLoader("dev.authcore");
    for (String file : PostgresSchema.files()) {
      URL url = loader.getResource(file);
      assertThat(url).as("%s through the class loader", file).isNotNull();
      try (InputStream in = url.openStream()) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
            .containsPattern("(CREATE|ALTER) TABLE authcore_");
      }
    }
  }

  @Test
  void onlyTheSchemaPackageIsOpen() throws URISyntaxException {
    Module module = authCoreLayer().findModule("dev.authcore").orElseThrow();
    Module outside = PostgresSchemaModulePathTest.class.getModule();
    assertThat(module.isOpen("dev.authcore.store.jdbc.schema", outside)).isTrue();
    assertThat(module.getPackages())
        .filteredOn(p -> module.isOpen(p, outside))
        .containsExactly("dev.authcore.store.jdbc.schema");
  }
}
