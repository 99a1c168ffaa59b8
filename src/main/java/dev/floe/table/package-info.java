/**
 * Iceberg catalogs and tables: loading a catalog from its properties, creating a pipeline's tables,
 * the local file system, and removing files no snapshot references.
 */
package dev.floe.table;
