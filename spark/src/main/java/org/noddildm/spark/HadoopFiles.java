package org.noddildm.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Copies between a Hadoop filesystem (local, HDFS, S3 through s3a) and the local disk of an
 * executor, where the BIDS App's code runs on plain files. A local {@code file:} filesystem is
 * used raw, without Hadoop's {@code .crc} checksum files, so that the derivative tree is the
 * same as {@code noddi bids} writes.
 */
final class HadoopFiles {
  private HadoopFiles() {}

  /** A folder on a Hadoop filesystem: the filesystem and the qualified path. */
  record Place(FileSystem fs, Path path) {
    static Place of(String uri, Configuration conf) throws IOException {
      Path p = new Path(uri);
      FileSystem fs = p.getFileSystem(conf);
      if (fs instanceof LocalFileSystem local) {
        fs = local.getRawFileSystem();
      }
      return new Place(fs, fs.makeQualified(p));
    }

    Path resolve(String relative) {
      return new Path(path, relative);
    }

    /** The URI, for a local folder as Java writes it ({@code file:///data/study/}). */
    String uri() {
      return "file".equals(path.toUri().getScheme())
          ? java.nio.file.Path.of(path.toUri().getPath()).toUri().toString() : path.toString();
    }

    /** The text a user would write for this place: a plain path for local files. */
    String display() {
      return "file".equals(path.toUri().getScheme()) ? path.toUri().getPath() : path.toString();
    }
  }

  /** Copies one file to the local disk. */
  static void get(FileSystem fs, Path from, java.nio.file.Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (InputStream in = fs.open(from)) {
      Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Copies one local file to the filesystem, replacing what is there. */
  static void put(java.nio.file.Path from, FileSystem fs, Path to) throws IOException {
    try (OutputStream out = fs.create(to, true)) {
      Files.copy(from, out);
    }
  }

  /**
   * Copies a local folder to {@code to}, the file named {@code last} after all others: on a
   * filesystem without atomic renames (S3) the completion record then appears only when every
   * file it lists is there.
   */
  static void putTree(java.nio.file.Path from, FileSystem fs, Path to, String last)
      throws IOException {
    List<java.nio.file.Path> files;
    try (Stream<java.nio.file.Path> s = Files.walk(from)) {
      files = new ArrayList<>(s.filter(Files::isRegularFile).sorted().toList());
    }
    files.sort(Comparator.comparing(p -> p.getFileName().toString().equals(last)));
    fs.mkdirs(to);
    for (java.nio.file.Path f : files) {
      String rel = from.relativize(f).toString().replace(java.io.File.separatorChar, '/');
      put(f, fs, new Path(to, rel));
    }
  }

  /** The regular files directly in a folder (none when it does not exist). */
  static List<FileStatus> files(FileSystem fs, Path dir) throws IOException {
    List<FileStatus> out = new ArrayList<>();
    if (fs.exists(dir)) {
      for (FileStatus s : fs.listStatus(dir)) {
        if (s.isFile()) {
          out.add(s);
        }
      }
    }
    return out;
  }

  static String readString(FileSystem fs, Path p) throws IOException {
    try (InputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Writes a small file through a hidden temporary beside it and a rename. */
  static void writeString(FileSystem fs, Path p, String text, String tag) throws IOException {
    Path tmp = new Path(p.getParent(), "." + p.getName() + "." + tag);
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    fs.delete(p, false);
    if (!fs.rename(tmp, p)) {
      fs.delete(tmp, false);
      throw new IOException(p + ": expected to replace it by a rename, found the rename refused");
    }
  }

  /** Deletes a local folder and everything in it. */
  static void deleteLocal(java.nio.file.Path p) throws IOException {
    if (p == null || !Files.exists(p)) {
      return;
    }
    try (Stream<java.nio.file.Path> s = Files.walk(p)) {
      for (java.nio.file.Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
