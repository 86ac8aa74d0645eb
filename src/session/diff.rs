//! What differs between two versions of a session, in short lines a user
//! can read before choosing one (`"kick": gain_db 0.0 → -6.0`). What a
//! scene recall would change is worked out in `recall`.

use serde_json::Value;

use super::model::Session;
use super::text::escape_controls;

/// The differences from `old` to `new`: session settings, channels and VCAs
/// added, removed, moved or changed (field by field). Empty when equal.
pub fn differences(old: &Session, new: &Session) -> Vec<String> {
    let mut out = Vec::new();
    let (a, b) = (value(old), value(new));
    for field in ["sample_rate", "pan_law_db", "tempo_bpm"] {
        if a.get(field) != b.get(field) {
            out.push(format!(
                "{field}: {} → {}",
                show(a.get(field)),
                show(b.get(field))
            ));
        }
    }
    list(&mut out, "channel", &a, &b, "channels");
    list(&mut out, "VCA", &a, &b, "vcas");
    for scene in &new.scenes {
        let name = escape_controls(&scene.name);
        match old.scene(&scene.name) {
            None => out.push(format!("scene \"{name}\" added")),
            Some(before) if before != scene => out.push(format!("scene \"{name}\" changed")),
            Some(_) => {}
        }
    }
    for scene in &old.scenes {
        if new.scene(&scene.name).is_none() {
            let name = escape_controls(&scene.name);
            out.push(format!("scene \"{name}\" removed"));
        }
    }
    list(&mut out, "linked group", &a, &b, "groups");
    out
}

fn value(s: &Session) -> Value {
    serde_json::to_value(s).unwrap_or(Value::Null)
}

fn show(v: Option<&Value>) -> String {
    match v {
        None => "(none)".to_owned(),
        Some(Value::Null) => "null".to_owned(),
        Some(v) => {
            let text = v.to_string();
            let short: String = text.chars().take(60).collect();
            let more = if short.len() < text.len() { "…" } else { "" };
            format!("{}{more}", escape_controls(&short))
        }
    }
}

/// Differences in the array `key` of items with an `id`.
fn list(out: &mut Vec<String>, what: &str, a: &Value, b: &Value, key: &str) {
    let empty = Vec::new();
    let items = |v: &Value| {
        v.get(key)
            .and_then(Value::as_array)
            .unwrap_or(&empty)
            .clone()
    };
    let (old, new) = (items(a), items(b));
    let id = |v: &Value| v.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
    let old_ids: Vec<String> = old.iter().map(id).collect();
    let new_ids: Vec<String> = new.iter().map(id).collect();
    let old_map: std::collections::HashMap<&str, &Value> =
        old_ids.iter().map(String::as_str).zip(&old).collect();
    for (n, item) in new_ids.iter().zip(&new) {
        let name = escape_controls(n);
        match old_map.get(n.as_str()) {
            None => out.push(format!("{what} \"{name}\" added")),
            Some(before) => {
                let (Some(x), Some(y)) = (before.as_object(), item.as_object()) else {
                    continue;
                };
                let mut fields: Vec<&String> = x.keys().chain(y.keys()).collect();
                fields.sort();
                fields.dedup();
                for f in fields {
                    if x.get(f) != y.get(f) {
                        out.push(format!(
                            "\"{name}\": {f} {} → {}",
                            show(x.get(f)),
                            show(y.get(f))
                        ));
                    }
                }
            }
        }
    }
    let new_set: std::collections::HashSet<&str> = new_ids.iter().map(String::as_str).collect();
    for o in &old_ids {
        if !new_set.contains(o.as_str()) {
            out.push(format!("{what} \"{}\" removed", escape_controls(o)));
        }
    }
    let kept_old: Vec<&String> = old_ids
        .iter()
        .filter(|i| new_set.contains(i.as_str()))
        .collect();
    let old_set: std::collections::HashSet<&str> = old_ids.iter().map(String::as_str).collect();
    let kept_new: Vec<&String> = new_ids
        .iter()
        .filter(|i| old_set.contains(i.as_str()))
        .collect();
    if kept_old != kept_new {
        out.push(format!("{what}s in a different order"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{Channel, ChannelKind};

    #[test]
    fn names_what_changed() {
        let old = Session::new(48_000);
        let mut new = old.clone();
        new.channels[0].gain_db = Some(-6.0);
        new.channels.push(Channel::new("verb", ChannelKind::Aux));
        new.tempo_bpm = 90.0;
        let d = differences(&old, &new);
        assert!(
            d.contains(&"\"master\": gain_db 0.0 → -6.0".to_owned()),
            "{d:?}"
        );
        assert!(d.contains(&"channel \"verb\" added".to_owned()), "{d:?}");
        assert!(d.iter().any(|l| l.starts_with("tempo_bpm")), "{d:?}");
        assert!(differences(&old, &old).is_empty());
        assert!(differences(&new, &old).contains(&"channel \"verb\" removed".to_owned()));
    }
}
