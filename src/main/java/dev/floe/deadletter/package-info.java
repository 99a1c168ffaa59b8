/**
 * Records that could not become rows: the dead-letter row, its kinds, and their counts per batch.
 */
package dev.floe.deadletter;
