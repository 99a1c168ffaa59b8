package dev.floe.source;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** What a topic's partitions hold: the offsets a batch is planned from. */
public interface TopicOffsets {
  /** The topic's partitions. */
  List<TopicPartition> partitions(String topic);

  /** The first offset each partition still holds (retention may have deleted those before). */
  Map<TopicPartition, Long> beginning(List<TopicPartition> partitions);

  /** The offset after each partition's last record. */
  Map<TopicPartition, Long> end(List<TopicPartition> partitions);

  /** The first offset at or after {@code millis} per partition; the end offset where none is. */
  Map<TopicPartition, Long> atTime(List<TopicPartition> partitions, long millis);
}
