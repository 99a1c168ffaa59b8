package dev.floe.e2e;

/** {@link ContinuousIT} on the Spark runner ({@code runner-profiles/spark-local.yaml}). */
class ContinuousOnSparkIT extends ContinuousIT {
  @Override
  String profile() {
    return "runner-profiles/spark-local.yaml";
  }

  /** A loop of Spark batches, whose windows start when the last one is done. */
  @Override
  boolean oneStreamingJob() {
    return false;
  }

  /** Each window is a Spark batch, which takes longer than the 3 s trigger on two cores. */
  @Override
  java.time.Duration maxWindowGap() {
    return java.time.Duration.ofSeconds(20);
  }
}
