package dev.floe.commit;

import dev.floe.table.Catalogs;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops records the table already holds: those below the pipeline's committed offsets. A continuous
 * job restored from a checkpoint older than the table's last commit reads them again; they are
 * never written twice. The offsets are read from the table when a worker starts (and so after every
 * restore).
 */
public final class DropCommitted
    extends DoFn<KafkaRecord<byte[], byte[]>, KafkaRecord<byte[], byte[]>> {
  private static final Logger LOG = LoggerFactory.getLogger(DropCommitted.class);

  private final Map<String, String> catalogProperties;
  private final String table;
  private final String pipelineId;
  private transient Offsets committed;

  /**
   * @param table the pipeline's target table, {@code namespace.name}
   */
  public DropCommitted(Map<String, String> catalogProperties, String table, String pipelineId) {
    this.catalogProperties = catalogProperties;
    this.table = table;
    this.pipelineId = pipelineId;
  }

  @Setup
  public void setup() {
    var catalog = Catalogs.load(catalogProperties);
    TableIdentifier id = TableIdentifier.parse(table);
    Table t = catalog.tableExists(id) ? catalog.loadTable(id) : null;
    committed = t == null ? Offsets.NONE : Committed.of(t, pipelineId).offsets();
    LOG.debug("{}: records below {} are committed already", table, committed);
  }

  @ProcessElement
  public void process(
      @Element KafkaRecord<byte[], byte[]> record,
      OutputReceiver<KafkaRecord<byte[], byte[]>> out) {
    Long next = committed.next(record.getTopic(), record.getPartition());
    if (next == null || record.getOffset() >= next) {
      out.output(record);
    }
  }
}
