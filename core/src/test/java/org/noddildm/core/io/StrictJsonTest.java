package org.noddildm.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrictJsonTest {
  @Test
  void nonFiniteNumbersBecomeNullAndCharactersAreNotEscaped() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("inf", Double.POSITIVE_INFINITY);
    m.put("nan", Float.NaN);
    m.put("arr", new double[] {1.5, Double.NEGATIVE_INFINITY});
    m.put("text", "b <= 1500, a='x'");
    String s = StrictJson.REPORT.toJson(m);
    assertTrue(!s.contains("Infinity") && !s.contains("NaN"), s);
    assertTrue(s.contains("\"b <= 1500, a='x'\""), s);
    JsonObject o = JsonParser.parseString(s).getAsJsonObject();
    assertTrue(o.get("inf").isJsonNull() && o.get("nan").isJsonNull());
    assertTrue(o.getAsJsonArray("arr").get(1).isJsonNull());
  }

  @Test
  void reportRoundsToFloatPrecisionAndExactKeepsEveryDigit() {
    Map<String, Object> m = Map.of("x", 4.557778494660008, "f", 0.1f, "n", 123456789012L);
    JsonObject r = JsonParser.parseString(StrictJson.REPORT.toJson(m)).getAsJsonObject();
    assertEquals("4.557778", r.get("x").getAsString());
    assertEquals("0.1", r.get("f").getAsString());
    assertEquals(123456789012L, r.get("n").getAsLong());
    JsonObject e = JsonParser.parseString(StrictJson.EXACT.toJson(m)).getAsJsonObject();
    assertEquals(4.557778494660008, e.get("x").getAsDouble());
  }
}
