//! Measured checks about levels, dry and wet: each renders versions of the
//! learner's session (and of the shipped one, to compare with) and reports
//! the numbers it found.

use super::doc_checks::{list, name};
use super::measure::{Bench, Measured, Which, returns_off, solo_only, unroute};
use super::model::{Check, Via};
use super::outcome::Outcome;
use super::signal::{db, is_silent, level_db, percent, residual_db, share, show_db, signed};
use crate::session::{ChannelKind, EffectKind, Session};

/// Evaluates a measured check (`None` for a document check).
pub fn measured(check: &Check, b: &Bench) -> Option<Outcome> {
    let result = match check {
        Check::LevelChange {
            sources,
            db,
            together_within,
            ..
        } => level_change(b, sources, *db, *together_within),
        Check::DryWetChange {
            sources,
            dry_db,
            wet_db,
            ..
        } => dry_wet_change(b, sources, *dry_db, *wet_db),
        Check::WetShare {
            sources, min, max, ..
        } => wet_share(b, sources, *min, *max),
        Check::DryUnchanged {
            source,
            residual_db,
            ..
        } => dry_unchanged(b, source, *residual_db),
        Check::Heard {
            source,
            path,
            alone,
            min_db,
            silent,
            ..
        } => heard(b, source, *path, *alone, *min_db, *silent),
        Check::RankWet { channels, .. } => rank_wet(b, channels),
        Check::ShareMatch {
            source,
            like,
            within,
            ..
        } => share_match(b, source, like, *within),
        other => return super::measured_mix::measured(other, b),
    };
    Some(result.unwrap_or_else(Outcome::fail))
}

/// "Reverb" when every aux with effects runs a reverb, else "Wet".
pub fn wet_word(s: &Session) -> &'static str {
    let auxes: Vec<_> = s
        .channels
        .iter()
        .filter(|c| c.kind == ChannelKind::Aux && !c.inserts.is_empty())
        .collect();
    let reverbs = auxes
        .iter()
        .all(|c| c.inserts.iter().any(|i| i.kind() == EffectKind::Reverb));
    if !auxes.is_empty() && reverbs {
        "Reverb"
    } else {
        "Wet"
    }
}

fn exists(s: &Session, ids: &[String]) -> Measured<()> {
    match ids.iter().find(|id| s.channel(id).is_none()) {
        Some(id) => Err(format!(
            "there is no channel \"{id}\" in the session any more"
        )),
        None => Ok(()),
    }
}

fn in_range(v: f64, [lo, hi]: [f32; 2]) -> bool {
    let eps = 1e-3;
    v >= f64::from(lo) - eps && v <= f64::from(hi) + eps
}

fn range(r: [f32; 2]) -> String {
    format!(
        "{} to {} dB",
        signed(f64::from(r[0])),
        signed(f64::from(r[1]))
    )
}

/// A level change in dB, `−inf`/`+inf` when one side is silent.
fn change(before: f64, after: f64) -> f64 {
    match (is_silent(before), is_silent(after)) {
        (true, true) => 0.0,
        (false, true) => f64::NEG_INFINITY,
        (true, false) => f64::INFINITY,
        _ => after - before,
    }
}

fn show_change(d: f64) -> String {
    if d.is_infinite() {
        if d < 0.0 { "−inf" } else { "+inf" }.to_owned()
    } else {
        format!("{} dB", signed(d))
    }
}

fn level_change(
    b: &Bench,
    sources: &[String],
    want: [f32; 2],
    together: Option<f32>,
) -> Measured<Outcome> {
    exists(b.current, sources)?;
    let mut changes = Vec::new();
    for src in sources {
        let set = [src.clone()];
        let before = level_db(&b.alone(Which::Shipped, &set)?.audio);
        let after = level_db(&b.alone(Which::Current, &set)?.audio);
        changes.push((name(b.current, src), change(before, after)));
    }
    let said: Vec<String> = changes
        .iter()
        .map(|(n, d)| format!("{n} {}", show_change(*d)))
        .collect();
    let each_ok = changes.iter().all(|(_, d)| in_range(*d, want));
    let spread = changes
        .iter()
        .map(|c| c.1)
        .fold(f64::NEG_INFINITY, f64::max)
        - changes.iter().map(|c| c.1).fold(f64::INFINITY, f64::min);
    let together_ok = together.is_none_or(|t| spread.is_finite() && spread <= f64::from(t));
    let mut evidence = format!("level in the mix (soloed): {}", said.join(", "));
    if each_ok && together_ok && sources.len() > 1 && together.is_some() {
        evidence.push_str(": one move, the same for all");
    }
    if !each_ok {
        evidence.push_str(&format!("; each should change by {}", range(want)));
    }
    if !together_ok {
        evidence.push_str(&format!(
            "; they moved by different amounts ({:.1} dB apart)",
            spread
        ));
    }
    Ok(Outcome::when(each_ok && together_ok, evidence))
}

fn dry_wet_change(
    b: &Bench,
    sources: &[String],
    dry_want: [f32; 2],
    wet_want: [f32; 2],
) -> Measured<Outcome> {
    exists(b.current, sources)?;
    let (d0, w0) = b.dry_wet(Which::Shipped, sources)?;
    let (d1, w1) = b.dry_wet(Which::Current, sources)?;
    let (dd, dw) = (change(db(d0), db(d1)), change(db(w0), db(w1)));
    let names: Vec<String> = sources.iter().map(|s| name(b.current, s)).collect();
    let verdict = if (dd - dw).abs() < 0.5 || (dd.is_infinite() && dd == dw) {
        "the dry/wet ratio was kept"
    } else if dd < dw {
        "wetter: the dry went down more than the reverb"
    } else {
        "drier: the reverb went down more than the dry"
    };
    let ok = in_range(dd, dry_want) && in_range(dw, wet_want);
    let mut evidence = format!(
        "{} share of {}: {} as shipped, {} now (dry {}, wet {}): {verdict}",
        wet_word(b.current),
        list(&names),
        percent(share(d0, w0)),
        percent(share(d1, w1)),
        show_change(dd),
        show_change(dw)
    );
    if !ok {
        evidence.push_str(&format!(
            "; wanted dry {} and wet {}",
            range(dry_want),
            range(wet_want)
        ));
    }
    Ok(Outcome::when(ok, evidence))
}

/// The wet share of one source, soloed.
pub fn share_of(b: &Bench, which: Which, source: &str) -> Measured<f64> {
    let (d, w) = b.dry_wet(which, &[source.to_owned()])?;
    if d + w <= 0.0 {
        return Err(format!(
            "{} is silent even when soloed, so it has no dry/wet balance",
            name(b.session(which), source)
        ));
    }
    Ok(share(d, w))
}

fn wet_share(b: &Bench, sources: &[String], min: f32, max: f32) -> Measured<Outcome> {
    exists(b.current, sources)?;
    let word = wet_word(b.current);
    let mut said = Vec::new();
    let mut ok = true;
    for src in sources {
        let sh = share_of(b, Which::Current, src)?;
        ok &= sh >= f64::from(min) - 1e-6 && sh <= f64::from(max) + 1e-6;
        said.push(format!("{} {}", name(b.current, src), percent(sh)));
    }
    let mut evidence = format!("{word} share: {}", said.join(", "));
    if !ok {
        evidence.push_str(&format!(
            "; wanted {} to {}",
            percent(f64::from(min)),
            percent(f64::from(max))
        ));
    }
    Ok(Outcome::when(ok, evidence))
}

fn dry_unchanged(b: &Bench, source: &str, limit: f32) -> Measured<Outcome> {
    exists(b.current, &[source.to_owned()])?;
    let set = [source.to_owned()];
    let dry = |which| {
        b.render(which, |s| {
            solo_only(s, &set);
            returns_off(s);
        })
    };
    let (before, after) = (dry(Which::Shipped)?, dry(Which::Current)?);
    if before.audio.len() != after.audio.len() {
        return Ok(Outcome::fail(
            "the session's length or sample rate changed, so its dry sound cannot be compared",
        ));
    }
    let r = residual_db(&after.audio, &before.audio);
    let who = name(b.current, source);
    Ok(if is_silent(r) || r <= f64::from(limit) {
        Outcome::pass(format!(
            "{who}'s dry sound is untouched (it differs from the original by {})",
            show_db(r)
        ))
    } else {
        Outcome::fail(format!(
            "{who}'s dry sound changed: it differs from the original by {} (its level went {})",
            show_db(r),
            show_change(change(level_db(&before.audio), level_db(&after.audio)))
        ))
    })
}

fn heard(
    b: &Bench,
    source: &str,
    via: Via,
    alone: bool,
    min_db: Option<f32>,
    silent: bool,
) -> Measured<Outcome> {
    exists(b.current, &[source.to_owned()])?;
    let set = [source.to_owned()];
    let level = if alone {
        let r = b.render(Which::Current, |s| {
            solo_only(s, &set);
            match via {
                Via::Own => returns_off(s),
                Via::Wet => unroute(s, &set),
                Via::Any => {}
            }
        })?;
        level_db(&r.audio)
    } else {
        level_db(&b.in_mix(Which::Current, source, via)?)
    };
    let who = name(b.current, source);
    let part = match via {
        Via::Own => format!("{who}'s own path"),
        Via::Wet => format!("{who}'s {}", wet_word(b.current).to_lowercase()),
        Via::Any => who.clone(),
    };
    let how = if alone { " (soloed)" } else { " in the mix" };
    if silent {
        return Ok(Outcome::when(
            is_silent(level),
            format!("{part}{how}: {}", show_db(level)),
        ));
    }
    let floor = f64::from(min_db.unwrap_or(-60.0));
    if level >= floor {
        return Ok(Outcome::pass(format!(
            "{part} reaches the master at {}{how}",
            show_db(level)
        )));
    }
    let reasons = super::doc_checks::silence_reasons(b.current, source);
    let because = if is_silent(level) && !reasons.is_empty() {
        format!(": {}", reasons.join("; "))
    } else if !is_silent(level) {
        format!(" (at least {} wanted)", show_db(floor))
    } else {
        String::new()
    };
    Ok(Outcome::fail(format!(
        "{part} is {}{how}{because}",
        if is_silent(level) {
            "silent".to_owned()
        } else {
            format!("only {}", show_db(level))
        }
    )))
}

fn rank_wet(b: &Bench, channels: &[String]) -> Measured<Outcome> {
    exists(b.current, channels)?;
    let mut found = Vec::new();
    for id in channels {
        let at = b.current.channel_index(id).unwrap_or(0);
        found.push((at, name(b.current, id), share_of(b, Which::Current, id)?));
    }
    found.sort_by_key(|f| f.0);
    let said: Vec<String> = found
        .iter()
        .map(|(_, n, sh)| format!("{n} ({})", percent(*sh)))
        .collect();
    let ok = found.windows(2).all(|w| w[0].2 <= w[1].2 + 1e-6);
    let mut evidence = format!("left to right: {}", said.join(", "));
    if ok {
        evidence.push_str(": from the driest to the wettest");
    } else if let Some(w) = found.windows(2).find(|w| w[0].2 > w[1].2 + 1e-6) {
        evidence.push_str(&format!(
            "; {} stands left of {} but is wetter",
            w[0].1, w[1].1
        ));
    }
    Ok(Outcome::when(ok, evidence))
}

fn share_match(b: &Bench, source: &str, like: &str, within: f32) -> Measured<Outcome> {
    exists(b.current, &[source.to_owned(), like.to_owned()])?;
    let a = share_of(b, Which::Current, source)?;
    let c = share_of(b, Which::Current, like)?;
    let apart = (a - c).abs() * 100.0;
    let ok = apart <= f64::from(within) * 100.0 + 1e-6;
    Ok(Outcome::when(
        ok,
        format!(
            "{} share: {} {}, {} {} ({apart:.0} points apart{})",
            wet_word(b.current),
            name(b.current, source),
            percent(a),
            name(b.current, like),
            percent(c),
            if ok {
                String::new()
            } else {
                format!("; within {:.0} wanted", within * 100.0)
            }
        ),
    ))
}
