package dev.floe.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.floe.config.EnvText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * A runner profile: a YAML mapping of Beam pipeline option names to values ({@code runner:
 * FlinkRunner}, {@code parallelism: 2}, ...), mapped to {@link PipelineOptions}. Beam's own {@code
 * --name=value} flags given on the command line override the profile.
 *
 * <p>{@link FloeOptions} adds Floe's own keys ({@code writeDistribution}). One key is not a Beam
 * option: {@code flinkConfiguration}, a mapping of Flink configuration keys ({@code
 * restart-strategy.type: fixed-delay}, ...). Beam's Flink runner reads Flink's configuration only
 * from a directory ({@code flinkConfDir}), so Floe writes the mapping to a {@code config.yaml} in a
 * temporary directory and points {@code flinkConfDir} at it.
 */
public final class RunnerProfile {
  /** Used when no profile is given: runner-profiles/direct.yaml as shipped in the jar. */
  public static final String DEFAULT = "runner-profiles/direct.yaml";

  private static final String FLINK_CONFIGURATION = "flinkConfiguration";
  private static final String FLINK_CONF_DIR = "flinkConfDir";
  private static final String MANAGED_MEMORY_SIZE = "taskmanager.memory.managed.size";
  private static final String MANAGED_MEMORY_FRACTION = "taskmanager.memory.managed.fraction";
  private static final double DEFAULT_MANAGED_FRACTION = 0.4;
  private static final String BATCH_SHUFFLE_READ_MEMORY =
      "taskmanager.memory.framework.off-heap.batch-shuffle.size";

  static {
    OptionsRegistry.build();
    PipelineOptionsFactory.register(FloeOptions.class);
  }

  private RunnerProfile() {}

  /** A continuous run: its window, and where a streaming runner keeps its checkpoints. */
  public record Continuous(Duration window, Path checkpoints) {}

  /** The options of a batch run; see {@link #options(Path, List, String, Function, Continuous)}. */
  public static PipelineOptions options(
      Path profile, List<String> overrides, String pipelineName, Function<String, String> env) {
    return options(profile, overrides, pipelineName, env, null);
  }

  /**
   * The options of {@code profile} (null: the default), with {@code overrides} on top. Unless one
   * of them names the job, it is {@code floe-<pipeline name>}: what a Flink or Spark UI and the
   * Dataflow console show.
   */
  public static PipelineOptions options(
      Path profile,
      List<String> overrides,
      String pipelineName,
      Function<String, String> env,
      Continuous continuous) {
    Map<String, String> flinkConfiguration = new LinkedHashMap<>();
    Map<String, String> values = new LinkedHashMap<>(read(profile, env, flinkConfiguration));
    if (continuous != null) {
      String runner = values.get("runner");
      Runners.continuousDefaults(runner, continuous.window(), continuous.checkpoints())
          .forEach(values::putIfAbsent);
      // a profile's bundles and copies are set for batches (see continuousOverrides)
      values.putAll(Runners.continuousOverrides(runner));
    }
    for (String o : overrides) {
      String flag = o.startsWith("--") ? o.substring(2) : o;
      int eq = flag.indexOf('=');
      if (eq < 0) {
        values.put(flag, "true");
      } else {
        values.put(flag.substring(0, eq), flag.substring(eq + 1));
      }
    }
    if (Runners.FLINK.equals(values.get("runner"))
        && Runners.FLINK_EMBEDDED.equals(values.get("flinkMaster"))) {
      // Beam's embedded Flink runs everything in one task unless told otherwise
      values.putIfAbsent("parallelism", String.valueOf(Runtime.getRuntime().availableProcessors()));
      if (!values.containsKey(FLINK_CONF_DIR)) {
        flinkConfiguration.computeIfAbsent(
            MANAGED_MEMORY_SIZE,
            k -> managedMemory(profile, flinkConfiguration.get(MANAGED_MEMORY_FRACTION)));
        // Flink allocates and zeroes its batch shuffles' read buffers (64 MB unless configured)
        // in the first task that has a shuffle to write, while the other tasks wait for it: on the
        // way of every batch, whose shuffles carry lists of files (rows too with distribution
        // hash, which still reads four requests at once from 16 MB)
        flinkConfiguration.putIfAbsent(BATCH_SHUFFLE_READ_MEMORY, "16m");
      }
    }
    if (Runners.SPARK.equals(values.get("runner"))) {
      values.computeIfPresent("sparkMaster", (k, master) -> Runners.sparkMaster(master));
    }
    if (Runners.DIRECT.equals(values.get("runner"))) {
      values.putIfAbsent("targetParallelism", String.valueOf(Runners.directParallelism()));
    }
    values.putIfAbsent(
        "jobName", "floe-" + pipelineName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-"));
    if (!flinkConfiguration.isEmpty()) {
      if (values.containsKey(FLINK_CONF_DIR)) {
        throw new IllegalArgumentException(
            name(profile)
                + ": both "
                + FLINK_CONFIGURATION
                + " and "
                + FLINK_CONF_DIR
                + " are set; keep one (Beam's Flink runner reads one"
                + " configuration directory)");
      }
      values.put(FLINK_CONF_DIR, writeFlinkConfiguration(flinkConfiguration).toString());
    }
    List<String> args = new ArrayList<>();
    values.forEach((k, v) -> args.add("--" + k + "=" + v));
    PipelineOptions options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).create();
    try {
      FloeOptions.writeDistribution(options);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name(profile) + ": " + e.getMessage());
    }
    return options;
  }

  /**
   * Embedded Flink's managed memory (what its batch sorts use) when the profile does not size it:
   * {@code taskmanager.memory.managed.fraction} (Flink's default 0.4) of the heap. Left unset, Beam
   * computes nearly the same from the free heap, measured after a full garbage collection it asks
   * for ({@code System.gc()}, on the path of every run's start-up).
   */
  static String managedMemory(Path profile, String fraction) {
    double f = DEFAULT_MANAGED_FRACTION;
    if (fraction != null) {
      try {
        f = Double.parseDouble(fraction.trim());
      } catch (NumberFormatException e) {
        f = -1;
      }
      if (!(f >= 0 && f < 1)) {
        throw new IllegalArgumentException(
            name(profile)
                + ": "
                + FLINK_CONFIGURATION
                + "."
                + MANAGED_MEMORY_FRACTION
                + " is '"
                + fraction
                + "'; give a fraction of the heap"
                + " between 0 and 1, such as 0.4");
      }
    }
    return String.valueOf((long) (Runtime.getRuntime().maxMemory() * f));
  }

  private static String name(Path profile) {
    return profile == null ? DEFAULT : profile.toString();
  }

  private static Path writeFlinkConfiguration(Map<String, String> configuration) {
    try {
      Path dir = Files.createTempDirectory("floe-flink-conf");
      // deleted at exit in the reverse order of these calls: the file first, then its directory
      dir.toFile().deleteOnExit();
      Path file = dir.resolve("config.yaml");
      file.toFile().deleteOnExit();
      new ObjectMapper(new YAMLFactory()).writeValue(file.toFile(), configuration);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Flink configuration of the profile", e);
    }
  }

  static Map<String, String> read(Path profile, Function<String, String> env) {
    return read(profile, env, new LinkedHashMap<>());
  }

  private static Map<String, String> read(
      Path profile, Function<String, String> env, Map<String, String> flinkConfiguration) {
    JsonNode root;
    String name = name(profile);
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (InputStream in =
        profile == null
            ? RunnerProfile.class.getClassLoader().getResourceAsStream(DEFAULT)
            : Files.newInputStream(profile)) {
      if (in == null) {
        throw new IllegalStateException("the default runner profile " + DEFAULT + " is missing");
      }
      root = yaml.readTree(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read runner profile " + name + ": " + e.getMessage());
    }
    Map<String, String> values = new LinkedHashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return values;
    }
    if (!root.isObject()) {
      throw new IllegalArgumentException(
          name + ": a runner profile is a mapping of Beam option names to values");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals(FLINK_CONFIGURATION)) {
        if (!e.getValue().isObject()) {
          throw new IllegalArgumentException(
              name
                  + ": "
                  + FLINK_CONFIGURATION
                  + " is a mapping of Flink configuration keys to values, e.g."
                  + " restart-strategy.type: fixed-delay");
        }
        e.getValue()
            .fields()
            .forEachRemaining(
                c ->
                    flinkConfiguration.put(
                        c.getKey(),
                        expand(
                            name,
                            FLINK_CONFIGURATION + "." + c.getKey(),
                            c.getValue().asText(),
                            env)));
        continue;
      }
      if (e.getValue().isObject()) {
        throw new IllegalArgumentException(
            name
                + ": "
                + e.getKey()
                + ": a Beam option takes a"
                + " value or a list, not a mapping (only "
                + FLINK_CONFIGURATION
                + " is a mapping)");
      }
      String raw = e.getValue().isArray() ? join(e.getValue()) : e.getValue().asText();
      values.put(e.getKey(), expand(name, e.getKey(), raw, env));
    }
    return values;
  }

  private static String expand(String name, String key, String raw, Function<String, String> env) {
    EnvText.Expanded expanded = EnvText.expand(raw, env);
    if (!expanded.missing().isEmpty()) {
      throw new IllegalArgumentException(
          name + ": " + key + ": " + EnvText.missingMessage(expanded.missing().get(0)));
    }
    return expanded.text();
  }

  private static String join(JsonNode array) {
    List<String> items = new ArrayList<>();
    array.forEach(n -> items.add(n.asText()));
    return String.join(",", items);
  }
}
