package org.noddildm.core.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one way the tool writes JSON, so that every file is strict JSON (RFC 8259) that any parser
 * reads: NaN and infinities become {@code null} (Gson would write the bare words {@code NaN} and
 * {@code Infinity}, which Python's strict parsers, jq and JavaScript's {@code JSON.parse}
 * reject), characters such as {@code = ' < >} stay as they are instead of {@code \u003d}-style
 * escapes, and floating-point numbers are rounded to a number of significant digits so that a
 * 0.1 computed in floats is written {@code 0.1}, not {@code 0.10000000149011612}.
 *
 * <p>{@link #REPORT} (7 significant digits, the precision of a float) is for outputs people
 * read: sidecars, summaries, scores. {@link #EXACT} keeps every digit of a double, for files
 * that are read back as inputs (dataset descriptions, subject parameters).
 */
public final class StrictJson {
  /** Rounds doubles to 7 significant digits. */
  public static final StrictJson REPORT = new StrictJson(7);
  /** Keeps doubles as they are (shortest exact representation). */
  public static final StrictJson EXACT = new StrictJson(0);

  /**
   * Converts objects to a tree; special values are allowed here and replaced afterwards, HTML
   * escaping is off so strings are written as given.
   */
  private static final Gson TREE = new GsonBuilder().serializeSpecialFloatingPointValues()
      .disableHtmlEscaping().serializeNulls().create();
  private static final Gson PRINT = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
      .serializeNulls().create();

  private final int digits;

  private StrictJson(int digits) {
    this.digits = digits;
  }

  /** {@code value} (an object, a map, a record or a {@link JsonElement}) as strict JSON text. */
  public String toJson(Object value) {
    return PRINT.toJson(toTree(value)) + "\n";
  }

  /** {@code value} as a strict JSON tree: no non-finite numbers, doubles rounded. */
  public JsonElement toTree(Object value) {
    JsonElement tree = value instanceof JsonElement e ? e : TREE.toJsonTree(value);
    return clean(tree);
  }

  /**
   * Reads JSON text into {@code type} (a class, a record, {@code JsonObject}...): the one reader
   * beside the one writer, so that no class keeps its own Gson setup.
   */
  public static <T> T read(String text, Class<T> type) {
    return TREE.fromJson(text, type);
  }

  /** Reads a JSON tree into {@code type}. */
  public static <T> T read(JsonElement tree, Class<T> type) {
    return TREE.fromJson(tree, type);
  }

  /** Reads a JSON tree into a generic {@code type}. */
  public static <T> T read(JsonElement tree, java.lang.reflect.Type type) {
    return TREE.fromJson(tree, type);
  }

  /** Writes {@code value} as strict JSON to {@code target}, atomically. */
  public void write(Path target, Object value) throws IOException {
    AtomicFiles.writeString(target, toJson(value));
  }

  /** A copy of the tree with NaN/infinity as null and doubles rounded; the input is unchanged. */
  private JsonElement clean(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return JsonNull.INSTANCE;
    }
    if (e.isJsonObject()) {
      JsonObject o = new JsonObject();
      for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
        o.add(m.getKey(), clean(m.getValue()));
      }
      return o;
    }
    if (e.isJsonArray()) {
      JsonArray a = new JsonArray();
      for (JsonElement x : e.getAsJsonArray()) {
        a.add(clean(x));
      }
      return a;
    }
    JsonPrimitive p = e.getAsJsonPrimitive();
    if (!p.isNumber()) {
      return p;
    }
    Number n = p.getAsNumber();
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
        || n instanceof java.math.BigInteger) {
      return p;
    }
    String text = n.toString();
    if (!(n instanceof Double || n instanceof Float) && text.matches("-?\\d+")) {
      return p; // an integer parsed from text (Gson's LazilyParsedNumber)
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d)) {
      return JsonNull.INSTANCE;
    }
    return new JsonPrimitive(round(d));
  }

  /** {@code d} to {@link #digits} significant digits, as a double or a whole number. */
  private Number round(double d) {
    if (d == 0) {
      return 0;
    }
    if (digits == 0) {
      return d;
    }
    BigDecimal b = new BigDecimal(d).round(new MathContext(digits));
    if (b.scale() <= 0 && Math.abs(d) < 1e15) {
      return b.longValueExact();
    }
    return b.doubleValue();
  }
}
