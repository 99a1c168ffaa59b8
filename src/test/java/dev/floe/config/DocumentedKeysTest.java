package dev.floe.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Every key a shipped pipeline uses is in docs/pipeline-reference.md. */
class DocumentedKeysTest {
  /** Mappings whose keys are names from elsewhere (Iceberg, Kafka) or the user's own columns. */
  private static final Set<String> FREE_FORM = Set.of("properties", "catalog", "fields", "columns");

  @Test
  void everyKeyOfTheShippedPipelinesIsDocumented() throws IOException {
    String doc = Files.readString(Path.of("docs/pipeline-reference.md"));
    Set<String> keys = new TreeSet<>();
    try (Stream<Path> pipelines = Files.list(Path.of("pipelines"))) {
      for (Path p : pipelines.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        collect(new Yaml().load(Files.readString(p)), keys);
      }
    }
    assertThat(keys).contains("sequenceName", "startingOffsets", "partitionSpec");
    assertThat(keys)
        .allSatisfy(
            key ->
                assertThat(
                        Pattern.compile("[`.]" + Pattern.quote(key) + "[`.\\[]")
                            .matcher(doc)
                            .find())
                    .as("docs/pipeline-reference.md documents `%s`", key)
                    .isTrue());
  }

  private static void collect(Object node, Set<String> keys) {
    if (node instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> {
            keys.add(String.valueOf(k));
            if (!FREE_FORM.contains(String.valueOf(k))) {
              collect(v, keys);
            }
          });
    } else if (node instanceof List<?> list) {
      list.forEach(item -> collect(item, keys));
    }
  }
}
