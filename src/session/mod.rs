//! The session document: model, validation and file I/O. No audio, no UI.
//!
//! ```text
//!   demo.json ──load──► Session ──validate──► (graph::compile) ──► RenderPlan
//!       ▲                  │
//!       └──save (atomic)───┘
//! ```

mod builders;
mod diff;
mod edit;
pub mod effects;
mod error;
mod file;
pub mod groups;
mod history;
mod links;
mod lookup;
mod model;
mod recall;
mod recovery;
mod scene;
mod text;
mod validate;

pub use diff::differences;
pub use edit::Edit;
pub use effects::{EffectKind, EffectParams, Insert};
pub use error::{Result, SessionError};
pub use file::{
    MAX_SESSION_BYTES, clean_stale_temps, load, parse, process_alive, read_bounded, resolve_source,
    save,
};
pub use groups::group_of;
pub use history::{History, Steps};
pub use links::{LinkGesture, relative};
pub use model::{
    Channel, ChannelKind, DEFAULT_OUTPUT, FORMAT_NAME, FORMAT_VERSION, LinkGroup, PAN_LAWS_DB,
    Send, Session, Vca, hw_output_name, hw_output_pair,
};
pub use recall::{Recall, recall, recall_scene};
pub use recovery::{Recovery, RecoveryStore, state_dir};
pub use scene::{
    MAX_SCENE_NAME, MAX_SCENES, Scene, SceneChannel, SceneSend, SceneVca, check_scene_name,
};
pub use text::escape_controls;
pub use validate::{
    MAX_CHANNELS, MAX_INSERTS, MAX_VCAS, channel_index_map, find_loop, signal_edges, validate,
};
