//! Files with 3 to 8 channels (quad, 5.1, 7.1…) folded down to stereo, the
//! way a console takes a surround stem: ITU-R BS.775 coefficients.
//!
//! ```text
//!  L = FL + 0.7071·FC + 0.7071·(BL + SL) + FLC + 0.5·BC + 0.5·others
//!  R = FR + 0.7071·FC + 0.7071·(BR + SR) + FRC + 0.5·BC + 0.5·others
//!  LFE is left out (BS.775 omits it); "others" are top and wide speakers.
//! ```
//! Speaker positions come from the file (a WAV channel mask, the
//! container's layout); a file that names none gets the usual order for
//! its channel count (WAV/SMPTE: L R C LFE, then back or side pairs). No
//! normalisation: the front pair passes at unity, and nothing clips inside
//! the mixer.

use super::decoder::Decoder;
use super::error::Result;

const MINUS_3DB: f32 = std::f32::consts::FRAC_1_SQRT_2;

/// Speaker names of the WAVE channel-mask bits 0–10.
const NAMES: [&str; 11] = [
    "L", "R", "C", "LFE", "Lb", "Rb", "Lc", "Rc", "Cb", "Ls", "Rs",
];

/// (left, right) gain of the speaker at mask bit `bit`.
fn gains(bit: u32) -> [f32; 2] {
    match bit {
        0 | 6 => [1.0, 0.0],         // front left, left of centre
        1 | 7 => [0.0, 1.0],         // front right, right of centre
        2 => [MINUS_3DB, MINUS_3DB], // centre
        3 => [0.0, 0.0],             // LFE
        4 | 9 => [MINUS_3DB, 0.0],   // back / side left
        5 | 10 => [0.0, MINUS_3DB],  // back / side right
        _ => [0.5, 0.5],             // back centre, top, wide
    }
}

/// The usual mask for a file that names no positions.
fn default_mask(channels: usize) -> u32 {
    match channels {
        3 => 0x7,   // L R C
        4 => 0x33,  // L R Lb Rb (quad)
        5 => 0x37,  // L R C Lb Rb
        6 => 0x3F,  // 5.1
        7 => 0x70F, // 6.1: L R C LFE Cb Ls Rs
        _ => 0x63F, // 7.1: L R C LFE Lb Rb Ls Rs
    }
}

/// The speaker bits of a file with `channels` channels, in channel order.
fn speakers(channels: usize, mask: Option<u32>) -> Vec<u32> {
    let mask = mask
        .filter(|m| m.count_ones() as usize == channels)
        .unwrap_or_else(|| default_mask(channels));
    (0..32).filter(|b| mask & (1 << b) != 0).collect()
}

/// A readable name for a layout: "5.1 (L R C LFE Lb Rb)".
pub(crate) fn layout_name(channels: usize, mask: Option<u32>) -> String {
    let bits = speakers(channels, mask);
    let mask: u32 = bits.iter().map(|b| 1 << b).sum();
    let family = match mask {
        0x7 => "3.0",
        0x33 | 0x603 => "quad",
        0x107 => "4.0",
        0x37 | 0x607 => "5.0",
        0x3F | 0x60F => "5.1",
        0x13F | 0x70F => "6.1",
        0x63F | 0xFF => "7.1",
        _ => "",
    };
    let names: Vec<&str> = bits
        .iter()
        .map(|&b| NAMES.get(b as usize).copied().unwrap_or("other"))
        .collect();
    let family = if family.is_empty() {
        format!("{channels} channels")
    } else {
        family.to_string()
    };
    format!("{family} ({})", names.join(" "))
}

/// Per input channel, its (left, right) gains in the stereo fold-down.
pub(crate) fn coefficients(channels: usize, mask: Option<u32>) -> Vec<[f32; 2]> {
    speakers(channels, mask).into_iter().map(gains).collect()
}

/// Frames read from the multichannel decoder per call.
const CHUNK: usize = 1024;

/// A decoder of 3–8 channels, delivering stereo.
pub(crate) struct Downmix<D: Decoder> {
    inner: D,
    coeffs: Vec<[f32; 2]>,
    /// One chunk of the multichannel input, interleaved.
    scratch: Vec<f32>,
}

impl<D: Decoder> Downmix<D> {
    pub(crate) fn new(inner: D) -> Self {
        let n = inner.channels();
        let coeffs = coefficients(n, inner.channel_mask());
        Downmix {
            inner,
            coeffs,
            scratch: vec![0.0; CHUNK * n],
        }
    }

    /// The multichannel decoder underneath.
    pub(crate) fn inner_mut(&mut self) -> &mut D {
        &mut self.inner
    }

    pub(crate) fn inner(&self) -> &D {
        &self.inner
    }
}

impl<D: Decoder> Decoder for Downmix<D> {
    fn channels(&self) -> usize {
        2
    }

    fn sample_rate(&self) -> u32 {
        self.inner.sample_rate()
    }

    fn total_frames(&self) -> Option<u64> {
        self.inner.total_frames()
    }

    fn format_name(&self) -> String {
        self.inner.format_name()
    }

    fn layout(&self) -> Option<String> {
        let n = self.inner.channels();
        let name = layout_name(n, self.inner.channel_mask());
        Some(format!("{name}, downmixed to stereo"))
    }

    fn read(&mut self, out: &mut [f32]) -> Result<usize> {
        let n = self.coeffs.len();
        let want = (out.len() / 2).min(CHUNK);
        let got = self.inner.read(&mut self.scratch[..want * n])?;
        for (frame, o) in self.scratch[..got * n]
            .chunks_exact(n)
            .zip(out.chunks_exact_mut(2))
        {
            let (mut l, mut r) = (0.0, 0.0);
            for (x, [gl, gr]) in frame.iter().zip(&self.coeffs) {
                l += x * gl;
                r += x * gr;
            }
            o[0] = l;
            o[1] = r;
        }
        Ok(got)
    }

    fn seek(&mut self, frame: u64) -> Result<()> {
        self.inner.seek(frame)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_one_folds_down_by_bs775() {
        let c = coefficients(6, None);
        assert_eq!(c[0], [1.0, 0.0]);
        assert_eq!(c[2], [MINUS_3DB, MINUS_3DB]);
        assert_eq!(c[3], [0.0, 0.0]);
        assert_eq!(c[5], [0.0, MINUS_3DB]);
        assert_eq!(layout_name(6, Some(0x60F)), "5.1 (L R C LFE Ls Rs)");
        assert_eq!(layout_name(8, None), "7.1 (L R C LFE Lb Rb Ls Rs)");
        // A mask that does not match the count is ignored.
        assert_eq!(layout_name(4, Some(0x3F)), "quad (L R Lb Rb)");
    }
}
