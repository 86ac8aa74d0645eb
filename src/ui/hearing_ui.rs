//! "Why is this silent?" that never lies: for a channel, every place its
//! signal stops (each with a one-click fix) and every path it still gets
//! through, from `graph::hearing`.
//!
//! ```text
//!  Snare is heard.
//!  • it feeds "Drum Bus", which is muted      [Unmute Drum Bus]
//!  Still heard through:
//!  ✔ Snare → Delay → Master — wet, −24.0 dB
//! ```

use egui::{RichText, Ui};

use super::action::Action;
use super::hints::shown;
use super::meters::MeterView;
use super::strip_layout::StripContext;
use crate::graph::{Hearing, LevelOf, Listen, Verdict, db_text, hearing};
use crate::session::Session;

/// The reasoning's inputs from the console: offline tracks, mono sources,
/// the device, and live levels when audio is running.
pub fn listen_and<T>(
    s: &Session,
    cx: &StripContext,
    meters: &MeterView,
    then: impl FnOnce(&Listen) -> T,
) -> T {
    let offline: Vec<String> = s
        .channels
        .iter()
        .filter(|c| cx.is_offline(&c.id))
        .map(|c| c.id.clone())
        .collect();
    let mono = |id: &str| cx.mono.iter().any(|m| m == id);
    // Meters only count while something plays: a stopped console reasons
    // from the routing alone.
    let live = s.channels.iter().any(|c| {
        let m = meters.channel(&c.id);
        m[0].rms_db().max(m[1].rms_db()) > -90.0
    });
    let level = |id: &str, aux: Option<&str>| match aux {
        Some(aux) => meters.send_db(id, aux),
        None => {
            let m = meters.channel(id);
            let db = m[0].rms_db().max(m[1].rms_db());
            (db > -90.0).then_some(db)
        }
    };
    let level: Option<&LevelOf> = if live { Some(&level) } else { None };
    then(&Listen {
        offline: &offline,
        mono: &mono,
        device_pairs: Some(cx.device_pairs),
        level,
    })
}

/// The answer for channel `id`: the verdict, each stop with its fix, and
/// each path still heard.
pub fn why_list(
    ui: &mut Ui,
    s: &Session,
    id: &str,
    cx: &StripContext,
    meters: &MeterView,
    out: &mut Vec<Action>,
) {
    let name = s.channel(id).map_or(id, |c| c.display_name());
    ui.heading(name);
    let Some(h) = listen_and(s, cx, meters, |l| hearing(s, id, l)) else {
        ui.label(format!("There is no channel \"{id}\"."));
        return;
    };
    verdict(ui, s, &h);
    if h.stops.is_empty() {
        ui.label("Nothing in the routing or the controls keeps it quiet.");
    }
    for (k, stop) in h.stops.iter().enumerate() {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("• {}", stop.text));
            if let Some(fix) = &stop.fix {
                let r = ui
                    .push_id(("fix", id, k), |ui| ui.small_button(&fix.label))
                    .inner;
                if r.on_hover_text(format!(
                    "One click: {} (Ctrl+Z undoes it)",
                    fix.label.to_lowercase()
                ))
                .clicked()
                {
                    out.push(Action::Edit(fix.edit.clone()));
                }
            }
        });
    }
    let open: Vec<_> = h.open().collect();
    if !open.is_empty() {
        ui.add_space(4.0);
        ui.label(RichText::new("Still heard through:").strong());
        for p in open {
            ui.label(format!(
                "✔ {} — {}, {}",
                shown(p.describe(s)),
                p.part.label(),
                db_text(p.gain.db())
            ))
            .on_hover_text(p.gain.explain());
        }
    }
}

fn verdict(ui: &mut Ui, s: &Session, h: &Hearing) {
    let name = s.channel(&h.channel).map_or("it", |c| c.display_name());
    let (text, warn) = match h.verdict {
        Verdict::Heard => (format!("{name} is heard."), false),
        Verdict::Quiet => (
            format!("{name}'s routes are open, but nothing plays on them right now."),
            false,
        ),
        Verdict::Silent => (format!("{name} is silent everywhere."), true),
    };
    if warn {
        ui.colored_label(ui.visuals().warn_fg_color, text);
    } else {
        ui.label(text);
    }
}
