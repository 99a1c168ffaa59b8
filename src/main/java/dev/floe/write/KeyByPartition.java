package dev.floe.write;

import dev.floe.types.IcebergSchemas;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.schemas.logicaltypes.MicrosInstant;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;

/**
 * Keys rows by the table partition they belong to, so a group-by-key hands every partition to one
 * writer: one data file per partition and batch (more only past the target file size), instead of
 * one per partition and bundle. Rows travel in chunks: the encoded rows of one partition and
 * window, up to {@link #CHUNK_BYTES}, so the shuffle moves a few large byte arrays instead of a
 * million small rows (the Direct runner copies a key's grouped state on every bundle; Spark and
 * Flink sort and serialize per element, and Flink's streaming state appends per element). Rows of
 * an unpartitioned table are spread over a few keys to keep writing parallel.
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
final class KeyByPartition extends DoFn<Row, KV<String, byte[]>> {
  private static final int UNPARTITIONED_SHARDS = 8;

  /** A chunk is sent once it holds this many bytes of encoded rows. */
  static final int CHUNK_BYTES = 1 << 20;

  /** A window's chunks are all sent once a bundle holds this many bytes of encoded rows in all. */
  static final long BUNDLE_BYTES = 32L << 20;

  private final Table table;
  private final Schema rowSchema;
  private final Coder<Row> rowCoder;
  private final int groups;
  private transient TableRecords records;
  private transient Map<BoundedWindow, Map<Object, Chunk>> windows;
  private transient BoundedWindow lastWindow;
  private transient Map<Object, Chunk> lastChunks;
  private transient long buffered;
  private transient int next;

  /**
   * @param groups how many keys the partitions share; 0 for a key per partition (its path)
   */
  KeyByPartition(Table table, Schema rowSchema, int groups) {
    this.table = table;
    this.rowSchema = rowSchema;
    this.rowCoder = chunkCoder(rowSchema);
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

  @Setup
  public void setup() {
    records = new TableRecords(table, rowSchema);
  }

  @StartBundle
  public void startBundle() {
    windows = new HashMap<>();
    lastWindow = null;
    lastChunks = null;
    buffered = 0;
  }

  @ProcessElement
  public void process(
      @Element Row row, BoundedWindow window, OutputReceiver<KV<String, byte[]>> out) {
    Map<Object, Chunk> chunks = chunksOf(window);
    Chunk chunk;
    if (table.spec().isUnpartitioned()) {
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
    if (chunk.bytes.size() >= CHUNK_BYTES) {
      buffered -= chunk.bytes.size();
      out.output(send(chunk));
    }
    if (buffered >= BUNDLE_BYTES) {
      // only this window's chunks can be sent from here (an element's output is in its window)
      for (Chunk c : chunks.values()) {
        buffered -= c.bytes.size();
        if (c.bytes.size() > 0) {
          out.output(send(c));
        }
      }
    }
  }

  /** The chunks of {@code window}; a bundle's rows are nearly always all in one. */
  private Map<Object, Chunk> chunksOf(BoundedWindow window) {
    if (!window.equals(lastWindow)) {
      lastWindow = window;
      lastChunks = windows.computeIfAbsent(window, w -> new HashMap<>());
    }
    return lastChunks;
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    windows.forEach(
        (window, chunks) -> {
          for (Chunk chunk : chunks.values()) {
            if (chunk.bytes.size() > 0) {
              context.output(send(chunk), window.maxTimestamp(), window);
            }
          }
        });
    windows = null;
  }

  private static KV<String, byte[]> send(Chunk chunk) {
    KV<String, byte[]> kv = KV.of(chunk.key, chunk.bytes.toByteArray());
    chunk.bytes.reset();
    return kv;
  }

  /**
   * The coder of the rows in a chunk: the rows' own schema coder, except that timestamps ({@link
   * MicrosInstant}) travel as one long of microseconds since the epoch. Beam's coder turns each
   * into a row of seconds and micros first, built and checked field by field, which was most of the
   * cost of keying a row. The rows decoded hold the same {@link Instant} values.
   */
  static Coder<Row> chunkCoder(Schema rowSchema) {
    return SchemaCoder.of(withEpochMicros(rowSchema));
  }

  private static Schema withEpochMicros(Schema schema) {
    Schema.Builder out = Schema.builder();
    for (Schema.Field f : schema.getFields()) {
      out.addField(f.withType(withEpochMicros(f.getType())));
    }
    return out.setOptions(schema.getOptions()).build();
  }

  private static Schema.FieldType withEpochMicros(Schema.FieldType type) {
    Schema.FieldType out =
        switch (type.getTypeName()) {
          case LOGICAL_TYPE ->
              MicrosInstant.IDENTIFIER.equals(type.getLogicalType().getIdentifier())
                  ? Schema.FieldType.logicalType(new EpochMicros())
                  : type;
          case ARRAY -> Schema.FieldType.array(withEpochMicros(type.getCollectionElementType()));
          case ITERABLE ->
              Schema.FieldType.iterable(withEpochMicros(type.getCollectionElementType()));
          case MAP ->
              Schema.FieldType.map(
                  withEpochMicros(type.getMapKeyType()), withEpochMicros(type.getMapValueType()));
          case ROW -> Schema.FieldType.row(withEpochMicros(type.getRowSchema()));
          default -> type;
        };
    return out.withNullable(type.getNullable());
  }

  /** An instant as microseconds since the epoch (what {@link MicrosInstant} keeps, in a long). */
  static final class EpochMicros implements Schema.LogicalType<Instant, Long> {
    static final String IDENTIFIER = "floe:epoch_micros";

    @Override
    public String getIdentifier() {
      return IDENTIFIER;
    }

    @Override
    public Schema.FieldType getArgumentType() {
      return null;
    }

    @Override
    public Schema.FieldType getBaseType() {
      return Schema.FieldType.INT64;
    }

    @Override
    public Long toBaseType(Instant input) {
      return IcebergSchemas.micros(input);
    }

    @Override
    public Instant toInputType(Long base) {
      return Instant.ofEpochSecond(
          Math.floorDiv(base, 1_000_000L), Math.floorMod(base, 1_000_000L) * 1_000L);
    }
  }

  /** The rows of a chunk, in the order they were added. */
  static List<Row> rows(byte[] chunk, Coder<Row> rowCoder) {
    List<Row> rows = new ArrayList<>();
    ByteArrayInputStream in = new ByteArrayInputStream(chunk);
    try {
      while (in.available() > 0) {
        rows.add(rowCoder.decode(in));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }
}
