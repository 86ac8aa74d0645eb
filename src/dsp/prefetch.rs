//! Asking the cache for a source's next block before it is needed.
//!
//! Each block the engine reads a short run (128 frames, 512 bytes a side)
//! from every source, one after another: with 64 stereo tracks that is 128
//! separate streams, more than the hardware prefetcher follows, so every
//! run starts with cache misses and the copy waits on memory (a third of
//! `auxbus bench`'s time went there). A feed that hints the run it will
//! read next block lets memory work while the rest of the graph is mixed.

/// Bytes in a cache line on the machines we run on.
const LINE: usize = 64;

/// Hints that `data` will be read soon. Only a hint: it never faults and
/// changes no value; on targets without the instruction it does nothing.
#[inline]
pub fn prefetch(data: &[f32]) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        let bytes = std::mem::size_of_val(data);
        let base = data.as_ptr().cast::<i8>();
        let mut offset = 0;
        while offset < bytes {
            // SAFETY: SSE is part of every x86_64 target; a prefetch reads
            // nothing and cannot fault, and `offset` stays inside `data`.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(base.wrapping_add(offset)) };
            offset += LINE;
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = data;
}
