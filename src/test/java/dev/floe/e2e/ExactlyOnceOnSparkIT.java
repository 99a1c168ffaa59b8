package dev.floe.e2e;

/** {@link ExactlyOnceIT} on the Spark runner ({@code runner-profiles/spark-local.yaml}). */
class ExactlyOnceOnSparkIT extends ExactlyOnceIT {
  @Override
  String profile() {
    return "runner-profiles/spark-local.yaml";
  }
}
