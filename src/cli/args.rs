//! A small, strict argument parser: every option must be known, every value
//! present and well-formed, or the user gets a one-line usage error.

use auxbus::session::escape_controls;

use super::{CliError, Result};

pub struct Args {
    positionals: Vec<String>,
    options: Vec<(String, String)>,
}

impl Args {
    /// `valued` lists the options that take a value.
    pub fn parse(argv: &[String], valued: &[&str]) -> Result<Self> {
        Args::parse_with_switches(argv, valued, &[])
    }

    /// Like `parse`, also accepting `switches`: options without a value.
    pub fn parse_with_switches(
        argv: &[String],
        valued: &[&str],
        switches: &[&str],
    ) -> Result<Self> {
        let mut positionals = Vec::new();
        let mut options = Vec::new();
        let mut it = argv.iter();
        while let Some(arg) = it.next() {
            if arg.starts_with('-') && arg.len() > 1 {
                let (name, inline) = match arg.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_owned())),
                    None => (arg.as_str(), None),
                };
                if switches.contains(&name) && inline.is_none() {
                    options.push((name.to_owned(), String::new()));
                    continue;
                }
                if !valued.contains(&name) {
                    return Err(CliError::Usage(format!("unknown option {name}")));
                }
                let value = match inline {
                    Some(v) => v,
                    None => it
                        .next()
                        .cloned()
                        .ok_or_else(|| CliError::Usage(format!("{name} needs a value")))?,
                };
                options.push((name.to_owned(), value));
            } else {
                positionals.push(arg.clone());
            }
        }
        Ok(Args {
            positionals,
            options,
        })
    }

    /// Whether switch `name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.options.iter().any(|(n, _)| n == name)
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn positionals(&self) -> &[String] {
        &self.positionals
    }

    pub fn one_positional(&self, what: &str) -> Result<&str> {
        match self.positionals.as_slice() {
            [one] => Ok(one),
            [] => Err(CliError::Usage(format!("missing {what}"))),
            [_, extra, ..] => Err(CliError::Usage(format!("unexpected argument {extra}"))),
        }
    }

    pub fn no_positionals(&self) -> Result<()> {
        match self.positionals.first() {
            Some(extra) => Err(CliError::Usage(format!("unexpected argument {extra}"))),
            None => Ok(()),
        }
    }

    /// A non-negative number of seconds.
    pub fn seconds(&self, name: &str) -> Result<Option<f64>> {
        self.value(name)
            .map(|v| match v.parse::<f64>() {
                Ok(s) if s.is_finite() && s >= 0.0 => Ok(s),
                _ => Err(CliError::Usage(format!(
                    "{name} {}: expected a number of seconds",
                    escape_controls(v)
                ))),
            })
            .transpose()
    }

    /// A level in dB (any finite number); `what` explains a bad one.
    pub fn decibels(&self, name: &str, what: &str) -> Result<Option<f64>> {
        self.value(name)
            .map(|v| match v.parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(x),
                _ => Err(CliError::Usage(format!(
                    "{name} {}: expected {what}",
                    escape_controls(v)
                ))),
            })
            .transpose()
    }

    /// A whole number from 1 to `max`.
    pub fn count_up_to(&self, name: &str, max: usize) -> Result<Option<usize>> {
        self.value(name)
            .map(|v| match v.parse::<usize>() {
                Ok(n) if n > 0 && n <= max => Ok(n),
                _ => Err(CliError::Usage(format!(
                    "{name} {}: expected a whole number from 1 to {max}",
                    escape_controls(v)
                ))),
            })
            .transpose()
    }

    /// A number of seconds from 0 to `max`.
    pub fn seconds_up_to(&self, name: &str, max: f64) -> Result<Option<f64>> {
        match self.seconds(name)? {
            Some(s) if s > max => Err(CliError::Usage(format!(
                "{name} {}: at most {max} seconds",
                escape_controls(self.value(name).unwrap_or_default())
            ))),
            other => Ok(other),
        }
    }
}
