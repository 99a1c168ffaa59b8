package dev.floe.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvTextTest {
  @TempDir Path dir;

  private static EnvText.Expanded expand(String text) {
    return EnvText.expand(text, Map.of("HOST", "kafka-1", "EMPTY", "")::get);
  }

  @Test
  void variablesAndDefaults() {
    assertThat(expand("${HOST}:9092").text()).isEqualTo("kafka-1:9092");
    assertThat(expand("${EMPTY:-x}/${UNSET:-y}").text()).isEqualTo("x/y");
    assertThat(expand("${UNSET}").missing()).containsExactly("UNSET");
  }

  @Test
  void aFileReferenceTakesTheFileWithoutItsLastLineBreak() throws Exception {
    Path secret = Files.writeString(dir.resolve("password"), "s3cr3t\n");
    assertThat(expand("password=\"${file:" + secret + "}\";").text())
        .isEqualTo("password=\"s3cr3t\";");
  }

  @Test
  void anUnreadableFileIsReportedWithTheFix() {
    Path absent = dir.resolve("absent");
    EnvText.Expanded e = expand("${file:" + absent + "}");
    assertThat(e.missing()).isEqualTo(List.of("file:" + absent));
    assertThat(EnvText.missingMessage(e.missing().get(0)))
        .isEqualTo(
            "the file "
                + absent
                + " cannot be read; create it, make it readable by this user or fix the path in"
                + " ${file:"
                + absent
                + "}");
  }
}
