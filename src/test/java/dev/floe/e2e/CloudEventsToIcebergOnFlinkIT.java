package dev.floe.e2e;

/**
 * {@link CloudEventsToIcebergIT} on the Flink runner ({@code runner-profiles/flink-local.yaml}).
 */
class CloudEventsToIcebergOnFlinkIT extends CloudEventsToIcebergIT {
  @Override
  String profile() {
    return "runner-profiles/flink-local.yaml";
  }
}
