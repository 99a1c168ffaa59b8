package dev.floe.pipeline;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The last line of a terminal, rewritten in place while a batch runs ({@code \r}, the text, erase
 * to the end of the line), for the progress of a batch a person is watching. Everything else
 * written to standard error goes through {@link #install}'s stream, which erases the line first: a
 * warning's log line takes the line's place instead of running on after it, and the next update
 * draws the line again below it.
 *
 * <p>Only on a terminal: {@code -Dfloe.progress=terminal} (what {@code bin/floe} gives when its
 * standard error is one) or {@code log}; without the property, when the JVM has a console (its
 * standard input and output are a terminal) and {@code TERM} is not {@code dumb}. Elsewhere (a
 * scheduler, a file, a test) progress goes to the log instead. Standard output, when it is the same
 * terminal, erases the line too (a batch's result line).
 */
public final class TerminalLine {
  /** The property that says where progress goes: {@code terminal} or {@code log}. */
  static final String PROPERTY = "floe.progress";

  /** The terminal's width ({@code bin/floe} gives it); else {@code COLUMNS}, else 80. */
  static final String COLUMNS_PROPERTY = "floe.columns";

  private static final String ERASE = "\r\033[K";

  private static volatile TerminalLine installed;

  private final PrintStream terminal;
  private final int width;
  private boolean shown;

  TerminalLine(PrintStream terminal, int width) {
    this.terminal = terminal;
    this.width = width;
  }

  /**
   * Puts line-erasing streams in place of {@code System.err} and {@code System.out} if standard
   * error is a terminal; before logging starts, so the log's console writes through them.
   */
  public static void install() {
    if (installed == null && isTerminal(System.getProperty(PROPERTY), System.getenv("TERM"))) {
      String columns = System.getProperty(COLUMNS_PROPERTY, System.getenv("COLUMNS"));
      TerminalLine line = new TerminalLine(System.err, columns(columns));
      PrintStream out = System.out;
      System.setErr(new PrintStream(line.erasing(System.err), true));
      System.setOut(new PrintStream(line.erasing(out), true));
      installed = line;
    }
  }

  /** The installed line; null when standard error is not a terminal. */
  static TerminalLine installed() {
    return installed;
  }

  static boolean isTerminal(String property, String term) {
    if (property != null) {
      return property.toLowerCase(Locale.ROOT).equals("terminal");
    }
    return System.console() != null && term != null && !term.equals("dumb");
  }

  /** Text beyond the terminal's width would wrap, and {@code \r} would return to its last row. */
  static int columns(String env) {
    try {
      return env == null ? 80 : Math.max(20, Integer.parseInt(env.trim()));
    } catch (NumberFormatException e) {
      return 80;
    }
  }

  /** Shows {@code text} as the line, cut to the terminal's width. */
  synchronized void show(String text) {
    String cut = text.length() < width ? text : text.substring(0, width - 2) + "…";
    terminal.print("\r" + cut + "\033[K");
    terminal.flush();
    shown = true;
  }

  /** Erases the line, if shown: what is printed next starts on a clean line. */
  synchronized void clear() {
    if (shown) {
      terminal.print(ERASE);
      terminal.flush();
      shown = false;
    }
  }

  /** A stream to {@code target} that erases the line before anything is written to it. */
  OutputStream erasing(PrintStream target) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (TerminalLine.this) {
          clear();
          target.write(b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (TerminalLine.this) {
          clear();
          target.write(b, off, len);
        }
      }

      @Override
      public void flush() {
        target.flush();
      }
    };
  }
}
