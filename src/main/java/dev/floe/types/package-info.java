/**
 * Column types across Floe: pipeline type names to Beam types, Beam schemas and rows to Iceberg
 * schemas and records, and RFC 3339 timestamps at microsecond precision.
 */
package dev.floe.types;
