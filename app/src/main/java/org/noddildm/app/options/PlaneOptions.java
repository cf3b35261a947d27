package org.noddildm.app.options;

import picocli.CommandLine.Option;

/** Where the pictures' planes go and which way they face: a mixin of the report commands. */
public final class PlaneOptions {
  @Option(names = "--slice", paramLabel = "X,Y,Z", split = ",", hideParamSyntax = true,
      description = "Voxel the planes go through (default: the centre).")
  int[] slice;

  @Option(names = "--radiological", description = "Patient's right on the left.")
  boolean radiological;

  /** The voxel the planes go through, or null for the centre. */
  public int[] slice() {
    return slice;
  }

  /** Whether the patient's right is on the left. */
  public boolean radiological() {
    return radiological;
  }
}
