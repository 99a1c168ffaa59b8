package dev.floe.config;

import dev.floe.config.StepConfig.FunctionConfig;
import dev.floe.config.StreamingConfig.Trigger;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a pipeline file into a {@link PipelineConfig}, collecting every problem with its file, line
 * and key path. Values may use {@code ${VAR}} and {@code ${VAR:-default}}; {@code --set
 * dotted.key=value} overrides are applied before reading.
 */
public final class PipelineLoader {
  /** Commits less than a second apart would make a snapshot per handful of records. */
  private static final long MIN_TRIGGER_MILLIS = 1000;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Set<String> LOG_LEVELS =
      Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  private final Function<String, String> env;

  public PipelineLoader(Function<String, String> env) {
    this.env = env;
  }

  /** A loader that reads {@code ${VAR}} from the process environment. */
  public static PipelineLoader withSystemEnv() {
    return new PipelineLoader(System::getenv);
  }

  public PipelineConfig load(Path file, List<String> overrides) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(
          List.of(new ConfigProblem(file.toString(), 0, "", "cannot read the file: " + e)));
    }
    return parse(file.toString(), text, overrides);
  }

  public PipelineConfig parse(String file, String text, List<String> overrides) {
    Problems problems = new Problems(file);
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      problems.error(line, "", "not valid YAML: " + e.getProblem());
      throw new ConfigException(problems.errors);
    } catch (YAMLException e) {
      // SnakeYAML's limits (aliases, nesting depth, size) hold a hostile file back
      problems.error(
          0,
          "",
          "not a pipeline file: "
              + e.getMessage()
              + "; a pipeline is a few screens of plain YAML (start from"
              + " pipelines/cloudevents.yaml)");
      throw new ConfigException(problems.errors);
    }
    if (root == null) {
      problems.error(0, "", "the file is empty; start from pipelines/cloudevents.yaml");
      throw new ConfigException(problems.errors);
    }
    for (String override : overrides) {
      Overrides.apply(root, override, problems);
    }
    PipelineConfig spec = read(new Cursor(problems, env, "", root), problems);
    if (!problems.errors.isEmpty()) {
      throw new ConfigException(problems.errors);
    }
    return spec;
  }

  private PipelineConfig read(Cursor root, Problems p) {
    Map<String, Cursor> top =
        root.fields(
            "version",
            "name",
            "title",
            "description",
            "explain",
            "logLevel",
            "streaming",
            "inputs",
            "outputs",
            "steps");
    int version = 1;
    if (top.containsKey("version") && !"1".equals(top.get("version").text())) {
      top.get("version").error("Floe reads version 1 pipelines; write version: 1");
    }
    String name =
        Cursor.required(root, top, "name", "the pipeline id, e.g. name: cloudevents-data");
    if (name != null && !NAME.matcher(name).matches()) {
      top.get("name")
          .error("'" + name + "' is not a pipeline id; use letters, digits, '.', '_' and '-'");
    }
    String logLevel = Cursor.optional(top, "logLevel", "INFO").toUpperCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(logLevel)) {
      top.get("logLevel")
          .error(
              "'"
                  + logLevel
                  + "' is not a log level; use one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
    }
    boolean explain = top.containsKey("explain") && top.get("explain").bool();
    StreamingConfig streaming = streaming(top.get("streaming"));
    InputConfig input = single(root, top, "inputs", "input", InputSection::read);
    OutputConfig output = single(root, top, "outputs", "output", this::output);
    List<StepConfig> steps = new ArrayList<>();
    List<SinkConfig> sinks = new ArrayList<>();
    if (!top.containsKey("steps")) {
      root.error("missing required key 'steps': add a sequence with a sql step and a sink");
    } else {
      for (Cursor step : top.get("steps").elements()) {
        Map<String, Cursor> s = step.fields("sequence", "sink");
        if (s.containsKey("sequence")) {
          s.get("sequence").elements().forEach(c -> steps.add(step(c)));
        }
        if (s.containsKey("sink")) {
          s.get("sink").elements().forEach(c -> sinks.add(SinkSection.read(c)));
        }
      }
    }
    checkGraph(root, top, input, output, steps, sinks);
    SinkConfig sink = sinks.isEmpty() ? null : sinks.get(0);
    return new PipelineConfig(
        p.file,
        version,
        name,
        Cursor.optional(top, "title", null),
        Cursor.optional(top, "description", null),
        explain,
        logLevel,
        streaming,
        input,
        output,
        List.copyOf(steps),
        sink,
        p.warnings);
  }

  private void checkGraph(
      Cursor root,
      Map<String, Cursor> top,
      InputConfig input,
      OutputConfig output,
      List<StepConfig> steps,
      List<SinkConfig> sinks) {
    Cursor where = top.getOrDefault("steps", root);
    if (top.containsKey("steps") && steps.isEmpty()) {
      where.error("no sequence steps; add - sequence: [{name: ..., sql: SELECT ...}]");
    }
    Set<String> names = new HashSet<>();
    if (input != null) {
      names.add(input.name());
    }
    for (StepConfig step : steps) {
      if (step.name() != null && !names.add(step.name())) {
        root.problemAt(step.line(), "steps", "step name '" + step.name() + "' is used twice");
      }
    }
    if (top.containsKey("steps") && sinks.size() != 1) {
      where.error(
          "Floe writes one sink per pipeline, found "
              + sinks.size()
              + "; give exactly one sink entry (one pipeline per table keeps offsets exact)");
      return;
    }
    if (sinks.isEmpty()) {
      return;
    }
    SinkConfig sink = sinks.get(0);
    String at = "steps.sink[0].";
    if (steps.stream().noneMatch(s -> s.name() != null && s.name().equals(sink.sequenceName()))) {
      root.problemAt(
          sink.line(),
          at + "sequenceName",
          "'"
              + sink.sequenceName()
              + "' names no step; use one of "
              + steps.stream().map(StepConfig::name).toList());
    }
    if (output != null && !output.name().equals(sink.outputName())) {
      root.problemAt(
          sink.line(),
          at + "outputName",
          "'" + sink.outputName() + "' names no output; the output is '" + output.name() + "'");
    }
  }

  private StreamingConfig streaming(Cursor c) {
    if (c == null) {
      return StreamingConfig.once();
    }
    Map<String, Cursor> f =
        c.fields(
            "batchMode",
            "triggerMode",
            "checkpointLocation",
            "triggerDuration",
            "maxRecordsPerBatch",
            "maxReadTime");
    if (f.containsKey("batchMode") && !f.get("batchMode").bool()) {
      f.get("batchMode")
          .error("Floe always reads Kafka in bounded batches; remove batchMode or set it to true");
    }
    // an empty triggerDuration is none: how a batch trigger on the command line drops it
    if (f.containsKey("triggerDuration") && blank(f.get("triggerDuration"))) {
      f.remove("triggerDuration");
    }
    Duration every = f.containsKey("triggerDuration") ? f.get("triggerDuration").duration() : null;
    Trigger trigger = trigger(f, every);
    if (every != null && every.toMillis() < MIN_TRIGGER_MILLIS) {
      f.get("triggerDuration")
          .error("a window every " + Durations.describe(every) + " is too often; give at least 1s");
    }
    String checkpoint =
        f.containsKey("checkpointLocation") ? f.get("checkpointLocation").text() : null;
    return new StreamingConfig(
        trigger,
        checkpoint == null || checkpoint.isBlank() ? null : checkpoint,
        f.containsKey("maxRecordsPerBatch") ? f.get("maxRecordsPerBatch").positiveLong() : null,
        f.containsKey("maxReadTime") ? f.get("maxReadTime").duration() : null,
        trigger == Trigger.PROCESSING_TIME ? every : null);
  }

  private static boolean blank(Cursor c) {
    return c.node instanceof org.yaml.snakeyaml.nodes.ScalarNode s && s.getValue().isBlank();
  }

  /**
   * The trigger, as Spark reads it: {@code triggerDuration} alone means ProcessingTime; Once and
   * AvailableNow take none; ProcessingTime needs one.
   */
  private static Trigger trigger(Map<String, Cursor> f, Duration every) {
    if (!f.containsKey("triggerMode")) {
      return f.containsKey("triggerDuration") ? Trigger.PROCESSING_TIME : Trigger.ONCE;
    }
    Cursor mode = f.get("triggerMode");
    String t = mode.text();
    Trigger trigger = t == null ? null : Trigger.parse(t);
    if (trigger == null) {
      if (t != null && t.trim().equalsIgnoreCase("continuous")) {
        mode.error(
            "Continuous (Spark's experimental continuous processing) is not supported; use"
                + " triggerMode: ProcessingTime with a triggerDuration such as \"20 seconds\":"
                + " a window is committed every triggerDuration, exactly once");
      } else if (t != null) {
        mode.error("'" + t + "' is not a trigger mode; use " + Trigger.CHOICES);
      }
      return Trigger.ONCE;
    }
    if (trigger == Trigger.PROCESSING_TIME && !f.containsKey("triggerDuration")) {
      mode.error(
          "ProcessingTime needs streaming.triggerDuration, how often a window is committed: "
              + Durations.EXAMPLES);
    }
    if (trigger != Trigger.PROCESSING_TIME && f.containsKey("triggerDuration")) {
      f.get("triggerDuration")
          .error(
              "triggerDuration belongs to triggerMode: ProcessingTime (a window committed every"
                  + " triggerDuration); with "
                  + trigger.configName()
                  + " remove it, or set triggerMode: ProcessingTime");
    }
    return trigger;
  }

  private OutputConfig output(Cursor c) {
    Map<String, Cursor> f = c.fields("name", "catalog", "namespace");
    String name =
        Cursor.required(c, f, "name", "the name a sink's outputName refers to, e.g. output01");
    String namespace = Cursor.identifier(c, f, "namespace", "the Iceberg namespace, e.g. sys01");
    Map<String, String> catalog = new LinkedHashMap<>();
    if (!f.containsKey("catalog")) {
      c.error(
          "missing required key 'catalog'; e.g. catalog: {type: hadoop, warehouse: ./warehouse}");
    } else {
      catalog.putAll(f.get("catalog").stringMap());
      if (!catalog.containsKey("type") && !catalog.containsKey("catalog-impl")) {
        f.get("catalog")
            .error(
                "give the catalog's type (hadoop, rest, jdbc, hive, glue, nessie) or catalog-impl");
      } else if ("hadoop".equals(catalog.get("type")) && !catalog.containsKey("warehouse")) {
        f.get("catalog")
            .error(
                "a hadoop catalog needs a warehouse, e.g. warehouse: ${FLOE_WAREHOUSE:-./warehouse}");
      }
    }
    Secrets.remember(catalog);
    return new OutputConfig(name, Map.copyOf(catalog), namespace);
  }

  private StepConfig step(Cursor c) {
    Map<String, Cursor> f = c.fields("name", "sql", "functions");
    String name = Cursor.required(c, f, "name", "the step's name, used by sink sequenceName");
    String sql = Cursor.required(c, f, "sql", "e.g. sql: SELECT * FROM input_cloudevents");
    List<FunctionConfig> functions = new ArrayList<>();
    if (f.containsKey("functions")) {
      for (Cursor fn : f.get("functions").elements()) {
        Map<String, Cursor> ff = fn.fields("name", "columns");
        String fname = Cursor.required(fn, ff, "name", "the function, e.g. set_type");
        if (fname != null && !"set_type".equals(fname)) {
          ff.get("name").error("'" + fname + "' is not a function Floe knows; use set_type");
        }
        Map<String, FieldType> columns = new LinkedHashMap<>();
        if (!ff.containsKey("columns")) {
          fn.error("missing required key 'columns', e.g. columns: {time: timestamp}");
        } else {
          for (Map.Entry<String, Cursor> e : ff.get("columns").entries().entrySet()) {
            FieldType type = Cursor.fieldType(e.getValue());
            if (type != null) {
              columns.put(e.getKey(), type);
            }
          }
        }
        functions.add(new FunctionConfig(fname, Map.copyOf(columns), fn.keyLine()));
      }
    }
    return new StepConfig(name, sql, List.copyOf(functions), c.keyLine());
  }

  private <T> T single(
      Cursor root, Map<String, Cursor> top, String key, String what, Function<Cursor, T> read) {
    if (!top.containsKey(key)) {
      root.error("missing required key '" + key + "': a list with one " + what);
      return null;
    }
    List<Cursor> items = top.get(key).elements();
    if (items.size() != 1) {
      top.get(key).error("Floe takes exactly one " + what + " per pipeline, found " + items.size());
    }
    return items.isEmpty() ? null : read.apply(items.get(0));
  }
}
