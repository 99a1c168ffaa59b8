package dev.floe.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every message of the pipeline loader, pinned: what is wrong, where, and the fix. */
class ConfigMessagesTest {
  static final String GOOD =
      """
      name: p
      inputs:
        - name: in
          kafka:
            bootstrapServers: b:9092
            topic: t
      outputs:
        - name: out
          catalog:
            type: hadoop
            warehouse: /wh
          namespace: ns
      steps:
        - sequence:
            - name: s
              sql: SELECT * FROM in
          sink:
            - sequenceName: s
              datasetName: d
              outputName: out
      """;

  private static final PipelineLoader LOADER = new PipelineLoader(name -> null);

  private static Arguments set(String override, String... expected) {
    return Arguments.of(GOOD, List.of(override), List.of(expected));
  }

  private static Arguments yaml(String text, String... expected) {
    return Arguments.of(text, List.of(), List.of(expected));
  }

  private static String replace(String from, String to) {
    if (!GOOD.contains(from)) {
      throw new IllegalArgumentException(from);
    }
    return GOOD.replace(from, to);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        set("version=2", "x.yaml: version: Floe reads version 1 pipelines; write version: 1"),
        set(
            "name=a b",
            "x.yaml:1: name: 'a b' is not a pipeline id; use letters, digits, '.', '_'"
                + " and '-'"),
        set(
            "logLevel=LOUD",
            "x.yaml: logLevel: 'LOUD' is not a log level; use one of TRACE,"
                + " DEBUG, INFO, WARN, ERROR, OFF"),
        set("explain=maybe", "x.yaml: explain: 'maybe' is not a boolean; write true or false"),
        set(
            "streaming.maxRecordsPerBatch=0",
            "x.yaml: streaming.maxRecordsPerBatch: '0' is not a" + " positive whole number"),
        set(
            "streaming.maxReadTime=soon",
            "x.yaml: streaming.maxReadTime: 'soon' is not a"
                + " duration; write e.g. 20s, \"20 seconds\", 5m, \"1 minute\", 1h or PT5M"),
        set(
            "inputs[0].format=xml",
            "x.yaml: inputs[0].format: 'xml' is not a supported format; use cloudevents"
                + " (CloudEvents in JSON), avro (Avro values in the schema registry's wire format)"
                + " or json (JSON objects with fields declared under data.fields)"),
        set(
            "inputs[0].isStream=true",
            "x.yaml: inputs[0].isStream: Floe reads the input as"
                + " bounded batches; set isStream: false and choose batches with"
                + " streaming.triggerMode"),
        set(
            "inputs[0].kafka.topic=",
            "x.yaml:6: inputs[0].kafka.topic: must not be empty: e.g."
                + " ${KAFKA_TOPIC:-cloudevents}"),
        set(
            "steps[0].sink[0].outputType=Kafka",
            "x.yaml: steps[0].sink[0].outputType: 'Kafka'"
                + " is not an output type Floe writes; use Iceberg"),
        set(
            "steps[0].sink[0].outputOptions.iceberg.properties.overwrite-mode=sometimes",
            "x.yaml: steps[0].sink[0].outputOptions.iceberg.properties: overwrite-mode"
                + " 'sometimes' is not a mode; use dynamic or static"),
        set(
            "steps[0].sink[0].outputOptions.maxDeadLetterRatio=5%",
            "x.yaml: steps[0].sink[0].outputOptions.maxDeadLetterRatio: expected a share of the"
                + " records read, above 0 and at most 1, e.g. 0.05 for 5%; got '5%'"),
        set(
            "steps[0].sink[0].outputOptions.maxDeadLetterRatio=0",
            "x.yaml: steps[0].sink[0].outputOptions.maxDeadLetterRatio: expected a share of the"
                + " records read, above 0 and at most 1, e.g. 0.05 for 5%; got '0'"),
        set(
            "steps[0].sink[0].outputOptions.deadLetterTable=ns.bad",
            "x.yaml: steps[0].sink[0].outputOptions.deadLetterTable: 'ns.bad' is not a table"
                + " name; use letters, digits and underscores, e.g. d_dlq (the namespace is the"
                + " output's)"),
        set(
            "inputs[0].options.tombstones=drop",
            "x.yaml: inputs[0].options.tombstones: 'drop' is not a way to handle tombstones"
                + " (records with a null value); use skip (count them, write nothing: the default)"
                + " or dead-letter"),
        set(
            "steps[0].sink[0].outputOptions.schemaEvolution=ignore",
            "x.yaml: steps[0].sink[0].outputOptions.schemaEvolution: 'ignore' is not a schema"
                + " evolution mode; use add-columns (new fields become columns: the default) or fail"
                + " (a batch whose rows do not fit the table fails)"),
        set(
            "inputs[0].format=avro",
            "x.yaml:3: inputs[0]: format avro and keyFormat avro need schemaRegistryUrl: the"
                + " registry's Confluent-compatible base URL, e.g. http://registry:8081 or, for Apicurio,"
                + " http://registry:8080/apis/ccompat/v7"),
        set(
            "steps[0].sink[0].outputOptions.deadLetterTabel=x",
            "x.yaml: steps[0].sink[0].outputOptions.deadLetterTabel: unknown key; did you mean"
                + " 'deadLetterTable'? allowed keys here: saveMode, iceberg, deadLetterTable,"
                + " maxDeadLetterRatio, distribution, maintenance,"
                + " schemaEvolution"),
        set(
            "outputs[0].namespace=../../etc",
            "x.yaml:12: outputs[0].namespace: '../../etc' is not a name Floe uses for tables: use"
                + " letters, digits, _ and - (dots between parts), e.g. sys01"),
        set(
            "steps[0].sink[0].datasetName=a/b",
            "x.yaml:19: steps[0].sink[0].datasetName: 'a/b' is not a name Floe uses for tables: use"
                + " letters, digits, _ and - (dots between parts), e.g. cloudevents"),
        set(
            "steps[0].sink[0].datasetName=a\u0001b",
            "x.yaml:19: steps[0].sink[0].datasetName: 'a?b' is not a name Floe uses for tables: use"
                + " letters, digits, _ and - (dots between parts), e.g. cloudevents"),
        set(
            "outputs[0].namespace=sys..01",
            "x.yaml:12: outputs[0].namespace: 'sys..01' is not a name Floe uses for tables: use"
                + " letters, digits, _ and - (dots between parts), e.g. sys01"),
        set(
            "steps[0].sink[0].outputOptions.maintenance.everyCommits=0",
            "x.yaml: steps[0].sink[0].outputOptions.maintenance.everyCommits: '0' is not a"
                + " positive whole number"),
        set(
            "steps[0].sink[0].outputOptions.maintenance.minInputFiles=3",
            "x.yaml: steps[0].sink[0].outputOptions.maintenance: maintenance needs everyCommits:"
                + " how many commits of the pipeline between two maintenances, e.g. everyCommits:"
                + " 50"),
        set("foo", "x.yaml: --set foo: write --set dotted.key=value"),
        set(
            "inputs[3].name=x",
            "x.yaml: --set inputs[3].name: 'inputs[3]' is not an item of a" + " list"),
        set(
            "name.first=x",
            "x.yaml: --set name.first: 'name' is not a mapping, so it has no key" + " 'first'"),
        yaml("", "x.yaml: the file is empty; start from pipelines/cloudevents.yaml"),
        yaml(
            replace("name: p\n", "name: p\nname: q\n"),
            "x.yaml:2: name: appears twice (also at line 1); keep one"),
        yaml(
            replace("name: p\n", "name: [p]\n"),
            "x.yaml:1: name: expected a single value, found a list"),
        yaml(
            GOOD + "streaming: 5\n",
            "x.yaml:21: streaming: expected a mapping of keys to values, found '5'"),
        yaml(
            GOOD.substring(0, GOOD.indexOf("steps:")),
            "x.yaml:1: missing required key 'steps': add a sequence with a sql step and a sink"),
        yaml(
            replace(
                "    namespace: ns\n",
                "    namespace: ns\n  - name: x\n"
                    + "    namespace: y\n    catalog: {type: hadoop, warehouse: /w}\n"),
            "x.yaml:7: outputs: Floe takes exactly one output per pipeline, found 2"),
        yaml(
            replace("  - name: in\n", "  - format: cloudevents\n"),
            "x.yaml:3: inputs[0]: missing required key 'name': the name steps use in FROM, e.g."
                + " input_cloudevents"),
        yaml(
            replace("    kafka:\n      bootstrapServers: b:9092\n      topic: t\n", ""),
            "x.yaml:3: inputs[0]: missing required key 'kafka' (bootstrapServers, topic)"),
        yaml(
            replace("    catalog:\n      type: hadoop\n", "    catalog:\n"),
            "x.yaml:9: outputs[0].catalog: give the catalog's type (hadoop, rest, jdbc, hive,"
                + " glue, nessie) or catalog-impl"),
        yaml(
            replace("      warehouse: /wh\n", ""),
            "x.yaml:9: outputs[0].catalog: a hadoop catalog needs a warehouse, e.g. warehouse:"
                + " ${FLOE_WAREHOUSE:-./warehouse}"),
        yaml(
            replace("    namespace: ns\n", ""),
            "x.yaml:8: outputs[0]: missing required key 'namespace': the Iceberg namespace, e.g."
                + " sys01"),
        yaml(
            replace(
                "        sql: SELECT * FROM in\n",
                "        sql: SELECT * FROM in\n" + "      - name: s\n        sql: SELECT 1\n"),
            "x.yaml:17: steps: step name 's' is used twice"),
        yaml(
            replace(
                "        sql: SELECT * FROM in\n",
                "        sql: SELECT * FROM in\n"
                    + "        functions:\n          - name: rename\n"),
            "x.yaml:18: steps[0].sequence[0].functions[0].name: 'rename' is not a function Floe"
                + " knows; use set_type",
            "x.yaml:18: steps[0].sequence[0].functions[0]: missing required key 'columns', e.g."
                + " columns: {time: timestamp}"),
        yaml(
            replace("        sql: SELECT * FROM in\n", ""),
            "x.yaml:15: steps[0].sequence[0]: missing required key 'sql': e.g. sql: SELECT * FROM"
                + " input_cloudevents"),
        yaml(
            replace(
                "    sink:\n",
                "    sink:\n      - sequenceName: s\n"
                    + "        datasetName: e\n        outputName: out\n"),
            "x.yaml:13: steps: Floe writes one sink per pipeline, found 2; give exactly one sink"
                + " entry (one pipeline per table keeps offsets exact)"),
        yaml(
            replace(
                "        outputName: out\n",
                "        outputName: out\n"
                    + "        outputOptions:\n          iceberg:\n            partitionSpec:\n"
                    + "              - type: truncate\n                column: d\n"
                    + "              - column: d\n"),
            "x.yaml:24: steps[0].sink[0].outputOptions.iceberg.partitionSpec[0]: missing required"
                + " key 'width': truncate needs width, e.g. width: 10",
            "x.yaml:26: steps[0].sink[0].outputOptions.iceberg.partitionSpec[1]: missing required"
                + " key 'type': one of identity, year, month, day, hour, bucket, truncate"));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void rejects(String yaml, List<String> overrides, List<String> expected) {
    List<String> actual;
    try {
      LOADER.parse("x.yaml", yaml, overrides);
      actual = List.of();
    } catch (ConfigException e) {
      actual = e.problems().stream().map(ConfigProblem::toString).toList();
    }
    assertThat(actual).isEqualTo(expected);
  }

  static Stream<Arguments> warnings() {
    return Stream.of(
        set(
            "steps[0].sink[0].outputOptions.iceberg.properties.overwrite-mode=static",
            "x.yaml: steps[0].sink[0].outputOptions.iceberg.properties: overwrite-mode has no"
                + " effect unless saveMode is overwrite"),
        set(
            "steps[0].sink[0].outputOptions.saveMode=complete",
            "x.yaml: steps[0].sink[0].outputOptions.saveMode: each batch replaces the whole"
                + " table: after a run the table holds only that run's batch; use saveMode:"
                + " append to keep every event"));
  }

  @ParameterizedTest
  @MethodSource("warnings")
  void warns(String yaml, List<String> overrides, List<String> expected) {
    assertThat(LOADER.parse("x.yaml", yaml, overrides).warnings())
        .extracting(ConfigProblem::toString)
        .isEqualTo(expected);
  }
}
