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
  private final List<KafkaRange> slices = List.of(
      new KafkaRange("t", 0, 0, 50_000), new KafkaRange("t", 0, 50_000, 100_000),
      new KafkaRange("t", 1, 7, 9));

  @Test
  void splitsIntoOneSourcePerSliceWhateverBundleSizeIsAsked() throws Exception {
    SliceSource source = new SliceSource(slices);
    for (long desired : new long[] {1, 1_000_000_000L}) {
      List<SliceSource> splits = source.split(desired, options);
      assertThat(splits).extracting(SliceSource::slices)
          .containsExactly(List.of(slices.get(0)), List.of(slices.get(1)), List.of(slices.get(2)));
      assertThat(splits.get(2).split(desired, options)).containsExactly(splits.get(2));
    }
    assertThat(source.getEstimatedSizeBytes(options)).isEqualTo(100_002);
  }

  @Test
  void readsEverySliceOnceWholeAndSplit() throws Exception {
    SliceSource source = new SliceSource(slices);
    assertThat(SourceTestUtils.readFromSource(source, options)).containsExactlyElementsOf(slices);
    List<KafkaRange> fromSplits = new ArrayList<>();
    for (BoundedSource<KafkaRange> split : source.split(1, options)) {
      fromSplits.addAll(SourceTestUtils.readFromSource(split, options));
    }
    assertThat(fromSplits).containsExactlyElementsOf(slices);
    SourceTestUtils.assertSourcesEqualReferenceSource(source, source.split(1, options), options);
  }
}
