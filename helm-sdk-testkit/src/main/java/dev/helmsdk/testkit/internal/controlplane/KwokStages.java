package dev.helmsdk.testkit.internal.controlplane;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** Finds the KWOK stage files (how fake pods become ready or fail): the repository's, else the bundled copies. */
final class KwokStages {

  private static final Logger LOG = LoggerFactory.getLogger(KwokStages.class);
  private static final String RESOURCE = ControlPlaneRuntime.STAGES_RESOURCE;

  private KwokStages() {
  }

  /**
   * The stage files to pass to KWOK; empty when none are found (KWOK then runs with its defaults).
   *
   * @param repository    the helm-sdk repository the binaries come from, or null
   * @param workDirectory where the bundled copies are written
   */
  static List<String> find(Path repository, Path workDirectory) {
    if (repository != null) {
      List<String> files = yamlFiles(repository.resolve(ControlPlaneBinaries.REPO_STAGES));
      if (!files.isEmpty()) {
        return files;
      }
    }
    Path bundledDir = workDirectory.resolve("kwok-stages");
    dev.helmsdk.testkit.internal.Directories.deleteQuietly(bundledDir);
    List<String> bundled = copyBundled(bundledDir);
    if (!bundled.isEmpty()) {
      return bundled;
    }
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
      List<String> files = yamlFiles(dir.resolve(ControlPlaneBinaries.REPO_STAGES));
      if (!files.isEmpty()) {
        return files;
      }
    }
    LOG.warn("No KWOK stages found (neither {} on the class path nor {}): kwok runs with its defaults",
        RESOURCE, ControlPlaneBinaries.REPO_STAGES);
    return List.of();
  }

  private static List<String> yamlFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".yaml")).map(Path::toString).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static List<String> copyBundled(Path target) {
    ClassLoader loader = KwokStages.class.getClassLoader();
    URL dirUrl = loader.getResource(RESOURCE);
    if (dirUrl == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    try {
      if ("file".equals(dirUrl.getProtocol())) {
        for (String f : yamlFiles(Path.of(dirUrl.toURI()))) {
          names.add(Path.of(f).getFileName().toString());
        }
      } else {
        URLConnection conn = dirUrl.openConnection();
        if (conn instanceof JarURLConnection jar) {
          jar.setUseCaches(false);
          try (JarFile jf = jar.getJarFile()) {
            Enumeration<JarEntry> entries = jf.entries();
            while (entries.hasMoreElements()) {
              String n = entries.nextElement().getName();
              if (n.startsWith(RESOURCE) && n.endsWith(".yaml") && n.indexOf('/', RESOURCE.length()) < 0) {
                names.add(n.substring(RESOURCE.length()));
              }
            }
          }
        }
      }
      List<String> out = new ArrayList<>();
      Files.createDirectories(target);
      for (String n : names.stream().sorted().toList()) {
        try (InputStream in = loader.getResourceAsStream(RESOURCE + n)) {
          if (in != null) {
            Path f = target.resolve(n);
            Files.copy(in, f);
            out.add(f.toString());
          }
        }
      }
      return out;
    } catch (IOException | URISyntaxException e) {
      LOG.warn("Could not copy the bundled KWOK stages: {}", e.toString());
      return List.of();
    }
  }
}
