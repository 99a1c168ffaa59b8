package dev.floe.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.commit.BatchCommitter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code checkpointLocation}: an append-only log of committed batches, one JSON object per line
 * in {@code batches.jsonl}. A mirror of the table's snapshot history for auditing; Floe never reads
 * it back (the table is the checkpoint).
 */
final class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditLog() {}

  static Path append(String location, String pipeline, String table, BatchResult r) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("pipeline_id", pipeline);
    line.put("batch_id", r.plan().batchId());
    line.put("table", table);
    line.put("snapshot_id", r.snapshotId());
    line.put("offsets_from", r.plan().committed().asMap());
    line.put("offsets_to", r.offsets().asMap());
    line.put(
        "records_read", Long.parseLong(r.summary().getOrDefault(BatchCommitter.RECORDS_READ, "0")));
    line.put("rows_written", r.rowsWritten());
    line.put("dead_letters", r.deadLetters());
    line.put("dead_letters_by_kind", r.deadLettersByKind());
    line.put("tombstones_skipped", r.tombstonesSkipped());
    line.put("seconds", r.took().toMillis() / 1000.0);
    line.put("commit_seconds", r.commit().toMillis() / 1000.0);
    line.put("committed_at", Instant.now().toString());
    Path file = Path.of(location).resolve("batches.jsonl");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          JSON.writeValueAsString(line) + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the checkpointLocation log " + file, e);
    }
    return file;
  }
}
