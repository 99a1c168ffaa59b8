package dev.floe.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;
import org.junit.jupiter.api.Test;

class OptionsRegistryTest {
  private final ClassLoader floe = OptionsRegistryTest.class.getClassLoader();

  @Test
  void everyRegistrarLeftOutIsOneTheJarCarries() throws IOException {
    // a registrar Beam renamed would silently be registered again: the list must name real ones
    assertThat(providers(Collections.list(floe.getResources(OptionsRegistry.REGISTRARS))))
        .containsAll(OptionsRegistry.UNUSED);
  }

  @Test
  void theRegistryListsTheRunnersOptionsButNotTheUnusedOnes() {
    ClassLoader loader = new OptionsRegistry.WithoutUnusedRegistrars(floe);
    List<String> registrars = new ArrayList<>();
    List<Class<?>> interfaces = new ArrayList<>();
    for (PipelineOptionsRegistrar r : ServiceLoader.load(PipelineOptionsRegistrar.class, loader)) {
      registrars.add(r.getClass().getName());
      r.getPipelineOptions().forEach(interfaces::add);
    }
    assertThat(registrars)
        .doesNotContainAnyElementsOf(OptionsRegistry.UNUSED)
        .contains(
            "org.apache.beam.runners.direct.DirectRegistrar$Options",
            "org.apache.beam.runners.flink.FlinkRunnerRegistrar$Options",
            "org.apache.beam.runners.spark.SparkRunnerRegistrar$Options");
    // the classes are the application's: options built from them are the ones runners cast to
    assertThat(interfaces).contains(FlinkPipelineOptions.class);
  }

  private static List<String> providers(List<URL> lists) throws IOException {
    List<String> names = new ArrayList<>();
    for (URL list : lists) {
      try (InputStream in = list.openStream()) {
        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
          String name = line.replaceFirst("#.*", "").trim();
          if (!name.isEmpty()) {
            names.add(name);
          }
        }
      }
    }
    return names;
  }
}
