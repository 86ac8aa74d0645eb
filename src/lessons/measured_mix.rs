//! Measured checks about whole mixes: a cue mix that must not follow the
//! main faders, who is loudest in it, a source pumping under a shared
//! compressor, level-matched comparisons, parallel compression and what
//! the effects cost.

use super::doc_checks::{auxes, list, name};
use super::measure::{Bench, Measured, Which, cue_only, mute, ride, solo_only, unroute};
use super::model::{AuxRef, Check, Kind, Via};
use super::outcome::Outcome;
use super::signal::{hits_and_body, is_silent, level_db, show_db, signed, swing_db};
use crate::session::ChannelKind;

pub fn measured(check: &Check, b: &Bench) -> Option<Outcome> {
    let result = match check {
        Check::CueSteady {
            aux,
            ride_db,
            within_db,
            ..
        } => cue_steady(b, aux, *ride_db, *within_db),
        Check::Loudest {
            aux, source, among, ..
        } => loudest(b, aux, source, among),
        Check::Pumping { source, max_db, .. } => pumping(b, source, *max_db),
        Check::MatchedLevel {
            sources, within_db, ..
        } => matched_level(b, sources, *within_db),
        Check::Parallel {
            sources,
            aux,
            denser_db,
            blend,
            ..
        } => parallel(b, sources, aux, *denser_db, *blend),
        Check::EffectsRunning { kind, at_most, .. } => effects_running(b, *kind, *at_most),
        _ => return None,
    };
    Some(result.unwrap_or_else(Outcome::fail))
}

fn an_aux(b: &Bench, id: &str) -> Measured<String> {
    match b.current.channel(id) {
        Some(c) if c.kind == ChannelKind::Aux => Ok(c.display_name().to_owned()),
        Some(c) => Err(format!("{} is not an aux any more", c.display_name())),
        None => Err(format!("there is no aux \"{id}\" in the session any more")),
    }
}

fn cue_steady(b: &Bench, aux: &str, ride_db: f32, within: f32) -> Measured<Outcome> {
    let cue = an_aux(b, aux)?;
    let before = level_db(&b.render(Which::Current, |s| cue_only(s, aux))?.audio);
    if is_silent(before) {
        return Ok(Outcome::fail(format!(
            "{cue} is silent: nothing is sent to it yet"
        )));
    }
    let after = level_db(
        &b.render(Which::Current, |s| {
            cue_only(s, aux);
            ride(s, ride_db, aux);
        })?
        .audio,
    );
    let moved = after - before;
    let ok = !is_silent(after) && moved.abs() <= f64::from(within);
    let mut evidence = format!(
        "{cue}: {} before, {} after ({} dB) while every other fader moved {} dB",
        show_db(before),
        show_db(after),
        if is_silent(after) {
            "−inf".to_owned()
        } else {
            signed(moved)
        },
        signed(f64::from(ride_db))
    );
    evidence.push_str(if ok {
        ": the cue mix stays put"
    } else {
        ": the cue mix followed the main faders"
    });
    Ok(Outcome::when(ok, evidence))
}

fn loudest(b: &Bench, aux: &str, source: &str, among: &[String]) -> Measured<Outcome> {
    let cue = an_aux(b, aux)?;
    let mut levels = Vec::new();
    for id in std::iter::once(&source.to_owned()).chain(among) {
        if b.current.channel(id).is_none() {
            return Err(format!("there is no channel \"{id}\" any more"));
        }
        let set = [id.clone()];
        let r = b.render(Which::Current, |s| {
            cue_only(s, aux);
            solo_only(s, &set);
        })?;
        levels.push((name(b.current, id), level_db(&r.audio)));
    }
    let said: Vec<String> = levels
        .iter()
        .map(|(n, l)| format!("{n} {}", show_db(*l)))
        .collect();
    let mine = levels[0].1;
    let ok = !is_silent(mine) && levels[1..].iter().all(|(_, l)| mine >= *l - 1e-6);
    let mut evidence = format!("in {cue}: {}", said.join(", "));
    if !ok {
        evidence.push_str(&format!("; {} should be the loudest", levels[0].0));
    }
    Ok(Outcome::when(ok, evidence))
}

fn pumping(b: &Bench, source: &str, max_db: f32) -> Measured<Outcome> {
    let set = [source.to_owned()];
    if b.current.channel(source).is_none() {
        return Err(format!("there is no channel \"{source}\" any more"));
    }
    let swing = |which| -> Measured<f64> {
        let in_mix = b.in_mix(which, source, Via::Own)?;
        let alone = b.render(which, |s| {
            solo_only(s, &set);
            super::measure::sends_off(s, &set);
        })?;
        Ok(swing_db(&in_mix, &alone.audio, alone.rate))
    };
    let now = swing(Which::Current)?;
    let was = swing(Which::Shipped)?;
    let who = name(b.current, source);
    let ok = now <= f64::from(max_db);
    Ok(Outcome::when(
        ok,
        format!(
            "{who}'s level in the mix swings {now:.1} dB with the other parts (as shipped: {was:.1} dB){}",
            if ok {
                ": it no longer pumps"
            } else {
                ": it pumps — the shared compressor turns it down whenever the others hit"
            }
        ),
    ))
}

fn matched_level(b: &Bench, sources: &[String], within: f32) -> Measured<Outcome> {
    if let Some(id) = sources.iter().find(|id| b.current.channel(id).is_none()) {
        return Err(format!("there is no channel \"{id}\" any more"));
    }
    let before = level_db(&b.alone(Which::Shipped, sources)?.audio);
    let after = level_db(&b.alone(Which::Current, sources)?.audio);
    let apart = after - before;
    let ok = apart.abs() <= f64::from(within);
    let names: Vec<String> = sources.iter().map(|s| name(b.current, s)).collect();
    Ok(Outcome::when(
        ok,
        format!(
            "{} soloed: {} as shipped, {} now ({} dB){}",
            list(&names),
            show_db(before),
            show_db(after),
            signed(apart),
            if ok {
                ": matched, so the comparison is fair"
            } else if apart > 0.0 {
                ": louder, and louder always sounds better; bring the faders down to match"
            } else {
                ": quieter; bring the faders up to match"
            }
        ),
    ))
}

fn parallel(
    b: &Bench,
    sources: &[String],
    aux: &AuxRef,
    denser_db: f32,
    blend: [f32; 2],
) -> Measured<Outcome> {
    if let Some(id) = sources.iter().find(|id| b.current.channel(id).is_none()) {
        return Err(format!("there is no channel \"{id}\" any more"));
    }
    // The aux the sources send to.
    let target = auxes(b.current, aux).into_iter().find(|a| {
        sources.iter().any(|src| {
            b.current
                .channel(src)
                .is_some_and(|c| c.sends.iter().any(|x| x.to == a.id && x.level_db.is_some()))
        })
    });
    let Some(target) = target else {
        return Ok(Outcome::fail(
            "none of them sends to an aux like that, so there is nothing to blend in",
        ));
    };
    let (id, there) = (target.id.clone(), target.display_name().to_owned());
    let with = b.alone(Which::Current, sources)?;
    let without = b.render(Which::Current, |s| {
        solo_only(s, sources);
        mute(s, std::slice::from_ref(&id));
    })?;
    let ret = b.render(Which::Current, |s| {
        solo_only(s, sources);
        unroute(s, sources);
        for c in &mut s.channels {
            if c.kind == ChannelKind::Aux && c.id != id {
                c.mute = true;
            }
        }
    })?;
    let rate = with.rate;
    let (hits0, body0) = hits_and_body(&without.audio, rate);
    let (hits1, body1) = hits_and_body(&with.audio, rate);
    let (hits, body) = (hits1 - hits0, body1 - body0);
    let denser = body - hits;
    let under = level_db(&ret.audio) - level_db(&without.audio);
    let names: Vec<String> = sources.iter().map(|s| name(b.current, s)).collect();
    let blend_ok = under >= f64::from(blend[0]) - 1e-3 && under <= f64::from(blend[1]) + 1e-3;
    let ok = denser >= f64::from(denser_db) && blend_ok;
    let mut evidence = format!(
        "{} soloed, with {there} against without, compared at matched level: the body between the hits came up {} dB, the hits {} dB — {} dB denser; {there} alone sits {:.1} dB {} the dry",
        list(&names),
        signed(body),
        signed(hits),
        signed(denser),
        under.abs(),
        if under <= 0.0 { "under" } else { "over" }
    );
    if denser < f64::from(denser_db) {
        evidence.push_str(&format!(
            "; the blend should be at least {denser_db:.1} dB denser"
        ));
    }
    if !blend_ok {
        evidence.push_str(&format!(
            "; the return should sit {:.0} to {:.0} dB under the dry",
            -blend[1], -blend[0]
        ));
    }
    Ok(Outcome::when(ok, evidence))
}

fn effects_running(b: &Bench, kind: Kind, at_most: usize) -> Measured<Outcome> {
    let count = |which| {
        b.session(which)
            .channels
            .iter()
            .map(|c| {
                c.inserts
                    .iter()
                    .filter(|i| i.kind() == kind.0 && !i.bypass)
                    .count()
            })
            .sum::<usize>()
    };
    let (was, now) = (count(Which::Shipped), count(Which::Current));
    let t0 = b.render(Which::Shipped, |_| {})?.elapsed;
    let t1 = b.render(Which::Current, |_| {})?.elapsed;
    let label = kind.0.label().to_lowercase();
    let ok = now <= at_most;
    Ok(Outcome::when(
        ok,
        format!(
            "{label}s running: {was} as shipped, {now} now; rendering these {:.1} s took {:.0} ms as shipped, {:.0} ms now (on this machine, this time)",
            b.window.seconds,
            t0.as_secs_f64() * 1000.0,
            t1.as_secs_f64() * 1000.0
        ),
    ))
}
