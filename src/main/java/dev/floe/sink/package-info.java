/** Iceberg: catalogs, table creation, Parquet data files, and the single committer that stores Kafka offsets with the data. */
package dev.floe.sink;
