//! `auxbus` — the command line. See `auxbus --help`.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(cli::CliError::Usage(msg)) => {
            eprintln!("auxbus: {msg} (see `auxbus --help`)");
            ExitCode::from(2)
        }
        Err(cli::CliError::Failed(msg)) => {
            eprintln!("auxbus: {msg}");
            ExitCode::FAILURE
        }
    }
}
