/**
 * Table maintenance ({@code floe maintain}): small files compacted, snapshots expired, old metadata
 * and orphan files removed, each step with Iceberg's own operations and validated against commits
 * an ingest makes at the same time. Depends on {@code table} and {@code write}; nothing depends on
 * it but the CLI and the pipeline runs that maintain after every N commits.
 */
package dev.floe.maintain;
