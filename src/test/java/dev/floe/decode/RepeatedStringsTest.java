package dev.floe.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepeatedStringsTest {
  private final JsonFactory json = new JsonFactory();

  @Test
  void repeatedValuesAreTheSameStringAndEveryValueIsRight() throws Exception {
    RepeatedStrings strings = new RepeatedStrings();
    List<String> expected = new ArrayList<>();
    StringBuilder array = new StringBuilder("[");
    for (int i = 0; i < 3 * RepeatedStrings.SAMPLE; i++) {
      // a few values, one with an escape and one beyond Latin-1, and colliding lengths
      String v =
          List.of("/sensors/a", "/sensors/b", "caf\u00e9", "x\\\"y", "\u65e5\u672c").get(i % 5);
      expected.add(v.replace("\\\"", "\""));
      array.append(i == 0 ? "" : ",").append('"').append(v).append('"');
    }
    List<String> read = read(array.append(']').toString(), strings);

    assertThat(read).isEqualTo(expected);
    assertThat(read.get(5)).isSameAs(read.get(0));
    assertThat(read.get(read.size() - 1)).isSameAs(read.get((read.size() - 1) % 5));
    assertThat(strings.isOff()).isFalse();
  }

  @Test
  void turnsOffForValuesThatDoNotRepeatAndStaysRight() throws Exception {
    RepeatedStrings strings = new RepeatedStrings();
    List<String> expected = new ArrayList<>();
    StringBuilder array = new StringBuilder("[");
    for (int i = 0; i < 2 * RepeatedStrings.SAMPLE + 10; i++) {
      String v = "id-" + i;
      expected.add(v);
      array.append(i == 0 ? "" : ",").append('"').append(v).append('"');
    }
    assertThat(read(array.append(']').toString(), strings)).isEqualTo(expected);
    assertThat(strings.isOff()).isTrue();
  }

  private List<String> read(String jsonArray, RepeatedStrings strings) throws Exception {
    List<String> out = new ArrayList<>();
    try (JsonParser p = json.createParser(jsonArray.getBytes(StandardCharsets.UTF_8))) {
      p.nextToken();
      while (p.nextToken() == JsonToken.VALUE_STRING) {
        out.add(strings.text(p));
      }
    }
    return out;
  }
}
