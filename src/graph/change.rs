//! What an applied edit means for the plan the engine is playing: the one
//! place that decides between "send new gains", "send new insert settings"
//! and "compile and swap a new plan".
//!
//! ```text
//!  Edit ──change_of──► Change ──► live::EngineHandle::apply
//!                                   Channel / AllChannels → gain ramps
//!                                   Insert                → insert glides
//!                                   Structure             → compile + swap
//! ```

use crate::session::Edit;

/// How much of the engine an edit touches, from nothing to a new plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Nothing audible (a rename, a new channel order).
    None,
    /// New gains for one channel.
    Channel,
    /// New settings for the inserts (and gains) of one channel.
    Insert,
    /// New gains and insert settings for every channel (mute, solo, VCA,
    /// pan law, tempo).
    AllChannels,
    /// The routing changed: compile and swap a new plan.
    Structure,
    /// The sample rate changed: reopen the sources and start over.
    Reload,
}

/// What `edit` (just applied) changes, and the channel it touches when the
/// change is about one channel.
pub fn change_of(edit: &Edit) -> (Change, Option<&str>) {
    match edit {
        Edit::Gain { channel, .. }
        | Edit::Trim { channel, .. }
        | Edit::Pan { channel, .. }
        | Edit::SendLevel { channel, .. } => (Change::Channel, Some(channel)),
        Edit::SetInsert { channel, .. } => (Change::Insert, Some(channel)),
        Edit::Mute { .. }
        | Edit::Solo { .. }
        | Edit::SoloSafe { .. }
        | Edit::VcaGain { .. }
        | Edit::VcaMute { .. }
        | Edit::VcaMembers { .. }
        | Edit::AddVca { .. }
        | Edit::RemoveVca { .. }
        | Edit::PanLaw { .. }
        | Edit::Tempo { .. } => (Change::AllChannels, None),
        // A linked group moves faders through edits of its own; the group
        // itself carries no audio, and neither does a stored scene.
        Edit::Rename { .. }
        | Edit::MoveChannel { .. }
        | Edit::AddScene { .. }
        | Edit::RemoveScene { .. }
        | Edit::SetScene { .. }
        | Edit::AddGroup { .. }
        | Edit::RemoveGroup { .. }
        | Edit::SetGroup { .. } => (Change::None, None),
        Edit::SampleRate { .. } => (Change::Reload, None),
        Edit::AddInsert { .. }
        | Edit::RemoveInsert { .. }
        | Edit::MoveInsert { .. }
        | Edit::Output { .. }
        | Edit::SendPreFader { .. }
        | Edit::AddSend { .. }
        | Edit::RemoveSend { .. }
        | Edit::AddChannel { .. }
        | Edit::RemoveChannel { .. } => (Change::Structure, None),
        Edit::Batch(steps) => {
            steps
                .iter()
                .map(change_of)
                .fold((Change::None, None), |(c, id), (d, jd)| match c.cmp(&d) {
                    std::cmp::Ordering::Less => (d, jd),
                    std::cmp::Ordering::Greater => (c, id),
                    // Two edits of the same weight on different channels need
                    // every channel refreshed.
                    std::cmp::Ordering::Equal if id == jd => (c, id),
                    std::cmp::Ordering::Equal => match c {
                        Change::Channel | Change::Insert => (Change::AllChannels, None),
                        _ => (c, None),
                    },
                })
        }
    }
}

/// The change of several edits applied as one step (an undo or redo),
/// where any channel may have moved: per-channel changes widen to all.
pub fn change_of_all<'a>(edits: impl IntoIterator<Item = &'a Edit>) -> Change {
    let widest = edits
        .into_iter()
        .map(|e| change_of(e).0)
        .max()
        .unwrap_or(Change::None);
    match widest {
        Change::Channel | Change::Insert => Change::AllChannels,
        other => other,
    }
}
