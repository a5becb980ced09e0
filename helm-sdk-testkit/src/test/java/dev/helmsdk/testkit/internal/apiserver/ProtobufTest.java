package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Encodes bodies the way client-go's protobuf serializer does and checks the JSON that comes out. */
class ProtobufTest {

  private static void varint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  private static byte[] message(Object... fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < fields.length; i += 2) {
      int number = (Integer) fields[i];
      Object value = fields[i + 1];
      if (value instanceof Long l) {
        varint(out, (long) number << 3);
        varint(out, l);
      } else {
        byte[] bytes = value instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) value;
        varint(out, ((long) number << 3) | 2);
        varint(out, bytes.length);
        out.writeBytes(bytes);
      }
    }
    return out.toByteArray();
  }

  private static byte[] envelope(String apiVersion, String kind, byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'k', '8', 's', 0});
    out.writeBytes(message(1, message(1, apiVersion, 2, kind), 2, raw, 3, "", 4, ""));
    return out.toByteArray();
  }

  @Test
  void decodesAHelmReleaseSecret() {
    byte[] payload = {1, 2, 3, (byte) 0xff};
    byte[] meta = message(1, "sh.helm.release.v1.shop.v1", 3, "apps",
        8, message(1, 1_700_000_000L),
        11, message(1, "owner", 2, "helm"), 11, message(1, "status", 2, "deployed"),
        13, message(5, "v1", 1, "ConfigMap", 3, "parent", 4, "uid-1", 6, 1L));
    byte[] secret = message(1, meta, 2, message(1, "release", 2, payload), 3, "helm.sh/release.v1");

    ObjectNode json = Protobuf.decode(envelope("v1", "Secret", secret));

    assertEquals("v1", json.path("apiVersion").asText());
    assertEquals("Secret", json.path("kind").asText());
    assertEquals("sh.helm.release.v1.shop.v1", json.path("metadata").path("name").asText());
    assertEquals("apps", json.path("metadata").path("namespace").asText());
    assertEquals("2023-11-14T22:13:20Z", json.path("metadata").path("creationTimestamp").asText());
    assertEquals("helm", json.path("metadata").path("labels").path("owner").asText());
    assertEquals("deployed", json.path("metadata").path("labels").path("status").asText());
    assertEquals("parent", json.path("metadata").path("ownerReferences").path(0).path("name").asText());
    assertTrue(json.path("metadata").path("ownerReferences").path(0).path("controller").asBoolean());
    assertEquals(Base64.getEncoder().encodeToString(payload), json.path("data").path("release").asText());
    assertEquals("helm.sh/release.v1", json.path("type").asText());
  }

  @Test
  void zeroTimestampsAreOmittedAndDeleteOptionsDecode() {
    byte[] meta = message(1, "x", 8, new byte[0]);
    ObjectNode cm = Protobuf.decode(envelope("v1", "ConfigMap", message(1, meta, 2, message(1, "k", 2, "v"))));
    assertFalse(cm.path("metadata").has("creationTimestamp"));
    assertEquals("v", cm.path("data").path("k").asText());

    ObjectNode options = Protobuf.decode(envelope("v1", "DeleteOptions", message(4, "Foreground")));
    assertEquals("Foreground", options.path("propagationPolicy").asText());
  }

  @Test
  void rejectsKindsItCannotDecode() {
    ApiException e = assertThrows(ApiException.class,
        () -> Protobuf.decode(envelope("apps/v1", "Deployment", new byte[0])));
    assertEquals(415, e.code());
    assertTrue(e.getMessage().contains("Deployment"));
    assertEquals(400, assertThrows(ApiException.class, () -> Protobuf.decode(new byte[] {1, 2})).code());
  }
}
