//! `auxbus` — the command line. See `auxbus --help`.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    // `std::env::args` would panic on an argument that is not UTF-8.
    let mut args = Vec::new();
    for a in std::env::args_os().skip(1) {
        match a.into_string() {
            Ok(a) => args.push(a),
            Err(bad) => {
                let shown = auxbus::session::escape_controls(&bad.to_string_lossy()).into_owned();
                eprintln!(
                    "auxbus: argument {shown:?} is not valid UTF-8 text\n(see `auxbus --help`)"
                );
                return ExitCode::from(2);
            }
        }
    }
    match cli::run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        // A message is one line: whatever a file or an argument put in it
        // (a newline in an id, an escape sequence in a path) is shown escaped.
        Err(cli::CliError::Usage(msg)) => {
            let msg = auxbus::session::escape_controls(&msg);
            eprintln!("auxbus: {msg} (see `auxbus --help`)");
            ExitCode::from(2)
        }
        Err(cli::CliError::Input(msg)) => {
            let msg = auxbus::session::escape_controls(&msg);
            eprintln!("auxbus: {msg}");
            ExitCode::from(2)
        }
        Err(cli::CliError::Failed(msg)) => {
            let msg = auxbus::session::escape_controls(&msg);
            eprintln!("auxbus: {msg}");
            ExitCode::FAILURE
        }
    }
}
