//! The cpal callbacks of one stream. The data callback renders through the
//! cell, converts to the device's sample format, meters its own load,
//! flushes denormals, asks once per thread for real-time priority and
//! counts the dropouts the host does not report; the error callback only
//! sets flags and counters, since nothing may block or log on the audio
//! thread.

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cpal::traits::DeviceTrait;
use cpal::{ErrorKind, FromSample, Sample, SampleFormat, StreamConfig};

use super::cell::AudioSide;
use super::dropout::DropoutDetector;
use super::priority::{current_thread_id, promote_current_thread};
use super::renderer::Renderer;

const BUILD_TIMEOUT: Duration = Duration::from_secs(2);

/// Shared between one stream's callbacks and the owner (all lock-free except
/// `first_error`, which the error callback only `try_lock`s).
#[derive(Default)]
pub(super) struct Stats {
    pub(super) failed: AtomicBool,
    pub(super) errors: AtomicU64,
    pub(super) xruns: AtomicU64,
    pub(super) callbacks: AtomicU64,
    pub(super) load_bits: AtomicU32,
    /// Render time against the period, averaged over the last second: the
    /// DSP load a DAW shows (a single late callback doesn't spike it).
    pub(super) average_load_bits: AtomicU32,
    /// Silences the device played because audio came late (from the
    /// stream's timestamps), and how many frames they lasted.
    pub(super) dropouts: AtomicU64,
    pub(super) dropout_frames: AtomicU64,
    /// Real-time priority of the callback thread (see `priority::describe`).
    pub(super) priority: AtomicI32,
    /// Set when the stream resumes after a pause: the gap before the next
    /// callback is not a dropout.
    pub(super) resumed: AtomicBool,
    pub(super) first_error: Mutex<Option<cpal::Error>>,
}

/// Build (not play) a stream whose callback renders through `side`.
pub(super) fn build<R: Renderer>(
    device: &cpal::Device,
    sc: StreamConfig,
    format: SampleFormat,
    mut side: AudioSide<R>,
    stats: &Arc<Stats>,
    frames: u32,
    realtime: bool,
) -> std::result::Result<cpal::Stream, cpal::Error> {
    let ch = sc.channels as usize;
    let rate = sc.sample_rate as f32;
    let sample_rate = sc.sample_rate;
    // Scratch for integer formats; big callbacks are rendered in chunks.
    let mut scratch = if format == SampleFormat::F32 {
        Vec::new()
    } else {
        vec![0.0f32; frames.max(1024) as usize * ch]
    };
    let (st, est) = (Arc::clone(stats), Arc::clone(stats));
    let (mut win_max, mut win_frames, mut prev_max) = (0.0f32, 0usize, 0.0f32);
    let mut win_busy = 0.0f32;
    let mut thread = None;
    let mut dropouts = DropoutDetector::default();
    let data_cb = move |data: &mut cpal::Data, info: &cpal::OutputCallbackInfo| {
        denormals_off();
        let t0 = Instant::now();
        if realtime && thread != Some(current_thread_id()) {
            // Once per thread the host calls us on: one system call.
            thread = Some(current_thread_id());
            st.priority.store(promote_current_thread(), Relaxed);
        }
        let n = data.len();
        let ts = info.timestamp();
        let (at, due) = (ts.callback.as_nanos(), ts.playback.as_nanos());
        if st.resumed.swap(false, Relaxed) {
            dropouts = DropoutDetector::default();
        }
        if let Some(missing) = dropouts.observe(at, due, n / ch.max(1), sample_rate) {
            st.dropouts.fetch_add(1, Relaxed);
            st.dropout_frames.fetch_add(missing, Relaxed);
        }
        let mut render = |out: &mut [f32]| {
            if !side.with(|r| r.render(out, ch)) {
                out.fill(0.0);
            }
        };
        if let Some(out) = data.as_slice_mut::<f32>() {
            render(out);
        } else if let Some(out) = data.as_slice_mut::<i16>() {
            convert(out, &mut scratch, ch, &mut render);
        } else if let Some(out) = data.as_slice_mut::<i32>() {
            convert(out, &mut scratch, ch, &mut render);
        } else if let Some(out) = data.as_slice_mut::<cpal::I24>() {
            convert(out, &mut scratch, ch, &mut render);
        } else if let Some(out) = data.as_slice_mut::<u16>() {
            convert(out, &mut scratch, ch, &mut render);
        } else if let Some(out) = data.as_slice_mut::<u8>() {
            convert(out, &mut scratch, ch, &mut render);
        } else if let Some(out) = data.as_slice_mut::<f64>() {
            convert(out, &mut scratch, ch, &mut render);
        }
        let frames = n / ch.max(1);
        if frames > 0 {
            let busy = t0.elapsed().as_secs_f32();
            let load = busy * rate / frames as f32;
            win_max = win_max.max(load);
            win_busy += busy;
            win_frames += frames;
            if win_frames as f32 >= rate {
                let average = win_busy * rate / win_frames as f32;
                st.average_load_bits.store(average.to_bits(), Relaxed);
                (prev_max, win_max, win_frames, win_busy) = (win_max, 0.0, 0, 0.0);
            }
            st.load_bits.store(win_max.max(prev_max).to_bits(), Relaxed);
        }
        st.callbacks.fetch_add(1, Relaxed);
    };
    let err_cb = move |e: cpal::Error| {
        est.errors.fetch_add(1, Relaxed);
        match e.kind() {
            ErrorKind::Xrun => {
                est.xruns.fetch_add(1, Relaxed);
                return;
            }
            ErrorKind::DeviceNotAvailable
            | ErrorKind::HostUnavailable
            | ErrorKind::StreamInvalidated => {
                est.failed.store(true, Relaxed);
            }
            _ => {} // transient (DeviceChanged, RealtimeDenied, backend hiccups)
        }
        if let Ok(mut slot) = est.first_error.try_lock()
            && slot.is_none()
        {
            *slot = Some(e);
        }
    };
    device.build_output_stream_raw(sc, format, data_cb, err_cb, Some(BUILD_TIMEOUT))
}

fn convert<T: Sample + FromSample<f32>>(
    out: &mut [T],
    scratch: &mut [f32],
    ch: usize,
    render: &mut impl FnMut(&mut [f32]),
) {
    let chunk = (scratch.len() / ch.max(1)) * ch.max(1);
    if chunk == 0 {
        return; // cpal pre-fills silence
    }
    for o in out.chunks_mut(chunk) {
        let s = &mut scratch[..o.len()];
        render(s);
        for (d, x) in o.iter_mut().zip(s.iter()) {
            *d = T::from_sample(*x);
        }
    }
}

/// Flush denormals to zero on the calling (audio) thread. Checked every
/// callback (a cheap register read) in case the host switches threads.
#[inline]
fn denormals_off() {
    #[cfg(target_arch = "x86_64")]
    #[allow(deprecated)] // no stable replacement; we want exactly FTZ|DAZ
    // SAFETY: sets MXCSR FTZ (bit 15) and DAZ (bit 6); x86_64 always has SSE.
    unsafe {
        use std::arch::x86_64::{_mm_getcsr, _mm_setcsr};
        let csr = _mm_getcsr();
        if csr & 0x8040 != 0x8040 {
            _mm_setcsr(csr | 0x8040);
        }
    }
    #[cfg(target_arch = "aarch64")]
    // SAFETY: sets FPCR.FZ (bit 24); reading/writing FPCR is allowed at EL0.
    unsafe {
        let fpcr: u64;
        std::arch::asm!("mrs {}, fpcr", out(reg) fpcr);
        if fpcr & (1 << 24) == 0 {
            std::arch::asm!("msr fpcr, {}", in(reg) fpcr | (1 << 24));
        }
    }
}
