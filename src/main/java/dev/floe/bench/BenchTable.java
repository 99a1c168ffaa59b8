package dev.floe.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

/** The table of medians bench prints after its runs. */
final class BenchTable {
  private BenchTable() {}

  static void print(
      List<ObjectNode> results,
      List<String> runners,
      int repeat,
      int events,
      int partitions,
      PrintStream out) {
    String[] columns = {
      "wall_s",
      "startup_s",
      "read_decode_write_s",
      "commit_s",
      "records_per_s",
      "value_mb_per_s",
      "peak_heap_mb",
      "peak_rss_mb",
      "data_files",
      "bytes_written_mb"
    };
    out.printf(
        "%nmedians of %d run(s) per runner, %,d events, %d partitions%n",
        repeat, events, partitions);
    StringBuilder header = new StringBuilder(String.format("%-8s", "runner"));
    for (String c : columns) {
      header.append(String.format(" %20s", c));
    }
    out.println(header);
    for (String r : runners) {
      StringBuilder row = new StringBuilder(String.format("%-8s", r));
      List<ObjectNode> mine =
          results.stream().filter(x -> x.path("runner").asText().equals(r)).toList();
      for (String c : columns) {
        row.append(
            String.format(
                " %20s",
                median(mine.stream().map(x -> x.path(c).asDouble()).collect(Collectors.toList()))));
      }
      if (mine.stream().anyMatch(x -> !x.path("ok").asBoolean())) {
        row.append("  (a run failed or lost rows: see its log)");
      }
      out.println(row);
    }
  }

  static String median(List<Double> values) {
    if (values.isEmpty()) {
      return "-";
    }
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    double m = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return m == Math.rint(m) ? String.valueOf((long) m) : String.valueOf(round2(m));
  }

  static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
