package dev.floe.config;

import java.io.Serializable;
import java.util.Map;

/**
 * {@code outputOptions.maintenance}: the run maintains its tables itself ({@code floe maintain})
 * after every {@code everyCommits} commits of the pipeline.
 *
 * @param everyCommits commits of the pipeline between two maintenances
 * @param olderThanMinutes files younger than this are never deleted
 * @param minInputFiles a partition is compacted once it has this many small files
 */
public record MaintenanceConfig(long everyCommits, long olderThanMinutes, long minInputFiles)
    implements Serializable {
  public static final long DEFAULT_OLDER_THAN_MINUTES = 60;
  public static final long DEFAULT_MIN_INPUT_FILES = 2;

  static MaintenanceConfig read(Cursor c) {
    Map<String, Cursor> f = c.fields("everyCommits", "olderThanMinutes", "minInputFiles");
    if (!f.containsKey("everyCommits")) {
      c.error(
          "maintenance needs everyCommits: how many commits of the pipeline between two"
              + " maintenances, e.g. everyCommits: 50");
      return null;
    }
    Long every = f.get("everyCommits").positiveLong();
    Long olderThan =
        f.containsKey("olderThanMinutes")
            ? f.get("olderThanMinutes").positiveLong()
            : DEFAULT_OLDER_THAN_MINUTES;
    Long minFiles =
        f.containsKey("minInputFiles")
            ? f.get("minInputFiles").positiveLong()
            : DEFAULT_MIN_INPUT_FILES;
    if (every == null || olderThan == null || minFiles == null) {
      return null;
    }
    return new MaintenanceConfig(every, olderThan, minFiles);
  }
}
