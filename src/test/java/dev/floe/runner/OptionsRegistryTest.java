package dev.floe.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
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
    List<String> listed = new ArrayList<>();
    for (URL list : Collections.list(floe.getResources(OptionsRegistry.REGISTRARS))) {
      listed.addAll(OptionsRegistry.providers(list));
    }
    assertThat(listed).containsAll(OptionsRegistry.UNUSED);
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
}
