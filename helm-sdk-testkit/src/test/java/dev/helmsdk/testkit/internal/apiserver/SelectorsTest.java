package dev.helmsdk.testkit.internal.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectorsTest {

  private static ObjectNode obj(String s) {
    return Json.parseObject(s.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  private final ObjectNode pod = obj("{'metadata':{'name':'p','namespace':'ns','labels':{'app':'web','tier':'front'}},"
      + "'status':{'phase':'Running'}}");

  @Test
  void labelSelectorsSupportEqualitySetsAndExistence() {
    assertTrue(Selectors.labels("app=web,tier==front").test(pod));
    assertFalse(Selectors.labels("app=web,tier!=front").test(pod));
    assertTrue(Selectors.labels("app in (api, web),!canary").test(pod));
    assertFalse(Selectors.labels("app notin (web)").test(pod));
    assertTrue(Selectors.labels("tier").test(pod));
    assertFalse(Selectors.labels("owner").test(pod));
    assertTrue(Selectors.labels(null).test(pod));
  }

  @Test
  void fieldSelectorsReadDottedPaths() {
    assertTrue(Selectors.fields("metadata.name=p,status.phase=Running").test(pod));
    assertFalse(Selectors.fields("status.phase!=Running").test(pod));
    assertFalse(Selectors.fields("metadata.namespace=other").test(pod));
  }

  @Test
  void structuredSelectorsMatchLabelsAndExpressions() {
    assertTrue(Selectors.matches(obj("{'matchLabels':{'app':'web'},'matchExpressions':[{'key':'tier',"
        + "'operator':'In','values':['front','back']}]}"), pod));
    assertFalse(Selectors.matches(obj("{'matchExpressions':[{'key':'tier','operator':'DoesNotExist'}]}"), pod));
  }
}
