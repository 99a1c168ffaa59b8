package dev.floe.sink;

import java.io.Serializable;
import java.util.List;
import org.apache.iceberg.DataFile;

/** Data files one writer wrote for one table of a batch. */
public record TableFiles(String table, List<DataFile> files) implements Serializable {}
