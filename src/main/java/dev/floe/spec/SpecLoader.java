package dev.floe.spec;

import dev.floe.spec.SinkSpec.OverwriteMode;
import dev.floe.spec.SinkSpec.PartitionFieldSpec;
import dev.floe.spec.SinkSpec.Distribution;
import dev.floe.spec.SinkSpec.SaveMode;
import dev.floe.spec.StepSpec.FunctionSpec;
import dev.floe.spec.StreamingSpec.Trigger;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
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
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a pipeline file into a {@link PipelineSpec}, collecting every problem with its file, line
 * and key path. Values may use {@code ${VAR}} and {@code ${VAR:-default}}; {@code --set
 * dotted.key=value} overrides are applied before reading.
 */
public final class SpecLoader {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Set<String> LOG_LEVELS =
      Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
  private static final List<String> PARTITION_TYPES =
      List.of("identity", "year", "month", "day", "hour", "bucket", "truncate");
  private static final String OVERWRITE_MODE = "overwrite-mode";

  private final Function<String, String> env;

  public SpecLoader(Function<String, String> env) {
    this.env = env;
  }

  /** A loader that reads {@code ${VAR}} from the process environment. */
  public static SpecLoader withSystemEnv() {
    return new SpecLoader(System::getenv);
  }

  public PipelineSpec load(Path file, List<String> overrides) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new SpecException(
          List.of(new SpecProblem(file.toString(), 0, "", "cannot read the file: " + e)));
    }
    return parse(file.toString(), text, overrides);
  }

  public PipelineSpec parse(String file, String text, List<String> overrides) {
    Problems problems = new Problems(file);
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      problems.error(line, "", "not valid YAML: " + e.getProblem());
      throw new SpecException(problems.errors);
    }
    if (root == null) {
      problems.error(0, "", "the file is empty; start from pipelines/cloudevents.yaml");
      throw new SpecException(problems.errors);
    }
    for (String override : overrides) {
      Overrides.apply(root, override, problems);
    }
    PipelineSpec spec = read(new Cursor(problems, env, "", root), problems);
    if (!problems.errors.isEmpty()) {
      throw new SpecException(problems.errors);
    }
    return spec;
  }

  private PipelineSpec read(Cursor root, Problems p) {
    Map<String, Cursor> top =
        root.fields(
            "version", "name", "title", "description", "explain", "logLevel", "streaming",
            "inputs", "outputs", "steps");
    int version = 1;
    if (top.containsKey("version") && !"1".equals(top.get("version").text())) {
      top.get("version").error("Floe reads version 1 pipelines; write version: 1");
    }
    String name = required(root, top, "name", "the pipeline id, e.g. name: cloudevents-data");
    if (name != null && !NAME.matcher(name).matches()) {
      top.get("name").error(
          "'" + name + "' is not a pipeline id; use letters, digits, '.', '_' and '-'");
    }
    String logLevel = optional(top, "logLevel", "INFO").toUpperCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(logLevel)) {
      top.get("logLevel").error(
          "'" + logLevel + "' is not a log level; use one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
    }
    boolean explain = top.containsKey("explain") && top.get("explain").bool();
    StreamingSpec streaming = streaming(top.get("streaming"));
    InputSpec input = single(root, top, "inputs", "input", this::input);
    OutputSpec output = single(root, top, "outputs", "output", this::output);
    List<StepSpec> steps = new ArrayList<>();
    List<SinkSpec> sinks = new ArrayList<>();
    if (!top.containsKey("steps")) {
      root.error("missing required key 'steps': add a sequence with a sql step and a sink");
    } else {
      for (Cursor step : top.get("steps").elements()) {
        Map<String, Cursor> s = step.fields("sequence", "sink");
        if (s.containsKey("sequence")) {
          s.get("sequence").elements().forEach(c -> steps.add(step(c)));
        }
        if (s.containsKey("sink")) {
          s.get("sink").elements().forEach(c -> sinks.add(sink(c)));
        }
      }
    }
    checkGraph(root, top, input, output, steps, sinks);
    SinkSpec sink = sinks.isEmpty() ? null : sinks.get(0);
    return new PipelineSpec(
        p.file,
        version,
        name,
        optional(top, "title", null),
        optional(top, "description", null),
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
      InputSpec input,
      OutputSpec output,
      List<StepSpec> steps,
      List<SinkSpec> sinks) {
    Cursor where = top.getOrDefault("steps", root);
    if (top.containsKey("steps") && steps.isEmpty()) {
      where.error("no sequence steps; add - sequence: [{name: ..., sql: SELECT ...}]");
    }
    Set<String> names = new HashSet<>();
    if (input != null) {
      names.add(input.name());
    }
    for (StepSpec step : steps) {
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
    SinkSpec sink = sinks.get(0);
    String at = "steps.sink[0].";
    if (steps.stream().noneMatch(s -> s.name() != null && s.name().equals(sink.sequenceName()))) {
      root.problemAt(sink.line(), at + "sequenceName",
          "'"
              + sink.sequenceName()
              + "' names no step; use one of "
              + steps.stream().map(StepSpec::name).toList());
    }
    if (output != null && !output.name().equals(sink.outputName())) {
      root.problemAt(sink.line(), at + "outputName",
          "'"
              + sink.outputName()
              + "' names no output; the output is '"
              + output.name()
              + "'");
    }
  }

  private StreamingSpec streaming(Cursor c) {
    if (c == null) {
      return new StreamingSpec(Trigger.ONCE, null, null, null);
    }
    Map<String, Cursor> f =
        c.fields(
            "batchMode", "triggerMode", "checkpointLocation", "triggerDuration",
            "maxRecordsPerBatch", "maxReadTime");
    if (f.containsKey("batchMode") && !f.get("batchMode").bool()) {
      f.get("batchMode").error(
          "Floe always reads Kafka in bounded batches; remove batchMode or set it to true");
    }
    if (f.containsKey("triggerDuration")) {
      f.get("triggerDuration").error(
          "continuous mode (triggerDuration) is not supported yet; use triggerMode: Once on a"
              + " schedule, or AvailableNow");
    }
    Trigger trigger = Trigger.ONCE;
    if (f.containsKey("triggerMode")) {
      String t = f.get("triggerMode").text();
      String key = t == null ? "" : t.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
      switch (key) {
        case "once" -> trigger = Trigger.ONCE;
        case "availablenow" -> trigger = Trigger.AVAILABLE_NOW;
        default -> f.get("triggerMode").error(
            "'" + t + "' is not a trigger mode; use Once or AvailableNow");
      }
    }
    String checkpoint = f.containsKey("checkpointLocation") ? f.get("checkpointLocation").text() : null;
    return new StreamingSpec(
        trigger,
        checkpoint == null || checkpoint.isBlank() ? null : checkpoint,
        f.containsKey("maxRecordsPerBatch") ? f.get("maxRecordsPerBatch").positiveLong() : null,
        f.containsKey("maxReadTime") ? f.get("maxReadTime").duration() : null);
  }

  private InputSpec input(Cursor c) {
    Map<String, Cursor> f =
        c.fields("name", "format", "kafka", "isStream", "options", "schemaRegistryUrl", "data",
            "maxValueBytes");
    String name = required(c, f, "name", "the name steps use in FROM, e.g. input_cloudevents");
    String format = optional(f, "format", "cloudevents");
    if (!"cloudevents".equals(format)) {
      f.get("format").error("'" + format + "' is not a supported format; use cloudevents");
    }
    if (f.containsKey("isStream") && f.get("isStream").bool()) {
      f.get("isStream").error(
          "Floe reads the input as bounded batches; set isStream: false and choose batches with"
              + " streaming.triggerMode");
    }
    String bootstrap = null;
    String topic = null;
    Map<String, String> consumer = new LinkedHashMap<>();
    if (!f.containsKey("kafka")) {
      c.error("missing required key 'kafka' (bootstrapServers, topic)");
    } else {
      Cursor kafka = f.get("kafka");
      Map<String, Cursor> k = kafka.fields("bootstrapServers", "topic", "properties");
      bootstrap = required(kafka, k, "bootstrapServers", "e.g. ${KAFKA_BOOTSTRAP:-localhost:9092}");
      topic = required(kafka, k, "topic", "e.g. ${KAFKA_TOPIC:-cloudevents}");
      if (k.containsKey("properties")) {
        consumer.putAll(k.get("properties").stringMap());
      }
    }
    StartingOffsets starting = StartingOffsets.EARLIEST;
    boolean failOnDataLoss = true;
    boolean deadLetterTombstones = false;
    if (f.containsKey("options")) {
      for (Map.Entry<String, Cursor> o : f.get("options").entries().entrySet()) {
        if (o.getKey().equals("startingOffsets")) {
          starting = startingOffsets(o.getValue());
        } else if (o.getKey().equals("failOnDataLoss")) {
          failOnDataLoss = o.getValue().bool();
        } else if (o.getKey().equals("tombstones")) {
          String t = o.getValue().text();
          if ("dead-letter".equals(t)) {
            deadLetterTombstones = true;
          } else if (!"skip".equals(t)) {
            o.getValue().error("'" + t + "' is not a way to handle tombstones (records with a null"
                + " value); use skip (count them, write nothing: the default) or dead-letter");
          }
        } else if (o.getKey().startsWith("kafka.")) {
          consumer.put(o.getKey().substring("kafka.".length()), o.getValue().text());
        } else {
          String near = Cursor.nearest(o.getKey(),
              List.of("startingOffsets", "failOnDataLoss", "tombstones"));
          o.getValue().error(
              "unknown option; "
                  + (near == null ? "" : "did you mean '" + near + "'? ")
                  + "options are startingOffsets, failOnDataLoss, tombstones and"
                  + " kafka.<consumer property>");
        }
      }
    }
    String registry = f.containsKey("schemaRegistryUrl") ? f.get("schemaRegistryUrl").text() : null;
    if (registry != null && !registry.isBlank()) {
      f.get("schemaRegistryUrl").warn(
          "not used: CloudEvents in JSON carry their own structure; declare data fields under"
              + " data.fields instead");
    }
    long maxValueBytes = InputSpec.DEFAULT_MAX_VALUE_BYTES;
    if (f.containsKey("maxValueBytes")) {
      Long v = f.get("maxValueBytes").positiveLong();
      maxValueBytes = v == null ? maxValueBytes : v;
    }
    LinkedHashMap<String, FieldType> fields = new LinkedHashMap<>();
    boolean keepJson = true;
    if (f.containsKey("data")) {
      Map<String, Cursor> d = f.get("data").fields("fields", "keepJson");
      if (d.containsKey("fields")) {
        for (Map.Entry<String, Cursor> e : d.get("fields").entries().entrySet()) {
          FieldType type = fieldType(e.getValue());
          if (InputSpec.CLOUDEVENTS_COLUMNS.contains(e.getKey())) {
            e.getValue().error(
                "'" + e.getKey() + "' is already a column of every CloudEvent; rename it with SQL");
          } else if (type != null) {
            fields.put(e.getKey(), type);
          }
        }
      }
      keepJson = !d.containsKey("keepJson") || d.get("keepJson").bool();
    }
    return new InputSpec(
        name, format, bootstrap, topic, Map.copyOf(consumer), starting, registry, fields, keepJson,
        failOnDataLoss, maxValueBytes, deadLetterTombstones);
  }

  private static StartingOffsets startingOffsets(Cursor c) {
    String t = c.text();
    if ("earliest".equalsIgnoreCase(t)) {
      return StartingOffsets.EARLIEST;
    }
    if ("latest".equalsIgnoreCase(t)) {
      return StartingOffsets.LATEST;
    }
    try {
      Instant at = OffsetDateTime.parse(t).toInstant();
      return new StartingOffsets(StartingOffsets.Kind.TIMESTAMP, at);
    } catch (DateTimeParseException | NullPointerException e) {
      c.error(
          "'" + t + "' is not earliest, latest or an RFC 3339 time such as 2026-11-24T00:00:00Z");
      return StartingOffsets.EARLIEST;
    }
  }

  private OutputSpec output(Cursor c) {
    Map<String, Cursor> f = c.fields("name", "catalog", "namespace");
    String name = required(c, f, "name", "the name a sink's outputName refers to, e.g. output01");
    String namespace = required(c, f, "namespace", "the Iceberg namespace, e.g. sys01");
    Map<String, String> catalog = new LinkedHashMap<>();
    if (!f.containsKey("catalog")) {
      c.error("missing required key 'catalog'; e.g. catalog: {type: hadoop, warehouse: ./warehouse}");
    } else {
      catalog.putAll(f.get("catalog").stringMap());
      if (!catalog.containsKey("type") && !catalog.containsKey("catalog-impl")) {
        f.get("catalog").error(
            "give the catalog's type (hadoop, rest, jdbc, hive, glue, nessie) or catalog-impl");
      } else if ("hadoop".equals(catalog.get("type")) && !catalog.containsKey("warehouse")) {
        f.get("catalog").error(
            "a hadoop catalog needs a warehouse, e.g. warehouse: ${FLOE_WAREHOUSE:-./warehouse}");
      }
    }
    return new OutputSpec(name, Map.copyOf(catalog), namespace);
  }

  private StepSpec step(Cursor c) {
    Map<String, Cursor> f = c.fields("name", "sql", "functions");
    String name = required(c, f, "name", "the step's name, used by sink sequenceName");
    String sql = required(c, f, "sql", "e.g. sql: SELECT * FROM input_cloudevents");
    List<FunctionSpec> functions = new ArrayList<>();
    if (f.containsKey("functions")) {
      for (Cursor fn : f.get("functions").elements()) {
        Map<String, Cursor> ff = fn.fields("name", "columns");
        String fname = required(fn, ff, "name", "the function, e.g. set_type");
        if (fname != null && !"set_type".equals(fname)) {
          ff.get("name").error("'" + fname + "' is not a function Floe knows; use set_type");
        }
        Map<String, FieldType> columns = new LinkedHashMap<>();
        if (!ff.containsKey("columns")) {
          fn.error("missing required key 'columns', e.g. columns: {time: timestamp}");
        } else {
          for (Map.Entry<String, Cursor> e : ff.get("columns").entries().entrySet()) {
            FieldType type = fieldType(e.getValue());
            if (type != null) {
              columns.put(e.getKey(), type);
            }
          }
        }
        functions.add(new FunctionSpec(fname, Map.copyOf(columns), fn.keyLine()));
      }
    }
    return new StepSpec(name, sql, List.copyOf(functions), c.keyLine());
  }

  private SinkSpec sink(Cursor c) {
    Map<String, Cursor> f =
        c.fields(
            "sequenceName", "datasetName", "outputName", "outputType", "title", "description",
            "outputOptions", "tags");
    String sequence = required(c, f, "sequenceName", "the step whose rows are written");
    String dataset = required(c, f, "datasetName", "the table name, e.g. cloudevents");
    String outputName = required(c, f, "outputName", "the output (catalog) to write to");
    String type = optional(f, "outputType", "Iceberg");
    if (!"iceberg".equalsIgnoreCase(type)) {
      f.get("outputType").error("'" + type + "' is not an output type Floe writes; use Iceberg");
    }
    SaveMode saveMode = SaveMode.APPEND;
    OverwriteMode overwriteMode = OverwriteMode.DYNAMIC;
    Map<String, String> properties = new LinkedHashMap<>();
    List<PartitionFieldSpec> partitions = new ArrayList<>();
    Cursor modeAt = c;
    String deadLetterTable = null;
    Double maxDeadLetterRatio = null;
    Distribution distribution = null;
    if (f.containsKey("outputOptions")) {
      Map<String, Cursor> o = f.get("outputOptions").fields("saveMode", "iceberg",
          "deadLetterTable", "maxDeadLetterRatio", "distribution");
      if (o.containsKey("deadLetterTable")) {
        deadLetterTable = o.get("deadLetterTable").text();
        if (deadLetterTable != null && !deadLetterTable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          o.get("deadLetterTable").error("'" + deadLetterTable + "' is not a table name; use"
              + " letters, digits and underscores, e.g. " + dataset + "_dlq (the namespace is the"
              + " output's)");
        }
      }
      if (o.containsKey("maxDeadLetterRatio")) {
        maxDeadLetterRatio = ratio(o.get("maxDeadLetterRatio"));
      }
      if (o.containsKey("distribution")) {
        String d = o.get("distribution").text();
        distribution = Distribution.of(d);
        if (distribution == null) {
          o.get("distribution").error("'" + d + "' is not a distribution; "
              + Distribution.CHOICES);
        }
      }
      if (o.containsKey("saveMode")) {
        modeAt = o.get("saveMode");
        String m = modeAt.text();
        try {
          saveMode = SaveMode.valueOf(m.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
          modeAt.error("'" + m + "' is not a save mode; use one of append, overwrite, complete");
        }
      }
      if (o.containsKey("iceberg")) {
        Map<String, Cursor> i = o.get("iceberg").fields("properties", "partitionSpec");
        if (i.containsKey("properties")) {
          properties.putAll(i.get("properties").stringMap());
          String om = properties.remove(OVERWRITE_MODE);
          if (om != null) {
            try {
              overwriteMode = OverwriteMode.valueOf(om.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
              i.get("properties").error(
                  "overwrite-mode '" + om + "' is not a mode; use dynamic or static");
            }
            if (saveMode != SaveMode.OVERWRITE) {
              i.get("properties").warn(
                  "overwrite-mode has no effect unless saveMode is overwrite");
            }
          }
        }
        if (i.containsKey("partitionSpec")) {
          i.get("partitionSpec").elements().forEach(p -> partitions.add(partitionField(p)));
        }
      }
    }
    if (saveMode == SaveMode.OVERWRITE && overwriteMode == OverwriteMode.DYNAMIC) {
      modeAt.warn(
          "overwrite with overwrite-mode dynamic: each batch replaces the partitions it has rows"
              + " in, so rows that earlier batches wrote to those partitions are dropped; use"
              + " saveMode: append to keep every event");
    } else if (saveMode == SaveMode.OVERWRITE || saveMode == SaveMode.COMPLETE) {
      modeAt.warn(
          "each batch replaces the whole table: after a run the table holds only that run's"
              + " batch; use saveMode: append to keep every event");
    }
    List<String> tags = new ArrayList<>();
    if (f.containsKey("tags")) {
      f.get("tags").elements().forEach(t -> tags.add(t.text()));
    }
    return new SinkSpec(
        sequence,
        dataset,
        outputName,
        optional(f, "title", null),
        optional(f, "description", null),
        saveMode,
        overwriteMode,
        Map.copyOf(properties),
        List.copyOf(partitions),
        List.copyOf(tags),
        deadLetterTable,
        maxDeadLetterRatio,
        distribution,
        c.keyLine());
  }

  private static Double ratio(Cursor c) {
    String t = c.text();
    try {
      double r = Double.parseDouble(t);
      if (r > 0 && r <= 1) {
        return r;
      }
    } catch (NumberFormatException | NullPointerException e) {
      // reported below
    }
    c.error("expected a share of the records read, above 0 and at most 1, e.g. 0.05 for 5%;"
        + " got '" + t + "'");
    return null;
  }

  private PartitionFieldSpec partitionField(Cursor c) {
    Map<String, Cursor> f = c.fields("type", "column", "name", "numBuckets", "width");
    String type = required(c, f, "type", "one of " + String.join(", ", PARTITION_TYPES));
    String column = required(c, f, "column", "the column to partition by");
    if (type != null && !PARTITION_TYPES.contains(type)) {
      String near = Cursor.nearest(type, PARTITION_TYPES);
      f.get("type").error(
          "'" + type + "' is not a transform; "
              + (near == null ? "" : "did you mean '" + near + "'? ")
              + "use one of " + String.join(", ", PARTITION_TYPES));
    }
    Integer param = null;
    if ("bucket".equals(type)) {
      param = intParam(c, f, "numBuckets", "bucket needs numBuckets, e.g. numBuckets: 16");
    } else if ("truncate".equals(type)) {
      param = intParam(c, f, "width", "truncate needs width, e.g. width: 10");
    }
    return new PartitionFieldSpec(type, column, optional(f, "name", null), param, c.keyLine());
  }

  private static Integer intParam(Cursor c, Map<String, Cursor> f, String key, String fix) {
    if (!f.containsKey(key)) {
      c.error("missing required key '" + key + "': " + fix);
      return null;
    }
    Long v = f.get(key).positiveLong();
    return v == null ? null : v.intValue();
  }

  private static FieldType fieldType(Cursor c) {
    String t = c.text();
    FieldType type = t == null ? null : FieldType.parse(t).orElse(null);
    if (type == null && t != null) {
      c.error("'" + t + "' is not a type; use one of " + FieldType.KNOWN);
    }
    return type;
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

  private static String required(Cursor parent, Map<String, Cursor> f, String key, String fix) {
    if (!f.containsKey(key)) {
      parent.error("missing required key '" + key + "': " + fix);
      return null;
    }
    String t = f.get(key).text();
    if (t != null && t.isBlank()) {
      f.get(key).error("must not be empty: " + fix);
      return null;
    }
    return t;
  }

  private static String optional(Map<String, Cursor> f, String key, String fallback) {
    if (!f.containsKey(key)) {
      return fallback;
    }
    String t = f.get(key).text();
    return t == null || t.isBlank() ? fallback : t;
  }
}
