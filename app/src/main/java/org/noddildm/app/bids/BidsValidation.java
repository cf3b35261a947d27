package org.noddildm.app.bids;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.noddildm.core.BadFileException;

/**
 * Checks the input dataset with a BIDS validator before the participant level, as BIDS Apps
 * do: the {@code bids-validator} executable on the PATH (the npm package or the Deno build)
 * when there is one, else the file-name check of Debian's {@code python3-bids-validator}. With
 * neither, it says so in one line and the run goes on. A dataset that fails is one line naming
 * the first error and {@code --skip-bids-validation}.
 *
 * <p>A derivative dataset (QSIPrep's output, {@code DatasetType} derivative) is not checked:
 * the validators check raw datasets, and a derivative's names ({@code space-},
 * {@code desc-preproc}) are not raw BIDS names.
 */
public final class BidsValidation {
  /**
   * System property for tests: the validator executable to use, "python" for Debian's
   * python3-bids-validator only, or "none".
   */
  public static final String PROPERTY = "noddi.bidsValidator";
  private static final long TIMEOUT_MINUTES = 30;

  private BidsValidation() {}

  /**
   * Validates {@code bids}; returns what was done, for the log, and throws
   * {@link BadFileException} when the dataset is not valid.
   */
  public static String validate(Path bids) throws IOException, InterruptedException {
    if (isDerivative(bids)) {
      return "BIDS_DIR is a derivative dataset (DatasetType derivative, e.g. QSIPrep's"
          + " output); the BIDS validator checks raw datasets, so it was not run";
    }
    Path exe = executable();
    if (exe != null) {
      return runExecutable(exe, bids);
    }
    Path python = python();
    if (python != null) {
      return runPython(python, bids);
    }
    return "no BIDS validator found (bids-validator from npm or Deno, or Debian's"
        + " python3-bids-validator); BIDS_DIR was not validated";
  }

  static boolean isDerivative(Path bids) {
    try {
      JsonObject d = JsonParser.parseString(Files.readString(bids.resolve(
          "dataset_description.json"))).getAsJsonObject();
      return d.has("DatasetType") && "derivative".equals(d.get("DatasetType").getAsString());
    } catch (IOException | RuntimeException e) {
      return false; // the layout reader says what is wrong with the file
    }
  }

  private static Path executable() {
    String forced = System.getProperty(PROPERTY);
    if (forced != null) {
      return forced.equals("none") || forced.equals("python") ? null : Path.of(forced);
    }
    return onPath("bids-validator");
  }

  /** The first executable {@code name} on the PATH, or null. */
  static Path onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static String runExecutable(Path exe, Path bids) throws IOException,
      InterruptedException {
    Result r = run(List.of(exe.toString(), bids.toString()));
    if (r.exitCode() == 0) {
      return "BIDS_DIR is valid BIDS (" + exe.getFileName() + ")";
    }
    String first = "";
    for (String line : r.output().lines().toList()) {
      String l = line.replaceAll("\u001b\\[[0-9;]*m", "").strip();
      if (l.contains("[ERR]") || l.startsWith("[ERROR]") || l.startsWith("ERROR")
          || l.contains("Error")) {
        first = l.length() > 300 ? l.substring(0, 300) + "..." : l;
        break;
      }
    }
    throw new BadFileException(bids, "expected a valid BIDS dataset, found errors by "
        + exe.getFileName() + (first.isEmpty() ? " (exit status " + r.exitCode() + ")"
            : ": " + first) + "; run it for the details, or give --skip-bids-validation");
  }

  /** Debian's python3-bids-validator: every file's name must be a BIDS name. */
  private static Path python() {
    String forced = System.getProperty(PROPERTY);
    if (forced != null && !forced.equals("python")) {
      return null;
    }
    Path debian = Path.of("/usr/bin/python3");
    return Files.isExecutable(debian) ? debian : onPath("python3");
  }

  private static final String SCRIPT = String.join("\n",
      "import os, sys",
      "try:",
      "    from bids_validator import BIDSValidator",
      "except ImportError:",
      "    sys.exit(3)",
      "root = sys.argv[1]; v = BIDSValidator(); bad = []",
      "for d, dirs, fs in os.walk(root):",
      "    top = os.path.relpath(d, root).split(os.sep)[0]",
      "    if top != '.' and (top in ('derivatives', 'code', 'sourcedata') or "
          + "top.startswith('.')):",
      "        dirs[:] = []; continue",
      "    for f in fs:",
      "        p = '/' + os.path.relpath(os.path.join(d, f), root).replace(os.sep, '/')",
      "        if not f.startswith('.') and not v.is_bids(p): bad.append(p)",
      "print(len(bad)); print(bad[0] if bad else '')",
      "sys.exit(1 if bad else 0)", "");

  private static String runPython(Path python, Path bids) throws IOException,
      InterruptedException {
    Result r = run(List.of(python.toString(), "-c", SCRIPT, bids.toString()));
    if (r.exitCode() == 3) {
      return "no BIDS validator found (bids-validator from npm or Deno, or Debian's"
          + " python3-bids-validator); BIDS_DIR was not validated";
    }
    List<String> lines = r.output().lines().toList();
    if (r.exitCode() == 0) {
      return "BIDS_DIR has only BIDS file names (python3-bids-validator; contents not checked)";
    }
    if (r.exitCode() == 1 && lines.size() >= 2) {
      throw new BadFileException(bids, "expected BIDS file names, found " + lines.get(0)
          + " that are not, e.g. " + lines.get(1) + " (python3-bids-validator); rename"
          + " them, or give --skip-bids-validation");
    }
    return "the BIDS validator (python3-bids-validator) did not run (exit status "
        + r.exitCode() + "); BIDS_DIR was not validated";
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> command) throws IOException, InterruptedException {
    Path log = Files.createTempFile("noddi-bids-validator", ".txt");
    try {
      Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
          .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(
              new File("/dev/null"))).start();
      if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new BadFileException(Path.of(command.get(command.size() - 1)), "expected the BIDS"
            + " validator to finish within " + TIMEOUT_MINUTES + " minutes, found it still"
            + " running; give --skip-bids-validation");
      }
      return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
