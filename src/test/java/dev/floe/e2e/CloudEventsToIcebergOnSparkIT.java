package dev.floe.e2e;

/**
 * {@link CloudEventsToIcebergIT} on the Spark runner ({@code runner-profiles/spark-local.yaml}).
 */
class CloudEventsToIcebergOnSparkIT extends CloudEventsToIcebergIT {
  @Override
  String profile() {
    return "runner-profiles/spark-local.yaml";
  }
}
