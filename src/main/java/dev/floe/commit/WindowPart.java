package dev.floe.commit;

import dev.floe.source.WindowReads;
import dev.floe.write.WrittenFiles;
import java.io.Serializable;

/**
 * One piece of what a continuous run's window commits: files a writer wrote, or what was read of
 * one partition. The committer gets all pieces of a window together.
 */
public record WindowPart(WrittenFiles files, int partition, WindowReads.Read read)
    implements Serializable {
  public static WindowPart of(WrittenFiles files) {
    return new WindowPart(files, -1, null);
  }

  public static WindowPart of(int partition, WindowReads.Read read) {
    return new WindowPart(null, partition, read);
  }
}
