package dev.floe.spec;

import java.util.List;

/**
 * One Floe pipeline: a Kafka input, a sequence of steps, one Iceberg sink.
 *
 * @param source the file the spec was read from, for messages
 * @param name the pipeline id, stored as {@code floe.pipeline-id} in every snapshot it commits
 */
public record PipelineSpec(
    String source,
    int version,
    String name,
    String title,
    String description,
    boolean explain,
    String logLevel,
    StreamingSpec streaming,
    InputSpec input,
    OutputSpec output,
    List<StepSpec> steps,
    SinkSpec sink,
    List<SpecProblem> warnings) implements java.io.Serializable {}
