//! EBU R 128 conformance of the loudness meter on signals generated here:
//! EBU Tech 3341 cases 1–5 (integrated, momentary and short-term loudness),
//! Tech 3342 cases 1–4 (loudness range), and a true peak that the samples
//! miss. Expectations are the documents' analytic values.

use std::f64::consts::TAU;

use auxbus::io::loudness::{Loudness, LoudnessMeter};

const RATE: u32 = 48_000;

/// Stereo 1 kHz sine (both channels equal) in segments of (peak dBFS,
/// seconds), phase continuous, interleaved.
fn segments(parts: &[(f64, f64)]) -> Vec<f32> {
    let mut out = Vec::new();
    let mut n = 0u64;
    for &(db, secs) in parts {
        let amp = 10f64.powf(db / 20.0);
        let frames = (secs * f64::from(RATE)).round() as u64;
        for _ in 0..frames {
            let x = (amp * (TAU * 1000.0 * n as f64 / f64::from(RATE)).sin()) as f32;
            out.extend_from_slice(&[x, x]);
            n += 1;
        }
    }
    out
}

fn measure(samples: &[f32]) -> Loudness {
    let mut m = LoudnessMeter::new(2, RATE).expect("meter");
    // Feed in uneven pieces, as a render's blocks arrive.
    for chunk in samples.chunks(2 * 1234) {
        m.add(chunk);
    }
    m.report()
}

fn assert_near(what: &str, got: Option<f64>, want: f64, tol: f64) {
    let got = got.unwrap_or_else(|| panic!("{what}: no reading"));
    println!(
        "{what}: {got:.3} (expected {want} ± {tol}, off by {:+.3})",
        got - want
    );
    assert!(
        (got - want).abs() <= tol,
        "{what}: {got:.3}, expected {want} ± {tol}"
    );
}

#[test]
fn tech_3341_case_1_minus_23_dbfs_reads_minus_23_m_s_i() {
    let l = measure(&segments(&[(-23.0, 20.0)]));
    assert_near("3341/1 I", l.integrated_lufs, -23.0, 0.1);
    assert_near("3341/1 max M", l.max_momentary_lufs, -23.0, 0.1);
    assert_near("3341/1 max S", l.max_short_term_lufs, -23.0, 0.1);
}

#[test]
fn tech_3341_case_2_minus_33_dbfs() {
    let l = measure(&segments(&[(-33.0, 20.0)]));
    assert_near("3341/2 I", l.integrated_lufs, -33.0, 0.1);
    assert_near("3341/2 max M", l.max_momentary_lufs, -33.0, 0.1);
    assert_near("3341/2 max S", l.max_short_term_lufs, -33.0, 0.1);
}

#[test]
fn tech_3341_case_3_relative_gate() {
    let l = measure(&segments(&[(-36.0, 10.0), (-23.0, 60.0), (-36.0, 10.0)]));
    assert_near("3341/3 I", l.integrated_lufs, -23.0, 0.1);
}

#[test]
fn tech_3341_case_4_absolute_and_relative_gates() {
    let l = measure(&segments(&[
        (-72.0, 10.0),
        (-36.0, 10.0),
        (-23.0, 60.0),
        (-36.0, 10.0),
        (-72.0, 10.0),
    ]));
    assert_near("3341/4 I", l.integrated_lufs, -23.0, 0.1);
}

#[test]
fn tech_3341_case_5_level_steps() {
    let l = measure(&segments(&[(-26.0, 20.0), (-20.0, 20.1), (-26.0, 20.0)]));
    assert_near("3341/5 I", l.integrated_lufs, -23.0, 0.1);
}

#[test]
fn tech_3342_cases_1_to_4_loudness_range() {
    let cases: [(&[(f64, f64)], f64); 4] = [
        (&[(-20.0, 20.0), (-30.0, 20.0)], 10.0),
        (&[(-20.0, 20.0), (-15.0, 20.0)], 5.0),
        (&[(-40.0, 20.0), (-20.0, 20.0)], 20.0),
        (
            &[
                (-50.0, 20.0),
                (-35.0, 20.0),
                (-20.0, 20.0),
                (-35.0, 20.0),
                (-50.0, 20.0),
            ],
            15.0,
        ),
    ];
    for (k, (parts, lra)) in cases.iter().enumerate() {
        let l = measure(&segments(parts));
        assert_near(&format!("3342/{} LRA", k + 1), l.lra_lu, *lra, 1.0);
    }
}

#[test]
fn true_peak_between_samples_reads_above_the_sample_peak() {
    // A sine at fs/8 with a phase offset of π/8: every sample lands 22.5°
    // away from a crest, so the samples peak at cos(22.5°) ≈ −0.69 dB
    // below the analytic peak.
    let amp = 0.5f64; // analytic peak −6.02 dBFS
    let frames = 2 * RATE as usize;
    let mut s = Vec::with_capacity(frames * 2);
    for n in 0..frames {
        let x = (amp * (TAU * n as f64 / 8.0 + TAU / 16.0).sin()) as f32;
        s.extend_from_slice(&[x, x]);
    }
    let l = measure(&s);
    let analytic = 20.0 * amp.log10();
    let sample_peak = l.sample_peak_dbfs.expect("sample peak");
    let true_peak = l.true_peak_dbtp.expect("true peak");
    println!("analytic {analytic:.3} dBTP, true peak {true_peak:.3}, sample peak {sample_peak:.3}");
    assert!(
        (sample_peak - (analytic + 20.0 * (TAU / 16.0).cos().log10())).abs() < 0.01,
        "samples miss the crest: {sample_peak}"
    );
    assert!(
        true_peak > sample_peak + 0.4,
        "true peak {true_peak} above sample peak {sample_peak}"
    );
    // EBU Tech 3341's true-peak tolerance: +0.2 / −0.4 dB.
    assert!(
        true_peak - analytic <= 0.2 && analytic - true_peak <= 0.4,
        "true peak {true_peak:.3} vs analytic {analytic:.3}"
    );
}

#[test]
fn silence_is_minus_infinity_and_null_in_json() {
    let l = measure(&vec![0.0; 2 * RATE as usize * 4]);
    assert_eq!(l.integrated_lufs, None);
    assert_eq!(l.true_peak_dbtp, None);
    assert_eq!(l.sample_peak_dbfs, None);
    let json: serde_json::Value = serde_json::from_str(&l.to_json()).expect("json");
    assert!(json["integrated_lufs"].is_null());
    assert_eq!(json.as_object().expect("object").len(), 6);
}
