//! Reading a lesson file: its JSON (errors name the field and position),
//! the format and version, and steps that each check something.

use std::path::Path;

use super::model::{Check, LESSON_FORMAT, LESSON_VERSION, Lesson};

/// Reads and checks a lesson file: the format, the version, its steps, and
/// that its session loads and has every channel its checks name.
pub fn load(path: &Path) -> Result<Lesson, String> {
    let shown = path.display();
    let text = crate::session::read_bounded(path).map_err(|e| e.to_string())?;
    let de = &mut serde_json::Deserializer::from_str(&text);
    let mut lesson: Lesson = serde_path_to_error::deserialize(de).map_err(|e| {
        let inner = e.inner();
        let text = inner.to_string();
        let at = format!(" at line {} column {}", inner.line(), inner.column());
        let text = text.strip_suffix(&at).unwrap_or(&text);
        format!(
            "{shown}:{}:{}: {}: {text}",
            inner.line(),
            inner.column(),
            e.path()
        )
    })?;
    if lesson.format != LESSON_FORMAT {
        return Err(format!(
            "{shown}: not an auxbus lesson (format \"{}\")",
            lesson.format
        ));
    }
    if lesson.version > LESSON_VERSION {
        return Err(format!(
            "{shown}: lesson format version {} is newer than this auxbus reads ({LESSON_VERSION}); please update auxbus",
            lesson.version
        ));
    }
    if lesson.steps.is_empty() {
        return Err(format!("{shown}: steps: a lesson needs at least one step"));
    }
    for (i, step) in lesson.steps.iter().enumerate() {
        if step.checks.is_empty() {
            return Err(format!(
                "{shown}: steps[{i}].checks: a step needs at least one check"
            ));
        }
        for (k, c) in step.checks.iter().enumerate() {
            let names_nothing = c.names().is_empty()
                && !matches!(c, Check::Aux { .. } | Check::EffectsRunning { .. });
            if names_nothing {
                return Err(format!(
                    "{shown}: steps[{i}].checks[{k}]: the check names no channel"
                ));
            }
        }
    }
    let w = lesson.measure;
    if !(w.start.is_finite() && w.start >= 0.0 && w.seconds.is_finite() && w.seconds > 0.0)
        || w.seconds > 60.0
    {
        return Err(format!(
            "{shown}: measure: start must be 0 or more and seconds from 0 to 60"
        ));
    }
    lesson.id = lesson_id(path);
    lesson.path = path.to_owned();
    Ok(lesson)
}

/// `01-bus` for `…/01-bus.lesson.json`.
pub fn lesson_id(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.strip_suffix(".lesson.json")
        .or_else(|| name.strip_suffix(".json"))
        .unwrap_or(&name)
        .to_owned()
}
