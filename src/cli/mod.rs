//! Command-line front end: argument parsing and the headless commands.

mod args;
mod check;
mod explain;
mod explain_json;
mod play;

use std::path::Path;

use args::Args;
use auxbus::io::wav_out::SampleFormat;
use auxbus::render::{self, RenderOptions};

pub enum CliError {
    /// The command line itself is wrong (exit 2).
    Usage(String),
    /// The command ran and failed (exit 1).
    Failed(String),
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
  auxbus render SESSION -o OUT.wav [--start S] [--duration S] [--format f32|s24|s16]
                               bounce the mix offline (default: to the end of
                               the longest source, 32-bit float at the session rate)
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
                               play on an audio device without the console
                               (default: to the end of the longest source);
                               prints callback load, xruns and underruns
  auxbus devices               list audio hosts, output devices and their
                               supported configurations
  auxbus bench [--tracks N] [--seconds S] [--block N] [--no-fx]
                               render the reference graph (N stereo tracks →
                               4 buses with a compressor each → master, a
                               send each to a reverb aux, every fourth track
                               to a delay aux) from memory and print the
                               realtime factor; --no-fx drops the effects
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
            &["-o", "--output", "--start", "--duration", "--format"],
        )?),
        "check" => check::run(Args::parse(&argv[1..], &[])?),
        "explain" => explain::run(Args::parse_with_switches(&argv[1..], &[], &["--json"])?),
        "play" => play::run(Args::parse(
            &argv[1..],
            &["--seconds", "--device", "--host", "--buffer", "--start"],
        )?),
        "devices" => {
            Args::parse(&argv[1..], &[])?.no_positionals()?;
            print!("{}", auxbus::io::output::list_devices());
            Ok(())
        }
        "bench" => cmd_bench(Args::parse_with_switches(
            &argv[1..],
            &["--tracks", "--seconds", "--block", "--make-stems"],
            &["--no-fx"],
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
    auxbus::ui::run(path)
        .map_err(|e| CliError::Failed(format!("cannot open the console window: {e}")))
}

fn cmd_render(a: Args) -> Result<()> {
    let session = a.one_positional("SESSION")?;
    let out = a
        .value("-o")
        .or_else(|| a.value("--output"))
        .ok_or_else(|| CliError::Usage("render needs -o OUT.wav".into()))?;
    let format = match a.value("--format") {
        None => SampleFormat::F32,
        Some(f) => SampleFormat::parse(f)
            .ok_or_else(|| CliError::Usage(format!("--format {f}: use f32, s24 or s16")))?,
    };
    let opts = RenderOptions {
        start: a.seconds("--start")?.unwrap_or(0.0),
        duration: a.seconds("--duration")?,
        format,
    };
    let report = render::render_to_file(Path::new(session), Path::new(out), &opts)?;
    let secs = report.frames as f64 / f64::from(report.sample_rate);
    eprintln!(
        "rendered {secs:.2} s to {out} in {:.2} s ({:.0}x realtime)",
        report.elapsed.as_secs_f64(),
        secs / report.elapsed.as_secs_f64().max(1e-9)
    );
    if report.clipped > 0 {
        eprintln!(
            "warning: {} samples clipped at full scale (lower the master or render as f32)",
            report.clipped
        );
    }
    for (id, k, times) in &report.effect_resets {
        eprintln!(
            "warning: insert {k} on \"{id}\" produced invalid (non-finite) samples and was reset {times} time(s); those blocks are silent"
        );
    }
    Ok(())
}

fn cmd_bench(a: Args) -> Result<()> {
    a.no_positionals()?;
    let tracks = a.count("--tracks")?.unwrap_or(64);
    let seconds = a.seconds("--seconds")?.unwrap_or(60.0);
    if let Some(dir) = a.value("--make-stems") {
        let path = auxbus::bench::write_stems(Path::new(dir), tracks, seconds)?;
        println!("wrote {tracks} stems of {seconds} s and {}", path.display());
        return Ok(());
    }
    let block = a.count("--block")?.unwrap_or(512);
    let fx = !a.flag("--no-fx");
    let r = auxbus::bench::run_memory(tracks, seconds, block, fx);
    println!(
        "reference graph: {tracks} stereo tracks → {} buses{} → master, post-fader sends to a reverb and a delay aux{}",
        auxbus::bench::BUSES,
        if fx { " (compressor on each)" } else { "" },
        if fx { "" } else { " (effects off)" }
    );
    println!(
        "rendered {seconds} s in {:.3} s on one core, {block}-frame blocks: {:.1}x realtime",
        r.elapsed.as_secs_f64(),
        r.realtime_factor()
    );
    Ok(())
}
