package dev.floe.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.floe.spec.EnvText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * A runner profile: a YAML mapping of Beam pipeline option names to values ({@code runner:
 * FlinkRunner}, {@code parallelism: 2}, ...), mapped to {@link PipelineOptions}. Beam's own
 * {@code --name=value} flags given on the command line override the profile.
 */
public final class RunnerProfile {
  /** Used when no profile is given: runner-profiles/direct.yaml as shipped in the jar. */
  public static final String DEFAULT = "runner-profiles/direct.yaml";

  private RunnerProfile() {}

  /** The options of {@code profile} (null: the default), with {@code overrides} on top. */
  public static PipelineOptions options(
      Path profile, List<String> overrides, Function<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>(read(profile, env));
    for (String o : overrides) {
      String flag = o.startsWith("--") ? o.substring(2) : o;
      int eq = flag.indexOf('=');
      if (eq < 0) {
        values.put(flag, "true");
      } else {
        values.put(flag.substring(0, eq), flag.substring(eq + 1));
      }
    }
    List<String> args = new ArrayList<>();
    values.forEach((k, v) -> args.add("--" + k + "=" + v));
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).create();
  }

  static Map<String, String> read(Path profile, Function<String, String> env) {
    JsonNode root;
    String name = profile == null ? DEFAULT : profile.toString();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (InputStream in = profile == null
        ? RunnerProfile.class.getClassLoader().getResourceAsStream(DEFAULT)
        : Files.newInputStream(profile)) {
      if (in == null) {
        throw new IllegalStateException("the default runner profile " + DEFAULT + " is missing");
      }
      root = yaml.readTree(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read runner profile " + name + ": "
          + e.getMessage());
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
      String raw = e.getValue().isArray() ? join(e.getValue()) : e.getValue().asText();
      EnvText.Expanded expanded = EnvText.expand(raw, env);
      if (!expanded.missing().isEmpty()) {
        throw new IllegalArgumentException(name + ": " + e.getKey() + ": "
            + EnvText.missingMessage(expanded.missing().get(0)));
      }
      values.put(e.getKey(), expanded.text());
    }
    return values;
  }

  private static String join(JsonNode array) {
    List<String> items = new ArrayList<>();
    array.forEach(n -> items.add(n.asText()));
    return String.join(",", items);
  }
}
