//! The whole console window: menus, transport, strips, dialogs, keys.

use egui::{RichText, Ui};

use super::app::{ConsoleApp, Dialog, Page, Pending};
use super::port::Transport;
use super::strip_ui::{self, Action, StripContext};
use crate::graph::implied_mutes;
use crate::session::{ChannelKind, Edit};

impl ConsoleApp {
    /// Draws one frame of the console and applies what the user did.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.keyboard(&ctx);
        self.dropped_files(&ctx);
        self.close_request(&ctx);
        egui::Panel::top("menu").show(ui, |ui| {
            self.menu_bar(ui);
            super::transport_ui::transport_bar(ui, self);
        });
        egui::Panel::bottom("status").show(ui, |ui| {
            let text = self.view.message.clone().unwrap_or_else(|| {
                "Double-click a name to rename · Shift-drag for fine moves · double-click a fader for 0 dB".into()
            });
            ui.horizontal(|ui| {
                ui.label(RichText::new(text).small());
                if self.view.message.is_some() && ui.small_button("🗙").clicked() {
                    self.view.message = None;
                }
            });
        });
        let mut actions = Vec::new();
        let cx = StripContext {
            solo_muted: implied_mutes(&self.doc.session),
            offline: self.port.offline(),
            insert_rows: 1 + self
                .doc
                .session
                .channels
                .iter()
                .map(|c| c.inserts.len())
                .max()
                .unwrap_or(0),
        };
        let master = self
            .doc
            .session
            .channels
            .iter()
            .position(|c| c.kind == ChannelKind::Master);
        if let Some(m) = master {
            egui::Panel::right("master")
                .resizable(false)
                .show(ui, |ui| {
                    strip_ui::channel_strip(
                        ui,
                        &self.doc.session,
                        m,
                        &mut self.view,
                        &cx,
                        &mut actions,
                    );
                });
        }
        egui::CentralPanel::default().show(ui, |ui| match self.view.page {
            Page::Console => {
                egui::ScrollArea::horizontal().show_viewport(ui, |ui, visible| {
                    ui.horizontal_top(|ui| self.strips(ui, visible, master, &cx, &mut actions));
                });
            }
            Page::Matrix => {
                let pairs = self
                    .port
                    .telemetry()
                    .map_or(0, |t| (t.device.channels as usize / 2).saturating_sub(1));
                super::matrix_ui::matrix(
                    ui,
                    &self.doc.session,
                    &mut self.view.matrix,
                    pairs,
                    &mut actions,
                );
            }
            Page::Flow => self.flow_page(ui, &cx),
        });
        self.why_window(&ctx, &cx);
        self.insert_editors(&ctx, &mut actions);
        for a in actions {
            self.act(a);
        }
        self.dialogs(&ctx);
        // Only on change: every viewport command also requests a repaint.
        let title = self.doc.title();
        if title != self.view.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.view.title = title;
        }
        if self.view.quit_confirmed {
            self.view.quit_confirmed = false;
            self.doc.force_clean();
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// The strips in the scrolling area. Only those in view are drawn; the
    /// rest keep their place with an empty rect of the same size, so a wide
    /// session costs no more per frame than what fits on screen.
    fn strips(
        &mut self,
        ui: &mut Ui,
        visible: egui::Rect,
        master: Option<usize>,
        cx: &StripContext,
        actions: &mut Vec<Action>,
    ) {
        let gap = ui.spacing().item_spacing.x;
        let channels = (0..self.doc.session.channels.len()).filter(|&i| Some(i) != master);
        let count = channels.clone().count() + self.doc.session.vcas.len();
        let mut x = 0.0;
        for k in 0..count {
            let in_view = match self.view.strip_size {
                Some(size) => x + size.x >= visible.min.x - size.x && x <= visible.max.x + size.x,
                None => true,
            };
            if in_view {
                let rect = match channels.clone().nth(k) {
                    Some(i) => strip_ui::channel_strip(
                        ui,
                        &self.doc.session,
                        i,
                        &mut self.view,
                        cx,
                        actions,
                    ),
                    None => {
                        let vca = self.doc.session.vcas[k - (count - self.doc.session.vcas.len())]
                            .clone();
                        strip_ui::vca_strip(ui, &self.doc.session, &vca, actions)
                    }
                };
                let size = self.view.strip_size.get_or_insert(rect.size());
                *size = size.max(rect.size());
            } else if let Some(size) = self.view.strip_size {
                ui.allocate_space(size);
            }
            x += self.view.strip_size.map_or(0.0, |s| s.x) + gap;
        }
    }

    /// The flow page: the routing as a graph, and why the selected channel
    /// is (or is not) heard.
    fn flow_page(&mut self, ui: &mut Ui, cx: &StripContext) {
        let graph = super::flow_session::flow_graph(&self.doc.session, &self.view);
        egui::Panel::right("flow details").min_size(260.0).show(ui, |ui| {
            match self.view.flow.selected.clone() {
                Some(id) if self.doc.session.channel(&id).is_some() => self.why_list(ui, &id, cx),
                _ => {
                    ui.label("Click a channel to see every path from it to the master; click the master to see what feeds it.");
                }
            }
        });
        super::flow_ui::flow_view(ui, &graph, &mut self.view.flow);
    }

    /// The reasons channel `id` is silent, one label each.
    fn why_list(&self, ui: &mut Ui, id: &str, cx: &StripContext) {
        let name = self
            .doc
            .session
            .channel(id)
            .map_or(id, |c| c.display_name());
        ui.heading(name);
        let offline: Vec<String> = self
            .doc
            .session
            .channels
            .iter()
            .filter(|c| {
                cx.offline
                    .iter()
                    .any(|m| m.contains(&format!("\"{}\"", c.id)))
            })
            .map(|c| c.id.clone())
            .collect();
        let reasons = crate::graph::why_silent(&self.doc.session, id, &offline);
        if reasons.is_empty() {
            ui.label("Nothing in the routing or the controls keeps it quiet.");
        }
        for r in reasons {
            ui.label(format!("• {r}"));
        }
    }

    fn why_window(&mut self, ctx: &egui::Context, cx: &StripContext) {
        let Some(id) = self.view.why.clone() else {
            return;
        };
        let name = self
            .doc
            .session
            .channel(&id)
            .map_or(id.clone(), |c| c.display_name().to_owned());
        let mut open = true;
        egui::Window::new(format!("Why is {name} silent?"))
            .open(&mut open)
            .collapsible(false)
            .show(ctx, |ui| {
                self.why_list(ui, &id, cx);
            });
        if !open {
            self.view.why = None;
        }
    }

    /// Keeps open insert editors on their insert when inserts are added,
    /// removed or moved (editors are kept by position in the chain).
    fn follow_inserts(&mut self, e: &Edit) {
        let remap = |channel: &str, k: usize| -> Option<usize> {
            match e {
                Edit::MoveInsert {
                    channel: c,
                    from,
                    to,
                } if c == channel => Some(if k == *from {
                    *to
                } else if *from < k && k <= *to {
                    k - 1
                } else if *to <= k && k < *from {
                    k + 1
                } else {
                    k
                }),
                Edit::RemoveInsert { channel: c, index } if c == channel => match k.cmp(index) {
                    std::cmp::Ordering::Less => Some(k),
                    std::cmp::Ordering::Equal => None,
                    std::cmp::Ordering::Greater => Some(k - 1),
                },
                Edit::AddInsert {
                    channel: c, index, ..
                } if c == channel && k >= *index => Some(k + 1),
                _ => Some(k),
            }
        };
        self.view.editors = std::mem::take(&mut self.view.editors)
            .into_iter()
            .filter_map(|(id, k)| remap(&id, k).map(|k| (id, k)))
            .collect();
    }

    pub fn act(&mut self, a: Action) {
        match a {
            Action::Edit(e) => {
                self.follow_inserts(&e);
                self.apply(e);
            }
            Action::Group(begin) => self.group(begin),
            Action::ResetClip(id) => {
                if let Some(m) = self.view.meters.get_mut(&id) {
                    m.iter_mut().for_each(|b| b.reset_clip());
                }
            }
            Action::Move(id, by) => {
                let s = &self.doc.session;
                if let Some(from) = s.channel_index(&id) {
                    let to = from as i64 + i64::from(by);
                    let last = s.channels.len() as i64 - 1;
                    if (0..=last).contains(&to)
                        && s.channels[to as usize].kind != ChannelKind::Master
                    {
                        self.apply(Edit::MoveChannel {
                            from,
                            to: to as usize,
                        });
                    }
                }
            }
            Action::Remove(id) => {
                let edit = Edit::remove_channel(&self.doc.session, &id);
                self.apply(edit);
            }
            Action::RemoveVca(id) => self.apply(Edit::RemoveVca { id }),
            Action::WhySilent(id) => self.view.why = Some(id),
            Action::OpenInsert(id, k) => {
                if !self.view.editors.contains(&(id.clone(), k)) {
                    self.view.editors.push((id, k));
                }
            }
        }
    }

    fn menu_bar(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("New (Ctrl+N)").clicked() {
                    self.request(Pending::New);
                }
                if ui.button("Open… (Ctrl+O)").clicked() {
                    self.view.dialog = Some(Dialog::Open {
                        path: String::new(),
                    });
                }
                ui.menu_button("Open recent", |ui| {
                    if self.view.recent.is_empty() {
                        ui.label("none yet");
                    }
                    for p in self.view.recent.clone() {
                        if ui.button(p.display().to_string()).clicked() {
                            self.request(Pending::Open(p));
                        }
                    }
                });
                if ui.button("Save (Ctrl+S)").clicked() {
                    self.save();
                }
                if ui.button("Save as…").clicked() {
                    let path = self
                        .doc
                        .path
                        .as_ref()
                        .map_or("session.json".into(), |p| p.display().to_string());
                    self.view.dialog = Some(Dialog::SaveAs { path });
                }
                ui.separator();
                if ui.button("Quit").clicked() {
                    self.request(Pending::Quit);
                }
            });
            ui.menu_button("Edit", |ui| {
                if ui
                    .add_enabled(
                        self.doc.history.can_undo(),
                        egui::Button::new("Undo (Ctrl+Z)"),
                    )
                    .clicked()
                {
                    self.undo();
                }
                if ui
                    .add_enabled(
                        self.doc.history.can_redo(),
                        egui::Button::new("Redo (Ctrl+Shift+Z)"),
                    )
                    .clicked()
                {
                    self.redo();
                }
            });
            ui.menu_button("Add", |ui| {
                if ui.button("Track from audio file…").clicked() {
                    self.view.dialog = Some(Dialog::AddTrack {
                        path: String::new(),
                    });
                }
                if ui.button("Bus (groups: moves signal)").clicked() {
                    self.add_channel(ChannelKind::Bus);
                }
                if ui.button("Aux (FX return: receives copies)").clicked() {
                    self.add_channel(ChannelKind::Aux);
                }
                if ui.button("VCA (scales faders, no audio)").clicked() {
                    self.add_vca();
                }
            });
            if ui.button("Settings").clicked() {
                self.view.dialog = Some(Dialog::Settings);
            }
            ui.separator();
            for (page, name) in [
                (Page::Console, "Console"),
                (Page::Matrix, "Matrix"),
                (Page::Flow, "Flow"),
            ] {
                if ui.selectable_label(self.view.page == page, name).clicked() {
                    self.view.page = page;
                }
            }
        });
    }

    fn keyboard(&mut self, ctx: &egui::Context) {
        // Shortcuts only when no text field has the keyboard.
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        let (space, redo, undo, save, open, new) = ctx.input_mut(|i| {
            let cmd = egui::Modifiers::COMMAND;
            let cmd_shift = egui::Modifiers::COMMAND | egui::Modifiers::SHIFT;
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::Space),
                // Redo first: Ctrl+Z also matches Ctrl+Shift+Z "logically".
                i.consume_key(cmd_shift, egui::Key::Z),
                i.consume_key(cmd, egui::Key::Z),
                i.consume_key(cmd, egui::Key::S),
                i.consume_key(cmd, egui::Key::O),
                i.consume_key(cmd, egui::Key::N),
            )
        });
        if space {
            let playing = self.port.telemetry().is_some_and(|t| t.playing);
            self.transport(if playing {
                Transport::Pause
            } else {
                Transport::Play
            });
        }
        if redo {
            self.redo();
        } else if undo {
            self.undo();
        }
        if save {
            self.save();
        }
        if open {
            self.view.dialog = Some(Dialog::Open {
                path: String::new(),
            });
        }
        if new {
            self.request(Pending::New);
        }
    }

    fn dropped_files(&mut self, ctx: &egui::Context) {
        let files: Vec<_> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        for f in files {
            if f.extension().is_some_and(|e| e == "json") {
                self.request(Pending::Open(f));
            } else {
                self.add_track(&f);
            }
        }
    }

    fn close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && self.doc.dirty() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.request(Pending::Quit);
        }
    }
}
