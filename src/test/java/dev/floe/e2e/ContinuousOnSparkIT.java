package dev.floe.e2e;

/** {@link ContinuousIT} on the Spark runner ({@code runner-profiles/spark-local.yaml}). */
class ContinuousOnSparkIT extends ContinuousIT {
  @Override
  String profile() {
    return "runner-profiles/spark-local.yaml";
  }
}
