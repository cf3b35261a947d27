package org.noddildm.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;

/** Parses a file as strict JSON (RFC 8259): no NaN/Infinity, no comments, no bare words. */
public final class StrictJsonCheck {
  private StrictJsonCheck() {}

  public static JsonElement parse(Path file) throws IOException {
    String text = Files.readString(file);
    assertFalse(text.contains("\\u003d") || text.contains("\\u0027"), file
        + ": HTML-escaped characters");
    JsonReader r = new JsonReader(new StringReader(text));
    r.setStrictness(Strictness.STRICT);
    try {
      return JsonParser.parseReader(r);
    } catch (RuntimeException e) {
      return fail(file + " is not strict JSON: " + e.getMessage());
    }
  }
}
