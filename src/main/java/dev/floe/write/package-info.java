/**
 * Parquet data files with Iceberg's writers: one open file per table partition, grouped or
 * ungrouped, within a memory budget; nothing here commits.
 */
package dev.floe.write;
