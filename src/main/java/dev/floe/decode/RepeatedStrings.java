package dev.floe.decode;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * The string values of one field, handed out again when they repeat instead of built anew from the
 * parser's characters: a topic's sources, types, statuses and the like take a few values over
 * millions of events. A small direct-mapped table of the latest values; a field whose values mostly
 * do not repeat (ids, times) turns it off after {@value #SAMPLE} values and pays nothing more. Not
 * thread-safe; one per field of a decoder.
 */
final class RepeatedStrings {
  private static final int SLOTS = 256;

  /** Values looked at before deciding whether the field repeats. */
  static final int SAMPLE = 1024;

  private final String[] slots = new String[SLOTS];
  private int seen;
  private int misses;
  private boolean off;

  /** The text of the parser's current string token. */
  String text(JsonParser p) throws IOException {
    if (off) {
      return p.getText();
    }
    char[] chars = p.getTextCharacters();
    int from = p.getTextOffset();
    int length = p.getTextLength();
    int hash = 0;
    for (int i = from; i < from + length; i++) {
      hash = 31 * hash + chars[i];
    }
    int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    String cached = slots[slot];
    String out;
    if (cached != null && equal(cached, chars, from, length)) {
      out = cached;
    } else {
      out = new String(chars, from, length);
      slots[slot] = out;
      misses++;
    }
    if (++seen == SAMPLE) {
      off = misses * 2 > SAMPLE;
      seen = 0;
      misses = 0;
    }
    return out;
  }

  /** Whether the last {@value #SAMPLE} values were found so rarely that the table is off. */
  boolean isOff() {
    return off;
  }

  private static boolean equal(String s, char[] chars, int from, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (s.charAt(i) != chars[from + i]) {
        return false;
      }
    }
    return true;
  }
}
