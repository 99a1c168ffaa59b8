package dev.floe.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker that {@code demo} and {@code bench} start leaves nothing behind when the user stops
 * them with Ctrl-C or SIGTERM: a bench topic is hundreds of MB in the temporary directory.
 */
class LocalBrokerIT {
  @TempDir Path dir;

  @Test
  void aDemoEndedWithSigtermRemovesItsBrokersData() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Path log = dir.resolve("demo.log");
    Process demo =
        BrokerAndWarehouse.startJar(
            List.of("-Djava.io.tmpdir=" + tmp),
            List.of("demo", "--events", "5000000", "--warehouse", dir.resolve("wh").toString()),
            log);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.readString(log).contains("broker at ") && System.nanoTime() < deadline) {
        assertThat(demo.isAlive()).as("the demo is running; its log: %s", log).isTrue();
        Thread.sleep(100);
      }
      assertThat(brokerDirectories(tmp)).as("the broker's data while it runs").hasSize(1);

      demo.destroy();
      assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(brokerDirectories(tmp)).as("the broker's data after SIGTERM").isEmpty();
    } finally {
      demo.destroyForcibly();
    }
  }

  private static List<Path> brokerDirectories(Path tmp) throws Exception {
    try (Stream<Path> files = Files.list(tmp)) {
      return files.filter(p -> p.getFileName().toString().startsWith("floe-kafka-")).toList();
    }
  }
}
