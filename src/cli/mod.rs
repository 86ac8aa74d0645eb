//! Command-line front end: argument parsing and the headless commands.

mod args;
mod check;
mod explain;
mod explain_json;
mod lesson;
mod loudness;
mod play;
mod render;

use std::path::Path;

use args::Args;
use std::path::PathBuf;

use auxbus::export::{self, ExportOptions};
use auxbus::io::write::SampleFormat;

pub enum CliError {
    /// The command line itself is wrong (exit 2).
    Usage(String),
    /// The command ran and failed (exit 1).
    Failed(String),
    /// A file the command was given cannot be used (exit 2, without the
    /// pointer to `--help`): an unknown lesson, an invalid session.
    Input(String),
}

impl<E: std::fmt::Display> From<E> for CliError {
    fn from(e: E) -> Self {
        CliError::Failed(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, CliError>;

const HELP: &str = "\
auxbus — a mixing console for buses, aux sends, returns and VCAs

usage:
  auxbus [SESSION]             open the console (SESSION defaults to the demo)
  auxbus render SESSION -o OUT.wav|OUT.flac [--start S] [--duration S]
               [--format f32|s24|s16] [--normalize LUFS] [--ceiling DBTP] [--stems DIR]
               [--scene NAME]
                               bounce the mix offline (default: to the end of
                               the longest source plus effect tails, at most 60 s
                               of tail; 32-bit float WAV or 24-bit FLAC at the
                               session rate) and report its loudness;
                               --normalize scales the mix to an integrated
                               loudness (gain only, never above the true-peak
                               --ceiling, default -1 dBTP); --stems writes one
                               file per channel feeding the master; --scene
                               renders the mix with a stored scene recalled
                               (the session file is not changed)
  auxbus loudness PATH [--json]
                               EBU R 128 loudness of an audio file or a session
                               (rendered first): integrated, range, maximum
                               momentary and short-term, true and sample peak
  auxbus check SESSION         validate the session, open every source and
                               print the routing
  auxbus explain SESSION [CHANNEL] [--json]
                               for each channel (or the one named, by id or
                               name): every path its signal takes to every
                               output with the combined gain along it (own
                               fader x VCAs x pan x sends x every bus on the
                               way), how much of it arrives dry, wet (reverb,
                               delay) and parallel (compression returns),
                               measured by an offline render of the session,
                               and where it is stopped, with the fix;
                               --json prints the same as data. Exit 0 ok,
                               1 the render failed, 2 bad input or usage
  auxbus play SESSION [--seconds S] [--start S] [--device NAME] [--host NAME] [--buffer N]
              [--channels N] [--listen CHANNEL|hw:3-4] [--mono] [--dim DB]
                               play on an audio device without the console
                               (default: to the end of the longest source);
                               prints callback load, xruns and underruns;
                               --channels opens that many device outputs;
                               --listen, --mono, --dim set what outputs 1-2
                               play (a device pair's cue mix, or a channel;
                               a mono check; a dim), never the mix itself
  auxbus lesson list           list the guided lessons
  auxbus lesson check LESSON SESSION
                               evaluate every step of LESSON (an id such as
                               01-bus, a number, or a .lesson.json file)
                               against SESSION (a learner's saved session):
                               per step PASS or FAIL with the evidence; exit
                               0 when every step passes, 1 when one fails, 2
                               for an unknown lesson or an unusable session
  auxbus devices               list audio hosts, output devices and their
                               supported configurations
  auxbus bench [--tracks N] [--seconds S] [--block N] [--no-fx] [--ledger]
                               render the reference graph (N stereo tracks →
                               4 buses with a compressor each → master, a
                               send each to a reverb aux, every fourth track
                               to a delay aux) from memory, as a bounce does,
                               and print the realtime factor; --no-fx drops
                               the effects; --ledger also works out each
                               source's dry / wet / parallel, as live
                               playback does for the console
  auxbus bench --make-stems DIR [--tracks N] [--seconds S]
                               write that graph's session and float WAV stems
                               to DIR, to time `auxbus render` from disk
";

pub fn run(argv: &[String]) -> Result<()> {
    let Some(first) = argv.first() else {
        return open_console(None);
    };
    match first.as_str() {
        "-h" | "--help" | "help" => {
            print!("{HELP}");
            Ok(())
        }
        "-V" | "--version" => {
            println!("auxbus {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        "render" => cmd_render(Args::parse(
            &argv[1..],
            &[
                "-o",
                "--output",
                "--start",
                "--duration",
                "--format",
                "--normalize",
                "--ceiling",
                "--stems",
                "--scene",
            ],
        )?),
        "loudness" => loudness::run(Args::parse_with_switches(&argv[1..], &[], &["--json"])?),
        "check" => check::run(Args::parse(&argv[1..], &[])?),
        "lesson" => lesson::run(&argv[1..]),
        "explain" => explain::run(Args::parse_with_switches(&argv[1..], &[], &["--json"])?),
        "play" => play::run(Args::parse_with_switches(
            &argv[1..],
            &[
                "--seconds",
                "--device",
                "--host",
                "--buffer",
                "--start",
                "--channels",
                "--listen",
                "--dim",
            ],
            &["--mono"],
        )?),
        "devices" => {
            Args::parse(&argv[1..], &[])?.no_positionals()?;
            print!("{}", auxbus::io::output::list_devices());
            Ok(())
        }
        "bench" => cmd_bench(Args::parse_with_switches(
            &argv[1..],
            &["--tracks", "--seconds", "--block", "--make-stems"],
            &["--no-fx", "--ledger"],
        )?),
        other if other.starts_with('-') => Err(CliError::Usage(format!("unknown option {other}"))),
        session => {
            if argv.len() > 1 {
                return Err(CliError::Usage(format!("unexpected argument {}", argv[1])));
            }
            open_console(Some(session))
        }
    }
}

fn open_console(session: Option<&str>) -> Result<()> {
    // With no argument, the bundled demo (when run from the source tree).
    let path = match session {
        Some(s) => Some(std::path::PathBuf::from(s)),
        None => {
            let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sessions/demo.json");
            demo.exists().then_some(demo)
        }
    };
    // An export interrupted by Ctrl-C or SIGTERM leaves no partial file.
    auxbus::io::write::remove_on_signals()
        .map_err(|e| CliError::Failed(format!("cannot watch for Ctrl-C: {e}")))?;
    auxbus::ui::run(path)
        .map_err(|e| CliError::Failed(format!("cannot open the console window: {e}")))
}

fn cmd_render(a: Args) -> Result<()> {
    let session = a.one_positional("SESSION")?;
    let out = a.value("-o").or_else(|| a.value("--output"));
    let stems = a.value("--stems");
    if out.is_none() && stems.is_none() {
        return Err(CliError::Usage(
            "render needs -o OUT.wav (or .flac), --stems DIR, or both".into(),
        ));
    }
    let format = match a.value("--format") {
        None => None,
        Some(f) => Some(
            SampleFormat::parse(f)
                .ok_or_else(|| CliError::Usage(format!("--format {f}: use f32, s24 or s16")))?,
        ),
    };
    let opts = ExportOptions {
        start: a.seconds("--start")?.unwrap_or(0.0),
        duration: a.seconds("--duration")?,
        mix: out.map(PathBuf::from),
        stems_dir: stems.map(PathBuf::from),
        format,
        normalize_lufs: a.decibels("--normalize", "a loudness in LUFS, e.g. -14")?,
        ceiling_dbtp: a
            .decibels("--ceiling", "a true-peak level in dBTP, e.g. -1")?
            .unwrap_or(export::DEFAULT_CEILING_DBTP),
        ..ExportOptions::default()
    };
    render::render_to_files(Path::new(session), a.value("--scene"), &opts)
}

fn cmd_bench(a: Args) -> Result<()> {
    a.no_positionals()?;
    // Bounded so that no typed number can make the bench allocate without
    // limit (each track holds a second of audio, a block two buffers).
    let tracks = a.count_up_to("--tracks", 1024)?.unwrap_or(64);
    let seconds = a.seconds_up_to("--seconds", 3600.0)?.unwrap_or(60.0);
    if let Some(dir) = a.value("--make-stems") {
        let path = auxbus::bench::write_stems(Path::new(dir), tracks, seconds)?;
        println!("wrote {tracks} stems of {seconds} s and {}", path.display());
        return Ok(());
    }
    let block = a.count_up_to("--block", 65_536)?.unwrap_or(512);
    let fx = !a.flag("--no-fx");
    let ledger = a.flag("--ledger");
    let r = auxbus::bench::run_memory(tracks, seconds, block, fx, ledger);
    println!(
        "reference graph: {tracks} stereo tracks → {} buses{} → master, post-fader sends to a reverb and a delay aux{}{}",
        auxbus::bench::BUSES,
        if fx { " (compressor on each)" } else { "" },
        if fx { "" } else { " (effects off)" },
        if ledger {
            "; with the per-source ledger"
        } else {
            ""
        }
    );
    println!(
        "rendered {seconds} s in {:.3} s on one core, {block}-frame blocks: {:.1}x realtime",
        r.elapsed.as_secs_f64(),
        r.realtime_factor()
    );
    Ok(())
}
