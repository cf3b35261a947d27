package org.noddildm.app.report;

/**
 * The methods paragraph of the QC report, with references, as a reader would cite them: what
 * NODDI is, and how each estimate is made. Written to be pasted into a methods section.
 */
final class MethodsText {
  private MethodsText() {}

  static String html() {
    return """
        <h2 id="methods">Methods</h2>
        <p>NODDI (neurite orientation dispersion and density imaging; Zhang et al. 2012) models
        each voxel's diffusion signal as an intra-neurite compartment (sticks with a Watson
        distribution of orientations), an extra-neurite compartment (a tortuous, anisotropic
        tensor) and free water (isotropic). The maps are the neurite density index (NDI, the
        intra-neurite fraction of the tissue; BIDS param-icvf), the orientation dispersion
        index (ODI; param-od) and the free-water fraction (FWF; param-isovf), each 0..1, with
        parallel diffusivity 1.7 um<sup>2</sup>/ms and isotropic diffusivity 3.0
        um<sup>2</sup>/ms fixed.</p>
        <p><b>classic</b>: the NODDI fit of each voxel of the scan by linear regression on a
        dictionary of compartment signals (as AMICO does), optionally polished by a bounded
        Nelder-Mead fit, on the scan's grid, then trilinear upsampling to the output grid. <b>refine</b>: the classic maps upsampled,
        plus a correction predicted by a small residual 3D convolutional network from nine
        rotation-invariant features of the low-resolution scan (docs/generalization.md); its
        last layer starts at zero, so it only adds to the classic answer. <b>ldm</b>: a latent
        diffusion model in the manner of CLDM (Zhong et al., github.com/guchengzhong/CLDM): a 3D
        VQ-GAN encodes NODDI maps into a latent, and a conditional denoising network, sampled
        with DDIM (Song et al. 2021), generates the latent of what the refiner's maps miss,
        given the latent of those maps; the decoded difference is added to the refiner's maps.
        With several samples, the sd maps are the per-voxel standard deviation over them: a
        measure of the model's uncertainty, not of the measurement noise.</p>
        <p>The SNR is the temporal SNR of the b0 volumes (per brain voxel the mean over the
        standard deviation of the b0s, median over the brain), a lower bound of the thermal SNR
        that motion and drift lower further. Tissue classes are read from the maps themselves
        (no segmentation): a rough split for quality control, not an anatomical one.</p>
        <p class="refs">References: Zhang H, Schneider T, Wheeler-Kingshott CA, Alexander DC.
        NODDI: practical in vivo neurite orientation dispersion and density imaging of the
        human brain. NeuroImage 61:1000-1016, 2012. Song J, Meng C, Ermon S. Denoising
        diffusion implicit models. ICLR 2021. Rombach R et al. High-resolution image synthesis
        with latent diffusion models. CVPR 2022. Daducci A et al. Accelerated microstructure
        imaging via convex optimization (AMICO) from diffusion MRI data. NeuroImage
        105:32-44, 2015. Viewer: NiiVue (niivue.com, BSD-2-Clause).</p>
        """;
  }
}
