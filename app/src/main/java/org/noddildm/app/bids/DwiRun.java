package org.noddildm.app.bids;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One diffusion run of a BIDS dataset: its entities and its files.
 *
 * <p>The entities are those of the file name in their order ({@code sub}, {@code ses}, then
 * {@code acq}, {@code rec}, {@code dir}, {@code run}, ...), so that every output of the run
 * carries the same name stem and two runs of one session never collide.
 *
 * @param entities key to label, {@code sub} first, then {@code ses} when present
 * @param dwi the 4D NIfTI ({@code *_dwi.nii[.gz]})
 * @param bval the FSL b-values beside it, or null when missing (the run then fails clearly)
 * @param bvec the FSL b-vectors beside it, or null when missing
 * @param sidecars the JSON sidecars that apply, from the dataset root down (BIDS inheritance)
 */
public record DwiRun(Map<String, String> entities, Path dwi, Path bval, Path bvec,
    java.util.List<Path> sidecars) {
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

  /** The name stem, e.g. {@code sub-01_ses-a_acq-b1000_run-2}. */
  public String prefix() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> e : entities.entrySet()) {
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
