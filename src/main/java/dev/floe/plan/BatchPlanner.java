package dev.floe.plan;

import dev.floe.commit.Committed;
import dev.floe.config.InputConfig;
import dev.floe.config.StartingOffsets;
import dev.floe.source.KafkaRange;
import dev.floe.source.TopicOffsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans a batch: per partition, from the offset committed in the table (or {@code startingOffsets}
 * on a pipeline's first run; earliest for a partition added since) to the end offset the broker
 * reports now, capped at {@code maxRecordsPerBatch} in all.
 */
public final class BatchPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(BatchPlanner.class);

  private BatchPlanner() {}

  /**
   * @param stopAt end offsets not to read past (partition to offset), e.g. those seen when an
   *     available-now run started; null to read to the broker's end offsets now
   */
  public static BatchPlan plan(
      TopicOffsets kafka,
      InputConfig input,
      Committed committed,
      Long maxRecords,
      Map<Integer, Long> stopAt) {
    String topic = input.topic();
    List<TopicPartition> partitions = kafka.partitions(topic);
    Map<TopicPartition, Long> beginning = kafka.beginning(partitions);
    Map<TopicPartition, Long> end = kafka.end(partitions);
    Map<TopicPartition, Long> first =
        firstRun(kafka, input.startingOffsets(), partitions, beginning, end, committed);
    Map<Integer, Long> done = committed.offsets().partitions(topic);
    List<KafkaRange> ranges = new ArrayList<>();
    List<KafkaRange> skipped = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      long from;
      if (done.containsKey(tp.partition())) {
        from = done.get(tp.partition());
        if (from < beginning.get(tp)) {
          if (input.failOnDataLoss()) {
            throw new IllegalStateException(
                "offsets "
                    + from
                    + " to "
                    + (beginning.get(tp) - 1)
                    + " of "
                    + tp
                    + " were deleted by the topic's retention before this pipeline read them."
                    + " Set inputs[].options.failOnDataLoss: false to skip them (the skipped"
                    + " range is recorded in the snapshot summary) and read from offset "
                    + beginning.get(tp));
          }
          skipped.add(new KafkaRange(topic, tp.partition(), from, beginning.get(tp)));
          LOG.warn(
              "{}: offsets {} to {} were deleted by retention before they were read;"
                  + " skipped (failOnDataLoss: false)",
              tp,
              from,
              beginning.get(tp) - 1);
          from = beginning.get(tp);
        }
        if (from > end.get(tp)) {
          throw new IllegalStateException(
              "the table holds offset "
                  + from
                  + " for "
                  + tp
                  + ", past the partition's end "
                  + end.get(tp)
                  + ": was the topic deleted and created again? Use a new"
                  + " pipeline name or table to start over");
        }
      } else {
        from = first.get(tp);
      }
      long to = end.get(tp);
      if (stopAt != null) {
        to = Math.max(from, Math.min(to, stopAt.getOrDefault(tp.partition(), from)));
      }
      ranges.add(new KafkaRange(topic, tp.partition(), from, to));
    }
    if (maxRecords != null) {
      ranges = cap(ranges, maxRecords);
    }
    BatchPlan plan =
        new BatchPlan(
            UUID.randomUUID().toString(),
            committed.batchId(),
            committed.offsets(),
            ranges,
            skipped);
    LOG.debug("{}: beginning offsets {}, end offsets {}", topic, beginning, end);
    LOG.info(
        "planned batch {} ({}): {} records of {}:{}",
        plan.batchId(),
        committed.batchId() == null ? "the pipeline's first" : "after batch " + committed.batchId(),
        plan.records(),
        topic,
        plan.describeRanges());
    return plan;
  }

  private static Map<TopicPartition, Long> firstRun(
      TopicOffsets kafka,
      StartingOffsets starting,
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> beginning,
      Map<TopicPartition, Long> end,
      Committed committed) {
    // a partition added after the first run starts at its beginning, whatever startingOffsets says
    if (!committed.isEmpty() || starting.kind() == StartingOffsets.Kind.EARLIEST) {
      return beginning;
    }
    if (starting.kind() == StartingOffsets.Kind.LATEST) {
      return end;
    }
    return kafka.atTime(partitions, starting.instant().toEpochMilli());
  }

  /** Shares {@code max} records among the partitions in proportion to what each has. */
  static List<KafkaRange> cap(List<KafkaRange> ranges, long max) {
    long total = ranges.stream().mapToLong(KafkaRange::count).sum();
    if (total <= max) {
      return ranges;
    }
    List<KafkaRange> out = new ArrayList<>();
    long given = 0;
    for (KafkaRange r : ranges) {
      long share = (long) Math.floor((double) r.count() * max / total);
      out.add(new KafkaRange(r.topic(), r.partition(), r.from(), r.from() + share));
      given += share;
    }
    // the rounding remainder goes to the partitions with the most left, one record each
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < out.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingLong(i -> -(ranges.get(i).to() - out.get(i).to())));
    for (int k = 0; given < max && k < order.size(); k++) {
      int i = order.get(k);
      KafkaRange r = out.get(i);
      if (r.to() < ranges.get(i).to()) {
        out.set(i, new KafkaRange(r.topic(), r.partition(), r.from(), r.to() + 1));
        given++;
      }
    }
    return out;
  }
}
