package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes Kubernetes protobuf request bodies into JSON. client-go's typed clients (Helm's release storage uses
 * one) always encode bodies as {@code application/vnd.kubernetes.protobuf}, whatever the server answers, and only
 * fall back to JSON for CBOR; so the server has to read protobuf. Only the kinds those clients actually write are
 * described here; anything else gets a 415 that names the kind.
 */
final class Protobuf {

  static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final long ZERO_TIME_SECONDS = -62135596800L;

  private enum T { STRING, BYTES, BOOL, VARINT, MESSAGE, STRINGS, MESSAGES, MAP_STRING, MAP_BYTES, TIME, FIELDS_V1 }

  private record Field(String name, T type, Schema schema) {
  }

  private static final class Schema {
    private final Map<Integer, Field> fields = new HashMap<>();

    Schema f(int number, String name, T type) {
      fields.put(number, new Field(name, type, null));
      return this;
    }

    Schema m(int number, String name, T type, Schema schema) {
      fields.put(number, new Field(name, type, schema));
      return this;
    }
  }

  private static final Schema TYPE_META = new Schema().f(1, "apiVersion", T.STRING).f(2, "kind", T.STRING);
  private static final Schema UNKNOWN = new Schema()
      .m(1, "typeMeta", T.MESSAGE, TYPE_META).f(2, "raw", T.BYTES)
      .f(3, "contentEncoding", T.STRING).f(4, "contentType", T.STRING);
  private static final Schema OWNER_REFERENCE = new Schema()
      .f(5, "apiVersion", T.STRING).f(1, "kind", T.STRING).f(3, "name", T.STRING).f(4, "uid", T.STRING)
      .f(6, "controller", T.BOOL).f(7, "blockOwnerDeletion", T.BOOL);
  private static final Schema MANAGED_FIELDS = new Schema()
      .f(1, "manager", T.STRING).f(2, "operation", T.STRING).f(3, "apiVersion", T.STRING).f(4, "time", T.TIME)
      .f(6, "fieldsType", T.STRING).f(7, "fieldsV1", T.FIELDS_V1).f(8, "subresource", T.STRING);
  private static final Schema OBJECT_META = new Schema()
      .f(1, "name", T.STRING).f(2, "generateName", T.STRING).f(3, "namespace", T.STRING).f(4, "selfLink", T.STRING)
      .f(5, "uid", T.STRING).f(6, "resourceVersion", T.STRING).f(7, "generation", T.VARINT)
      .f(8, "creationTimestamp", T.TIME).f(9, "deletionTimestamp", T.TIME)
      .f(10, "deletionGracePeriodSeconds", T.VARINT).f(11, "labels", T.MAP_STRING).f(12, "annotations", T.MAP_STRING)
      .m(13, "ownerReferences", T.MESSAGES, OWNER_REFERENCE).f(14, "finalizers", T.STRINGS)
      .m(17, "managedFields", T.MESSAGES, MANAGED_FIELDS);
  private static final Schema PRECONDITIONS = new Schema().f(1, "uid", T.STRING).f(2, "resourceVersion", T.STRING);

  private static final Map<String, Schema> KINDS = Map.of(
      "Secret", new Schema().m(1, "metadata", T.MESSAGE, OBJECT_META).f(5, "immutable", T.BOOL)
          .f(2, "data", T.MAP_BYTES).f(4, "stringData", T.MAP_STRING).f(3, "type", T.STRING),
      "ConfigMap", new Schema().m(1, "metadata", T.MESSAGE, OBJECT_META).f(4, "immutable", T.BOOL)
          .f(2, "data", T.MAP_STRING).f(3, "binaryData", T.MAP_BYTES),
      "Namespace", new Schema().m(1, "metadata", T.MESSAGE, OBJECT_META)
          .m(2, "spec", T.MESSAGE, new Schema().f(1, "finalizers", T.STRINGS))
          .m(3, "status", T.MESSAGE, new Schema().f(1, "phase", T.STRING)),
      "ServiceAccount", new Schema().m(1, "metadata", T.MESSAGE, OBJECT_META)
          .f(4, "automountServiceAccountToken", T.BOOL),
      "DeleteOptions", new Schema().f(1, "gracePeriodSeconds", T.VARINT)
          .m(2, "preconditions", T.MESSAGE, PRECONDITIONS).f(3, "orphanDependents", T.BOOL)
          .f(4, "propagationPolicy", T.STRING).f(5, "dryRun", T.STRINGS));

  private Protobuf() {
  }

  static boolean isProtobuf(String mediaType) {
    return MEDIA_TYPE.equals(mediaType);
  }

  /** Decodes an enveloped ({@code k8s\0} + runtime.Unknown) object into its JSON form. */
  static ObjectNode decode(byte[] body) {
    if (body.length < MAGIC.length || body[0] != MAGIC[0] || body[1] != MAGIC[1] || body[2] != MAGIC[2]
        || body[3] != MAGIC[3]) {
      throw ApiException.badRequest("protobuf body without the k8s envelope");
    }
    ObjectNode unknown = decodeMessage(body, MAGIC.length, body.length, UNKNOWN);
    String apiVersion = unknown.path("typeMeta").path("apiVersion").asText("");
    String kind = unknown.path("typeMeta").path("kind").asText("");
    Schema schema = KINDS.get(kind);
    if (schema == null) {
      throw ApiException.unsupportedMediaType("the embedded API server cannot decode protobuf bodies of kind '" + kind
          + "'; send it as application/json");
    }
    byte[] raw = Base64.getDecoder().decode(unknown.path("raw").asText(""));
    ObjectNode decoded = decodeMessage(raw, 0, raw.length, schema);
    ObjectNode result = Json.object();
    if (!apiVersion.isEmpty()) {
      result.put("apiVersion", apiVersion);
    }
    result.put("kind", kind);
    result.setAll(decoded);
    return result;
  }

  private static ObjectNode decodeMessage(byte[] buf, int start, int end, Schema schema) {
    ObjectNode out = Json.object();
    Reader r = new Reader(buf, start, end);
    while (r.hasMore()) {
      long tag = r.varint();
      int number = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      Field field = schema.fields.get(number);
      if (field == null) {
        r.skip(wire);
        continue;
      }
      switch (field.type()) {
        case STRING -> out.put(field.name(), r.string());
        case BYTES -> out.put(field.name(), Base64.getEncoder().encodeToString(r.bytes()));
        case BOOL -> out.put(field.name(), r.varint() != 0);
        case VARINT -> out.put(field.name(), r.varint());
        case MESSAGE -> {
          int len = (int) r.varint();
          out.set(field.name(), decodeMessage(buf, r.pos, r.pos + len, field.schema()));
          r.pos += len;
        }
        case MESSAGES -> {
          int len = (int) r.varint();
          arr(out, field.name()).add(decodeMessage(buf, r.pos, r.pos + len, field.schema()));
          r.pos += len;
        }
        case STRINGS -> arr(out, field.name()).add(r.string());
        case MAP_STRING, MAP_BYTES -> {
          int len = (int) r.varint();
          Reader entry = new Reader(buf, r.pos, r.pos + len);
          String key = "";
          String value = "";
          while (entry.hasMore()) {
            long t = entry.varint();
            if ((t >>> 3) == 1) {
              key = entry.string();
            } else if ((t >>> 3) == 2) {
              value = field.type() == T.MAP_STRING ? entry.string()
                  : Base64.getEncoder().encodeToString(entry.bytes());
            } else {
              entry.skip((int) (t & 7));
            }
          }
          Json.child(out, field.name()).put(key, value);
          r.pos += len;
        }
        case TIME -> {
          int len = (int) r.varint();
          Reader time = new Reader(buf, r.pos, r.pos + len);
          Long seconds = null;
          long nanos = 0;
          while (time.hasMore()) {
            long t = time.varint();
            if ((t >>> 3) == 1) {
              seconds = time.varint();
            } else if ((t >>> 3) == 2) {
              nanos = time.varint();
            } else {
              time.skip((int) (t & 7));
            }
          }
          if (seconds != null && seconds != ZERO_TIME_SECONDS) {
            out.put(field.name(), Json.time(Instant.ofEpochSecond(seconds, nanos)));
          }
          r.pos += len;
        }
        case FIELDS_V1 -> {
          int len = (int) r.varint();
          Reader raw = new Reader(buf, r.pos, r.pos + len);
          while (raw.hasMore()) {
            long t = raw.varint();
            if ((t >>> 3) == 1) {
              out.set(field.name(), Json.parse(raw.bytes()));
            } else {
              raw.skip((int) (t & 7));
            }
          }
          r.pos += len;
        }
        default -> throw new IllegalStateException(field.type().name());
      }
    }
    return out;
  }

  private static ArrayNode arr(ObjectNode out, String name) {
    JsonNode existing = out.get(name);
    return existing instanceof ArrayNode a ? a : out.putArray(name);
  }

  /** Protobuf wire-format reader over a byte range. */
  private static final class Reader {
    private final byte[] buf;
    private final int end;
    private int pos;

    Reader(byte[] buf, int start, int end) {
      if (start < 0 || end > buf.length || start > end) {
        throw ApiException.badRequest("truncated protobuf body");
      }
      this.buf = buf;
      this.pos = start;
      this.end = end;
    }

    boolean hasMore() {
      return pos < end;
    }

    long varint() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= end) {
          throw ApiException.badRequest("truncated protobuf varint");
        }
        byte b = buf[pos++];
        result |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw ApiException.badRequest("malformed protobuf varint");
    }

    byte[] bytes() {
      int len = (int) varint();
      if (len < 0 || pos + len > end) {
        throw ApiException.badRequest("truncated protobuf field");
      }
      byte[] out = java.util.Arrays.copyOfRange(buf, pos, pos + len);
      pos += len;
      return out;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    void skip(int wire) {
      switch (wire) {
        case 0 -> varint();
        case 1 -> pos += 8;
        case 2 -> {
          int len = (int) varint();
          pos += len;
        }
        case 5 -> pos += 4;
        default -> throw ApiException.badRequest("unsupported protobuf wire type " + wire);
      }
      if (pos > end) {
        throw ApiException.badRequest("truncated protobuf body");
      }
    }
  }
}
