package org.noddildm.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * All the output files of one command, written all-or-nothing. Each file is written to a
 * {@linkplain #stage staged path} in a hidden temporary folder beside its target (one folder
 * per target folder, on the same file system), and {@link #commit} moves them all into place
 * only after every one is complete. A run that fails or is stopped before the commit leaves
 * the old outputs, all of them, and no new one: {@link #close} without a commit removes the
 * temporary folders, and so does the {@link TempFiles} shutdown hook on SIGTERM or Ctrl-C.
 * The commit itself is a few renames, so the window in which a kill leaves a mix is that of a
 * few system calls, not of the computation. Staging a folder first removes what killed runs
 * left in it, and says so.
 */
public final class OutputSet implements AutoCloseable {
  private final Consumer<String> log;
  private final Map<Path, Path> folders = new LinkedHashMap<>();
  private final Map<Path, Path> staged = new LinkedHashMap<>();
  private final List<Path> obsolete = new ArrayList<>();
  private boolean committed;

  private OutputSet(Consumer<String> log) {
    this.log = log;
  }

  /** A new set; {@code log} receives one line per stale temporary removed. */
  public static OutputSet begin(Consumer<String> log) {
    return new OutputSet(log);
  }

  /**
   * The path to write {@code target} to. Its folder is created if needed (and stays, like
   * {@code mkdir -p}, even if the run fails).
   */
  public Path stage(Path target) throws IOException {
    if (committed) {
      throw new IllegalStateException("output set already committed");
    }
    Path abs = target.toAbsolutePath().normalize();
    Path have = staged.get(abs);
    if (have != null) {
      return have;
    }
    Path dir = abs.getParent();
    Path tmp = folders.get(dir);
    if (tmp == null) {
      Files.createDirectories(dir);
      TempFiles.removeStale(dir, log);
      tmp = dir.resolve(TempFiles.folderName());
      TempFiles.register(tmp);
      Files.createDirectory(tmp);
      folders.put(dir, tmp);
    }
    Path p = tmp.resolve(abs.getFileName());
    staged.put(abs, p);
    return p;
  }

  /**
   * Marks a file that an earlier run may have written beside these outputs but that this run
   * does not (say, standard deviation maps of a run with several samples): the commit removes
   * it, so that no old file is left to be read as part of the new set.
   */
  public void obsolete(Path target) {
    obsolete.add(target.toAbsolutePath().normalize());
  }

  /** The targets staged so far, in order. */
  public List<Path> targets() {
    return new ArrayList<>(staged.keySet());
  }

  /**
   * Moves every staged file into place, replacing older files, removes the {@linkplain
   * #obsolete obsolete} ones, and removes the temporary folders. A staged path that was never
   * written is an error in the caller and is reported before anything moves.
   */
  public void commit() throws IOException {
    for (Map.Entry<Path, Path> e : staged.entrySet()) {
      if (!Files.exists(e.getValue())) {
        throw new IllegalStateException("staged output " + e.getKey() + " was never written");
      }
    }
    for (Map.Entry<Path, Path> e : staged.entrySet()) {
      AtomicFiles.moveIntoPlace(e.getValue(), e.getKey());
    }
    for (Path p : obsolete) {
      if (!staged.containsKey(p)) {
        Files.deleteIfExists(p);
      }
    }
    committed = true;
    removeFolders();
  }

  /** Removes the temporary folders and what is left in them (all of it, without a commit). */
  @Override
  public void close() {
    removeFolders();
  }

  private void removeFolders() {
    for (Path tmp : folders.values()) {
      TempFiles.deleteQuietly(tmp);
    }
    folders.clear();
  }
}
