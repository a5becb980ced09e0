package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON helpers over Jackson trees; the server keeps every object as an {@link ObjectNode}. */
public final class Json {

  // Immutable once configured and shared read-only: Jackson mappers are thread-safe.
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ObjectNode parseObject(byte[] body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw ApiException.badRequest("the request body must be a JSON object");
      }
      return (ObjectNode) node;
    } catch (IOException e) {
      throw ApiException.badRequest("the request body is not valid JSON: " + e.getMessage());
    }
  }

  static ObjectNode parseObject(String body) {
    try {
      return (ObjectNode) MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored object is not JSON", e);
    }
  }

  static JsonNode parse(byte[] body) {
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw ApiException.badRequest("the request body is not valid JSON: " + e.getMessage());
    }
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String string(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Structural equality that treats 1 (int) and 1L (long) as equal, as their JSON forms are. */
  static boolean same(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.equals(NUMERIC_AWARE, b);
  }

  private static final java.util.Comparator<JsonNode> NUMERIC_AWARE = (x, y) -> {
    if (x.isNumber() && y.isNumber()) {
      return x.decimalValue().compareTo(y.decimalValue());
    }
    return x.equals(y) ? 0 : 1;
  };

  /** The child object, created when missing or not an object. */
  public static ObjectNode child(ObjectNode parent, String field) {
    JsonNode n = parent.get(field);
    if (n instanceof ObjectNode o) {
      return o;
    }
    return parent.putObject(field);
  }

  public static ObjectNode metadata(ObjectNode obj) {
    return child(obj, "metadata");
  }

  public static String name(JsonNode obj) {
    return obj.path("metadata").path("name").asText(null);
  }

  public static String namespace(JsonNode obj) {
    return obj.path("metadata").path("namespace").asText(null);
  }

  public static String uid(JsonNode obj) {
    return obj.path("metadata").path("uid").asText(null);
  }

  static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> map = new LinkedHashMap<>();
    if (node != null && node.isObject()) {
      node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
    }
    return map;
  }

  public static String annotation(JsonNode obj, String key) {
    JsonNode v = obj.path("metadata").path("annotations").get(key);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** RFC 3339 time at second precision, as the API server writes it. */
  public static String time(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  public static String now() {
    return time(Instant.now());
  }
}
