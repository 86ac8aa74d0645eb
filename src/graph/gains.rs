//! Effective gains of a channel: what the engine multiplies by.
//!
//! ```text
//!  input ─► trim ─► inserts ─┬─► fader × VCAs ─► pan ─┬─► output
//!                            └─► pre-fader sends      └─► post-fader sends
//! ```
//! Mute (own, a VCA's, or implied by solo) zeroes the output and every send.

use crate::dsp::{balance_gains, db_to_gain, pan_gains};
use crate::session::{ChannelKind, Session, channel_index_map};

/// The linear gains for one channel, ready for the engine.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelGains {
    /// trim × fader × VCAs × pan/balance, per side; 0 when muted.
    pub out: [f32; 2],
    /// One per send, in session order: trim × level for pre-fader sends
    /// (applied to the input), level for post-fader ones (applied to the output).
    pub sends: Vec<f32>,
    /// The trim, when the channel has inserts: it is applied before them
    /// (a compressor's threshold must see the trimmed level) instead of
    /// being folded into `out` and the pre-fader sends.
    pub insert_trim: Option<f32>,
    /// Why the channel is silent, if it is muted.
    pub muted: Mute,
    /// Fader plus every VCA, in dB (`None` = −inf): what the console shows as
    /// the combined gain.
    pub combined_db: Option<f32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mute {
    No,
    Own,
    Vca,
    Solo,
}

/// Computes the gains of channel `index`. `mono` says whether its signal is a
/// single side (a mono source); `solo_muted` comes from `solo::implied_mutes`.
pub fn channel_gains(s: &Session, index: usize, mono: bool, solo_muted: bool) -> ChannelGains {
    let id = &s.channels[index].id;
    let vcas: Vec<usize> = (0..s.vcas.len())
        .filter(|&v| s.vcas[v].members.iter().any(|m| m == id))
        .collect();
    gains_with_vcas(s, index, &vcas, mono, solo_muted)
}

/// For each channel (session order), the VCAs (indices) it is a member of:
/// one pass over every membership, for callers that need every channel's gains.
pub fn vca_membership(s: &Session) -> Vec<Vec<usize>> {
    let index = channel_index_map(s);
    let mut of = vec![Vec::new(); s.channels.len()];
    for (v, vca) in s.vcas.iter().enumerate() {
        for m in &vca.members {
            if let Some(&i) = index.get(m.as_str()) {
                of[i].push(v);
            }
        }
    }
    of
}

/// `channel_gains` with the channel's VCAs already known (`vca_membership`).
pub fn gains_with_vcas(
    s: &Session,
    index: usize,
    vcas: &[usize],
    mono: bool,
    solo_muted: bool,
) -> ChannelGains {
    let c = &s.channels[index];
    let vcas = vcas.iter().filter_map(|&v| s.vcas.get(v));
    let mut combined_db = c.gain_db;
    let mut vca_mute = false;
    for v in vcas {
        vca_mute |= v.mute;
        combined_db = match (combined_db, v.gain_db) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
    }
    let muted = if c.mute {
        Mute::Own
    } else if vca_mute {
        Mute::Vca
    } else if solo_muted {
        Mute::Solo
    } else {
        Mute::No
    };
    let on = if muted == Mute::No { 1.0 } else { 0.0 };
    let insert_trim = (!c.inserts.is_empty()).then(|| db_to_gain(Some(c.trim_db)));
    let trim = if insert_trim.is_some() {
        1.0
    } else {
        db_to_gain(Some(c.trim_db))
    };
    let fader = db_to_gain(combined_db);
    let pan = if mono && c.kind == ChannelKind::Track {
        pan_gains(c.pan, s.pan_law_db)
    } else {
        balance_gains(c.pan)
    };
    let out = [on * trim * fader * pan[0], on * trim * fader * pan[1]];
    let sends = c
        .sends
        .iter()
        .map(|send| {
            let level = db_to_gain(send.level_db);
            if send.pre_fader {
                on * trim * level
            } else {
                on * level
            }
        })
        .collect();
    ChannelGains {
        out,
        sends,
        insert_trim,
        muted,
        combined_db,
    }
}
