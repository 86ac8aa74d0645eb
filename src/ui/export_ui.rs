//! The File › Export window: mix and/or stems, file type, bit depth, range,
//! loudness target and ceiling; then a progress bar with the time left and
//! Cancel; then a summary of every file written. It edits only its own
//! form and emits `Action`s for the rest.

use egui::{Context, RichText, Ui};

use super::action::Action;
use super::export::{ExportForm, ExportOutcome, ExportRange, ExportRequest, ExportState};
use crate::export::{CEILING_RANGE, TARGET_RANGE};
use crate::io::loudness::fmt_db;
use crate::io::write::{Container, SampleFormat};
use crate::session::Session;

/// Draws the export window when it is open.
pub fn export_window(
    ctx: &Context,
    st: &mut ExportState,
    session: &Session,
    anchor: &std::path::Path,
    out: &mut Vec<Action>,
) {
    if st.form.is_none() {
        return;
    }
    egui::Window::new("Export")
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            if let Some(job) = &st.job {
                running(ui, job, out);
            } else if let Some(outcome) = &st.outcome {
                summary(ui, outcome, out);
            } else if let Some(form) = st.form.as_mut() {
                let loop_range = st.loop_range;
                if let Some(req) = form_ui(ui, form, loop_range, &mut st.problem, out) {
                    out.push(Action::StartExport(Box::new(ExportRequest {
                        session: session.clone(),
                        anchor: anchor.to_owned(),
                        options: req,
                    })));
                }
            }
        });
}

fn running(ui: &mut Ui, job: &super::export::ExportJob, out: &mut Vec<Action>) {
    let f = job.fraction();
    let left = job
        .seconds_left()
        .map_or("estimating time left".to_owned(), |s| {
            format!("{s:.0} s left")
        });
    ui.add(
        egui::ProgressBar::new(f)
            .desired_width(320.0)
            .text(format!("{:.0} % · {left}", f * 100.0)),
    )
    .on_hover_text("Rendering off the console's thread: keep playing and editing");
    ui.label(format!("Export progress {:.0} %", f * 100.0));
    let label = if job.cancelling() {
        "Cancelling…"
    } else {
        "Cancel"
    };
    if ui
        .button(label)
        .on_hover_text("Stop the export; nothing is left behind")
        .clicked()
    {
        out.push(Action::CancelExport);
    }
}

fn summary(ui: &mut Ui, outcome: &ExportOutcome, out: &mut Vec<Action>) {
    match outcome {
        ExportOutcome::Done(r) => {
            ui.label(RichText::new("Export finished").strong());
            if let Some(n) = &r.normalized {
                ui.label(n.describe());
            }
            egui::Grid::new("export summary")
                .striped(true)
                .show(ui, |ui| {
                    for h in ["file", "length", "LUFS", "true peak", "clipped"] {
                        ui.label(RichText::new(h).small().strong());
                    }
                    ui.end_row();
                    for f in r.mix.iter().chain(&r.stems) {
                        let name = f.path.display().to_string();
                        ui.label(&name).on_hover_text(name.clone());
                        let secs = f.frames as f64 / f64::from(r.render.sample_rate);
                        ui.label(format!("{secs:.1} s"));
                        ui.label(fmt_db(f.loudness.integrated_lufs));
                        ui.label(format!("{} dBTP", fmt_db(f.loudness.true_peak_dbtp)));
                        ui.label(f.clipped.to_string());
                        ui.end_row();
                    }
                });
            if let Some(t) = r.render.tail_cut {
                ui.label(format!(
                    "The effects would ring {t:.0} s past the sources; the tail was cut at {:.0} s.",
                    crate::render::MAX_TAIL_SECONDS
                ));
            }
        }
        ExportOutcome::Cancelled => {
            ui.label("Export cancelled; nothing was written.");
        }
        ExportOutcome::Failed(e) => {
            ui.label(RichText::new(format!("Export failed: {e}")).color(egui::Color32::LIGHT_RED));
        }
    }
    ui.horizontal(|ui| {
        if ui
            .button("Export again…")
            .on_hover_text("Back to the export settings")
            .clicked()
        {
            out.push(Action::ShowExport);
        }
        if ui
            .button("Close")
            .on_hover_text("Close this window")
            .clicked()
        {
            out.push(Action::CloseExport);
        }
    });
}

/// The settings; returns the options when Export was pressed and they are valid.
fn form_ui(
    ui: &mut Ui,
    f: &mut ExportForm,
    loop_range: Option<(f64, f64)>,
    problem: &mut Option<String>,
    out: &mut Vec<Action>,
) -> Option<crate::export::ExportOptions> {
    ui.horizontal(|ui| {
        ui.checkbox(&mut f.mix, "Mix")
            .on_hover_text("Write the master mix to one file");
        ui.add(egui::TextEdit::singleline(&mut f.mix_path).desired_width(300.0))
            .on_hover_text("Mix file (the extension follows the file type)");
    });
    ui.horizontal(|ui| {
        ui.checkbox(&mut f.stems, "Stems")
            .on_hover_text("One file per channel feeding the master, as it enters the master: the stems add up to the mix before the master's inserts and fader");
        ui.add(egui::TextEdit::singleline(&mut f.stems_dir).desired_width(300.0))
            .on_hover_text("Folder for the stems (made if missing)");
    });
    ui.horizontal(|ui| {
        ui.label("File type");
        for (c, name, hover) in [
            (Container::Wav, "WAV", "WAV (RF64 past 4 GiB)"),
            (
                Container::Flac,
                "FLAC",
                "FLAC: lossless and smaller, 16 or 24 bit",
            ),
        ] {
            ui.radio_value(&mut f.container, c, name)
                .on_hover_text(hover);
        }
        if f.container == Container::Flac && f.format == SampleFormat::F32 {
            f.format = SampleFormat::S24;
        }
    });
    ui.horizontal(|ui| {
        ui.label("Bit depth");
        ui.radio_value(&mut f.format, SampleFormat::S16, "16")
            .on_hover_text("16-bit integer, TPDF-dithered");
        ui.radio_value(&mut f.format, SampleFormat::S24, "24")
            .on_hover_text("24-bit integer");
        ui.add_enabled_ui(f.container == Container::Wav, |ui| {
            ui.radio_value(&mut f.format, SampleFormat::F32, "32 float")
                .on_hover_text("32-bit float: nothing clips (WAV only)");
        });
    });
    range_ui(ui, f, loop_range);
    ui.horizontal(|ui| {
        ui.checkbox(&mut f.normalize, "Normalise to").on_hover_text(
            "Scale the mix so its integrated loudness is the target (gain only, no limiter)",
        );
        ui.add_enabled(
            f.normalize,
            egui::DragValue::new(&mut f.target_lufs)
                .range(TARGET_RANGE)
                .speed(0.1)
                .suffix(" LUFS"),
        )
        .on_hover_text("Integrated loudness target (-14 streaming, -23 broadcast)");
        ui.label("ceiling");
        ui.add_enabled(
            f.normalize,
            egui::DragValue::new(&mut f.ceiling_dbtp)
                .range(CEILING_RANGE)
                .speed(0.1)
                .suffix(" dBTP"),
        )
        .on_hover_text("The gain stops where the true peak would pass this");
    });
    if let Some(p) = problem.as_ref() {
        ui.label(RichText::new(p).color(egui::Color32::LIGHT_RED));
    }
    let mut go = None;
    ui.horizontal(|ui| {
        if ui
            .button("Export")
            .on_hover_text("Start the export")
            .clicked()
        {
            match f.options(loop_range) {
                Ok(o) => go = Some(o),
                Err(e) => *problem = Some(e),
            }
        }
        if ui
            .button("Cancel")
            .on_hover_text("Close without exporting")
            .clicked()
        {
            out.push(Action::CloseExport);
        }
    });
    go
}

fn range_ui(ui: &mut Ui, f: &mut ExportForm, loop_range: Option<(f64, f64)>) {
    ui.horizontal(|ui| {
        ui.label("Range");
        ui.radio_value(&mut f.range, ExportRange::Whole, "Whole session")
            .on_hover_text("From the start to the end of the longest source, plus effect tails");
        let loop_text = loop_range.map_or("Loop (none set)".to_owned(), |(a, b)| {
            format!("Loop {a:.1}-{b:.1} s")
        });
        ui.radio_value(&mut f.range, ExportRange::Loop, loop_text)
            .on_hover_text("The transport's loop range");
        let custom = matches!(f.range, ExportRange::Custom(..));
        if ui
            .radio(custom, "From/to")
            .on_hover_text("A range in seconds")
            .clicked()
            && !custom
        {
            f.range = ExportRange::Custom(0.0, 30.0);
        }
    });
    if let ExportRange::Custom(a, b) = &mut f.range {
        ui.horizontal(|ui| {
            ui.label("from");
            ui.add(
                egui::DragValue::new(a)
                    .range(0.0..=86_400.0)
                    .speed(0.1)
                    .suffix(" s"),
            )
            .on_hover_text("Start, seconds");
            ui.label("to");
            ui.add(
                egui::DragValue::new(b)
                    .range(0.0..=86_400.0)
                    .speed(0.1)
                    .suffix(" s"),
            )
            .on_hover_text("End, seconds");
        });
    }
}
