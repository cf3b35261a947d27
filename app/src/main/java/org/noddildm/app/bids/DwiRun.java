package org.noddildm.app.bids;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One diffusion run of a BIDS dataset: its entities and its files.
 *
 * <p>The entities are those of the file name in their order ({@code sub}, {@code ses}, then
 * {@code acq}, {@code rec}, {@code dir}, {@code run}, ...), so that every output of the run
 * carries the same name stem and two runs of one session never collide. The input's own
 * {@code desc} ({@code desc-preproc} of QSIPrep's outputs) is left out of the outputs' stem, so
 * that an output never carries two {@code desc} entities; {@code space} is kept.
 *
 * @param entities key to label, {@code sub} first, then {@code ses} when present
 * @param dwi the 4D NIfTI ({@code *_dwi.nii[.gz]})
 * @param bval the FSL b-values beside it, or null when missing (the run then fails clearly)
 * @param bvec the FSL b-vectors beside it, or null when missing
 * @param sidecars the JSON sidecars that apply, from the dataset root down (BIDS inheritance)
 * @param mask the dataset's brain mask of the run ({@code <stem>_desc-brain_mask.nii[.gz]}
 *     beside it, as QSIPrep writes it), or null when there is none
 */
public record DwiRun(Map<String, String> entities, Path dwi, Path bval, Path bvec,
    java.util.List<Path> sidecars, Path mask) {
  public DwiRun {
    entities = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entities));
    sidecars = java.util.List.copyOf(sidecars);
  }

  /** The subject label without {@code sub-}. */
  public String subject() {
    return entities.get("sub");
  }

  /** The session label without {@code ses-}, or null. */
  public String session() {
    return entities.get("ses");
  }

  /** The entity label, or null when the name has no such entity. */
  public String entity(String key) {
    return entities.get(key);
  }

  /**
   * The outputs' name stem: the input's entities without its {@code desc}, e.g.
   * {@code sub-01_ses-a_acq-b1000_run-2} or {@code sub-01_space-T1w}.
   */
  public String prefix() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : entities.entrySet()) {
      if (e.getKey().equals("desc")) {
        continue;
      }
      if (b.length() > 0) {
        b.append('_');
      }
      b.append(e.getKey()).append('-').append(e.getValue());
    }
    return b.toString();
  }

  /** The run's folder relative to a dataset root: {@code sub-01/ses-a/dwi}. */
  public String folder() {
    return "sub-" + subject() + (session() == null ? "" : "/ses-" + session()) + "/dwi";
  }

  /** A short name for logs: the stem. */
  @Override
  public String toString() {
    return prefix();
  }
}
