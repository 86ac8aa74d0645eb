//! `auxbus devices`: every host, device and configuration cpal reports, and
//! the ALSA-quiet guard that keeps alsa-lib's own chatter out of that listing
//! (and out of opening a stream).

use cpal::SampleFormat;
use cpal::traits::{DeviceTrait, HostTrait};

use super::device::{device_id, device_label};
use super::error::one_line;

/// While alive, silences alsa-lib's stderr messages ("ALSA lib pcm.c:…
/// Unknown PCM default") on this thread; our errors already say it.
/// Thread-local in alsa-lib, restored on drop.
pub(super) struct QuietAlsa(#[cfg(target_os = "linux")] alsa_quiet::Handler);

#[cfg(target_os = "linux")]
mod alsa_quiet {
    use std::ffi::{c_char, c_int, c_void};
    pub type Handler = Option<
        unsafe extern "C" fn(
            *const c_char,
            c_int,
            *const c_char,
            c_int,
            *const c_char,
            *mut c_void,
        ),
    >;
    // libasound is linked by alsa-sys (cpal's ALSA host).
    unsafe extern "C" {
        pub fn snd_lib_error_set_local(handler: Handler) -> Handler;
    }
    /// Matches `snd_local_error_handler_t` (the `va_list` arrives as a pointer).
    pub unsafe extern "C" fn ignore(
        _: *const c_char,
        _: c_int,
        _: *const c_char,
        _: c_int,
        _: *const c_char,
        _: *mut c_void,
    ) {
    }
}

impl QuietAlsa {
    pub(super) fn new() -> Self {
        // SAFETY: installs a handler with the C signature that ignores its arguments.
        #[cfg(target_os = "linux")]
        return Self(unsafe { alsa_quiet::snd_lib_error_set_local(Some(alsa_quiet::ignore)) });
        #[cfg(not(target_os = "linux"))]
        Self()
    }
}

impl Drop for QuietAlsa {
    fn drop(&mut self) {
        // SAFETY: restores the handler that was installed before `new`.
        #[cfg(target_os = "linux")]
        unsafe {
            alsa_quiet::snd_lib_error_set_local(self.0);
        }
    }
}

/// Every host, its output devices and their supported configs, for
/// `auxbus devices`. Never fails; problems are written into the text.
pub fn list_devices() -> String {
    use std::fmt::Write;
    let _quiet = QuietAlsa::new();
    let mut s = String::new();
    let hosts = cpal::available_hosts();
    if hosts.is_empty() {
        s.push_str("no audio hosts available\n");
    }
    let default_host = cpal::default_host().id();
    for id in hosts {
        let mark = if id == default_host {
            " (default host)"
        } else {
            ""
        };
        let _ = writeln!(s, "{}{mark}", id.name());
        let host = match cpal::host_from_id(id) {
            Ok(h) => h,
            Err(e) => {
                let _ = writeln!(s, "  unavailable: {}", one_line(&e.to_string()));
                continue;
            }
        };
        let default_dev = host.default_output_device().map(|d| device_id(&d));
        let devices: Vec<_> = match host.output_devices() {
            Ok(d) => d.collect(),
            Err(e) => {
                let _ = writeln!(s, "  cannot list devices: {}", one_line(&e.to_string()));
                continue;
            }
        };
        if devices.is_empty() {
            s.push_str("  no output devices\n");
        }
        for d in devices {
            let mark = if default_dev == Some(device_id(&d)) {
                "  [default]"
            } else {
                ""
            };
            let _ = writeln!(s, "  {}{mark}", device_label(&d));
            match d.default_output_config() {
                Ok(c) => {
                    let b = buffer_range(c.buffer_size());
                    let (r, n, f) = (c.sample_rate(), c.channels(), c.sample_format());
                    let _ = writeln!(s, "    default: {r} Hz, {n} ch, {f}, {b}");
                }
                Err(e) => {
                    let _ = writeln!(s, "    unusable: {}", one_line(&e.to_string()));
                    continue;
                }
            }
            // Group ranges that differ only in channel count (and buffer limits).
            type Group = (
                (SampleFormat, u32, u32),
                Vec<u16>,
                Vec<cpal::SupportedBufferSize>,
            );
            let mut groups: Vec<Group> = Vec::new();
            for r in d.supported_output_configs().into_iter().flatten() {
                let key = (r.sample_format(), r.min_sample_rate(), r.max_sample_rate());
                match groups.iter_mut().find(|(k, ..)| *k == key) {
                    Some((_, chans, bufs)) => {
                        chans.push(r.channels());
                        bufs.push(*r.buffer_size());
                    }
                    None => groups.push((key, vec![r.channels()], vec![*r.buffer_size()])),
                }
            }
            for ((f, lo, hi), chans, bufs) in groups {
                let rates = if lo == hi {
                    format!("{lo} Hz")
                } else {
                    format!("{lo}-{hi} Hz")
                };
                let b = match bufs.iter().any(|b| *b != bufs[0]) {
                    false => buffer_range(&bufs[0]),
                    true => {
                        let (lo, hi) = bufs.iter().fold((u32::MAX, 0), |(lo, hi), b| match b {
                            cpal::SupportedBufferSize::Range { min, max } => {
                                (lo.min(*min), hi.max(*max))
                            }
                            cpal::SupportedBufferSize::Unknown => (lo, hi),
                        });
                        format!("buffer {lo}-{hi} frames (max depends on channels)")
                    }
                };
                let _ = writeln!(s, "    {f}: {} ch, {rates}, {b}", ranges(&chans));
            }
        }
    }
    s
}

fn buffer_range(b: &cpal::SupportedBufferSize) -> String {
    match b {
        cpal::SupportedBufferSize::Range { min, max } => format!("buffer {min}-{max} frames"),
        cpal::SupportedBufferSize::Unknown => "buffer size unknown".into(),
    }
}

/// `[1,2,3,6]` → `"1-3,6"`.
fn ranges(v: &[u16]) -> String {
    let mut v = v.to_vec();
    v.sort_unstable();
    v.dedup();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j + 1 < v.len() && v[j + 1] == v[j] + 1 {
            j += 1;
        }
        out.push(if i == j {
            v[i].to_string()
        } else {
            format!("{}-{}", v[i], v[j])
        });
        i = j + 1;
    }
    out.join(",")
}
