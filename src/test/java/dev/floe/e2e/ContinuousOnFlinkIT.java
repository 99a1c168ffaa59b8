package dev.floe.e2e;

/** {@link ContinuousIT} on the Flink runner ({@code runner-profiles/flink-local.yaml}). */
class ContinuousOnFlinkIT extends ContinuousIT {
  @Override
  String profile() {
    return "runner-profiles/flink-local.yaml";
  }
}
