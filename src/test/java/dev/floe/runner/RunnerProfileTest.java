package dev.floe.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.floe.config.SinkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerProfileTest {
  @TempDir Path dir;

  private static final Map<String, String> ENV =
      Map.of(
          "FLINK_MASTER",
          "jm:8081",
          "GCP_PROJECT",
          "p",
          "GCP_REGION",
          "r",
          "GCP_TEMP_LOCATION",
          "gs://b/tmp");

  @Test
  void everyShippedProfileReadsWithItsEnvironment() {
    for (String name :
        List.of("direct", "flink-local", "spark-local", "flink-cluster", "dataflow")) {
      Map<String, String> values =
          RunnerProfile.read(Path.of("runner-profiles", name + ".yaml"), ENV::get);
      assertThat(values).as(name).containsKey("runner");
    }
    assertThat(RunnerProfile.read(Path.of("runner-profiles/flink-cluster.yaml"), ENV::get))
        .containsEntry("flinkMaster", "jm:8081");
    assertThat(RunnerProfile.read(Path.of("runner-profiles/dataflow.yaml"), ENV::get))
        .containsEntry("project", "p")
        .containsEntry("region", "r")
        .containsEntry("tempLocation", "gs://b/tmp");
  }

  @Test
  void aMissingVariableNamesTheProfileAndKey() {
    assertThatThrownBy(
            () -> RunnerProfile.read(Path.of("runner-profiles/flink-cluster.yaml"), name -> null))
        .hasMessageStartingWith("runner-profiles/flink-cluster.yaml: flinkMaster: ")
        .hasMessageContaining("FLINK_MASTER");
  }

  @Test
  void flinkConfigurationBecomesTheFlinkConfDirAndFlagsOverrideTheProfile() throws Exception {
    PipelineOptions options =
        RunnerProfile.options(
            Path.of("runner-profiles/flink-local.yaml"),
            List.of("--parallelism=3"),
            "Cloud Events!",
            ENV::get);
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    assertThat(flink.getParallelism()).isEqualTo(3);
    assertThat(flink.getFlinkMaster()).isEqualTo("[local]");
    assertThat(options.getJobName()).isEqualTo("floe-cloud-events-");
    String conf = Files.readString(Path.of(flink.getFlinkConfDir(), "config.yaml"));
    assertThat(conf)
        .contains(
            "restart-strategy.type: \"fixed-delay\"",
            "restart-strategy.fixed-delay.attempts: \"2\"");
  }

  @Test
  void localSparkOnEveryCoreNamesItsThreadsSoNothingIsStaged() {
    PipelineOptions options =
        RunnerProfile.options(
            Path.of("runner-profiles/spark-local.yaml"), List.of(), "x", ENV::get);
    assertThat(options.as(SparkPipelineOptions.class).getSparkMaster())
        .isEqualTo("local[" + Runtime.getRuntime().availableProcessors() + "]");
    PipelineOptions two =
        RunnerProfile.options(
            Path.of("runner-profiles/spark-local.yaml"),
            List.of("--sparkMaster=local[2]"),
            "x",
            ENV::get);
    assertThat(two.as(SparkPipelineOptions.class).getSparkMaster()).isEqualTo("local[2]");
  }

  @Test
  void theFlinkConfigurationWrittenForARunIsGoneWhenItsJvmExits() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                System.getProperty("java.class.path"),
                WriteFlinkConfiguration.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(child.getInputStream().readAllBytes());
    assertThat(child.waitFor()).as(output).isZero();
    assertThat(output).contains("config.yaml");
    try (var left = Files.list(tmp)) {
      assertThat(left).as(output).isEmpty();
    }
  }

  /** A JVM that writes a flink-local profile's configuration, as a run does, and exits. */
  static final class WriteFlinkConfiguration {
    public static void main(String[] args) throws Exception {
      PipelineOptions options =
          RunnerProfile.options(
              Path.of("runner-profiles/flink-local.yaml"), List.of(), "x", name -> null);
      try (var files =
          Files.list(Path.of(options.as(FlinkPipelineOptions.class).getFlinkConfDir()))) {
        files.forEach(System.out::println);
      }
    }
  }

  @Test
  void embeddedFlinkRunsOnEveryCoreAndWritesWithoutAShuffle() {
    PipelineOptions options =
        RunnerProfile.options(
            Path.of("runner-profiles/flink-local.yaml"), List.of(), "x", ENV::get);
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    assertThat(flink.getParallelism()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(flink.getUseDataStreamForBatch()).isTrue();
    assertThat(FloeOptions.writeDistribution(options)).isEqualTo(SinkConfig.Distribution.NONE);
    assertThat(FloeOptions.writeDistribution(RunnerProfile.options(null, List.of(), "x", ENV::get)))
        .isEqualTo(SinkConfig.Distribution.HASH);
  }

  @Test
  void theDirectRunnerGetsAThreadPerCoreUnlessTheProfileOrAFlagSaysOtherwise() throws Exception {
    int cores = Math.max(2, Runtime.getRuntime().availableProcessors());
    assertThat(targetParallelism(RunnerProfile.options(null, List.of(), "x", ENV::get)))
        .isEqualTo(cores);
    assertThat(
            targetParallelism(
                RunnerProfile.options(null, List.of("--targetParallelism=7"), "x", ENV::get)))
        .isEqualTo(7);
    Path profile = dir.resolve("parallel.yaml");
    Files.writeString(profile, "runner: DirectRunner\ntargetParallelism: 5\n");
    assertThat(targetParallelism(RunnerProfile.options(profile, List.of(), "x", ENV::get)))
        .isEqualTo(5);
    assertThat(
            RunnerProfile.options(
                    Path.of("runner-profiles/flink-local.yaml"), List.of(), "x", ENV::get)
                .as(DirectOptions.class)
                .getTargetParallelism())
        .as("other runners keep Beam's default")
        .isEqualTo(Math.max(3, Runtime.getRuntime().availableProcessors()));
  }

  private static int targetParallelism(PipelineOptions options) {
    return options.as(DirectOptions.class).getTargetParallelism();
  }

  @Test
  void anUnknownWriteDistributionNamesTheProfileAndTheChoices() throws Exception {
    Path profile = dir.resolve("range.yaml");
    Files.writeString(profile, "runner: DirectRunner\nwriteDistribution: range\n");
    assertThatThrownBy(() -> RunnerProfile.options(profile, List.of(), "x", ENV::get))
        .hasMessage(
            profile
                + ": writeDistribution 'range' in the runner profile is not a"
                + " distribution; use none (each worker writes its own rows, no shuffle) or hash"
                + " (group rows by table partition first: fewer, larger files)");
  }

  @Test
  void embeddedFlinkGetsItsManagedMemorySizedWithoutBeamsFullGarbageCollection() throws Exception {
    long heap = Runtime.getRuntime().maxMemory();
    assertThat(flinkConfig(Path.of("runner-profiles/flink-local.yaml")))
        .contains("taskmanager.memory.managed.size: \"" + (long) (heap * 0.4) + "\"");
    assertThat(flinkConfig(embeddedFlinkProfile("taskmanager.memory.managed.fraction: 0.25")))
        .contains("taskmanager.memory.managed.size: \"" + (long) (heap * 0.25) + "\"");
    assertThat(flinkConfig(embeddedFlinkProfile("taskmanager.memory.managed.size: 64m")))
        .contains("taskmanager.memory.managed.size: \"64m\"");
  }

  @Test
  void embeddedFlinkGetsSmallerShuffleReadBuffersUnlessTheProfileSizesThem() throws Exception {
    String key = "taskmanager.memory.framework.off-heap.batch-shuffle.size";
    assertThat(flinkConfig(Path.of("runner-profiles/flink-local.yaml")))
        .contains(key + ": \"16m\"");
    assertThat(flinkConfig(embeddedFlinkProfile(key + ": 64m"))).contains(key + ": \"64m\"");
  }

  @Test
  void aManagedMemoryFractionThatIsNoFractionNamesTheProfileAndKey() throws Exception {
    Path profile = embeddedFlinkProfile("taskmanager.memory.managed.fraction: 40%");
    assertThatThrownBy(() -> RunnerProfile.options(profile, List.of(), "x", ENV::get))
        .hasMessage(
            profile
                + ": flinkConfiguration.taskmanager.memory.managed.fraction is"
                + " '40%'; give a fraction of the heap between 0 and 1, such as 0.4");
  }

  /** A profile of Flink embedded with one {@code flinkConfiguration} entry. */
  private Path embeddedFlinkProfile(String flinkConfigurationEntry) throws Exception {
    Path profile = Files.createTempFile(dir, "flink", ".yaml");
    Files.writeString(
        profile,
        "runner: FlinkRunner\nflinkMaster: \"[local]\"\n"
            + "flinkConfiguration:\n  "
            + flinkConfigurationEntry
            + "\n");
    return profile;
  }

  /** The Flink configuration file Floe writes for {@code profile}. */
  private String flinkConfig(Path profile) throws Exception {
    FlinkPipelineOptions flink =
        RunnerProfile.options(profile, List.of(), "x", ENV::get).as(FlinkPipelineOptions.class);
    return Files.readString(Path.of(flink.getFlinkConfDir(), "config.yaml"));
  }

  @Test
  void anExplicitJobNameWins() {
    PipelineOptions options =
        RunnerProfile.options(null, List.of("--jobName=nightly"), "x", ENV::get);
    assertThat(options.getJobName()).isEqualTo("nightly");
  }

  @Test
  void flinkConfigurationAndFlinkConfDirTogetherAreRefused() throws Exception {
    Path profile = dir.resolve("both.yaml");
    Files.writeString(
        profile,
        "runner: FlinkRunner\nflinkConfDir: /etc/flink\n"
            + "flinkConfiguration:\n  parallelism.default: 2\n");
    assertThatThrownBy(() -> RunnerProfile.options(profile, List.of(), "x", ENV::get))
        .hasMessage(
            profile
                + ": both flinkConfiguration and flinkConfDir are set; keep one"
                + " (Beam's Flink runner reads one configuration directory)");
  }

  @Test
  void aMappingIsRefusedForABeamOption() throws Exception {
    Path profile = dir.resolve("map.yaml");
    Files.writeString(profile, "runner: DirectRunner\nparallelism:\n  a: 1\n");
    assertThatThrownBy(() -> RunnerProfile.read(profile, ENV::get))
        .hasMessage(
            profile
                + ": parallelism: a Beam option takes a value or a list, not a"
                + " mapping (only flinkConfiguration is a mapping)");
  }

  private static long held(String profile, SinkConfig.Distribution distribution, String... flags) {
    PipelineOptions options =
        RunnerProfile.options(
            Path.of("runner-profiles", profile + ".yaml"), List.of(flags), "p", ENV::get);
    return Runners.heldBatchBytes(options, distribution);
  }

  @Test
  void onlyTheDirectRunnerGroupingByPartitionHoldsABatchOnItsHeap() {
    long heap = Runtime.getRuntime().maxMemory();
    assertThat(held("direct", SinkConfig.Distribution.HASH)).isEqualTo((long) (heap * 0.6));
    assertThat(held("direct", SinkConfig.Distribution.NONE)).isZero();
    assertThat(held("direct", SinkConfig.Distribution.HASH, "--directBatchMemoryMb=300"))
        .isEqualTo(300L << 20);
    assertThat(held("flink-local", SinkConfig.Distribution.HASH)).isZero();
    assertThatThrownBy(
            () -> held("direct", SinkConfig.Distribution.HASH, "--directBatchMemoryMb=-1"))
        .hasMessage(
            "directBatchMemoryMb -1 in the runner profile is negative; use 0 for 60% of the heap,"
                + " or the megabytes one batch may fill");
  }
}
