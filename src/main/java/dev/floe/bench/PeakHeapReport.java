package dev.floe.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Map;

/**
 * A Java agent bench gives each measured run ({@code -javaagent:floe.jar=FILE}): at exit it writes
 * the JVM's peak heap, the sum of the heap pools' peaks (an upper bound), to FILE as JSON. A run
 * started without the agent is not touched.
 */
public final class PeakHeapReport {
  private PeakHeapReport() {}

  /** The agent's entry point; {@code file} is where the report goes. */
  public static void premain(String file) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> write(file), "floe-peak-heap-report"));
  }

  private static void write(String file) {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    try {
      new ObjectMapper().writeValue(new File(file), Map.of("peak_heap_bytes", peak));
    } catch (IOException e) {
      // a measurement aid: never fail the run for it
    }
  }
}
