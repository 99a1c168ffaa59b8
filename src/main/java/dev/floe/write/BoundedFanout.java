package dev.floe.write;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileWriterFactory;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.util.StructLikeMap;

/**
 * One open data file per table partition, like Iceberg's fan-out writer, with two limits: a file is
 * closed when it reaches the table's target file size, and when the open files together hold more
 * than {@code bufferBytes} (Parquet keeps a file's pages in memory until its row group is flushed,
 * so a task writing many partitions holds most of its output), the largest open files are closed
 * until they hold at most half of it. Memory stays flat however large the batch; a batch bigger
 * than the budget gets more, smaller files instead.
 */
final class BoundedFanout implements Closeable {
  /**
   * Rows between two looks at the open files' sizes: at least this many, and more when many files
   * are open, because a look asks every open Parquet writer for the size of every column it buffers
   * ({@link #ROWS_PER_OPEN_FILE} rows per open file between looks keeps that near one percent of a
   * writer's time; 240 open files are looked at every 24,000 rows, a few MB of rows, against a
   * budget of hundreds of MB).
   */
  private static final int MIN_ROWS_BETWEEN_CHECKS = 1_000;

  private static final int ROWS_PER_OPEN_FILE = 100;

  private final FileWriterFactory<Record> writers;
  private final OutputFileFactory files;
  private final PartitionSpec spec;
  private final long targetFileBytes;
  private final long bufferBytes;
  private final Map<StructLike, DataWriter<Record>> open;
  private final List<DataFile> written = new ArrayList<>();
  private DataWriter<Record> unpartitioned;
  private int sinceCheck;
  private int closedForMemory;

  BoundedFanout(
      FileWriterFactory<Record> writers,
      OutputFileFactory files,
      PartitionSpec spec,
      long targetFileBytes,
      long bufferBytes) {
    this.writers = writers;
    this.files = files;
    this.spec = spec;
    this.targetFileBytes = targetFileBytes;
    this.bufferBytes = bufferBytes;
    this.open = StructLikeMap.create(spec.partitionType());
  }

  /** Writes {@code record} to the file of {@code partition} (null: unpartitioned table). */
  void write(Record record, StructLike partition) {
    DataWriter<Record> writer = partition == null ? unpartitioned : open.get(partition);
    if (writer == null) {
      StructLike key = partition == null ? null : copy(partition);
      writer = writers.newDataWriter(newFile(key), spec, key);
      if (key == null) {
        unpartitioned = writer;
      } else {
        open.put(key, writer);
      }
    }
    writer.write(record);
    if (++sinceCheck >= Math.max(MIN_ROWS_BETWEEN_CHECKS, ROWS_PER_OPEN_FILE * open.size())) {
      sinceCheck = 0;
      limit();
    }
  }

  /** How many files were closed early to keep within the memory budget. */
  int closedForMemory() {
    return closedForMemory;
  }

  private EncryptedOutputFile newFile(StructLike partition) {
    return partition == null ? files.newOutputFile() : files.newOutputFile(spec, partition);
  }

  private static StructLike copy(StructLike partition) {
    return partition instanceof org.apache.iceberg.PartitionKey key ? key.copy() : partition;
  }

  private void limit() {
    if (unpartitioned != null && unpartitioned.length() >= targetFileBytes) {
      finish(unpartitioned);
      unpartitioned = null;
    }
    long total = unpartitioned == null ? 0 : unpartitioned.length();
    List<Map.Entry<StructLike, DataWriter<Record>>> entries = new ArrayList<>(open.entrySet());
    long[] lengths = new long[entries.size()];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = entries.get(i).getValue().length();
      if (lengths[i] >= targetFileBytes) {
        finish(entries.get(i).getValue());
        open.remove(entries.get(i).getKey());
        lengths[i] = 0;
      }
      total += lengths[i];
    }
    if (total <= bufferBytes) {
      return;
    }
    Integer[] bySize = new Integer[lengths.length];
    for (int i = 0; i < bySize.length; i++) {
      bySize[i] = i;
    }
    java.util.Arrays.sort(bySize, (a, b) -> Long.compare(lengths[b], lengths[a]));
    for (int i : bySize) {
      if (total <= bufferBytes / 2 || lengths[i] == 0) {
        break;
      }
      finish(entries.get(i).getValue());
      open.remove(entries.get(i).getKey());
      total -= lengths[i];
      closedForMemory++;
    }
  }

  private void finish(DataWriter<Record> writer) {
    try {
      writer.close();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    written.add(writer.toDataFile());
  }

  /** Closes every open file. */
  @Override
  public void close() throws IOException {
    if (unpartitioned != null) {
      finish(unpartitioned);
      unpartitioned = null;
    }
    for (DataWriter<Record> writer : open.values()) {
      finish(writer);
    }
    open.clear();
  }

  /** The files written, once closed. */
  List<DataFile> dataFiles() {
    return written;
  }
}
