//! The half of the reducer for actions that only change what is shown —
//! pages, dialogs, selections, meters' clip lights, display settings. They
//! never touch the document or the audio side (`app::ConsoleApp::reduce`
//! handles those), so this part needs only the pages' own state.

use super::action::Action;
use super::console_ui::ConsoleState;
use super::editors_ui::EditorsState;
use super::flow_ui::FlowState;
use super::frame_ui::Shell;
use super::matrix_ui::MatrixState;
use super::meters::MeterView;
use super::status::StatusMessage;
use crate::session::Session;

/// Seconds a passing note (a refused edit, a save) stays in the status line.
pub const NOTE_SECONDS: u64 = 8;

/// The state of every page, borrowed for one action.
pub struct Pages<'a> {
    pub shell: &'a mut Shell,
    pub console: &'a mut ConsoleState,
    pub matrix: &'a mut MatrixState,
    pub flow: &'a mut FlowState,
    pub editors: &'a mut EditorsState,
    pub meters: &'a mut MeterView,
}

/// Applies a view action; `s` only names things (a channel being renamed).
pub fn reduce_view(p: Pages, s: &Session, action: Action) {
    match action {
        Action::ShowPage(page) => p.shell.page = page,
        Action::ShowDialog(d) => p.shell.dialog = Some(d),
        Action::CloseDialog => {
            p.shell.dialog = None;
            p.shell.browser = None;
            p.shell.settings.close();
        }
        Action::OpenEditor(id, k) => p.editors.open(id, k),
        Action::CloseEditor(id, k) => p.editors.close(&id, k),
        Action::ShowWhy(id) => p.shell.why = id,
        Action::ResetClip(id) => p.meters.reset_clip(&id),
        Action::ResetLoudness => p.meters.loudness.reset(),
        Action::ShowMasterSection(on) => p.console.master_section = Some(on),
        Action::ShowAnalyser(open) => p.meters.analysers.spectrum.open = open,
        Action::SetSpectrum(settings) => p.meters.analysers.set_spectrum_settings(settings),
        Action::ResetSpectrumPeaks => p.meters.analysers.spectrum.spectrum.reset_peaks(),
        Action::SelectRow(id, on) => p.matrix.select(id, on),
        Action::SelectFlow(id) => p.flow.selected = id,
        Action::DismissLoop => p.flow.refused = None,
        Action::StartRename(id) => {
            let name = s.channel(&id).map(|c| c.display_name().to_owned());
            p.console.renaming = name.map(|n| (id, n));
        }
        Action::EndRename => p.console.renaming = None,
        Action::ShowMessage(m) => p.shell.message = Some(StatusMessage::note(m, NOTE_SECONDS)),
        Action::DismissMessage => p.shell.message = None,
        Action::SetLoopRange(range) => p.shell.loop_range = range,
        Action::SetBars(bars) => p.shell.bars = bars,
        Action::SetDark(dark) => p.shell.dark = dark,
        Action::SetNarrow(on) => p.console.narrow = Some(on),
        Action::SetZoom(zoom) => p.shell.zoom = zoom.clamp(0.75, 2.0),
        // Everything else edits the document or talks to the audio side.
        _ => {}
    }
}
