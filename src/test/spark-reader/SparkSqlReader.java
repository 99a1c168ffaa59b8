import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Answers SQL over a Hadoop-catalog warehouse the way a Spark user would read Floe's tables: Spark
 * SQL with Iceberg's SparkCatalog, registered as catalog {@code floe}.
 *
 * <p>Run by the tests with Java's source launcher ({@code java -cp <spark-reader>/* this file
 * <warehouse-uri> <statement>...}); for each statement it prints the column names, then each row,
 * fields separated by {@code |}, then a line {@code --}. Timestamps print in UTC.
 */
public class SparkSqlReader {
  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: SparkSqlReader <warehouse-uri> <statement>...");
      System.exit(2);
    }
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("floe-test-reader")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config(
                "spark.sql.extensions",
                "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
            .config("spark.sql.catalog.floe", "org.apache.iceberg.spark.SparkCatalog")
            .config("spark.sql.catalog.floe.type", "hadoop")
            .config("spark.sql.catalog.floe.warehouse", args[0])
            .getOrCreate();
    try {
      for (int i = 1; i < args.length; i++) {
        Dataset<Row> result = spark.sql(args[i]);
        System.out.println(String.join("|", result.columns()));
        for (Row row : result.collectAsList()) {
          List<String> fields = new ArrayList<>();
          for (int f = 0; f < row.length(); f++) {
            fields.add(String.valueOf(row.get(f)));
          }
          System.out.println(String.join("|", fields));
        }
        System.out.println("--");
      }
    } finally {
      spark.stop();
    }
  }
}
