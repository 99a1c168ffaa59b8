package dev.floe.sink;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;

/** Gathers every writer's files into one list for the single committer; empty for no files. */
final class GatherFiles extends Combine.CombineFn<TableFiles, List<TableFiles>, List<TableFiles>> {
  static final Coder<List<TableFiles>> CODER = ListCoder.of(SerializableCoder.of(TableFiles.class));

  @Override
  public List<TableFiles> createAccumulator() {
    return new ArrayList<>();
  }

  @Override
  public List<TableFiles> addInput(List<TableFiles> acc, TableFiles files) {
    acc.add(files);
    return acc;
  }

  @Override
  public List<TableFiles> mergeAccumulators(Iterable<List<TableFiles>> accumulators) {
    List<TableFiles> all = new ArrayList<>();
    accumulators.forEach(all::addAll);
    return all;
  }

  @Override
  public List<TableFiles> extractOutput(List<TableFiles> acc) {
    return acc;
  }

  @Override
  public Coder<List<TableFiles>> getAccumulatorCoder(CoderRegistry r, Coder<TableFiles> in) {
    return CODER;
  }

  @Override
  public Coder<List<TableFiles>> getDefaultOutputCoder(CoderRegistry r, Coder<TableFiles> in) {
    return CODER;
  }
}
