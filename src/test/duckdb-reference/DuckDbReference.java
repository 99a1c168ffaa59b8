import dev.floe.demo.SampleEvents;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events {@code bench --micro} measures (the same generator, seed and shape), as
 * newline-delimited JSON, through DuckDB on one thread: {@code decode} parses them into typed
 * columns (the reference pipeline's: the CloudEvents attributes, the data fields, the time as a
 * timestamp) in a table in memory; {@code write} writes that table as Parquet partitioned by
 * source and hour, as Floe's table is. Nothing of Iceberg: no manifests, no commit.
 */
public class DuckDbReference {
  private static final String COLUMNS =
      "{specversion: 'VARCHAR', id: 'VARCHAR', source: 'VARCHAR', type: 'VARCHAR',"
          + " time: 'VARCHAR', datacontenttype: 'VARCHAR', subject: 'VARCHAR',"
          + " region: 'VARCHAR', traceparent: 'VARCHAR', sequence: 'VARCHAR',"
          + " data: 'STRUCT(deviceId VARCHAR, temperature DOUBLE, humidity INTEGER,"
          + " status VARCHAR, tags VARCHAR[])'}";

  public static void main(String[] args) throws Exception {
    int events = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    Path dir = Files.createTempDirectory("duckdb-reference");
    Path json = dir.resolve("events.json");
    try (BufferedWriter out = Files.newBufferedWriter(json, StandardCharsets.UTF_8)) {
      for (SampleEvents.Event e : SampleEvents.microBench(events)) {
        out.write(new String(e.record().value(), StandardCharsets.UTF_8));
        out.newLine();
      }
    }
    Map<String, List<Double>> perStage = new LinkedHashMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = db.createStatement()) {
      sql.execute("SET threads = 1");
      sql.execute("SET preserve_insertion_order = false");
      for (int round = 1; round <= rounds + 2; round++) {
        Path parquet = dir.resolve("parquet-" + round);
        sql.execute("DROP TABLE IF EXISTS decoded");
        long t0 = System.nanoTime();
        sql.execute(
            "CREATE TABLE decoded AS SELECT specversion, id, source, type,"
                + " CAST(time AS TIMESTAMPTZ) AS time, datacontenttype, subject, region,"
                + " traceparent, sequence, data.deviceId AS deviceId, data.temperature AS"
                + " temperature, data.humidity AS humidity, data.status AS status, data.tags AS"
                + " tags, CAST(time AS TIMESTAMPTZ) AS _timestamp,"
                + " date_trunc('hour', CAST(time AS TIMESTAMPTZ)) AS hour FROM read_json('"
                + json
                + "', format = 'newline_delimited', columns = "
                + COLUMNS
                + ")");
        long t1 = System.nanoTime();
        sql.execute(
            "COPY decoded TO '"
                + parquet
                + "' (FORMAT parquet, PARTITION_BY (source, hour), COMPRESSION zstd)");
        long t2 = System.nanoTime();
        long rows;
        try (ResultSet r = sql.executeQuery("SELECT count(*) FROM decoded")) {
          r.next();
          rows = r.getLong(1);
        }
        if (rows != events) {
          throw new IllegalStateException("decoded " + rows + " of " + events + " events");
        }
        long files;
        try (var walk = Files.walk(parquet)) {
          files = walk.filter(p -> p.toString().endsWith(".parquet")).count();
        }
        double decode = (t1 - t0) / (double) events;
        double write = (t2 - t1) / (double) events;
        System.out.printf(
            "{\"round\":%d,\"warm_up\":%b,\"events\":%d,\"files\":%d,"
                + "\"decode_ns\":%.0f,\"write_ns\":%.0f}%n",
            round, round <= 2, events, files, decode, write);
        if (round > 2) {
          perStage.computeIfAbsent("decode", k -> new ArrayList<>()).add(decode);
          perStage.computeIfAbsent("write", k -> new ArrayList<>()).add(write);
          perStage.computeIfAbsent("total", k -> new ArrayList<>()).add(decode + write);
        }
      }
    }
    System.out.println("stage     ns/record  records/s (medians, one thread)");
    perStage.forEach(
        (stage, values) -> {
          List<Double> sorted = new ArrayList<>(values);
          sorted.sort(Double::compare);
          double median = sorted.get(sorted.size() / 2);
          System.out.printf("%-8s %10.0f %10.0f%n", stage, median, 1e9 / median);
        });
  }
}
