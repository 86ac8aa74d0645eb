//! Text from a file, made safe to print on one line: control characters
//! (a newline in an id, an escape sequence in a path) and the invisible
//! direction overrides are shown escaped (`\n`, `\u{1b}`) instead of being
//! written raw, so a message always stays one line and shows what is there.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal or a one-line message raw.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every control character escaped the way Rust writes it
/// (`\n`, `\t`, `\u{1b}`); borrowed unchanged when there is none.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_the_rest_kept() {
        assert_eq!(escape_controls("master\n"), "master\\n");
        assert_eq!(escape_controls("a\u{1b}[2Jb\t"), "a\\u{1b}[2Jb\\t");
        assert_eq!(escape_controls("Kick → Bus «é»"), "Kick → Bus «é»");
        assert_eq!(escape_controls("x\u{202e}y"), "x\\u{202e}y");
        assert!(matches!(escape_controls("plain"), Cow::Borrowed(_)));
    }
}
