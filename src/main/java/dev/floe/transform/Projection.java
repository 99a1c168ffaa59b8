package dev.floe.transform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * A SQL step that only passes columns through: {@code SELECT *[, column [AS] alias]... FROM
 * table}. Its output columns are the ones Beam SQL gives the statement (names, order,
 * nullability), each an input column's value unchanged, typed as that input column (Beam SQL
 * declares the elements of arrays and values of maps NOT NULL, and then fails to encode an array
 * that holds a null). It is used only when Beam SQL's types for the output are the input columns'
 * types; anything else (an expression, a WHERE, a type Beam SQL changes) runs through Beam SQL.
 *
 * <p>When every input column has a type Beam SQL passes through as it is ({@link #kept}) and the
 * aliases name new columns, Beam SQL's output is the input's columns followed by the aliases, and
 * the statement is not planned: planning takes Calcite most of a second in a fresh JVM, on the
 * path of every run. Otherwise Beam SQL plans it on empty inputs and its schema decides.
 */
final class Projection {
  private static final String IDENT = "(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)";
  private static final Pattern STATEMENT = Pattern.compile(
      "(?is)\\s*SELECT\\s+\\*\\s*((?:,\\s*" + IDENT + "\\s+(?:AS\\s+)?" + IDENT + "\\s*)*)"
          + "FROM\\s+" + IDENT + "\\s*;?\\s*");
  private static final Pattern ITEM = Pattern.compile(
      "(?is),\\s*" + IDENT + "\\s+(?:AS\\s+)?" + IDENT + "\\s*");

  private static final Map<Map.Entry<String, Map<String, Schema>>, Schema> PLANNED =
      new ConcurrentHashMap<>();

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

  /** The projection {@code statement} is, or null when Beam SQL must run it. */
  static Projection of(String statement, PCollectionTuple tables) {
    return of(statement, tables, false);
  }

  /**
   * The projection {@code statement} is, or null; with {@code plan}, Beam SQL plans the statement
   * even where its output is known without planning (the tests compare the two).
   */
  static Projection of(String statement, PCollectionTuple tables, boolean plan) {
    Matcher m = STATEMENT.matcher(statement);
    if (!m.matches()) {
      return null;
    }
    String table = unquote(m.group(m.groupCount()));
    PCollection<Row> input = find(tables, table);
    if (input == null) {
      return null;
    }
    // what Calcite could reject, Calcite decides: a table named in another case, a reserved word,
    // a semicolon at the end
    boolean known = !plan && tables.has(table) && !reserved(m.group(m.groupCount()))
        && !statement.strip().endsWith(";");
    Schema in = input.getSchema();
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
        out = beamSqlSchema(statement, tables);
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
      passed.addField(out.getField(i).getName(), type.withNullable(out.getField(i).getType()
          .getNullable()));
    }
    return new Projection(table, passed.build(),
        sources.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * Beam SQL's output for {@code SELECT *, c1 AS a1, ... FROM} a table of schema {@code in}
   * without planning it: the input's columns, then each alias typed as its column. Null when that
   * is not known: a column of a type Beam SQL may change, or an alias that repeats a column name
   * (Calcite renames it).
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
    if (from.getTypeName() != to.getTypeName()) {
      return false;
    }
    return switch (from.getTypeName()) {
      case ARRAY, ITERABLE -> sameValues(from.getCollectionElementType(),
          to.getCollectionElementType());
      case MAP -> sameValues(from.getMapKeyType(), to.getMapKeyType())
          && sameValues(from.getMapValueType(), to.getMapValueType());
      default -> from.withNullable(true).equals(to.withNullable(true));
    };
  }

  PCollection<Row> apply(PCollectionTuple tables) {
    return find(tables, table)
        .apply("Projection", ParDo.of(new Project(rowStep())))
        .setRowSchema(output);
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

  /**
   * Beam SQL's output schema for {@code statement} over tables of these schemas. Planning takes
   * Calcite a second or two the first time in a JVM, so each (statement, input schemas) is
   * planned once per JVM: {@code explain} and then every batch of a run, or the demo's two runs,
   * share the plan. A statement Beam SQL rejects is not kept: each caller gets the error.
   */
  private static Schema beamSqlSchema(String statement, PCollectionTuple tables) {
    Map<String, Schema> schemas = new TreeMap<>();
    tables.expand().forEach((tag, value) ->
        schemas.put(tag.getId(), ((PCollection<?>) value).getSchema()));
    return PLANNED.computeIfAbsent(Map.entry(statement, schemas), k -> plan(statement, schemas));
  }

  /** The schema Beam SQL gives {@code statement}, planned over empty inputs of these schemas. */
  private static Schema plan(String statement, Map<String, Schema> schemas) {
    Pipeline scratch = Pipeline.create();
    PCollectionTuple empty = PCollectionTuple.empty(scratch);
    for (Map.Entry<String, Schema> e : schemas.entrySet()) {
      PCollection<Row> none = scratch
          .apply("Empty " + e.getKey(), Create.empty(RowCoder.of(e.getValue())))
          .setRowSchema(e.getValue());
      empty = empty.and(e.getKey(), none);
    }
    return empty.apply(SqlTransform.query(statement)).getSchema();
  }

  @SuppressWarnings("unchecked")
  private static PCollection<Row> find(PCollectionTuple tables, String name) {
    for (Map.Entry<TupleTag<?>, PValue> e : tables.expand().entrySet()) {
      if (e.getKey().getId().equalsIgnoreCase(name)) {
        return (PCollection<Row>) e.getValue();
      }
    }
    return null;
  }

  /** Whether {@code ident} as written is an unquoted reserved word (Calcite's parser rejects it). */
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
