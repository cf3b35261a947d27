package org.noddildm.app.provenance;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What build of the tool is running: the Maven version and the git commit recorded at build time
 * ({@code version.properties}, filtered by the build from {@code git rev-parse HEAD}), so that an
 * output can be traced to the exact source that made it.
 *
 * @param version the project version, e.g. 0.1.0-SNAPSHOT
 * @param commit the full git commit, or "unknown" when the build had no git
 * @param dirty whether the build's working tree had uncommitted changes to tracked files
 */
public record BuildInfo(String version, String commit, boolean dirty) {
  private static final String RESOURCE = "/org/noddildm/app/version.properties";

  /** This jar's build. */
  public static BuildInfo current() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new BuildInfo(known(p.getProperty("version")), known(p.getProperty("commit")),
        "true".equals(p.getProperty("dirty")));
  }

  /** An unfiltered placeholder (a build that skipped the git step) counts as unknown. */
  private static String known(String v) {
    return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v.strip();
  }

  /** "noddi-ldm VERSION": the software entry of the datasets and sidecars this build writes. */
  public String software() {
    return "noddi-ldm " + version;
  }

  /** "abc123..." or "abc123... (with uncommitted changes)". */
  public String commitText() {
    return commit + (dirty ? " (with uncommitted changes)" : "");
  }

  /**
   * Name, Version, CodeURL, Commit and Container, in the shape of BIDS {@code GeneratedBy}.
   * {@code CodeURL} is the build's {@code noddi.codeUrl} property ({@code -Dnoddi.codeUrl=https://
   * ...}, left out when the build did not set one); {@code Container} comes from the variables
   * {@code NODDI_CONTAINER_TYPE} and {@code NODDI_CONTAINER_TAG} that the container images set.
   */
  public JsonObject generatedBy() {
    JsonObject g = new JsonObject();
    g.addProperty("Name", "noddi-ldm");
    g.addProperty("Version", version);
    String url = codeUrl();
    if (url != null) {
      g.addProperty("CodeURL", url);
    }
    g.addProperty("Commit", commit);
    g.addProperty("UncommittedChanges", dirty);
    g.addProperty("Java", System.getProperty("java.version"));
    String type = System.getenv("NODDI_CONTAINER_TYPE");
    if (type != null && type.matches("[a-z]+")) {
      JsonObject c = new JsonObject();
      c.addProperty("Type", type);
      String tag = System.getenv("NODDI_CONTAINER_TAG");
      if (tag != null && tag.matches("[A-Za-z0-9._:/@-]+")) {
        c.addProperty("Tag", tag);
      }
      g.add("Container", c);
    }
    return g;
  }

  /** The build's public code URL (https only), or null. */
  static String codeUrl() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String v = known(p.getProperty("codeUrl"));
    return v.startsWith("https://") ? v : null;
  }
}
