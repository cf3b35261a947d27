package org.noddildm.core.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Puts fuzzer bytes where the readers look for them: files in one temporary folder that lives as
 * long as the JVM, rewritten for every input, so that the fuzz tests go through the same entry
 * points as the CLI (a path), not a side door.
 */
final class FuzzFiles {
  private static final Path DIR = createDir();

  private FuzzFiles() {}

  /** Writes {@code bytes} to {@code name} in the fuzz folder and returns its path. */
  static Path write(String name, byte[] bytes) {
    try {
      return Files.write(DIR.resolve(name), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bos.toByteArray();
  }

  private static Path createDir() {
    try {
      Path dir = Files.createTempDirectory("noddi-fuzz");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try (var files = Files.list(dir)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            Files.deleteIfExists(f);
          }
          Files.deleteIfExists(dir);
        } catch (IOException e) {
          // a temporary folder left behind is harmless
        }
      }));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
