//! The files of one export as a `RenderSink`: the mix and a stem per
//! channel feeding the master, each written directly (metered on the way)
//! or spooled for the second pass of a normalised export.

use std::path::PathBuf;

use super::{ExportError, ExportOptions, FileResult, Phase, Progress};
use crate::io::loudness::{Loudness, LoudnessMeter, MeterThread};
use crate::io::write::{AudioFile, OutputSpec, Spool, WriteError};
use crate::render::RenderSink;
use crate::session::Session;

/// Progress is reported about this often (frames at 48 kHz ≈ 85 ms).
const REPORT_EVERY: u64 = 4096;

/// A file name for a stem: the channel's name with path separators and
/// control characters replaced, or its id when the name leaves nothing.
pub fn stem_file_name(name: &str, id: &str, extension: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let clean = clean.trim().trim_start_matches('.').trim();
    let base = if clean.is_empty() { id } else { clean };
    format!("{base}.{extension}")
}

enum Dest {
    File(Box<AudioFile>),
    Spool(Spool),
}

struct Out {
    path: PathBuf,
    channel: Option<String>,
    dest: Dest,
    /// Loudness of what is written directly (spooled outputs are metered
    /// in the second pass).
    meter: Option<LoudnessMeter>,
}

fn meter(rate: u32) -> Result<LoudnessMeter, ExportError> {
    LoudnessMeter::new(2, rate).map_err(|e| ExportError::Options(e.to_string()))
}

impl Out {
    fn open(
        path: PathBuf,
        channel: Option<String>,
        spec: OutputSpec,
        rate: u32,
        spool: bool,
    ) -> Result<Self, ExportError> {
        let io = |source| WriteError::Io {
            path: path.clone(),
            source,
        };
        // The mix is metered apart (always, on its own thread); spooled
        // outputs are metered in the second pass.
        let (dest, meter) = if spool {
            (Dest::Spool(Spool::beside(&path).map_err(io)?), None)
        } else {
            let file = AudioFile::create(&path, spec, rate, 2)?;
            let meter = channel.is_some().then(|| meter(rate)).transpose()?;
            (Dest::File(Box::new(file)), meter)
        };
        Ok(Out {
            path,
            channel,
            dest,
            meter,
        })
    }

    fn write(&mut self, block: &[f32]) -> Result<(), ExportError> {
        if let Some(m) = self.meter.as_mut() {
            m.add(block);
        }
        match &mut self.dest {
            Dest::File(f) => f.write(block)?,
            Dest::Spool(s) => s.write(block).map_err(|source| WriteError::Io {
                path: self.path.clone(),
                source,
            })?,
        }
        Ok(())
    }
}

pub(super) struct Outputs<'a> {
    session: &'a Session,
    rate: u32,
    spool: bool,
    mix: Option<Out>,
    mix_spec: Option<OutputSpec>,
    /// The whole mix, whether or not it is written: normalising needs it.
    mix_meter: Option<MeterThread>,
    mix_loudness: Option<Loudness>,
    stems_dir: Option<PathBuf>,
    stem_spec: OutputSpec,
    /// The stems folder did not exist before this export.
    created_dir: bool,
    stems: Vec<Out>,
    error: Option<ExportError>,
    progress: &'a mut dyn FnMut(Progress) -> bool,
    total: Option<u64>,
    reported: u64,
    done: bool,
}

impl<'a> Outputs<'a> {
    pub(super) fn new(
        session: &'a Session,
        opts: &ExportOptions,
        mix_spec: Option<OutputSpec>,
        stem_spec: OutputSpec,
        spool: bool,
        progress: &'a mut dyn FnMut(Progress) -> bool,
    ) -> Result<Self, ExportError> {
        let rate = session.sample_rate;
        let mix = match (&opts.mix, mix_spec) {
            (Some(p), Some(spec)) => Some(Out::open(p.clone(), None, spec, rate, spool)?),
            _ => None,
        };
        let mut created_dir = false;
        if let Some(dir) = &opts.stems_dir
            && !dir.is_dir()
        {
            std::fs::create_dir_all(dir).map_err(|source| WriteError::Io {
                path: dir.clone(),
                source,
            })?;
            created_dir = true;
        }
        Ok(Outputs {
            session,
            rate,
            spool,
            mix,
            mix_spec,
            mix_meter: Some(
                MeterThread::start(2, rate).map_err(|e| ExportError::Options(e.to_string()))?,
            ),
            mix_loudness: None,
            stems_dir: opts.stems_dir.clone(),
            stem_spec,
            created_dir,
            stems: Vec::new(),
            error: None,
            progress,
            total: None,
            reported: 0,
            done: false,
        })
    }

    /// The error behind a failed sink call (the render only sees an io::Error).
    pub(super) fn take_error(&mut self) -> Option<ExportError> {
        self.error.take()
    }

    /// The mix's loudness (waits for the meter thread the first time).
    pub(super) fn mix_loudness(&mut self) -> Option<Loudness> {
        if let Some(m) = self.mix_meter.take() {
            self.mix_loudness = Some(m.finish());
        }
        self.mix_loudness
    }

    fn fail(&mut self, e: ExportError) -> std::io::Error {
        let msg = e.to_string();
        self.error = Some(e);
        std::io::Error::other(msg)
    }

    /// Completes every file, scaling spooled outputs by `gain` on the way.
    pub(super) fn finish(
        mut self,
        gain: f32,
    ) -> Result<(Option<FileResult>, Vec<FileResult>), ExportError> {
        let outs: Vec<Out> = self
            .mix
            .take()
            .into_iter()
            .chain(self.stems.drain(..))
            .collect();
        let per_output = self.mix_loudness().map_or(0, |l| l.frames);
        let mix_loudness = self.mix_loudness.unwrap_or_default();
        let total = Some(per_output * outs.len() as u64);
        let mut results = Vec::with_capacity(outs.len());
        let mut pass_done = 0u64;
        // Write every output completely before any is moved into place: a
        // failure part-way leaves only temporary files, which are removed.
        let mut finished = Vec::new();
        for out in outs {
            let spec = match (&out.channel, self.mix_spec) {
                (None, Some(mix)) => mix,
                _ => self.stem_spec,
            };
            let (file, loudness) = match out.dest {
                Dest::File(f) => (*f, out.meter.map_or(mix_loudness, |mut m| m.report())),
                Dest::Spool(mut spool) => {
                    let mut file = AudioFile::create(&out.path, spec, self.rate, 2)?;
                    let mut m = meter(self.rate)?;
                    let mut buf = vec![0f32; 2 * 8192];
                    loop {
                        let n = spool.read(&mut buf).map_err(|source| WriteError::Io {
                            path: out.path.clone(),
                            source,
                        })?;
                        if n == 0 {
                            break;
                        }
                        buf[..n].iter_mut().for_each(|x| *x *= gain);
                        m.add(&buf[..n]);
                        file.write(&buf[..n])?;
                        pass_done += (n / 2) as u64;
                        let p = Progress {
                            phase: Phase::Normalizing,
                            done: pass_done,
                            total,
                        };
                        if !(self.progress)(p) {
                            return Err(crate::render::RenderError::Cancelled.into());
                        }
                    }
                    (file, m.report())
                }
            };
            let clipped = file.clipped();
            let frames = file.frames;
            finished.push((file, out.channel, loudness, clipped, frames));
        }
        for (file, channel, loudness, clipped, frames) in finished {
            let path = file.finish()?;
            results.push(FileResult {
                path,
                channel,
                frames,
                loudness,
                clipped,
            });
        }
        self.done = true;
        let mix = if results.first().is_some_and(|r| r.channel.is_none()) {
            Some(results.remove(0))
        } else {
            None
        };
        Ok((mix, results))
    }
}

impl Drop for Outputs<'_> {
    fn drop(&mut self) {
        // Partial files and spools remove themselves; a stems folder this
        // export made goes too if it ended up empty.
        if !self.done
            && self.created_dir
            && let Some(dir) = &self.stems_dir
        {
            self.stems.clear();
            let _ = std::fs::remove_dir(dir);
        }
    }
}

impl RenderSink for Outputs<'_> {
    fn begin(&mut self, stems: &[String], total: Option<u64>) -> std::io::Result<()> {
        self.total = total;
        let Some(dir) = self.stems_dir.clone() else {
            return Ok(());
        };
        let ext = self.stem_spec.container.extension();
        let mut names: Vec<String> = Vec::new();
        for id in stems {
            let name = self
                .session
                .channel(id)
                .map_or(id.as_str(), |c| c.display_name());
            let mut file = stem_file_name(name, id, ext);
            if names.contains(&file) {
                file = stem_file_name(&format!("{name} ({id})"), id, ext);
            }
            names.push(file.clone());
            let path = dir.join(&file);
            match Out::open(
                path,
                Some(id.clone()),
                self.stem_spec,
                self.rate,
                self.spool,
            ) {
                Ok(o) => self.stems.push(o),
                Err(e) => return Err(self.fail(e)),
            }
        }
        Ok(())
    }

    fn mix(&mut self, block: &[f32]) -> std::io::Result<()> {
        if let Some(meter) = self.mix_meter.as_mut() {
            meter.add(block);
        }
        if let Some(m) = self.mix.as_mut()
            && let Err(e) = m.write(block)
        {
            return Err(self.fail(e));
        }
        Ok(())
    }

    fn stems(&mut self, stems: &[f32], frames: usize) -> std::io::Result<()> {
        for k in 0..self.stems.len() {
            let block = &stems[k * 2 * frames..(k + 1) * 2 * frames];
            if let Err(e) = self.stems[k].write(block) {
                return Err(self.fail(e));
            }
        }
        Ok(())
    }

    fn progress(&mut self, done: u64) -> bool {
        if done - self.reported < REPORT_EVERY && Some(done) != self.total {
            return true;
        }
        self.reported = done;
        (self.progress)(Progress {
            phase: Phase::Rendering,
            done,
            total: self.total,
        })
    }
}
