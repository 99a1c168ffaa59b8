package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.floe.demo.SampleEvents;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an operator of a scheduled run finds in its log: at the pipeline's {@code logLevel: INFO} a
 * line for the plan and one for each commit, with the snapshot and the offsets; at {@code WARN}
 * none of them, and no library's warning when the run went well.
 */
class OperatorLogsIT extends BrokerAndWarehouse {
  private static final String PIPELINE = "pipelines/cloudevents-append.yaml";
  private final StringWriter log = new StringWriter();
  private Appender appender;

  @BeforeEach
  void captureLogs() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    appender =
        WriterAppender.newBuilder()
            .setName("operator-logs-it")
            .setTarget(log)
            .setLayout(PatternLayout.newBuilder().withPattern("%-5level %c{1} - %msg%n").build())
            .build();
    appender.start();
    config.getRootLogger().addAppender(appender, Level.ALL, null);
    context.updateLoggers();
  }

  @AfterEach
  void stopCapturing() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().removeAppender(appender.getName());
    context.updateLoggers();
    appender.stop();
  }

  private String topicWithEvents(String name) {
    kafka.createTopic(name, 2);
    SampleEvents.produce(
        kafka.bootstrapServers(),
        SampleEvents.generate(
            name, 0, 300, Instant.parse("2026-11-24T00:00:00Z"), Duration.ofHours(2), 5));
    return name;
  }

  @Test
  void atInfoARunLogsItsPlanAndEachCommit() throws Exception {
    String topic = topicWithEvents("logs-info");
    assertThat(run(PIPELINE, topic)).isZero();
    String committed = table("cloudevents").currentSnapshot().snapshotId() + "";
    assertThat(log.toString())
        .contains("INFO  BatchPlanner - planned batch ")
        .contains("(the pipeline's first): 300 records of logs-info:")
        .contains("INFO  BatchCommitter - ")
        .contains(".sys01.cloudevents: committed batch ")
        .contains("as snapshot " + committed + " (append, ")
        .contains("offsets {logs-info={0=")
        .contains("INFO  Runs - cloudevents-append: batch ")
        .contains("300 records read, 300 rows, 0 dead letters");
  }

  @Test
  void atWarnARunThatGoesWellLogsNothingOfFloes() {
    String topic = topicWithEvents("logs-warn");
    assertThat(run(PIPELINE, topic, "--set", "logLevel=WARN")).isZero();
    assertThat(log.toString()).doesNotContain("BatchPlanner").doesNotContain("BatchCommitter");
  }

  @Test
  void aBatchOnFlinkThatGoesWellWarnsOfNothing() throws Exception {
    String topic = topicWithEvents("logs-flink");
    assertThat(run(PIPELINE, topic, "--profile", "runner-profiles/flink-local.yaml")).isZero();
    assertThat(rows(table("cloudevents"))).hasSize(300);
    // an operator alerts on WARN and ERROR: what a healthy run logs there is noise to them
    assertThat(log.toString().lines().filter(l -> l.startsWith("WARN") || l.startsWith("ERROR")))
        .isEmpty();
  }
}
