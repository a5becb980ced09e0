package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Label and field selectors with the real grammar, set-based requirements included: the mock's own matcher only
 * knows equality and silently ignores the rest, which would make a set-based selector match everything.
 */
final class Selectors {

  private Selectors() {
  }

  /** The request's {@code labelSelector} and {@code fieldSelector} together; absent ones match everything. */
  static Predicate<JsonNode> ofQuery(Map<String, String> query) {
    return labels(query.get("labelSelector")).and(fields(query.get("fieldSelector")));
  }

  /** Parses a {@code labelSelector} query value; null or blank matches everything. */
  static Predicate<JsonNode> labels(String selector) {
    if (selector == null || selector.isBlank()) {
      return o -> true;
    }
    List<Predicate<Map<String, String>>> requirements = new ArrayList<>();
    for (String part : splitTopLevel(selector)) {
      requirements.add(labelRequirement(part.trim()));
    }
    return o -> {
      Map<String, String> labels = Json.stringMap(o.path("metadata").path("labels"));
      return requirements.stream().allMatch(r -> r.test(labels));
    };
  }

  private static Predicate<Map<String, String>> labelRequirement(String req) {
    String lower = req.replaceAll("\\s+", " ");
    int in = indexOfWord(lower, " notin ");
    if (in > 0) {
      String key = lower.substring(0, in).trim();
      Set<String> values = valueSet(lower.substring(in + 7));
      return l -> !l.containsKey(key) || !values.contains(l.get(key));
    }
    in = indexOfWord(lower, " in ");
    if (in > 0) {
      String key = lower.substring(0, in).trim();
      Set<String> values = valueSet(lower.substring(in + 4));
      return l -> l.containsKey(key) && values.contains(l.get(key));
    }
    int ne = req.indexOf("!=");
    if (ne > 0) {
      String key = req.substring(0, ne).trim();
      String value = req.substring(ne + 2).trim();
      return l -> !value.equals(l.get(key));
    }
    int eq = req.indexOf('=');
    if (eq > 0) {
      String key = req.substring(0, eq).trim();
      String value = req.substring(req.startsWith("==", eq) ? eq + 2 : eq + 1).trim();
      return l -> value.equals(l.get(key));
    }
    if (req.startsWith("!")) {
      String key = req.substring(1).trim();
      return l -> !l.containsKey(key);
    }
    return l -> l.containsKey(req);
  }

  private static int indexOfWord(String s, String word) {
    return s.toLowerCase(java.util.Locale.ROOT).indexOf(word);
  }

  private static Set<String> valueSet(String parenthesised) {
    String inner = parenthesised.trim();
    if (inner.startsWith("(") && inner.endsWith(")")) {
      inner = inner.substring(1, inner.length() - 1);
    }
    Set<String> values = new java.util.HashSet<>();
    for (String v : inner.split(",")) {
      values.add(v.trim());
    }
    return values;
  }

  /** Splits on commas that are not inside parentheses. */
  private static List<String> splitTopLevel(String s) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(s.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(s.substring(start));
    parts.removeIf(String::isBlank);
    return parts;
  }

  /** Parses a {@code fieldSelector} query value ({@code a.b=c}, {@code a.b==c}, {@code a.b!=c}). */
  static Predicate<JsonNode> fields(String selector) {
    if (selector == null || selector.isBlank()) {
      return o -> true;
    }
    List<Predicate<JsonNode>> requirements = new ArrayList<>();
    for (String part : splitTopLevel(selector)) {
      String req = part.trim();
      int ne = req.indexOf("!=");
      boolean negate = ne > 0;
      int eq = negate ? ne : req.indexOf('=');
      if (eq <= 0) {
        throw ApiException.badRequest("invalid field selector: " + selector);
      }
      String path = req.substring(0, eq).trim();
      String value = req.substring(negate ? eq + 2 : (req.startsWith("==", eq) ? eq + 2 : eq + 1)).trim();
      requirements.add(o -> {
        String actual = fieldValue(o, path);
        return negate != value.equals(actual);
      });
    }
    return o -> requirements.stream().allMatch(r -> r.test(o));
  }

  private static String fieldValue(JsonNode obj, String dotted) {
    JsonNode n = obj;
    for (String segment : dotted.split("\\.")) {
      n = n.path(segment);
    }
    return n.isMissingNode() || n.isNull() ? "" : n.asText();
  }

  /** Matches a structured {@code LabelSelector} (matchLabels and matchExpressions) against an object's labels. */
  static boolean matches(JsonNode labelSelector, JsonNode obj) {
    if (labelSelector == null || labelSelector.isMissingNode() || labelSelector.isNull()) {
      return false;
    }
    Map<String, String> labels = Json.stringMap(obj.path("metadata").path("labels"));
    for (Map.Entry<String, String> e : Json.stringMap(labelSelector.path("matchLabels")).entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (JsonNode expr : labelSelector.path("matchExpressions")) {
      String key = expr.path("key").asText();
      Set<String> values = new java.util.HashSet<>();
      expr.path("values").forEach(v -> values.add(v.asText()));
      boolean ok = switch (expr.path("operator").asText()) {
        case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
        case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
        case "Exists" -> labels.containsKey(key);
        case "DoesNotExist" -> !labels.containsKey(key);
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
