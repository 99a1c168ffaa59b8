package dev.floe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchOptionsTest {
  private static final List<String> OPTIONS =
      List.of("-XX:+UseG1GC", "flink:-Xmx1g", "direct:-Xmx2g", "-Dx=a:b");

  @Test
  void runnerNamedOptionsGoToThatRunnerOnlyAndPlainOnesToAll() {
    assertThat(BenchCommand.jvmOptionsFor("flink", OPTIONS))
        .containsExactly("-XX:+UseG1GC", "-Xmx1g", "-Dx=a:b");
    assertThat(BenchCommand.jvmOptionsFor("direct", OPTIONS))
        .containsExactly("-XX:+UseG1GC", "-Xmx2g", "-Dx=a:b");
    assertThat(BenchCommand.jvmOptionsFor("spark", OPTIONS))
        .containsExactly("-XX:+UseG1GC", "-Dx=a:b");
  }

  @Test
  void aRunnerWithoutOptionsGetsItsDefaultsAndAnyOptionReplacesThem() {
    assertThat(BenchCommand.jvmOptionsFor("flink", List.of()))
        .isEqualTo(JvmOptions.DEFAULT_JVM_OPTIONS.get("flink"))
        .startsWith("-Xmx2g", "-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC");
    assertThat(BenchCommand.jvmOptionsFor("direct", List.of("spark:-Xmx4g")))
        .containsExactly("-Xmx2g", "-XX:TieredStopAtLevel=1");
    assertThat(BenchCommand.jvmOptionsFor("spark", List.of("flink:-Xmx1g")))
        .isEqualTo(JvmOptions.DEFAULT_JVM_OPTIONS.get("spark"));
    assertThat(BenchCommand.jvmOptionsFor("spark", List.of("spark:-Xmx4g")))
        .containsExactly("-Xmx4g");
    assertThat(BenchCommand.jvmOptionsFor("flink", List.of("-XX:+UseG1GC")))
        .containsExactly("-XX:+UseG1GC");
  }

  /** As bin/floe: huge pages for a batch's heap where the kernel gives them on request only. */
  @Test
  void flinkAndSparkAskForHugePagesWhereTheKernelGivesThemOnRequest(@TempDir Path dir)
      throws Exception {
    Path madvise = Files.writeString(dir.resolve("madvise"), "always [madvise] never\n");
    Path always = Files.writeString(dir.resolve("always"), "[always] madvise never\n");
    Path never = Files.writeString(dir.resolve("never"), "always madvise [never]\n");
    assertThat(JvmOptions.hugePagesOnRequest(madvise)).isTrue();
    assertThat(JvmOptions.hugePagesOnRequest(always)).isFalse();
    assertThat(JvmOptions.hugePagesOnRequest(never)).isFalse();
    assertThat(JvmOptions.hugePagesOnRequest(dir.resolve("missing"))).isFalse();

    assertThat(JvmOptions.defaults(true).get("flink"))
        .containsExactly(
            "-Xmx2g",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseParallelGC",
            "-XX:+UseTransparentHugePages");
    assertThat(JvmOptions.defaults(true).get("spark"))
        .isEqualTo(JvmOptions.defaults(true).get("flink"));
    assertThat(JvmOptions.defaults(true).get("direct"))
        .containsExactly("-Xmx2g", "-XX:TieredStopAtLevel=1");
    assertThat(JvmOptions.defaults(false).get("flink"))
        .containsExactly("-Xmx2g", "-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC");
    assertThat(JvmOptions.defaults(false).get("spark"))
        .containsExactly("-Xmx2g", "-XX:TieredStopAtLevel=1", "-XX:+UseParallelGC");
  }

  @Test
  void aRebuiltJarGetsAnotherClassArchiveAndEachRunnerItsOwn(@TempDir Path dir) throws Exception {
    Path jar = Files.writeString(dir.resolve("floe.jar"), "jar");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000));
    Path flink = ChildRuns.classArchivePath(dir.resolve("work"), "flink", jar);
    assertThat(flink)
        .isAbsolute()
        .isEqualTo(dir.resolve("work/class-archives/flink-3-1000000.jsa").toAbsolutePath());
    assertThat(ChildRuns.classArchivePath(dir.resolve("work"), "spark", jar)).isNotEqualTo(flink);

    Files.setLastModifiedTime(jar, FileTime.fromMillis(2_000_000));
    assertThat(ChildRuns.classArchivePath(dir.resolve("work"), "flink", jar)).isNotEqualTo(flink);
  }

  @Test
  void theClassArchiveIsOnUnlessTurnedOff() {
    BenchCommand on = new BenchCommand();
    new CommandLine(on).parseArgs();
    assertThat(on.classArchive).isTrue();
    BenchCommand off = new BenchCommand();
    new CommandLine(off).parseArgs("--no-class-archive");
    assertThat(off.classArchive).isFalse();
  }

  @Test
  void eachRoundStartsWithTheNextSystem() {
    List<String> names = List.of("direct", "flink", "spark-ss");
    assertThat(BenchCommand.roundOrder(names, 1)).containsExactly("direct", "flink", "spark-ss");
    assertThat(BenchCommand.roundOrder(names, 2)).containsExactly("flink", "spark-ss", "direct");
    assertThat(BenchCommand.roundOrder(names, 3)).containsExactly("spark-ss", "direct", "flink");
    assertThat(BenchCommand.roundOrder(names, 4)).containsExactly("direct", "flink", "spark-ss");
    assertThat(BenchCommand.roundOrder(List.of(), 2)).isEmpty();
  }

  @Test
  void aPeerMayNotTakeARunnersName() {
    BenchCommand bench = new BenchCommand();
    CommandLine cli = new CommandLine(bench);
    cli.parseArgs("--runner", "flink", "--peer", "spark=/bin/true", "--work-dir", "/nonexistent");
    assertThatThrownBy(bench::call)
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage(
            "--peer spark=...: 'spark' names a runner of Floe; give the peer another name (e.g."
                + " spark-ss)");
  }

  @Test
  void mediansOfOddAndEvenCounts() {
    assertThat(BenchTable.median(List.of(3.0, 1.0, 2.0))).isEqualTo("2");
    assertThat(BenchTable.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo("2.5");
    assertThat(BenchTable.median(List.of())).isEqualTo("-");
  }

  /** Each shape of topic is a topic of its own, so that a reused topic is the shape asked for. */
  @Test
  void topicsAreNamedByCompressionAndMode() {
    assertThat(BenchTopic.name(1_000_000, 6, "none", BenchCommand.Mode.structured))
        .isEqualTo("bench-cloudevents-1000000-6");
    assertThat(BenchTopic.name(1_000_000, 6, "lz4", BenchCommand.Mode.structured))
        .isEqualTo("bench-cloudevents-1000000-6-lz4");
    assertThat(BenchTopic.name(200, 3, "zstd", BenchCommand.Mode.mixed))
        .isEqualTo("bench-cloudevents-200-3-zstd-mixed");
    assertThat(BenchTopic.name(200, 3, "none", BenchCommand.Mode.binary))
        .isEqualTo("bench-cloudevents-200-3-binary");
  }
}
