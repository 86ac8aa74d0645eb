//! The realtime and platform-facing half of [`super::output`]:
//! * [`RendererCell`] / [`AudioSide`]: lock-free handoff of the [`Renderer`]
//!   between the owner thread and the audio callback, so the engine state
//!   survives a stream rebuild (below);
//! * `build`: the cpal data callback (render, format conversion, load
//!   meter, flush-to-zero) and error callback (flags and counters only);
//! * `QuietAlsa` and [`list_devices`].
//!
//! The cell is one `AtomicPtr<R>` slot holding a `Box<R>` (or null). Whoever
//! *swaps the pointer out* owns the box exclusively until it stores it back:
//!
//! * the audio callback ([`AudioSide::with`]) swaps it out at the start of a
//!   callback, renders, and puts it back at the end (a drop guard puts it
//!   back even if `render` unwinds); if the slot is null it renders silence;
//! * the owner ([`RendererCell::take`]) swaps it out for good, normally after
//!   the stream has been dropped, calls `configure` or keeps it, and may
//!   [`RendererCell::put`] it back before building the next stream.
//!
//! # Safety argument
//! * Exclusivity: `swap` is a single atomic read-modify-write, so at most one
//!   party ever obtains a given non-null pointer; a `&mut R` is only formed by
//!   that party, and only between its swap-out and its store-back.
//! * No use-after-free: the box is freed only (a) by the owner after `take`
//!   (it then owns a plain `R`), (b) by `Slot::drop`, which runs when the last
//!   `Arc` goes, i.e. when no `AudioSide` exists — and an `AudioSide` that
//!   holds the pointer is inside `with`, so it is alive — or (c) by the audio
//!   side when its put-back finds the slot occupied (only possible if the
//!   owner `put` a second renderer while the first was mid-callback).
//! * No double free: every path that frees first removed the pointer from the
//!   slot (swap/CAS) or is `Slot::drop` with `&mut self` (no other holder).
//! * Put-back and `put` use compare-exchange(null → p), so nothing in the
//!   slot is ever overwritten (no leak, no aliasing).
//! * `take` may report `None` while a callback holds the renderer (it retries
//!   for up to 200 ms); once the stream is dropped it is exact.

use std::marker::PhantomData;
use std::ptr;
use std::sync::atomic::{
    AtomicBool, AtomicPtr, AtomicU32, AtomicU64, Ordering::Relaxed, Ordering::SeqCst,
};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cpal::traits::{DeviceTrait, HostTrait};
use cpal::{ErrorKind, FromSample, Sample, SampleFormat, StreamConfig};

use super::output::{Renderer, device_id, device_label, one_line};

const BUILD_TIMEOUT: Duration = Duration::from_secs(2);

struct Slot<R: Renderer> {
    ptr: AtomicPtr<R>,
    /// True while an audio callback is inside `with` (a hint for `take`).
    busy: AtomicBool,
    _owns: PhantomData<Box<R>>,
}

// SAFETY: the slot behaves like `Mutex<Option<Box<R>>>`: the `R` is only ever
// accessed by the one thread that swapped it out, so `R: Send` suffices.
unsafe impl<R: Renderer> Send for Slot<R> {}
// SAFETY: as above; shared access only touches the atomics.
unsafe impl<R: Renderer> Sync for Slot<R> {}

impl<R: Renderer> Slot<R> {
    /// Store `p` into an empty slot; hands it back if the slot is occupied.
    fn put_raw(&self, p: *mut R) -> Result<(), *mut R> {
        self.ptr
            .compare_exchange(ptr::null_mut(), p, SeqCst, SeqCst)
            .map(|_| ())
            .map_err(|_| p)
    }
}

impl<R: Renderer> Drop for Slot<R> {
    fn drop(&mut self) {
        let p = *self.ptr.get_mut();
        if !p.is_null() {
            // SAFETY: `p` came from `Box::into_raw`, is in the slot (so nobody
            // else holds it) and `&mut self` proves no other reference exists.
            drop(unsafe { Box::from_raw(p) });
        }
    }
}

/// Owner-side handle: holds the renderer while no stream runs, lends it to
/// audio callbacks through [`AudioSide`]s, and takes it back.
pub struct RendererCell<R: Renderer> {
    slot: Arc<Slot<R>>,
}

impl<R: Renderer> RendererCell<R> {
    /// A cell holding `renderer`.
    pub fn new(renderer: R) -> Self {
        let slot = Slot {
            ptr: AtomicPtr::new(Box::into_raw(Box::new(renderer))),
            busy: AtomicBool::new(false),
            _owns: PhantomData,
        };
        Self {
            slot: Arc::new(slot),
        }
    }

    /// A handle for one stream's data callback.
    pub fn audio_side(&self) -> AudioSide<R> {
        AudioSide {
            slot: Arc::clone(&self.slot),
        }
    }

    /// Take the renderer out. Waits up to 200 ms for a running callback to
    /// hand it back; `None` if the cell is empty (or a stream keeps it busy).
    pub fn take(&self) -> Option<R> {
        let deadline = Instant::now() + Duration::from_millis(200);
        loop {
            let p = self.slot.ptr.swap(ptr::null_mut(), SeqCst);
            if !p.is_null() {
                // SAFETY: the swap made us the unique holder of a pointer
                // that came from `Box::into_raw`.
                return Some(*unsafe { Box::from_raw(p) });
            }
            if !self.slot.busy.load(SeqCst) || Instant::now() >= deadline {
                let p = self.slot.ptr.swap(ptr::null_mut(), SeqCst);
                // SAFETY: as above.
                return (!p.is_null()).then(|| *unsafe { Box::from_raw(p) });
            }
            std::thread::sleep(Duration::from_micros(200));
        }
    }

    /// Put a renderer into an empty cell; gives it back if the cell is full.
    pub fn put(&self, renderer: R) -> Result<(), R> {
        let p = Box::into_raw(Box::new(renderer));
        // SAFETY (map_err): the CAS failed, so `p` never left our hands.
        self.slot
            .put_raw(p)
            .map_err(|p| *unsafe { Box::from_raw(p) })
    }
}

/// Audio-side handle, moved into a stream's data callback.
pub struct AudioSide<R: Renderer> {
    slot: Arc<Slot<R>>,
}

/// Puts the borrowed pointer back when dropped (also on unwind).
struct PutBack<'a, R: Renderer> {
    slot: &'a Slot<R>,
    p: *mut R,
}

impl<R: Renderer> Drop for PutBack<'_, R> {
    fn drop(&mut self) {
        if let Err(p) = self.slot.put_raw(self.p) {
            // Only reachable if the owner `put` another renderer meanwhile.
            // SAFETY: we are the unique holder of `p` (see module docs).
            drop(unsafe { Box::from_raw(p) });
        }
        self.slot.busy.store(false, SeqCst);
    }
}

impl<R: Renderer> AudioSide<R> {
    /// Run `f` on the renderer if it is in the cell; `false` if it is not.
    /// Lock-free and allocation-free.
    #[inline]
    pub fn with(&mut self, f: impl FnOnce(&mut R)) -> bool {
        self.slot.busy.store(true, SeqCst);
        let p = self.slot.ptr.swap(ptr::null_mut(), SeqCst);
        if p.is_null() {
            self.slot.busy.store(false, SeqCst);
            return false;
        }
        let guard = PutBack {
            slot: &self.slot,
            p,
        };
        // SAFETY: the swap made us the unique holder of `p`, a live box
        // (it cannot be freed while it is out of the slot, see module docs).
        f(unsafe { &mut *guard.p });
        drop(guard);
        true
    }
}

/// Shared between one stream's callbacks and the owner (all lock-free except
/// `first_error`, which the error callback only `try_lock`s).
#[derive(Default)]
pub(super) struct Stats {
    pub(super) failed: AtomicBool,
    pub(super) errors: AtomicU64,
    pub(super) xruns: AtomicU64,
    pub(super) callbacks: AtomicU64,
    pub(super) load_bits: AtomicU32,
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
) -> std::result::Result<cpal::Stream, cpal::Error> {
    let ch = sc.channels as usize;
    let rate = sc.sample_rate as f32;
    // Scratch for integer formats; big callbacks are rendered in chunks.
    let mut scratch = if format == SampleFormat::F32 {
        Vec::new()
    } else {
        vec![0.0f32; frames.max(1024) as usize * ch]
    };
    let (st, est) = (Arc::clone(stats), Arc::clone(stats));
    let (mut win_max, mut win_frames, mut prev_max) = (0.0f32, 0usize, 0.0f32);
    let data_cb = move |data: &mut cpal::Data, _: &cpal::OutputCallbackInfo| {
        denormals_off();
        let t0 = Instant::now();
        let n = data.len();
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
            let load = t0.elapsed().as_secs_f32() * rate / frames as f32;
            win_max = win_max.max(load);
            win_frames += frames;
            if win_frames as f32 >= rate {
                (prev_max, win_max, win_frames) = (win_max, 0.0, 0);
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

/// While alive, silences alsa-lib's stderr messages ("ALSA lib pcm.c:…
/// Unknown PCM default") on this thread; our errors already say it.
/// Thread-local in alsa-lib, restored on drop.
pub(super) struct QuietAlsa(#[cfg(target_os = "linux")] alsa_quiet::Handler);

#[cfg(target_os = "linux")]
mod alsa_quiet {
    use std::ffi::{c_char, c_int, c_void};
    pub type Handler = Option<
        unsafe extern "C" fn(
            *const c_char,
            c_int,
            *const c_char,
            c_int,
            *const c_char,
            *mut c_void,
        ),
    >;
    // libasound is linked by alsa-sys (cpal's ALSA host).
    unsafe extern "C" {
        pub fn snd_lib_error_set_local(handler: Handler) -> Handler;
    }
    /// Matches `snd_local_error_handler_t` (the `va_list` arrives as a pointer).
    pub unsafe extern "C" fn ignore(
        _: *const c_char,
        _: c_int,
        _: *const c_char,
        _: c_int,
        _: *const c_char,
        _: *mut c_void,
    ) {
    }
}

impl QuietAlsa {
    pub(super) fn new() -> Self {
        // SAFETY: installs a handler with the C signature that ignores its arguments.
        #[cfg(target_os = "linux")]
        return Self(unsafe { alsa_quiet::snd_lib_error_set_local(Some(alsa_quiet::ignore)) });
        #[cfg(not(target_os = "linux"))]
        Self()
    }
}

impl Drop for QuietAlsa {
    fn drop(&mut self) {
        // SAFETY: restores the handler that was installed before `new`.
        #[cfg(target_os = "linux")]
        unsafe {
            alsa_quiet::snd_lib_error_set_local(self.0);
        }
    }
}

/// Every host, its output devices and their supported configs, for
/// `auxbus devices`. Never fails; problems are written into the text.
pub fn list_devices() -> String {
    use std::fmt::Write;
    let _quiet = QuietAlsa::new();
    let mut s = String::new();
    let hosts = cpal::available_hosts();
    if hosts.is_empty() {
        s.push_str("no audio hosts available\n");
    }
    let default_host = cpal::default_host().id();
    for id in hosts {
        let mark = if id == default_host {
            " (default host)"
        } else {
            ""
        };
        let _ = writeln!(s, "{}{mark}", id.name());
        let host = match cpal::host_from_id(id) {
            Ok(h) => h,
            Err(e) => {
                let _ = writeln!(s, "  unavailable: {}", one_line(&e.to_string()));
                continue;
            }
        };
        let default_dev = host.default_output_device().map(|d| device_id(&d));
        let devices: Vec<_> = match host.output_devices() {
            Ok(d) => d.collect(),
            Err(e) => {
                let _ = writeln!(s, "  cannot list devices: {}", one_line(&e.to_string()));
                continue;
            }
        };
        if devices.is_empty() {
            s.push_str("  no output devices\n");
        }
        for d in devices {
            let mark = if default_dev == Some(device_id(&d)) {
                "  [default]"
            } else {
                ""
            };
            let _ = writeln!(s, "  {}{mark}", device_label(&d));
            match d.default_output_config() {
                Ok(c) => {
                    let b = buffer_range(c.buffer_size());
                    let (r, n, f) = (c.sample_rate(), c.channels(), c.sample_format());
                    let _ = writeln!(s, "    default: {r} Hz, {n} ch, {f}, {b}");
                }
                Err(e) => {
                    let _ = writeln!(s, "    unusable: {}", one_line(&e.to_string()));
                    continue;
                }
            }
            // Group ranges that differ only in channel count (and buffer limits).
            type Group = (
                (SampleFormat, u32, u32),
                Vec<u16>,
                Vec<cpal::SupportedBufferSize>,
            );
            let mut groups: Vec<Group> = Vec::new();
            for r in d.supported_output_configs().into_iter().flatten() {
                let key = (r.sample_format(), r.min_sample_rate(), r.max_sample_rate());
                match groups.iter_mut().find(|(k, ..)| *k == key) {
                    Some((_, chans, bufs)) => {
                        chans.push(r.channels());
                        bufs.push(*r.buffer_size());
                    }
                    None => groups.push((key, vec![r.channels()], vec![*r.buffer_size()])),
                }
            }
            for ((f, lo, hi), chans, bufs) in groups {
                let rates = if lo == hi {
                    format!("{lo} Hz")
                } else {
                    format!("{lo}-{hi} Hz")
                };
                let b = match bufs.iter().any(|b| *b != bufs[0]) {
                    false => buffer_range(&bufs[0]),
                    true => {
                        let (lo, hi) = bufs.iter().fold((u32::MAX, 0), |(lo, hi), b| match b {
                            cpal::SupportedBufferSize::Range { min, max } => {
                                (lo.min(*min), hi.max(*max))
                            }
                            cpal::SupportedBufferSize::Unknown => (lo, hi),
                        });
                        format!("buffer {lo}-{hi} frames (max depends on channels)")
                    }
                };
                let _ = writeln!(s, "    {f}: {} ch, {rates}, {b}", ranges(&chans));
            }
        }
    }
    s
}

fn buffer_range(b: &cpal::SupportedBufferSize) -> String {
    match b {
        cpal::SupportedBufferSize::Range { min, max } => format!("buffer {min}-{max} frames"),
        cpal::SupportedBufferSize::Unknown => "buffer size unknown".into(),
    }
}

/// `[1,2,3,6]` → `"1-3,6"`.
fn ranges(v: &[u16]) -> String {
    let mut v = v.to_vec();
    v.sort_unstable();
    v.dedup();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j + 1 < v.len() && v[j + 1] == v[j] + 1 {
            j += 1;
        }
        out.push(if i == j {
            v[i].to_string()
        } else {
            format!("{}-{}", v[i], v[j])
        });
        i = j + 1;
    }
    out.join(",")
}
