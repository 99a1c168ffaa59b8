package dev.floe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The JVM options of bench's runs: each runner's defaults, and the ones given per runner. */
final class JvmOptions {
  private JvmOptions() {}

  /**
   * Map the class archive at the address it was written for: the JDK's default here moves it
   * elsewhere and rewrites every pointer in it, most of a second of start-up for Flink's archive
   * (see {@code docs/performance.md}). Where that address is taken the JVM still moves it.
   */
  static final List<String> ARCHIVE_AT_ITS_ADDRESS =
      List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");

  /** Flink embedded's default JVM options in bench (see {@link #DEFAULT_JVM_OPTIONS}). */
  static final String FLINK_JVM_OPTIONS = "-Xmx2g -XX:TieredStopAtLevel=1 -XX:+UseParallelGC";

  /** Direct's default JVM options in bench: C1 as the others, G1 kept (see bin/floe). */
  static final String DIRECT_JVM_OPTIONS = "-Xmx2g -XX:TieredStopAtLevel=1";

  /** Spark's default JVM options in bench: as Flink's. */
  static final String SPARK_JVM_OPTIONS = FLINK_JVM_OPTIONS;

  /** What Flink's and Spark's defaults add where the kernel gives huge pages on request. */
  static final String HUGE_PAGES = "-XX:+UseTransparentHugePages";

  /** The kernel's transparent huge page mode, the selected one in brackets. */
  static final Path HUGE_PAGE_MODE = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

  /**
   * The JVM options each runner's runs get unless {@code --jvm-option} gives it some: the ones
   * {@code bin/floe} gives a batch, so that bench measures what a user who follows the README gets.
   * Every runner: a heap of 2 GB and the C1 compiler only (C2 would spend about a quarter of two
   * cores compiling during a one-minute batch). Flink embedded and Spark local also: the throughput
   * collector (no concurrent marking while the writers' open files fill the heap) and, where the
   * kernel hands out huge pages to a process that asks ({@link #hugePagesOnRequest}), huge pages
   * for the heap.
   */
  static final Map<String, List<String>> DEFAULT_JVM_OPTIONS =
      defaults(hugePagesOnRequest(HUGE_PAGE_MODE));

  /** Each runner's defaults, Flink's and Spark's with huge pages if {@code hugePages}. */
  static Map<String, List<String>> defaults(boolean hugePages) {
    return Map.of(
        "flink", batchOptions(FLINK_JVM_OPTIONS, hugePages),
        "direct", List.of(DIRECT_JVM_OPTIONS.split(" ")),
        "spark", batchOptions(SPARK_JVM_OPTIONS, hugePages));
  }

  private static List<String> batchOptions(String options, boolean hugePages) {
    List<String> list = new ArrayList<>(List.of(options.split(" ")));
    if (hugePages) {
      list.add(HUGE_PAGES);
    }
    return List.copyOf(list);
  }

  /**
   * Whether {@code mode} (the kernel's transparent huge page setting) is {@code madvise}: huge
   * pages for memory a process asks them for, which the JVM does for its heap when told to. With
   * {@code always} the kernel gives them without being asked; with {@code never}, or no such file
   * (not Linux), the JVM would only warn that it cannot have them.
   */
  static boolean hugePagesOnRequest(Path mode) {
    try {
      return Files.readString(mode).contains("[madvise]");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The JVM options of {@code runner}'s runs: the plain ones and those for it by name, or its
   * defaults when {@code options} has none for it.
   */
  static List<String> jvmOptionsFor(String runner, List<String> options) {
    List<String> mine = new ArrayList<>();
    for (String o : options) {
      int colon = o.indexOf(':');
      String prefix = colon < 0 ? "" : o.substring(0, colon);
      if (RUNNERS.contains(prefix)) {
        if (prefix.equals(runner)) {
          mine.add(o.substring(colon + 1));
        }
      } else {
        mine.add(o);
      }
    }
    return mine.isEmpty() ? DEFAULT_JVM_OPTIONS.getOrDefault(runner, List.of()) : mine;
  }

  static final List<String> RUNNERS = List.of("direct", "flink", "spark");

  /** The options that map {@code archive}, a class-data archive, at the address it was made for. */
  static List<String> mapArchive(Path archive) {
    List<String> options = new ArrayList<>(ARCHIVE_AT_ITS_ADDRESS);
    options.add("-XX:SharedArchiveFile=" + archive);
    return options;
  }
}
