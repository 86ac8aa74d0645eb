//! Pure signal kernels. Nothing here allocates, locks or knows about files,
//! devices or the UI; everything works on caller-owned slices.

pub mod delay;
pub mod fastmath;
pub mod gain;
pub mod meter;
pub mod mix;
pub mod pan;
pub mod prefetch;

pub use delay::BlockDelay;
pub use gain::{Ramp, db_to_gain, gain_to_db};
pub use meter::{MeterAccum, Meters, REACH_PARTS};
pub use pan::{balance_gains, pan_gains};

/// A zeroed buffer whose memory is really there: `vec![0.0; n]` gets
/// lazily mapped zero pages from the allocator, and the audio thread would
/// then take a page fault the first time it writes to each page (a reverb's
/// or delay's lines). Writing the zeros here, on the allocating thread,
/// faults the pages in before audio needs them.
pub fn prefaulted<T: Copy + Default>(len: usize) -> Vec<T> {
    let mut v = Vec::with_capacity(len);
    v.resize(len, T::default());
    v
}

/// Frames per internal block: the engine renders in chunks of at most this
/// many frames whatever the device asks for, so buffers are fixed-size.
pub const BLOCK: usize = 128;

/// Sets flush-to-zero and denormals-are-zero for the calling thread, so a
/// decaying tail never falls into slow denormal arithmetic. Call it at the
/// start of every audio or render thread.
pub fn enable_flush_to_zero() {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: only sets the FTZ (bit 15) and DAZ (bit 6) flags of this
    // thread's MXCSR; SSE is always present on x86_64.
    #[allow(deprecated)]
    unsafe {
        use std::arch::x86_64::{_mm_getcsr, _mm_setcsr};
        _mm_setcsr(_mm_getcsr() | 0x8040);
    }
    #[cfg(target_arch = "aarch64")]
    // SAFETY: sets the FZ bit (24) of FPCR for this thread only.
    unsafe {
        let mut fpcr: u64;
        std::arch::asm!("mrs {}, fpcr", out(reg) fpcr);
        std::arch::asm!("msr fpcr, {}", in(reg) fpcr | (1 << 24));
    }
}
