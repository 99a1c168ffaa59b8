package dev.floe.e2e;

/** {@link ExactlyOnceIT} on the Flink runner ({@code runner-profiles/flink-local.yaml}). */
class ExactlyOnceOnFlinkIT extends ExactlyOnceIT {
  @Override
  String profile() {
    return "runner-profiles/flink-local.yaml";
  }

  @Override
  boolean runnerRetriesFailedTasks() {
    return true;
  }
}
