package dev.floe.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Applies one {@code --set key.path=value} to a YAML tree. Paths are dotted keys with list indexes,
 * e.g. {@code outputs[0].catalog.warehouse=/data/wh}; a key that itself contains dots (a table
 * property such as {@code write.metadata.previous-versions-max}) is matched whole when it exists.
 */
final class Overrides {
  private static final Pattern INDEX = Pattern.compile("(.*)\\[(\\d+)]");

  /** The mappings whose keys are names from elsewhere (Kafka, Iceberg), which may hold dots. */
  private static final java.util.Set<String> FREE_FORM =
      java.util.Set.of("properties", "options", "catalog");

  private Overrides() {}

  static void apply(Node root, String override, Problems problems) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      problems.error(0, "--set " + override, "write --set dotted.key=value");
      return;
    }
    String path = override.substring(0, eq);
    String value = override.substring(eq + 1);
    List<String> segments = List.of(path.split("\\."));
    Node at = root;
    boolean freeForm = false;
    int i = 0;
    while (i < segments.size()) {
      if (!(at instanceof MappingNode map)) {
        problems.error(
            0,
            "--set " + path,
            "'"
                + String.join(".", segments.subList(0, i))
                + "' is not a mapping, so it has no key '"
                + segments.get(i)
                + "'");
        return;
      }
      // in a free-form mapping (properties, options, catalog) the rest is one key, a name such
      // as default.api.timeout.ms; elsewhere the longest run of segments that is a key wins
      int take = freeForm ? segments.size() - i : 1;
      NodeTuple found =
          freeForm ? find(map, String.join(".", segments.subList(i, segments.size()))) : null;
      for (int n = segments.size() - i; n >= 1 && !freeForm; n--) {
        found = find(map, bare(String.join(".", segments.subList(i, i + n))));
        if (found != null) {
          take = n;
          break;
        }
      }
      String joined = String.join(".", segments.subList(i, i + take));
      Matcher index = INDEX.matcher(joined);
      boolean last = i + take == segments.size();
      if (found == null) {
        Node node =
            last
                ? scalar(value)
                : new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK);
        if (index.matches()) {
          problems.error(0, "--set " + path, "'" + index.group(1) + "' does not exist");
          return;
        }
        map.getValue().add(new NodeTuple(scalar(joined), node));
        at = node;
      } else if (index.matches()) {
        if (!(found.getValueNode() instanceof SequenceNode seq)
            || Integer.parseInt(index.group(2)) >= seq.getValue().size()) {
          problems.error(0, "--set " + path, "'" + joined + "' is not an item of a list");
          return;
        }
        int n = Integer.parseInt(index.group(2));
        if (last) {
          seq.getValue().set(n, scalar(value));
        }
        at = seq.getValue().get(n);
      } else {
        if (last) {
          map.getValue()
              .set(map.getValue().indexOf(found), new NodeTuple(found.getKeyNode(), scalar(value)));
        }
        at = found.getValueNode();
      }
      freeForm = FREE_FORM.contains(bare(joined));
      i += take;
    }
  }

  private static String bare(String segment) {
    Matcher m = INDEX.matcher(segment);
    return m.matches() ? m.group(1) : segment;
  }

  private static NodeTuple find(MappingNode map, String key) {
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
        return t;
      }
    }
    return null;
  }

  private static ScalarNode scalar(String value) {
    return new ScalarNode(Tag.STR, value, null, null, DumperOptions.ScalarStyle.PLAIN);
  }
}
