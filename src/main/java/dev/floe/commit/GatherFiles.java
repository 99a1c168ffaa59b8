package dev.floe.commit;

import dev.floe.write.WrittenFiles;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;

/** Gathers every writer's files into one list for the single committer; empty for no files. */
final class GatherFiles
    extends Combine.CombineFn<WrittenFiles, List<WrittenFiles>, List<WrittenFiles>> {
  static final Coder<List<WrittenFiles>> CODER =
      ListCoder.of(SerializableCoder.of(WrittenFiles.class));

  @Override
  public List<WrittenFiles> createAccumulator() {
    return new ArrayList<>();
  }

  @Override
  public List<WrittenFiles> addInput(List<WrittenFiles> acc, WrittenFiles files) {
    acc.add(files);
    return acc;
  }

  @Override
  public List<WrittenFiles> mergeAccumulators(Iterable<List<WrittenFiles>> accumulators) {
    List<WrittenFiles> all = new ArrayList<>();
    accumulators.forEach(all::addAll);
    return all;
  }

  @Override
  public List<WrittenFiles> extractOutput(List<WrittenFiles> acc) {
    return acc;
  }

  @Override
  public Coder<List<WrittenFiles>> getAccumulatorCoder(CoderRegistry r, Coder<WrittenFiles> in) {
    return CODER;
  }

  @Override
  public Coder<List<WrittenFiles>> getDefaultOutputCoder(CoderRegistry r, Coder<WrittenFiles> in) {
    return CODER;
  }
}
