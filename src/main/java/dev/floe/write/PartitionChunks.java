package dev.floe.write;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;

/**
 * One bundle's rows, keyed by the table partition they belong to, so a group-by-key hands every
 * partition to one writer: one data file per partition and batch (more only past the target file
 * size), instead of one per partition and bundle. Rows travel in chunks: the encoded rows of one
 * partition and window ({@link ChunkCoder}), up to {@link #CHUNK_BYTES}, so the shuffle moves a few
 * large byte arrays instead of a million small rows (the Direct runner copies a key's grouped state
 * on every bundle; Spark and Flink sort and serialize per element, and Flink's streaming state
 * appends per element). Rows of an unpartitioned table are spread over a few keys to keep writing
 * parallel.
 *
 * <p>A chunk left when the bundle ends is sent in its own window. That is in time for the window's
 * group in a continuous run too: a runner advances the watermark, which fires a window, only
 * between bundles.
 *
 * <p>With {@code groups} > 0, partitions share keys: a partition's chunks all go to key {@code
 * hash(partition) mod groups}, so each partition still reaches exactly one writer, which writes the
 * several partitions of its key side by side ({@link WriteDataFiles.Grouped}). For runners whose
 * cost grows with the number of keys ({@code Runners.sharedWriteKeys}).
 */
public final class PartitionChunks {
  private static final int UNPARTITIONED_SHARDS = 8;

  /** A chunk is sent once it holds this many bytes of encoded rows. */
  static final int CHUNK_BYTES = 1 << 20;

  /** A window's chunks are all sent once a bundle holds this many bytes of encoded rows in all. */
  static final long BUNDLE_BYTES = 32L << 20;

  private final TableRecords records;
  private final Coder<Row> rowCoder;
  private final int groups;
  private Map<BoundedWindow, Map<Object, Chunk>> windows = new HashMap<>();
  private BoundedWindow lastWindow;
  private Map<Object, Chunk> lastChunks;
  private long buffered;
  private int next;

  /**
   * @param groups how many keys the partitions share; 0 for a key per partition (its path)
   */
  public PartitionChunks(Table table, Schema rowSchema, int groups) {
    this.records = new TableRecords(table, rowSchema);
    this.rowCoder = ChunkCoder.of(rowSchema);
    this.groups = groups;
  }

  /** The key a partition's rows are sent under. */
  static String keyOf(String partitionPath, int groups) {
    return groups > 0
        ? String.valueOf(Math.floorMod(partitionPath.hashCode(), groups))
        : partitionPath;
  }

  /** The encoded rows of one partition in one window, and the key they are sent under. */
  private static final class Chunk {
    final String key;
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);

    Chunk(String key) {
      this.key = key;
    }
  }

  /**
   * Adds a row of {@code window}; returns the chunks of that window that are ready to send (in the
   * element's window), nearly always none.
   */
  public List<KV<String, byte[]>> add(Row row, BoundedWindow window) {
    Map<Object, Chunk> chunks = chunksOf(window);
    Chunk chunk;
    if (!records.partitioned()) {
      next = (next + 1) % UNPARTITIONED_SHARDS;
      chunk = chunks.computeIfAbsent(next, n -> new Chunk(String.valueOf(n)));
    } else {
      PartitionKey partition = records.partitionOf(row);
      chunk = chunks.get(partition);
      if (chunk == null) {
        chunk = new Chunk(keyOf(partition.toPath(), groups));
        chunks.put(partition.copy(), chunk);
      }
    }
    int before = chunk.bytes.size();
    try {
      rowCoder.encode(row, chunk.bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    buffered += chunk.bytes.size() - before;
    if (chunk.bytes.size() < CHUNK_BYTES && buffered < BUNDLE_BYTES) {
      return List.of();
    }
    List<KV<String, byte[]>> ready = new ArrayList<>();
    if (chunk.bytes.size() >= CHUNK_BYTES) {
      buffered -= chunk.bytes.size();
      ready.add(take(chunk));
    }
    if (buffered >= BUNDLE_BYTES) {
      // only this window's chunks can be sent from here (an element's output is in its window)
      for (Chunk c : chunks.values()) {
        buffered -= c.bytes.size();
        if (c.bytes.size() > 0) {
          ready.add(take(c));
        }
      }
    }
    return ready;
  }

  /** The chunks of {@code window}; a bundle's rows are nearly always all in one. */
  private Map<Object, Chunk> chunksOf(BoundedWindow window) {
    if (!window.equals(lastWindow)) {
      lastWindow = window;
      lastChunks = windows.computeIfAbsent(window, w -> new HashMap<>());
    }
    return lastChunks;
  }

  /** Sends every chunk not sent yet, each with its window, and starts over empty. */
  public void flush(BiConsumer<KV<String, byte[]>, BoundedWindow> send) {
    windows.forEach(
        (window, chunks) -> {
          for (Chunk chunk : chunks.values()) {
            if (chunk.bytes.size() > 0) {
              send.accept(take(chunk), window);
            }
          }
        });
    clear();
  }

  /** Forgets what a failed bundle left: its rows are read again. */
  public void clear() {
    windows = new HashMap<>();
    lastWindow = null;
    lastChunks = null;
    buffered = 0;
  }

  private static KV<String, byte[]> take(Chunk chunk) {
    KV<String, byte[]> kv = KV.of(chunk.key, chunk.bytes.toByteArray());
    chunk.bytes.reset();
    return kv;
  }
}
