/**
 * The single committer: a batch's data files and Kafka offsets in one Iceberg snapshot, the offsets
 * committed so far, and the checks that keep two runs from committing the same offsets.
 */
package dev.floe.commit;
