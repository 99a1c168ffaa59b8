package dev.floe.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalLineTest {
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
  private final PrintStream terminal = new PrintStream(screen, true, StandardCharsets.UTF_8);

  private String screen() {
    return screen.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theLineIsRewrittenInPlace() {
    TerminalLine line = new TerminalLine(terminal, 80);
    line.show("batch 1: 10%");
    line.show("batch 1: 20%");
    assertThat(screen()).isEqualTo("\rbatch 1: 10%\033[K\rbatch 1: 20%\033[K");
  }

  @Test
  void aLogLineErasesTheLineAndTakesItsPlace() {
    TerminalLine line = new TerminalLine(terminal, 80);
    PrintStream err = new PrintStream(line.erasing(terminal), true, StandardCharsets.UTF_8);
    line.show("batch 1: 10%");
    err.println("WARN something");
    err.println("WARN something else");
    line.show("batch 1: 20%");
    assertThat(screen())
        .isEqualTo(
            "\rbatch 1: 10%\033[K"
                + "\r\033[KWARN something\n"
                + "WARN something else\n"
                + "\rbatch 1: 20%\033[K");
  }

  @Test
  void aLineWiderThanTheTerminalIsCutSoItDoesNotWrap() {
    TerminalLine line = new TerminalLine(terminal, 20);
    line.show("append: batch 1: 24% · 1,200,000/5,000,000 read");
    assertThat(screen()).isEqualTo("\rappend: batch 1: 2…\033[K");
  }

  @Test
  void clearingErasesOnlyAShownLine() {
    TerminalLine line = new TerminalLine(terminal, 80);
    line.clear();
    assertThat(screen()).isEmpty();
    line.show("x");
    line.clear();
    line.clear();
    assertThat(screen()).isEqualTo("\rx\033[K\r\033[K");
  }

  @Test
  void theLineIsForTerminalsOnly() {
    assertThat(TerminalLine.isTerminal("terminal", null)).isTrue();
    assertThat(TerminalLine.isTerminal("log", "xterm-256color")).isFalse();
    // a test's JVM has no console
    assertThat(TerminalLine.isTerminal(null, "xterm-256color")).isFalse();
    assertThat(TerminalLine.columns("132")).isEqualTo(132);
    assertThat(TerminalLine.columns(null)).isEqualTo(80);
    assertThat(TerminalLine.columns("wide")).isEqualTo(80);
  }
}
