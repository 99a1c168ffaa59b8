package org.apache.beam.sdk.io.kafka;

/**
 * Makes a descriptor-driven Kafka read bounded. {@code ReadSourceDescriptors.withBounded()} is
 * package-private in Beam (KafkaIO uses it for stop read times); a read of descriptors that all
 * carry stop offsets is finite, and a bounded PCollection lets every runner translate the batch.
 */
public final class BoundedReads {
  private BoundedReads() {}

  public static <K, V> KafkaIO.ReadSourceDescriptors<K, V> bounded(
      KafkaIO.ReadSourceDescriptors<K, V> read) {
    return read.withBounded();
  }
}
