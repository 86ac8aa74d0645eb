//! `auxbus loudness PATH [--json]`: EBU R 128 figures of an audio file, or
//! of a session's mix (rendered offline first, nothing written).

use std::path::Path;

use auxbus::io::loudness::{self, Loudness, LoudnessMeter};
use auxbus::render::{self, RenderOptions};
use auxbus::session;

use super::args::Args;
use super::{CliError, Result};

pub fn run(a: Args) -> Result<()> {
    let path = Path::new(a.one_positional("PATH")?);
    if !path.exists() {
        return Err(CliError::Failed(format!(
            "{}: no such file",
            path.display()
        )));
    }
    let is_session = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let l = if is_session {
        measure_session(path)?
    } else {
        loudness::measure_file(path)?
    };
    if a.flag("--json") {
        println!("{}", l.to_json());
    } else {
        println!("{}", path.display());
        println!("{l}");
    }
    Ok(())
}

fn measure_session(path: &Path) -> Result<Loudness> {
    let s = session::load(path)?;
    let mut meter = LoudnessMeter::new(2, s.sample_rate)?;
    let mut sink = |block: &[f32]| {
        meter.add(block);
        Ok(())
    };
    render::render_session(&s, path, &RenderOptions::default(), &mut sink)?;
    Ok(meter.report())
}
