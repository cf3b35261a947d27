package org.noddildm.core.provenance;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes machine paths from provenance before it is written into an output: a model's
 * model.json and the predictor's record name the folders the model was trained from and the
 * temporary folder the shipped model was unpacked into ({@code /work/runs/ldm},
 * {@code /tmp/noddi-shipped-model123}), which say nothing to the reader of an output and leak
 * the developers' machine. A string that is an absolute path (Unix, Windows or {@code file:})
 * is replaced by its last name plus {@value #MARK}; an absolute path inside a longer text gets
 * the same treatment. The model is named by its SHA-256 identity instead (app.provenance.ModelIdentity).
 */
public final class ProvenanceScrubber {
  /** What replaces the folders of a removed path. */
  public static final String MARK = " (path removed)";
  private static final Pattern WHOLE = Pattern.compile(
      "^(?:file:/+|/|[A-Za-z]:[\\\\/])(?:[^\\s]*[\\\\/])?([^\\\\/\\s]*)[\\\\/]?$");
  private static final Pattern INSIDE = Pattern.compile(
      "(?<![\\w.:/])(?:file:)?/(?:[\\w.+-]+/)+([\\w.+-]+)/?");

  private ProvenanceScrubber() {}

  /** A copy of {@code e} with every absolute path reduced to its last name. */
  public static JsonElement scrub(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return e;
    }
    if (e.isJsonObject()) {
      JsonObject o = new JsonObject();
      for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
        o.add(m.getKey(), scrub(m.getValue()));
      }
      return o;
    }
    if (e.isJsonArray()) {
      JsonArray a = new JsonArray();
      e.getAsJsonArray().forEach(x -> a.add(scrub(x)));
      return a;
    }
    JsonPrimitive p = e.getAsJsonPrimitive();
    return p.isString() ? new JsonPrimitive(scrubText(p.getAsString())) : p;
  }

  /** {@code s} with absolute paths reduced to their last name. */
  public static String scrubText(String s) {
    Matcher w = WHOLE.matcher(s);
    if (w.matches()) {
      return w.group(1) + MARK;
    }
    Matcher m = INSIDE.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + MARK));
    }
    m.appendTail(out);
    return out.toString();
  }
}
