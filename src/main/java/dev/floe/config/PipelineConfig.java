package dev.floe.config;

import java.util.List;

/**
 * One Floe pipeline: a Kafka input, a sequence of steps, one Iceberg sink.
 *
 * @param source the file the spec was read from, for messages
 * @param name the pipeline id, stored as {@code floe.pipeline-id} in every snapshot it commits
 */
public record PipelineConfig(
    String source,
    int version,
    String name,
    String title,
    String description,
    boolean explain,
    String logLevel,
    StreamingConfig streaming,
    InputConfig input,
    OutputConfig output,
    List<StepConfig> steps,
    SinkConfig sink,
    List<ConfigProblem> warnings)
    implements java.io.Serializable {}
