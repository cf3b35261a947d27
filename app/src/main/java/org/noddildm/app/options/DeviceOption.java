package org.noddildm.app.options;

import picocli.CommandLine.Option;

/** {@code --device}: where the networks compute, one meaning and one default in every command. */
public final class DeviceOption {
  @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
      description = "Where to compute: cpu (default), gpu or gpu:N (needs a CUDA build of the"
          + " engine, see docs/deep-learning.md).")
  String device = "cpu";

  /** The device's name, as {@code Engines.device} reads it. */
  public String get() {
    return device;
  }
}
