package org.noddildm.app.bids;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.noddildm.core.BadFileException;
import org.noddildm.core.dwi.GradientTable;
import org.noddildm.core.fit.BrainMasks;
import org.noddildm.core.io.GradientIO;
import org.noddildm.core.io.NiftiImage;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.volume.Mask;
import org.noddildm.core.volume.Volume;

/**
 * A run's inputs, read and checked so that a broken or hostile run fails with one clear line
 * before anything is computed: every file must lie inside BIDS_DIR once symbolic links are
 * followed (a link out of the dataset is refused), the gradients must match the scan, a JSON
 * sidecar must be an object of at most {@value #MAX_SIDECAR_BYTES} bytes, and a brain mask must
 * be on the scan's grid.
 *
 * @param table the gradient table (FSL bval/bvec)
 * @param scan the 4D scan
 * @param mask the brain mask on the scan's grid, or null for the automatic one
 * @param maskText how the mask was chosen, for sidecars
 * @param metadata the merged sidecars' acquisition fields kept in the outputs' sidecars
 * @param sources the inputs as BIDS URIs ({@code bids:raw:...})
 */
record RunInputs(GradientTable table, NiftiImage scan, Mask mask, String maskText,
    JsonObject metadata, List<String> sources) {
  /** The largest JSON sidecar read: real ones are a few kB, so more is an accident or attack. */
  static final long MAX_SIDECAR_BYTES = 1L << 20;

  /** Input sidecar fields kept in the outputs' sidecars (acquisition, not used by the fit). */
  private static final List<String> KEPT_METADATA = List.of("Manufacturer",
      "ManufacturersModelName", "MagneticFieldStrength", "EchoTime", "RepetitionTime",
      "PhaseEncodingDirection", "TotalReadoutTime", "MultibandAccelerationFactor",
      "SliceThickness");

  /**
   * Reads the run.
   *
   * @param maskChoice {@code dataset} (the run's mask in the dataset when there is one, else
   *     automatic), {@code auto}, or {@code file}
   * @param maskFile the mask of {@code --mask FILE}, else null
   */
  static RunInputs read(Path bidsRoot, DwiRun run, String maskChoice, Path maskFile,
      PrintWriter log) throws IOException {
    if (run.bval() == null || run.bvec() == null) {
      String stem = run.dwi().getFileName().toString().replaceFirst("\\.nii(\\.gz)?$", "");
      throw new BadFileException(run.dwi(), "expected " + stem + ".bval and " + stem
          + ".bvec beside it, found " + (run.bval() == null ? "no .bval" : "the .bval")
          + " and " + (run.bvec() == null ? "no .bvec" : "the .bvec"));
    }
    Path root = bidsRoot.toRealPath();
    List<Path> files = new ArrayList<>(List.of(run.dwi(), run.bval(), run.bvec()));
    files.addAll(run.sidecars());
    if (run.mask() != null && maskChoice.equals("dataset")) {
      files.add(run.mask());
    }
    for (Path f : files) {
      requireInside(root, f);
    }
    GradientTable table = GradientIO.readFsl(run.bval(), run.bvec());
    table.warnings().forEach(w -> log.println(run + ": warning: " + w));
    NiftiImage scan = NiftiReader.read(run.dwi());
    if (scan.volume().nt() != table.size()) {
      throw new BadFileException(run.dwi(), "expected " + table.size() + " volumes (one per"
          + " entry of " + run.bval().getFileName() + "), found " + scan.volume().nt());
    }
    List<String> sources = new ArrayList<>();
    for (Path f : files) {
      sources.add(Sidecars.uri(bidsRoot, f));
    }
    Path m = maskChoice.equals("file") ? maskFile : maskChoice.equals("dataset")
        ? run.mask() : null;
    Mask mask = m == null ? null : BrainMasks.read(m, "the scan's grid", scan.volume().grid());
    String text = m == null ? "median Otsu of the scan's mean b0 (automatic)"
        : maskChoice.equals("file") ? "given (--mask " + m.getFileName() + ")"
        : "the dataset's brain mask " + m.getFileName();
    return new RunInputs(table, scan, mask, text, metadata(run), sources);
  }

  /** Refuses a file whose real path (links followed) is outside the dataset. */
  static void requireInside(Path realRoot, Path file) throws IOException {
    Path real = file.toRealPath();
    if (!real.startsWith(realRoot)) {
      throw new BadFileException(file, "expected a file inside BIDS_DIR, found a symbolic link"
          + " to a file outside it (copy the data into the dataset instead)");
    }
  }

  /** The merged input sidecars' fields of {@link #KEPT_METADATA}; bad JSON fails the run. */
  private static JsonObject metadata(DwiRun run) throws IOException {
    JsonObject merged = new JsonObject();
    for (Path s : run.sidecars()) {
      long size = Files.size(s);
      if (size > MAX_SIDECAR_BYTES) {
        throw new BadFileException(s, String.format(Locale.ROOT, "expected a JSON sidecar of at"
            + " most %d kB, found %.1f MB", MAX_SIDECAR_BYTES / 1024, size / 1e6));
      }
      try {
        JsonObject o = JsonParser.parseString(Files.readString(s)).getAsJsonObject();
        o.entrySet().forEach(e -> merged.add(e.getKey(), e.getValue()));
      } catch (JsonParseException | IllegalStateException e) {
        throw new BadFileException(s, "expected a JSON object (BIDS sidecar), found text that"
            + " does not parse as one");
      }
    }
    JsonObject kept = new JsonObject();
    for (String k : KEPT_METADATA) {
      if (merged.has(k)) {
        kept.add(k, merged.get(k));
      }
    }
    return kept;
  }
}
