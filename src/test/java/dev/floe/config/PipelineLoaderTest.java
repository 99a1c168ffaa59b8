package dev.floe.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.config.SinkConfig.OverwriteMode;
import dev.floe.config.SinkConfig.PartitionFieldConfig;
import dev.floe.config.SinkConfig.SaveMode;
import dev.floe.config.StepConfig.FunctionConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineLoaderTest {
  private static final Map<String, String> ENV =
      Map.of("KAFKA_BOOTSTRAP", "broker:9092", "FLOE_WAREHOUSE", "/data/wh");
  private final PipelineLoader loader = new PipelineLoader(ENV::get);

  @Test
  void readsTheReferencePipeline() {
    PipelineConfig spec = loader.load(Path.of("pipelines/cloudevents.yaml"), List.of());

    LinkedHashMap<String, FieldType> data = new LinkedHashMap<>();
    data.put("deviceId", FieldType.of(FieldType.Kind.STRING));
    data.put("temperature", FieldType.of(FieldType.Kind.DOUBLE));
    data.put("humidity", FieldType.of(FieldType.Kind.INT));
    data.put("status", FieldType.of(FieldType.Kind.STRING));
    data.put("tags", FieldType.parse("array<string>").orElseThrow());
    assertThat(spec.input())
        .isEqualTo(
            new InputConfig(
                "input_cloudevents",
                "cloudevents",
                "broker:9092",
                "cloudevents",
                Map.of(),
                StartingOffsets.EARLIEST,
                null,
                data,
                false,
                true,
                1 << 20,
                false));
    assertThat(spec.output())
        .isEqualTo(
            new OutputConfig(
                "output01", Map.of("type", "hadoop", "warehouse", "/data/wh"), "sys01"));
    assertThat(spec.streaming())
        .isEqualTo(
            new StreamingConfig(
                StreamingConfig.Trigger.ONCE, "./checkpoints/cloudevents/ce01", null, null, null));
    assertThat(spec.steps())
        .containsExactly(
            new StepConfig(
                "cloudevents",
                "SELECT *, time as _timestamp FROM input_cloudevents",
                List.of(
                    new FunctionConfig(
                        "set_type",
                        Map.of(
                            "_timestamp", FieldType.of(FieldType.Kind.TIMESTAMP),
                            "time", FieldType.of(FieldType.Kind.TIMESTAMP)),
                        44)),
                41));
    assertThat(spec.sink())
        .isEqualTo(
            new SinkConfig(
                "cloudevents",
                "cloudevents",
                "output01",
                "cloudevents data",
                "cloudevents data",
                SaveMode.OVERWRITE,
                OverwriteMode.DYNAMIC,
                Map.of(
                    "write.metadata.previous-versions-max",
                    "10",
                    "history.expire.max-snapshot-age-ms",
                    "7200000"),
                List.of(
                    new PartitionFieldConfig("identity", "source", null, null, 63),
                    new PartitionFieldConfig("hour", "_timestamp", "hour", null, 65)),
                List.of("Cloudevents"),
                null,
                null,
                null,
                null,
                SinkConfig.SchemaEvolution.ADD_COLUMNS,
                49));
    assertThat(spec.name()).isEqualTo("cloudevents-data");
    assertThat(spec.explain()).isTrue();
    assertThat(spec.warnings())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "pipelines/cloudevents.yaml:56: steps[0].sink[0].outputOptions.saveMode: overwrite with"
                + " overwrite-mode dynamic: each batch replaces the partitions it has rows in, so rows"
                + " that earlier batches wrote to those partitions are dropped; use saveMode: append"
                + " to keep every event");
  }

  @Test
  void theAppendPipelineIsTheSameJobInAppendMode() {
    PipelineConfig append = loader.load(Path.of("pipelines/cloudevents-append.yaml"), List.of());
    PipelineConfig reference = loader.load(Path.of("pipelines/cloudevents.yaml"), List.of());
    assertThat(append.sink().saveMode()).isEqualTo(SaveMode.APPEND);
    assertThat(append.warnings()).isEmpty();
    assertThat(append.input()).isEqualTo(reference.input());
    assertThat(append.sink().partitionSpec())
        .usingRecursiveFieldByFieldElementComparatorIgnoringFields("line")
        .isEqualTo(reference.sink().partitionSpec());
  }

  @Test
  void environmentDefaultsAndSetOverrides() {
    PipelineConfig spec =
        new PipelineLoader(name -> null)
            .load(
                Path.of("pipelines/cloudevents.yaml"),
                List.of(
                    "outputs[0].namespace=dev",
                    "streaming.maxRecordsPerBatch=500",
                    "streaming.triggerMode=AvailableNow",
                    "streaming.maxReadTime=5m",
                    "inputs[0].options.startingOffsets=2026-11-24T10:00:00+02:00",
                    "steps[0].sink[0].outputOptions.iceberg.properties.write.metadata.previous-versions-max=3",
                    "inputs[0].kafka.properties.max.poll.records=20",
                    "inputs[0].kafka.properties.fetch.max.bytes=20000"));
    assertThat(spec.input().bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(spec.input().topic()).isEqualTo("cloudevents");
    assertThat(spec.output().catalogProperties()).containsEntry("warehouse", "./warehouse");
    assertThat(spec.output().namespace()).isEqualTo("dev");
    assertThat(spec.streaming())
        .isEqualTo(
            new StreamingConfig(
                StreamingConfig.Trigger.AVAILABLE_NOW,
                "./checkpoints/cloudevents/ce01",
                500L,
                Duration.ofMinutes(5),
                null));
    assertThat(spec.input().startingOffsets().instant()).hasToString("2026-11-24T08:00:00Z");
    assertThat(spec.sink().tableProperties())
        .containsEntry("write.metadata.previous-versions-max", "3");
    assertThat(spec.input().consumerProperties())
        .isEqualTo(Map.of("max.poll.records", "20", "fetch.max.bytes", "20000"));
  }

  private PipelineConfig load(String yaml) {
    return loader.parse("x.yaml", yaml, List.of());
  }

  private List<String> errors(String yaml) {
    try {
      loader.parse("x.yaml", yaml, List.of());
    } catch (ConfigException e) {
      return e.problems().stream().map(ConfigProblem::toString).toList();
    }
    throw new AssertionError("no error for:\n" + yaml);
  }

  @Test
  void hostileYamlIsAConfigurationError() {
    StringBuilder bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
      bomb.append("a").append(i).append(": &a").append(i).append(" [");
      bomb.append(String.join(", ", java.util.Collections.nCopies(9, "*a" + (i - 1))));
      bomb.append("]\n");
    }
    assertThat(errors(bomb.toString()))
        .containsExactly(
            "x.yaml: not a pipeline file: Number of aliases for non-scalar nodes exceeds the"
                + " specified max=50; a pipeline is a few screens of plain YAML (start from"
                + " pipelines/cloudevents.yaml)");
    assertThat(errors("x: " + "[".repeat(100_000) + "]".repeat(100_000)))
        .containsExactly(
            "x.yaml: not a pipeline file: Nesting Depth exceeded max 50; a pipeline is a few"
                + " screens of plain YAML (start from pipelines/cloudevents.yaml)");
  }

  /** The smallest valid pipeline, shared with ConfigMessagesTest; each test breaks one thing. */
  private static final String GOOD = ConfigMessagesTest.GOOD;

  @Test
  void aMinimalPipelineHasDefaults() {
    PipelineConfig spec = loader.parse("x.yaml", GOOD, List.of());
    assertThat(spec.sink().saveMode()).isEqualTo(SaveMode.APPEND);
    assertThat(spec.streaming().triggerMode()).isEqualTo(StreamingConfig.Trigger.ONCE);
    assertThat(spec.input().startingOffsets()).isEqualTo(StartingOffsets.EARLIEST);
    assertThat(spec.input().dataFields()).isEmpty();
    assertThat(spec.warnings()).isEmpty();
  }

  @Test
  void unknownKeySuggestsTheNearest() {
    assertThat(errors(GOOD.replace("datasetName: d", "datasetNmae: d")))
        .containsExactly(
            "x.yaml:19: steps[0].sink[0].datasetNmae: unknown key; did you mean 'datasetName'?"
                + " allowed keys here: sequenceName, datasetName, outputName, outputType, title,"
                + " description, outputOptions, tags",
            "x.yaml:18: steps[0].sink[0]: missing required key 'datasetName': the table name,"
                + " e.g. cloudevents");
  }

  @Test
  void distributionIsNoneOrHash() {
    assertThat(
            loader
                .parse(
                    "x.yaml",
                    GOOD
                        + String.join(
                            "\n", "        outputOptions:", "          distribution: NONE"),
                    List.of())
                .sink()
                .distribution())
        .isEqualTo(SinkConfig.Distribution.NONE);
    assertThat(loader.parse("x.yaml", GOOD, List.of()).sink().distribution()).isNull();
    assertThat(
            errors(
                GOOD
                    + String.join("\n", "        outputOptions:", "          distribution: range")))
        .containsExactly(
            "x.yaml:22: steps[0].sink[0].outputOptions.distribution: 'range' is not a distribution;"
                + " use none (each worker writes its own rows, no shuffle) or hash (group rows by"
                + " table partition first: fewer, larger files)");
  }

  @Test
  void badValuesNameLineKeyAndFix() {
    String yaml =
        GOOD
            + String.join(
                "\n",
                "        outputOptions:",
                "          saveMode: upsert",
                "          iceberg:",
                "            partitionSpec:",
                "              - type: hours",
                "                column: time",
                "              - type: bucket",
                "                column: id");
    assertThat(errors(yaml))
        .containsExactly(
            "x.yaml:22: steps[0].sink[0].outputOptions.saveMode: 'upsert' is not a save mode; use one"
                + " of append, overwrite, complete",
            "x.yaml:25: steps[0].sink[0].outputOptions.iceberg.partitionSpec[0].type: 'hours' is not"
                + " a transform; did you mean 'hour'? use one of identity, year, month, day, hour,"
                + " bucket, truncate",
            "x.yaml:27: steps[0].sink[0].outputOptions.iceberg.partitionSpec[1]: missing required key"
                + " 'numBuckets': bucket needs numBuckets, e.g. numBuckets: 16");
  }

  @Test
  void missingEnvironmentVariableWithoutDefault() {
    assertThat(errors(GOOD.replace("b:9092", "${NOT_SET_ANYWHERE}")))
        .containsExactly(
            "x.yaml:5: inputs[0].kafka.bootstrapServers: environment variable NOT_SET_ANYWHERE is not"
                + " set; export it, or give a default: ${NOT_SET_ANYWHERE:-value}");
  }

  @Test
  void rejectsWhatFloeDoesNotDo() {
    assertThat(
            errors(
                GOOD
                    + """
        streaming:
          batchMode: false
          triggerMode: Continuous
        """))
        .containsExactly(
            "x.yaml:22: streaming.batchMode: Floe always reads Kafka in bounded batches; remove"
                + " batchMode or set it to true",
            "x.yaml:23: streaming.triggerMode: Continuous (Spark's experimental continuous"
                + " processing) is not supported; use triggerMode: ProcessingTime with a"
                + " triggerDuration such as \"20 seconds\": a window is committed every"
                + " triggerDuration, exactly once");
  }

  @Test
  void processingTimeCommitsAWindowEveryTriggerDurationInSparksSpellings() {
    for (String every : List.of("\"20 seconds\"", "20s", "20 secs", "PT20S")) {
      PipelineConfig spec =
          load(
              GOOD
                  + "streaming:\n  triggerMode: ProcessingTime\n  triggerDuration: "
                  + every
                  + "\n");
      assertThat(spec.streaming().triggerMode()).isEqualTo(StreamingConfig.Trigger.PROCESSING_TIME);
      assertThat(spec.streaming().triggerDuration()).as(every).isEqualTo(Duration.ofSeconds(20));
      assertThat(spec.streaming().continuous()).isTrue();
    }
    // a triggerDuration alone means ProcessingTime, as in Spark
    assertThat(load(GOOD + "streaming:\n  triggerDuration: 1 minute\n").streaming())
        .isEqualTo(
            new StreamingConfig(
                StreamingConfig.Trigger.PROCESSING_TIME, null, null, null, Duration.ofMinutes(1)));
  }

  @Test
  void aTriggerDurationGoesWithProcessingTimeOnly() {
    assertThat(errors(GOOD + "streaming:\n  triggerMode: ProcessingTime\n"))
        .containsExactly(
            "x.yaml:22: streaming.triggerMode: ProcessingTime needs streaming.triggerDuration, how"
                + " often a window is committed: e.g. 20s, \"20 seconds\", 5m, \"1 minute\", 1h"
                + " or PT5M");
    assertThat(errors(GOOD + "streaming:\n  triggerMode: Once\n  triggerDuration: 20s\n"))
        .containsExactly(
            "x.yaml:23: streaming.triggerDuration: triggerDuration belongs to triggerMode:"
                + " ProcessingTime (a window committed every triggerDuration); with Once remove it,"
                + " or set triggerMode: ProcessingTime");
    assertThat(errors(GOOD + "streaming:\n  triggerDuration: 200ms\n"))
        .containsExactly(
            "x.yaml:22: streaming.triggerDuration: a window every 0.2 s is too often; give at"
                + " least 1s");
    assertThat(errors(GOOD + "streaming:\n  triggerDuration: soon\n"))
        .containsExactly(
            "x.yaml:22: streaming.triggerDuration: 'soon' is not a duration; write e.g. 20s,"
                + " \"20 seconds\", 5m, \"1 minute\", 1h or PT5M");
  }

  @Test
  void typesStartingOffsetsAndReservedColumns() {
    String yaml =
        GOOD.replace(
            "      topic: t",
            """
              topic: t
            options:
              startingOffsets: yesterday
              startOffsets: earliest
            data:
              fields:
                temperature: decimal
                source: string
        """
                .stripTrailing());
    assertThat(errors(yaml))
        .containsExactly(
            "x.yaml:8: inputs[0].options.startingOffsets: 'yesterday' is not earliest, latest or an"
                + " RFC 3339 time such as 2026-11-24T00:00:00Z",
            "x.yaml:9: inputs[0].options.startOffsets: unknown option; did you mean"
                + " 'startingOffsets'? options are startingOffsets, failOnDataLoss, tombstones,"
                + " subject, keyFormat, kafka.<consumer property> and registry.<schema registry"
                + " setting>",
            "x.yaml:12: inputs[0].data.fields.temperature: 'decimal' is not a type; use one of string,"
                + " int, long, float, double, boolean, bytes, date, timestamp, timestamp_ntz,"
                + " array<type>",
            "x.yaml:13: inputs[0].data.fields.source: 'source' is already a column of every"
                + " CloudEvent; rename it with SQL");
  }

  @Test
  void sinkMustNameAStepAndTheOutput() {
    assertThat(
            errors(
                GOOD.replace("sequenceName: s", "sequenceName: nope")
                    .replace("outputName: out", "outputName: other")))
        .containsExactly(
            "x.yaml:18: steps.sink[0].sequenceName: 'nope' names no step; use one of [s]",
            "x.yaml:18: steps.sink[0].outputName: 'other' names no output; the output is 'out'");
  }

  @Test
  void listWhereAMappingIsExpected() {
    assertThat(
            errors(
                """
        name: p
        inputs:
          name: in
        """))
        .contains(
            "x.yaml:2: inputs: expected a list, found a mapping (perhaps a missing dash '-' before the"
                + " item?)");
  }

  @Test
  void notYamlAtAll() {
    assertThat(errors("name: [unclosed"))
        .singleElement()
        .asString()
        .startsWith("x.yaml:1: not valid YAML:");
  }
}
