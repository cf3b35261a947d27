#!/usr/bin/python3
"""Reference PSNR/SSIM values from scikit-image for SkimageAgreementTest.

Usage: skimage_metrics.py DIR
DIR/cases.json lists cases {"name", "shape" (first axis fastest, i.e. Fortran order; a
trailing channel axis when "channels" is true), "data_range", "win_size", "gaussian", "sigma",
"sample_covariance", "channels"}; DIR/<name>.x and DIR/<name>.y hold the two images as raw
little-endian float64. Writes DIR/<name>.ssim_map (float64, same order) and DIR/results.txt with one line
"name ssim psnr" per case. Both images are float64, so scikit-image computes in double
precision as the Java code does.
"""
import json
import os
import sys

import numpy as np
from skimage.metrics import peak_signal_noise_ratio, structural_similarity


def main(d):
    with open(os.path.join(d, "cases.json")) as f:
        cases = json.load(f)
    lines = []
    for c in cases:
        shape = tuple(c["shape"])
        x = np.fromfile(os.path.join(d, c["name"] + ".x"), "<f8").reshape(shape, order="F")
        y = np.fromfile(os.path.join(d, c["name"] + ".y"), "<f8").reshape(shape, order="F")
        kw = dict(win_size=c["win_size"], data_range=c["data_range"],
                  gaussian_weights=c["gaussian"], sigma=c["sigma"],
                  use_sample_covariance=c["sample_covariance"], full=True)
        if c["channels"]:
            kw["channel_axis"] = -1
        mssim, smap = structural_similarity(x, y, **kw)
        np.asarray(smap, dtype="<f8").ravel(order="F").tofile(
            os.path.join(d, c["name"] + ".ssim_map"))
        psnr = peak_signal_noise_ratio(y, x, data_range=c["data_range"])
        lines.append("%s %r %r" % (c["name"], float(mssim), float(psnr)))
    with open(os.path.join(d, "results.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
