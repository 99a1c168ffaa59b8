package dev.floe.write;

import dev.floe.types.IcebergSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.InternalWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.encryption.NativeEncryptionOutputFile;
import org.apache.iceberg.hadoop.HadoopOutputFile;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileWriterFactory;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;

/**
 * Parquet data files of a table, from records in Iceberg's internal representation (timestamps as
 * epoch microseconds, dates as epoch days, binary as byte buffers: what {@link IcebergSchemas}'
 * converter makes), written by Iceberg's own {@link InternalWriter}. Floe only appends, so it makes
 * data files only.
 *
 * <p>Iceberg's Parquet writer copies the Hadoop configuration of the file it writes, and a task
 * keeps hundreds of writers open (one per table partition). A table's configuration holds every
 * Hadoop default, about a thousand entries in three concurrent maps per copy: copied per writer,
 * that was a million and a half small objects on the heap, traced by every garbage collection. The
 * writers get a configuration of the {@link #userSettings} instead: what a site file, the catalog
 * or a program set. Parquet, its codecs and Hadoop's file systems have the same defaults in their
 * code.
 */
public final class InternalParquetWriters implements FileWriterFactory<Record> {
  private final Table table;
  private final Map<String, String> properties;
  private Configuration fileConf;
  private Configuration writerConf;

  /**
   * @param properties Parquet settings on top of the table's own (see WriteDataFiles)
   */
  public InternalParquetWriters(Table table, Map<String, String> properties) {
    this.table = table;
    this.properties = properties;
  }

  /** Writers for {@code table} with Floe's Parquet settings where the table has none. */
  public static InternalParquetWriters forTable(Table table) {
    return new InternalParquetWriters(table, WriteDataFiles.writerProperties(table));
  }

  @Override
  public DataWriter<Record> newDataWriter(
      EncryptedOutputFile file, PartitionSpec spec, StructLike partition) {
    try {
      Parquet.DataWriteBuilder builder =
          file instanceof NativeEncryptionOutputFile
              ? Parquet.writeData(file)
              : Parquet.writeData(withUserSettings(file.encryptingOutputFile()));
      return builder
          .forTable(table)
          .setAll(properties)
          .createWriterFunc(InternalWriter::createWriter)
          .withSpec(spec)
          .withPartition(partition)
          .overwrite()
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code file} with a configuration of the user's settings only, if it is a Hadoop file. */
  private OutputFile withUserSettings(OutputFile file) {
    if (!(file instanceof HadoopOutputFile hadoop) || hadoop.getConf() == null) {
      return file;
    }
    if (hadoop.getConf() != fileConf) {
      fileConf = hadoop.getConf();
      writerConf = userSettings(fileConf);
    }
    return HadoopOutputFile.fromPath(hadoop.getPath(), hadoop.getFileSystem(), writerConf);
  }

  /**
   * The entries of {@code conf} that are not Hadoop's defaults (the {@code *-default.xml} files on
   * the classpath, same value), in a configuration that loads no defaults. By value, not by where
   * an entry came from: a configuration sent to a task has forgotten that.
   */
  static Configuration userSettings(Configuration conf) {
    Configuration out = new Configuration(false);
    for (Map.Entry<String, String> e : conf) {
      if (!Objects.equals(e.getValue(), HadoopDefaults.DEFAULTS.getRaw(e.getKey()))) {
        out.set(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** Hadoop's defaults, read once per JVM. */
  private static final class HadoopDefaults {
    static final Configuration DEFAULTS = read();

    private static Configuration read() {
      Configuration defaults = new Configuration(false);
      for (String name :
          new String[] {
            "core-default.xml",
            "hdfs-default.xml",
            "hdfs-rbf-default.xml",
            "yarn-default.xml",
            "mapred-default.xml"
          }) {
        if (Configuration.class.getClassLoader().getResource(name) != null) {
          defaults.addResource(name);
        }
      }
      defaults.size(); // parsed here, once, not on a task's first lookup
      return defaults;
    }
  }

  @Override
  public EqualityDeleteWriter<Record> newEqualityDeleteWriter(
      EncryptedOutputFile file, PartitionSpec spec, StructLike partition) {
    throw new UnsupportedOperationException("Floe writes no equality deletes");
  }

  @Override
  public PositionDeleteWriter<Record> newPositionDeleteWriter(
      EncryptedOutputFile file, PartitionSpec spec, StructLike partition) {
    throw new UnsupportedOperationException("Floe writes no position deletes");
  }
}
