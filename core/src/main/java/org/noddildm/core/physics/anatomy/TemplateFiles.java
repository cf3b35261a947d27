package org.noddildm.core.physics.anatomy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.noddildm.core.BadFileException;
import org.noddildm.core.io.NiftiReader;
import org.noddildm.core.physics.phantom.Anatomy;
import org.noddildm.core.volume.Volume;

/**
 * The template files of Debian's {@code mricron-data} package (MRIcron's templates folder,
 * {@code /usr/share/mricron/templates}; another folder with the same file names can be given
 * with the system property {@value #DIR_PROPERTY}). A missing file is one clear error that says
 * which file and which package provides it.
 */
public final class TemplateFiles {
  /** System property naming another templates folder. */
  public static final String DIR_PROPERTY = "noddi.templates";
  /** Where Debian's mricron-data package installs the templates. */
  public static final String DEFAULT_DIR = "/usr/share/mricron/templates";

  static final String COLIN_T1 = "ch2bet.nii.gz";
  static final String AAL = "aal.nii.gz";
  static final String JHU = "JHU-WhiteMatter-labels-1mm.nii.gz";
  static final String INIA_T1 = "inia19-t1-brain.nii.gz";

  private TemplateFiles() {}

  /** The templates folder. */
  public static Path dir() {
    return Path.of(System.getProperty(DIR_PROPERTY, DEFAULT_DIR));
  }

  /** The files an anatomy is built from (label name lists included). */
  public static List<String> files(Anatomy a) {
    switch (a) {
      case COLIN27:
        return List.of(COLIN_T1, AAL, txt(AAL), JHU, txt(JHU));
      case INIA19:
        return List.of(INIA_T1);
      default:
        return List.of();
    }
  }

  /** True when every file of {@code a} is present (for tests that need the templates). */
  public static boolean available(Anatomy a) {
    return files(a).stream().allMatch(f -> Files.isRegularFile(dir().resolve(f)));
  }

  /** The path of template {@code name}; throws naming the file and the package if missing. */
  static Path require(String name) {
    Path p = dir().resolve(name);
    if (!Files.isRegularFile(p)) {
      throw new BadFileException(p, "expected the template " + name + " of MRIcron's templates,"
          + " found no such file; install Debian's mricron-data package (apt-get install"
          + " mricron-data) or point -D" + DIR_PROPERTY + "=DIR at a folder that holds it");
    }
    return p;
  }

  /** The image of template {@code name}. */
  static Volume read(String name) {
    Path p = require(name);
    try {
      return NiftiReader.read(p).volume();
    } catch (IOException e) {
      throw new BadFileException(p, "expected a readable NIfTI template, found: "
          + e.getMessage(), e);
    }
  }

  /**
   * The label names of an atlas from its {@code .nii.txt} list: lines "index name [code]",
   * separated by tabs or spaces.
   */
  static Map<Integer, String> labelNames(String atlas) {
    Path p = require(txt(atlas));
    Map<Integer, String> out = new LinkedHashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(p, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new BadFileException(p, "expected a readable label list, found: " + e.getMessage(),
          e);
    }
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 2 && f[0].matches("\\d+")) {
        out.put(Integer.parseInt(f[0]), f[1]);
      }
    }
    if (out.isEmpty()) {
      throw new BadFileException(p, "expected lines 'index name', found none");
    }
    return out;
  }

  /** Indices of the labels whose name contains any of {@code parts} (case-insensitive). */
  static List<Integer> labelsNamed(Map<Integer, String> names, String... parts) {
    List<Integer> out = new ArrayList<>();
    for (Map.Entry<Integer, String> e : names.entrySet()) {
      String n = e.getValue().toLowerCase(java.util.Locale.ROOT);
      for (String part : parts) {
        if (n.contains(part.toLowerCase(java.util.Locale.ROOT))) {
          out.add(e.getKey());
          break;
        }
      }
    }
    return out;
  }

  /** "aal.nii.gz" to "aal.nii.txt". */
  static String txt(String image) {
    return image.replaceFirst("\\.gz$", "") + ".txt";
  }
}
