package org.noddildm.app.bids;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.noddildm.core.BadArgumentException;
import org.noddildm.core.BadFileException;

/**
 * Finds the diffusion runs of a BIDS dataset: {@code sub-*}/[{@code ses-*}/]{@code dwi/}
 * {@code *_dwi.nii[.gz]}, each with the {@code .bval} and {@code .bvec} of the same stem and the
 * JSON sidecars that apply to it by the inheritance principle (a {@code *dwi.json} at the
 * dataset root, subject, session or dwi level whose entities are all in the run's name, the
 * deeper one overriding). Only the top-level {@code sub-*} folders are read, so a
 * {@code derivatives/} folder inside the dataset is never taken as input.
 *
 * <p>A run whose gradient files are missing is still returned (with null paths), so that it
 * fails as its own subject's failure, not as the whole dataset's.
 */
public final class BidsLayout {
  private static final Pattern DWI = Pattern.compile("(.+)_dwi\\.nii(\\.gz)?");
  private static final Pattern ENTITY = Pattern.compile("([a-zA-Z0-9]+)-([a-zA-Z0-9]+)");

  private BidsLayout() {}

  /**
   * The runs of {@code root}, sorted by subject, session and name.
   *
   * @param participants labels to keep (with or without {@code sub-}); empty for all
   * @param sessions session labels to keep (with or without {@code ses-}); empty for all
   */
  public static List<DwiRun> find(Path root, List<String> participants, List<String> sessions)
      throws IOException {
    if (!Files.isDirectory(root)) {
      throw new BadFileException(root, "expected a BIDS dataset folder, found "
          + (Files.exists(root) ? "a file" : "nothing"));
    }
    if (!Files.isRegularFile(root.resolve("dataset_description.json"))) {
      throw new BadFileException(root, "expected a BIDS dataset with dataset_description.json at"
          + " its top, found none");
    }
    List<String> subjects = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("sub-")).sorted().forEach(n -> subjects.add(n.substring(4)));
    }
    for (String sub : subjects) {
      requireLabel(root.resolve("sub-" + sub), sub);
    }
    List<String> wanted = strip(participants, "sub-");
    for (String w : wanted) {
      BadArgumentException.require(subjects.contains(w), "--participant-label " + w
          + ": expected one of the dataset's subjects " + subjects + ", found no sub-" + w);
    }
    List<String> wantedSessions = strip(sessions, "ses-");
    List<DwiRun> runs = new ArrayList<>();
    for (String sub : subjects) {
      if (!wanted.isEmpty() && !wanted.contains(sub)) {
        continue;
      }
      Path sd = root.resolve("sub-" + sub);
      List<Path> dwiDirs = new ArrayList<>();
      if (Files.isDirectory(sd.resolve("dwi"))) {
        dwiDirs.add(sd.resolve("dwi"));
      }
      try (Stream<Path> s = Files.list(sd)) {
        s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().startsWith("ses-"))
            .filter(p -> wantedSessions.isEmpty()
                || wantedSessions.contains(p.getFileName().toString().substring(4)))
            .sorted().map(p -> p.resolve("dwi")).filter(Files::isDirectory)
            .forEach(dwiDirs::add);
      }
      if (!wantedSessions.isEmpty()) {
        dwiDirs.removeIf(d -> d.getParent().equals(sd));
      }
      for (Path d : dwiDirs) {
        String ses = d.getParent().equals(sd) ? null : d.getParent().getFileName().toString()
            .substring(4);
        if (ses != null) {
          requireLabel(d.getParent(), ses);
        }
        for (DwiRun r : runsIn(root, d)) {
          // the name's sub and ses must be the folders' (outputs go where the name says)
          if (!sub.equals(r.subject()) || !java.util.Objects.equals(ses, r.session())) {
            throw new BadFileException(r.dwi(), "expected a name with sub-" + sub
                + (ses == null ? "" : "_ses-" + ses) + " as its folders, found "
                + r.prefix());
          }
          runs.add(r);
        }
      }
    }
    Map<String, DwiRun> byStem = new LinkedHashMap<>();
    for (DwiRun r : runs) {
      DwiRun other = byStem.put(r.folder() + "/" + r.prefix(), r);
      if (other != null) {
        throw new BadFileException(r.dwi(), "expected one diffusion run per output name "
            + r.prefix() + " (the input's desc is not kept), found also "
            + other.dwi().getFileName());
      }
    }
    return runs;
  }

  private static List<DwiRun> runsIn(Path root, Path dwiDir) throws IOException {
    List<DwiRun> out = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(dwiDir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      Matcher m = DWI.matcher(f.getFileName().toString());
      if (!m.matches()) {
        continue;
      }
      String stem = m.group(1);
      Map<String, String> entities = entities(stem, f);
      Path bval = dwiDir.resolve(stem + "_dwi.bval");
      Path bvec = dwiDir.resolve(stem + "_dwi.bvec");
      out.add(new DwiRun(entities, f, Files.isRegularFile(bval) ? bval : null,
          Files.isRegularFile(bvec) ? bvec : null, sidecars(root, dwiDir, entities),
          brainMask(dwiDir, entities)));
    }
    return out;
  }

  /**
   * The run's brain mask in the dataset, as QSIPrep names it beside its preprocessed scan: the
   * scan's entities without {@code desc}, then {@code _desc-brain_mask.nii[.gz]}; or null.
   */
  static Path brainMask(Path dwiDir, Map<String, String> entities) {
    StringBuilder stem = new StringBuilder();
    entities.forEach((k, v) -> {
      if (!k.equals("desc")) {
        stem.append(stem.length() == 0 ? "" : "_").append(k).append('-').append(v);
      }
    });
    for (String ext : new String[] {".nii.gz", ".nii"}) {
      Path m = dwiDir.resolve(stem + "_desc-brain_mask" + ext);
      if (Files.isRegularFile(m)) {
        return m;
      }
    }
    return null;
  }

  /** A folder's label must be letters and digits (the BIDS alphabet), nothing else. */
  private static void requireLabel(Path folder, String label) {
    if (!label.matches("[a-zA-Z0-9]+")) {
      throw new BadFileException(folder, "expected a BIDS label of letters and digits, found '"
          + label + "'");
    }
  }

  /** The entities of a stem; {@code sub} must come first, as BIDS requires. */
  static Map<String, String> entities(String stem, Path file) {
    Map<String, String> e = new LinkedHashMap<>();
    for (String part : stem.split("_")) {
      Matcher m = ENTITY.matcher(part);
      if (!m.matches()) {
        throw new BadFileException(file, "expected a BIDS name of key-label pairs such as"
            + " sub-01_ses-a_run-1_dwi.nii.gz, found the part '" + part + "'");
      }
      e.put(m.group(1), m.group(2));
    }
    if (!e.containsKey("sub") || !e.keySet().iterator().next().equals("sub")) {
      throw new BadFileException(file, "expected a name starting with sub-<label>, found "
          + stem);
    }
    return e;
  }

  /** The {@code *dwi.json} files that apply to a run, from the root down. */
  static List<Path> sidecars(Path root, Path dwiDir, Map<String, String> entities)
      throws IOException {
    List<Path> levels = new ArrayList<>();
    for (Path p = dwiDir; p != null && p.startsWith(root); p = p.getParent()) {
      levels.add(0, p);
      if (p.equals(root)) {
        break;
      }
    }
    List<Path> out = new ArrayList<>();
    for (Path level : levels) {
      TreeMap<Integer, List<Path>> bySpecificity = new TreeMap<>();
      try (Stream<Path> s = Files.list(level)) {
        for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
          String n = f.getFileName().toString();
          if (!n.equals("dwi.json") && !n.endsWith("_dwi.json")) {
            continue;
          }
          String stem = n.equals("dwi.json") ? "" : n.substring(0, n.length() - 9);
          Map<String, String> own = new LinkedHashMap<>();
          boolean applies = true;
          for (String part : stem.isEmpty() ? new String[0] : stem.split("_")) {
            Matcher m = ENTITY.matcher(part);
            applies &= m.matches() && m.group(2).equals(entities.get(m.group(1)));
            if (m.matches()) {
              own.put(m.group(1), m.group(2));
            }
          }
          if (applies) {
            bySpecificity.computeIfAbsent(own.size(), k -> new ArrayList<>()).add(f);
          }
        }
      }
      bySpecificity.values().forEach(out::addAll);
    }
    return out;
  }

  private static List<String> strip(List<String> labels, String prefix) {
    List<String> out = new ArrayList<>();
    for (String l : labels == null ? List.<String>of() : labels) {
      String v = l.startsWith(prefix) ? l.substring(prefix.length()) : l;
      BadArgumentException.require(v.matches("[a-zA-Z0-9]+"), "label '" + l + "': expected"
          + " letters and digits, optionally after " + prefix + ", found other characters");
      out.add(v);
    }
    return out;
  }
}
