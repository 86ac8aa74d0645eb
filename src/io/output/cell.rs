//! The stream cell: lock-free handoff of the [`Renderer`] between the owner
//! thread and the audio callback, so the engine state survives a stream
//! rebuild (below).
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
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering::SeqCst};
use std::time::{Duration, Instant};

use super::renderer::Renderer;

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
