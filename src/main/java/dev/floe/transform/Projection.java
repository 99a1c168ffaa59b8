package dev.floe.transform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * A SQL step that only passes columns through: {@code SELECT *[, column [AS] alias]... FROM table}.
 * Its output columns are the ones Beam SQL gives the statement (names, order, nullability), each an
 * input column's value unchanged, typed as that input column (Beam SQL declares the elements of
 * arrays and values of maps NOT NULL, and then fails to encode an array that holds a null). It is
 * used only when Beam SQL's types for the output are the input columns' types; anything else (an
 * expression, a WHERE, a type Beam SQL changes) runs through Beam SQL.
 *
 * <p>When every input column has a type Beam SQL passes through as it is ({@link #kept}) and the
 * aliases name new columns, Beam SQL's output is the input's columns followed by the aliases, and
 * the statement is not planned: planning takes Calcite most of a second in a fresh JVM, on the path
 * of every run. Otherwise Beam SQL plans it on empty inputs and its schema decides.
 */
public final class Projection implements java.io.Serializable {
  private static final String IDENT = "(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)";
  private static final Pattern STATEMENT =
      Pattern.compile(
          "(?is)\\s*SELECT\\s+\\*\\s*((?:,\\s*"
              + IDENT
              + "\\s+(?:AS\\s+)?"
              + IDENT
              + "\\s*)*)"
              + "FROM\\s+"
              + IDENT
              + "\\s*;?\\s*");
  private static final Pattern ITEM =
      Pattern.compile("(?is),\\s*" + IDENT + "\\s+(?:AS\\s+)?" + IDENT + "\\s*");

  private final String table;
  private final Schema output;
  private final int[] sources;

  private Projection(String table, Schema output, int[] sources) {
    this.table = table;
    this.output = output;
    this.sources = sources;
  }

  /** Whether {@code statement} has the form of a projection (its columns are not checked). */
  static boolean hasTheForm(String statement) {
    return STATEMENT.matcher(statement).matches();
  }

  /** Whether Beam SQL plans a projection whose output Floe knows without planning. */
  enum Planning {
    /** Plan only what Floe cannot know: what a run does. */
    WHEN_NEEDED,
    /** Plan every statement (the tests compare the two answers). */
    ALWAYS
  }

  /**
   * The projection {@code statement} over {@code tables} (name to schema) is, or null when Beam SQL
   * must run it.
   */
  static Projection of(String statement, Map<String, Schema> tables) {
    return of(statement, tables, Planning.WHEN_NEEDED);
  }

  /** The projection {@code statement} is, or null. */
  static Projection of(String statement, Map<String, Schema> tables, Planning planning) {
    Matcher m = STATEMENT.matcher(statement);
    if (!m.matches()) {
      return null;
    }
    String table = unquote(m.group(m.groupCount()));
    Schema in = find(tables, table);
    if (in == null) {
      return null;
    }
    // what Calcite could reject, Calcite decides: a table named in another case, a reserved word,
    // a semicolon at the end
    boolean known =
        planning == Planning.WHEN_NEEDED
            && tables.containsKey(table)
            && !reserved(m.group(m.groupCount()))
            && !statement.strip().endsWith(";");
    List<Integer> sources = new ArrayList<>();
    for (int i = 0; i < in.getFieldCount(); i++) {
      sources.add(i);
    }
    List<String> aliases = new ArrayList<>();
    Matcher item = ITEM.matcher(m.group(1));
    while (item.find()) {
      String column = unquote(item.group(1));
      if (!in.hasField(column)) {
        return null;
      }
      sources.add(in.indexOf(column));
      aliases.add(unquote(item.group(2)));
      known &= !reserved(item.group(1)) && !reserved(item.group(2));
    }
    Schema out = known ? unplannedSchema(in, aliases, sources) : null;
    if (out == null) {
      try {
        out = SqlSchemas.of(statement, tables).output();
      } catch (RuntimeException e) {
        return null; // Beam SQL rejects it: let Beam SQL say why
      }
    }
    if (out.getFieldCount() != sources.size()) {
      return null;
    }
    for (int i = 0; i < sources.size(); i++) {
      Schema.FieldType from = in.getField(sources.get(i)).getType();
      Schema.FieldType to = out.getField(i).getType();
      if (!sameValues(from, to) || (from.getNullable() && !to.getNullable())) {
        return null;
      }
    }
    // Beam SQL's names and top-level nullability; the input's element types, so an array that
    // holds a null (which Beam SQL declares NOT NULL and then cannot encode) passes as it is
    Schema.Builder passed = Schema.builder();
    for (int i = 0; i < sources.size(); i++) {
      Schema.FieldType type = in.getField(sources.get(i)).getType();
      passed.addField(
          out.getField(i).getName(), type.withNullable(out.getField(i).getType().getNullable()));
    }
    return new Projection(
        table, passed.build(), sources.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * Beam SQL's output for {@code SELECT *, c1 AS a1, ... FROM} a table of schema {@code in} without
   * planning it: the input's columns, then each alias typed as its column. Null when that is not
   * known: a column of a type Beam SQL may change, or an alias that repeats a column name (Calcite
   * renames it).
   */
  private static Schema unplannedSchema(Schema in, List<String> aliases, List<Integer> sources) {
    Set<String> names = new HashSet<>();
    for (Schema.Field f : in.getFields()) {
      if (!kept(f.getType()) || !names.add(f.getName().toLowerCase(Locale.ROOT))) {
        return null;
      }
    }
    Schema.Builder out = Schema.builder().addFields(in.getFields());
    for (int i = 0; i < aliases.size(); i++) {
      if (!names.add(aliases.get(i).toLowerCase(Locale.ROOT))) {
        return null;
      }
      out.addField(aliases.get(i), in.getField(sources.get(in.getFieldCount() + i)).getType());
    }
    return out.build();
  }

  /**
   * Whether Beam SQL gives a column of this type the same type in its output (elements of arrays
   * and values of maps aside, which it declares NOT NULL: {@link #sameValues}). Logical types
   * (dates, timestamps) and rows are planned instead.
   */
  static boolean kept(Schema.FieldType type) {
    return switch (type.getTypeName()) {
      case STRING, BOOLEAN, INT16, INT32, INT64, FLOAT, DOUBLE, BYTES, DATETIME -> true;
      case ARRAY -> kept(type.getCollectionElementType());
      case MAP -> kept(type.getMapKeyType()) && kept(type.getMapValueType());
      default -> false;
    };
  }

  /**
   * Whether a value of type {@code from} is a value of type {@code to} as it is: the same types,
   * where Beam SQL may declare the elements of arrays and the values of maps NOT NULL (it passes
   * the collections through as they are, null elements included).
   */
  static boolean sameValues(Schema.FieldType from, Schema.FieldType to) {
    if (from.getTypeName() == Schema.TypeName.LOGICAL_TYPE
        && from.getLogicalType().getIdentifier().equals(FixedPrecisionNumeric.IDENTIFIER)) {
      // Beam SQL reads a decimal of fixed precision as a plain one; the values are the same
      return to.getTypeName() == Schema.TypeName.DECIMAL;
    }
    if (from.getTypeName() != to.getTypeName()) {
      return false;
    }
    return switch (from.getTypeName()) {
      case ROW -> sameRows(from.getRowSchema(), to.getRowSchema());
      case ARRAY, ITERABLE ->
          sameValues(from.getCollectionElementType(), to.getCollectionElementType());
      case MAP ->
          sameValues(from.getMapKeyType(), to.getMapKeyType())
              && sameValues(from.getMapValueType(), to.getMapValueType());
      default -> from.withNullable(true).equals(to.withNullable(true));
    };
  }

  private static boolean sameRows(Schema from, Schema to) {
    if (from.getFieldCount() != to.getFieldCount()) {
      return false;
    }
    for (int i = 0; i < from.getFieldCount(); i++) {
      if (!from.getField(i).getName().equals(to.getField(i).getName())
          || !sameValues(from.getField(i).getType(), to.getField(i).getType())) {
        return false;
      }
    }
    return true;
  }

  /** The projection as a Beam step over the table it reads. */
  PCollection<Row> apply(PCollection<Row> input) {
    return input.apply("Projection", ParDo.of(new Project(rowStep()))).setRowSchema(output);
  }

  /** The output's schema. */
  Schema schema() {
    return output;
  }

  /** The table (input or earlier step) the statement reads. */
  String table() {
    return table;
  }

  /** The projection of one row: the output columns' values, taken from the input row. */
  RowStep rowStep() {
    Schema schema = output;
    int[] from = sources;
    return (row, deadLetters) -> {
      Object[] values = new Object[from.length];
      for (int i = 0; i < from.length; i++) {
        values[i] = row.getValue(from[i]);
      }
      return Row.withSchema(schema).attachValues(values);
    };
  }

  /** The schema of the table named {@code name}, in any case; null when there is none. */
  private static Schema find(Map<String, Schema> tables, String name) {
    for (Map.Entry<String, Schema> e : tables.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /**
   * Whether {@code ident} as written is an unquoted reserved word (Calcite's parser rejects it).
   */
  private static boolean reserved(String ident) {
    return !ident.startsWith("`") && SqlQuoting.isReserved(ident);
  }

  private static String unquote(String ident) {
    return ident.startsWith("`") ? ident.substring(1, ident.length() - 1) : ident;
  }

  private static final class Project extends DoFn<Row, Row> {
    private final RowStep project;

    Project(RowStep project) {
      this.project = project;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<Row> out) {
      out.output(project.apply(row, null));
    }
  }
}
