package dev.floe.transform;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import org.apache.beam.sdk.extensions.sql.impl.parser.impl.BeamSqlParserImpl;
import org.apache.beam.vendor.calcite.v1_40_0.org.apache.calcite.sql.parser.SqlAbstractParserImpl;

/**
 * Lets users write SQL as they would in Spark: an input column whose name Beam SQL's parser
 * reserves (CloudEvents' {@code time}) is quoted with backticks before planning, so {@code SELECT
 * *, time AS _timestamp FROM input_cloudevents} runs as written. String literals, quoted
 * identifiers, comments, function names and the type in {@code CAST(x AS TIME)} are left alone.
 */
public final class SqlQuoting {
  private static final SqlAbstractParserImpl.Metadata PARSER =
      BeamSqlParserImpl.FACTORY.getParser(new StringReader("")).getMetadata();

  private SqlQuoting() {}

  /** Whether Beam SQL's parser reserves {@code word}, so it must be quoted to name a column. */
  public static boolean isReserved(String word) {
    return PARSER.isReservedWord(word.toUpperCase(Locale.ROOT));
  }

  /** {@code sql} with every unquoted reference to a reserved column name in backticks. */
  public static String quoteReservedColumns(String sql, Set<String> columns) {
    StringBuilder out = new StringBuilder(sql.length() + 8);
    Deque<Boolean> parens = new ArrayDeque<>(); // true: the parenthesis opened a CAST
    String previous = "";
    boolean typeFollows = false;
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      int end;
      if (c == '\'' || c == '"' || c == '`') {
        end = closing(sql, i, c);
      } else if (sql.startsWith("--", i)) {
        end = sql.indexOf('\n', i) < 0 ? sql.length() : sql.indexOf('\n', i);
      } else if (sql.startsWith("/*", i)) {
        end = sql.indexOf("*/", i) < 0 ? sql.length() : sql.indexOf("*/", i) + 2;
      } else if (Character.isLetter(c) || c == '_') {
        end = i;
        while (end < sql.length()
            && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
          end++;
        }
        String word = sql.substring(i, end);
        boolean call = nextNonSpace(sql, end) == '(';
        if (!typeFollows && !call && columns.contains(word) && isReserved(word)) {
          out.append('`').append(word).append('`');
        } else {
          out.append(word);
        }
        typeFollows =
            word.equalsIgnoreCase("AS") && !parens.isEmpty() && Boolean.TRUE.equals(parens.peek());
        previous = word;
        i = end;
        continue;
      } else {
        if (c == '(') {
          parens.push(previous.equalsIgnoreCase("CAST") || previous.equalsIgnoreCase("TRY_CAST"));
        } else if (c == ')' && !parens.isEmpty()) {
          parens.pop();
        }
        if (!Character.isWhitespace(c)) {
          previous = String.valueOf(c);
        }
        end = i + 1;
      }
      out.append(sql, i, end);
      i = end;
    }
    return out.toString();
  }

  private static int closing(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2; // doubled quote inside a literal
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }

  private static char nextNonSpace(String sql, int from) {
    for (int i = from; i < sql.length(); i++) {
      if (!Character.isWhitespace(sql.charAt(i))) {
        return sql.charAt(i);
      }
    }
    return 0;
  }
}
