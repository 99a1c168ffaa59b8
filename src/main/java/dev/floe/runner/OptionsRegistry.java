package dev.floe.runner;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Beam's registry of pipeline options, built without the options of runners and environments that
 * Floe never runs.
 *
 * <p>Beam builds the registry once per JVM, when its options factory is first used: it loads every
 * registered options interface and checks each against all the ones before it, sorting their
 * methods by their printed signatures, so its cost grows with the square of their number. It is on
 * the way of every run's start: the main thread has planned the batch before the registry is done.
 * Four of the registrars in Floe's jar serve what Floe does not run: Beam's Spark structured
 * streaming runner (Floe runs Beam's Spark runner), the Docker and remote environments of portable
 * runners, and cross-language transforms. Beam finds registrars through the thread's context class
 * loader, so the registry is built under a loader that leaves those four out of the registrars'
 * list; every class still comes from Floe's own loader. An options interface left out still works
 * when code asks for it ({@code options.as(...)}); only its flags are unknown on the command line.
 */
public final class OptionsRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(OptionsRegistry.class);

  /** Where registrars of options interfaces are listed, one file per jar. */
  static final String REGISTRARS =
      "META-INF/services/org.apache.beam.sdk.options.PipelineOptionsRegistrar";

  /** The registrars Floe's jar carries for runners and environments Floe does not run. */
  static final Set<String> UNUSED =
      Set.of(
          "org.apache.beam.runners.spark.structuredstreaming"
              + ".SparkStructuredStreamingRunnerRegistrar$Options",
          "org.apache.beam.sdk.options.ManualDockerEnvironmentOptions$Options",
          "org.apache.beam.sdk.options.RemoteEnvironmentOptions$Options",
          "org.apache.beam.sdk.util.construction.ExternalTranslationOptionsRegistrar");

  private OptionsRegistry() {}

  /**
   * Builds Beam's registry on this thread, unless it was built already (then nothing happens: Beam
   * keeps the first).
   */
  static void build() {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    ClassLoader floe = OptionsRegistry.class.getClassLoader();
    thread.setContextClassLoader(new WithoutUnusedRegistrars(previous == null ? floe : previous));
    try {
      LOG.debug("{} options interfaces", PipelineOptionsFactory.getRegisteredOptions().size());
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** The class names a service list names, one per line, without comments. */
  static List<String> providers(URL list) throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream in = list.openStream()) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String name = line.replaceFirst("#.*", "").trim();
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
    }
    return names;
  }

  /** A class loader that lists the registrars of its parent but those {@link #UNUSED}. */
  static final class WithoutUnusedRegistrars extends ClassLoader {
    WithoutUnusedRegistrars(ClassLoader parent) {
      super(parent);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      Enumeration<URL> all = super.getResources(name);
      if (!REGISTRARS.equals(name)) {
        return all;
      }
      StringBuilder kept = new StringBuilder();
      for (URL list : Collections.list(all)) {
        for (String provider : providers(list)) {
          if (!UNUSED.contains(provider)) {
            kept.append(provider).append('\n');
          }
        }
      }
      return Collections.enumeration(List.of(inMemory(kept.toString())));
    }

    private static URL inMemory(String text) throws MalformedURLException {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      URLStreamHandler handler =
          new URLStreamHandler() {
            @Override
            protected URLConnection openConnection(URL url) {
              return new URLConnection(url) {
                @Override
                public void connect() {}

                @Override
                public InputStream getInputStream() {
                  return new ByteArrayInputStream(bytes);
                }
              };
            }
          };
      return new URL(null, "floe-registrars:" + REGISTRARS, handler);
    }
  }
}
