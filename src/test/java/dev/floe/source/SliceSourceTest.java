package dev.floe.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.BoundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.SourceTestUtils;
import org.junit.jupiter.api.Test;

class SliceSourceTest {
  private final PipelineOptions options = PipelineOptionsFactory.create();
  private final List<KafkaRange> slices =
      List.of(
          new KafkaRange("t", 0, 0, 50_000),
          new KafkaRange("t", 0, 50_000, 100_000),
          new KafkaRange("t", 1, 7, 9));

  @Test
  void splitsIntoASourcePerSliceHandedOutLargestFirst() throws Exception {
    // a 1,000,000-event batch of 6 partitions: 15 slices of 75,000 to 50,000 records, and three
    // of 50,000 (the last eighth) cut into 12 of 12,500
    List<KafkaRange> batch =
        KafkaRangeRead.slices(
            List.of(
                new KafkaRange("t", 0, 0, 175_000), new KafkaRange("t", 1, 0, 125_000),
                new KafkaRange("t", 2, 0, 200_000), new KafkaRange("t", 3, 0, 75_000),
                new KafkaRange("t", 4, 0, 225_000), new KafkaRange("t", 5, 0, 200_000)),
            50_000,
            32);
    assertThat(batch).hasSize(27);
    SliceSource source = new SliceSource(batch);
    assertThat(source.getEstimatedSizeBytes(options)).isEqualTo(1_000_000);
    // what Flink asks with parallelism 2: half the estimate each; it gets a split per slice
    List<SliceSource> splits = source.split(500_000, options);
    assertThat(splits).hasSize(27).allMatch(s -> s.slices().size() == 1);
    assertThat(splits.stream().flatMap(s -> s.slices().stream()))
        .containsExactlyInAnyOrderElementsOf(batch);
    // Flink hands out the last split first: the largest slice (75,000 records of partition 3)
    assertThat(splits.get(splits.size() - 1).slices())
        .containsExactly(new KafkaRange("t", 3, 0, 75_000));
    assertThat(splits.stream().map(s -> s.getEstimatedSizeBytes(options)).toList()).isSorted();
    // and the 12,500-record pieces of the tail last
    assertThat(splits.get(0).getEstimatedSizeBytes(options)).isEqualTo(12_500);
    assertThat(new SliceSource(List.of(batch.get(0))).split(1, options)).hasSize(1);
  }

  @Test
  void readsEverySliceOnceWholeAndSplit() throws Exception {
    SliceSource source = new SliceSource(slices);
    assertThat(SourceTestUtils.readFromSource(source, options)).containsExactlyElementsOf(slices);
    List<KafkaRange> fromSplits = new ArrayList<>();
    for (BoundedSource<KafkaRange> split : source.split(1, options)) {
      fromSplits.addAll(SourceTestUtils.readFromSource(split, options));
    }
    assertThat(fromSplits).containsExactlyInAnyOrderElementsOf(slices);
    SourceTestUtils.assertSourcesEqualReferenceSource(source, source.split(1, options), options);
  }
}
