//! Routing loops as people see them: the channels by name, the way round.
//! One function answers "would this route loop?" for every place a route
//! is chosen (the matrix, an output menu, a send menu), and the same path
//! names a route the session refused.
//!
//! ```text
//!  Crush ──send──► Reverb ──out──► Crush        refused: it would feed itself
//!  "Crush would feed Reverb, which feeds Crush again"
//! ```

use super::paths::name_of;
use crate::session::{Edit, Send, Session, SessionError, find_loop};

/// A route that would come back to where it started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loop {
    /// Channel ids from the channel back to itself (`[a, b, a]`).
    pub ids: Vec<String>,
    /// The same channels by name.
    pub names: Vec<String>,
}

impl Loop {
    fn of(s: &Session, ids: Vec<String>) -> Self {
        let names = ids.iter().map(|id| name_of(s, id)).collect();
        Loop { ids, names }
    }

    /// "Crush → Reverb → Crush".
    pub fn by_name(&self) -> String {
        self.names.join(" → ")
    }

    /// "crush ➡ verb ➡ crush": the ids, as `session` errors show them.
    pub fn by_id(&self) -> String {
        self.ids.join(" ➡ ")
    }

    /// "Crush would feed Reverb, which feeds Crush again".
    pub fn sentence(&self) -> String {
        match self.names.as_slice() {
            [] => String::new(),
            [one] => format!("{one} would feed itself"),
            [first, rest @ ..] => {
                let mut text = format!("{first} would feed {}", rest[0]);
                for n in &rest[1..] {
                    text.push_str(&format!(", which feeds {n}"));
                }
                text.push_str(" again");
                text
            }
        }
    }

    /// Whether the loop goes from `a` straight to `b`.
    pub fn has_step(&self, a: &str, b: &str) -> bool {
        self.ids.windows(2).any(|w| w[0] == a && w[1] == b)
    }
}

/// A route a channel can be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    /// Its main output to this bus or master.
    Output(&'a str),
    /// A send to this aux.
    Send(&'a str),
}

/// The loop that giving channel `from` the route `to` would make, if any.
pub fn would_loop(s: &Session, from: &str, to: Route) -> Option<Loop> {
    let mut trial = s.clone();
    let c = trial.channels.iter_mut().find(|c| c.id == from)?;
    match to {
        Route::Output(o) => c.output = Some(o.to_owned()),
        Route::Send(a) if c.sends.iter().any(|x| x.to == a) => return None,
        Route::Send(a) => c.sends.push(Send::new(a)),
    }
    find_loop(&trial).map(|ids| Loop::of(s, ids))
}

/// The loop an edit would make (an output or a send it adds), if any.
pub fn loop_of_edit(s: &Session, edit: &Edit) -> Option<Loop> {
    match edit {
        Edit::Output {
            channel,
            output: Some(o),
        } => would_loop(s, channel, Route::Output(o)),
        Edit::AddSend { channel, send, .. } => would_loop(s, channel, Route::Send(&send.to)),
        Edit::Batch(steps) => steps.iter().find_map(|e| loop_of_edit(s, e)),
        _ => None,
    }
}

/// The loop a refused edit named, with names (`None` for other errors).
pub fn loop_of_error(s: &Session, e: &SessionError) -> Option<Loop> {
    match e {
        SessionError::RoutingLoop { path } => Some(Loop::of(s, path.clone())),
        _ => None,
    }
}
