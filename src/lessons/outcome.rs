//! What a check found: passed or not, and the evidence in words and numbers.

/// The result of one check.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub passed: bool,
    /// What was found, with the numbers ("Reverb share of Lead: 18 % → 18 %").
    pub evidence: String,
}

impl Outcome {
    pub fn pass(evidence: impl Into<String>) -> Self {
        Outcome {
            passed: true,
            evidence: evidence.into(),
        }
    }

    pub fn fail(evidence: impl Into<String>) -> Self {
        Outcome {
            passed: false,
            evidence: evidence.into(),
        }
    }

    /// Passes when `ok`, with the same evidence either way.
    pub fn when(ok: bool, evidence: impl Into<String>) -> Self {
        Outcome {
            passed: ok,
            evidence: evidence.into(),
        }
    }

    /// The lesson's explanation added to a failure's evidence.
    pub fn explained(mut self, why: &str) -> Self {
        if !self.passed && !why.is_empty() {
            self.evidence = format!("{} — {why}", self.evidence);
        }
        self
    }
}
