package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PatchesTest {

  private static ObjectNode json(String s) {
    return Json.parseObject(s.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode anyJson(String s) {
    return Json.parse(s.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void strategicMergeFollowsMergeKeysDirectivesAndRetainKeys() {
    ObjectNode live = json("{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}},"
        + "'template':{'spec':{'containers':[{'name':'app','image':'a:1','env':[{'name':'A','value':'1'},"
        + "{'name':'B','value':'2'}],'args':['x','y']}]}}},'metadata':{'finalizers':['f1']}}");
    // What client-go's CreateThreeWayMergePatch emits for: new image, env B removed, args replaced,
    // strategy switched to Recreate, a finalizer added.
    ObjectNode patch = json("{'metadata':{'finalizers':['f2']},'spec':{'strategy':{'$retainKeys':['type'],"
        + "'rollingUpdate':null,'type':'Recreate'},'template':{'spec':{'$setElementOrder/containers':[{'name':'app'}],"
        + "'containers':[{'name':'app','image':'a:2','args':['z'],'$setElementOrder/env':[{'name':'A'}],"
        + "'env':[{'$patch':'delete','name':'B'}]}]}}}}");

    ObjectNode merged = Patches.apply(Patches.STRATEGIC_MERGE_PATCH, live, patch);

    assertEquals(json("{'spec':{'strategy':{'type':'Recreate'},'template':{'spec':{'containers':[{'name':'app',"
        + "'image':'a:2','env':[{'name':'A','value':'1'}],'args':['z']}]}}},'metadata':{'finalizers':['f1','f2']}}"),
        merged);
  }

  @Test
  void servicePortsMergeOnPortAndNewElementsAreAppended() {
    ObjectNode live = json("{'spec':{'ports':[{'port':80,'name':'http'},{'port':443,'name':'https'}]}}");
    ObjectNode patch = json("{'spec':{'ports':[{'port':443,'targetPort':8443},{'port':9090,'name':'metrics'}]}}");

    ObjectNode merged = Patches.apply(Patches.STRATEGIC_MERGE_PATCH, live, patch);

    assertEquals(json("{'spec':{'ports':[{'port':80,'name':'http'},{'port':443,'name':'https','targetPort':8443},"
        + "{'port':9090,'name':'metrics'}]}}"), merged);
  }

  @Test
  void mergePatchReplacesListsAndDeletesNulls() {
    ObjectNode live = json("{'a':{'b':1,'c':2},'list':[1,2,3]}");

    ObjectNode merged = Patches.apply(Patches.MERGE_PATCH, live, json("{'a':{'b':null,'d':4},'list':[9]}"));

    assertEquals(json("{'a':{'c':2,'d':4},'list':[9]}"), merged);
    assertEquals(json("{'a':{'b':1,'c':2},'list':[1,2,3]}"), live, "the input is not modified");
  }

  @Test
  void jsonPatchAndUnknownTypes() {
    ObjectNode live = json("{'spec':{'replicas':1}}");

    ObjectNode patched = Patches.apply(Patches.JSON_PATCH, live,
        anyJson("[{'op':'replace','path':'/spec/replicas','value':3}]"));

    assertEquals(3, patched.path("spec").path("replicas").asInt());
    ApiException unsupported = assertThrows(ApiException.class,
        () -> Patches.apply("application/xml", live, json("{}")));
    assertEquals(415, unsupported.code());
  }
}
