package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Decodes what a request carries: objects in JSON, YAML or protobuf, patches, delete options and the query string. */
final class RequestBodies {

  private static final YAMLMapper YAML = new YAMLMapper();

  private RequestBodies() {
  }

  static ObjectNode object(byte[] body, String contentType) {
    String mediaType = Patches.mediaType(contentType);
    if (Protobuf.isProtobuf(mediaType)) {
      return Protobuf.decode(body);
    }
    if (mediaType.endsWith("yaml")) {
      JsonNode node = yaml(body);
      if (!node.isObject()) {
        throw ApiException.badRequest("the request body must be an object");
      }
      return (ObjectNode) node;
    }
    return Json.parseObject(body);
  }

  /** A patch document, in the patch's own media type (apply patches may be YAML). */
  static JsonNode patch(byte[] body, String mediaType) {
    return mediaType.endsWith("yaml") ? yaml(body) : Json.parse(body);
  }

  /** DeleteOptions from the body, with the query's {@code propagationPolicy} and {@code orphanDependents} on top. */
  static JsonNode deleteOptions(byte[] body, String contentType, Map<String, String> query) {
    ObjectNode options = Json.object();
    if (body.length > 0) {
      JsonNode decoded = Protobuf.isProtobuf(Patches.mediaType(contentType)) ? Protobuf.decode(body)
          : Json.parse(body);
      if (decoded.isObject()) {
        options.setAll((ObjectNode) decoded);
      }
    }
    Optional.ofNullable(query.get("propagationPolicy")).ifPresent(v -> options.put("propagationPolicy", v));
    Optional.ofNullable(query.get("orphanDependents")).ifPresent(v -> options.put("orphanDependents",
        Boolean.parseBoolean(v)));
    return options;
  }

  /** Query parameters, decoded; the first of repeated keys wins. */
  static Map<String, String> query(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.putIfAbsent(key, value);
    }
    return params;
  }

  private static JsonNode yaml(byte[] body) {
    try {
      JsonNode node = YAML.readTree(body);
      return node == null ? Json.object() : node;
    } catch (IOException e) {
      throw ApiException.badRequest("the request body is not valid YAML: " + e.getMessage());
    }
  }
}
