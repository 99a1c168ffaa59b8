package dev.floe.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SqlQuotingTest {
  private static final Set<String> COLUMNS = Set.of("time", "source", "id", "value");

  @Test
  void quotesReservedColumnNamesAsSparkUsersWriteThem() {
    assertThat(
            SqlQuoting.quoteReservedColumns(
                "SELECT *, time as _timestamp FROM input_cloudevents", COLUMNS))
        .isEqualTo("SELECT *, `time` as _timestamp FROM input_cloudevents");
    assertThat(
            SqlQuoting.quoteReservedColumns("SELECT source, value FROM t WHERE time > 0", COLUMNS))
        .isEqualTo("SELECT source, `value` FROM t WHERE `time` > 0");
  }

  @Test
  void leavesLiteralsQuotedNamesCommentsTypesAndFunctionsAlone() {
    String sql =
        "SELECT 'time', \"time\", `time`, CAST(id AS TIME), TIME(1) -- time\n"
            + "FROM t /* time */";
    assertThat(SqlQuoting.quoteReservedColumns(sql, COLUMNS)).isEqualTo(sql);
  }

  @Test
  void onlyReservedWordsNeedQuotes() {
    assertThat(SqlQuoting.isReserved("time")).isTrue();
    assertThat(SqlQuoting.isReserved("source")).isFalse();
  }
}
