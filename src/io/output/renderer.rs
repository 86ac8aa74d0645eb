//! The one thing the output needs from the engine. Its own file so the cell,
//! the callback and the owner can all name it without importing one another.

/// What the audio callback drives. `render` must not allocate, lock or block.
pub trait Renderer: Send + 'static {
    /// Fill `out` (interleaved, `channels` per frame) completely.
    fn render(&mut self, out: &mut [f32], channels: usize);
    /// Called (off the audio thread) when the stream's format becomes known or changes, before the first render.
    fn configure(&mut self, sample_rate: u32, channels: usize);
}
