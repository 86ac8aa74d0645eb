//! Choosing what to open: the host, the output device and the sample format,
//! from an `OutputConfig`'s loose names (case-insensitive, substrings).

use cpal::SampleFormat;
use cpal::traits::{DeviceTrait, HostTrait};

use super::error::{OutputError, Result, one_line};

/// By name; else the host of the last stream (a rebuild stays on it instead
/// of falling back to ALSA's PulseAudio plugin); else cpal's default.
pub(super) fn pick_host(name: Option<&str>, last: Option<cpal::HostId>) -> Result<cpal::Host> {
    let name = match (name, last) {
        (Some(name), _) => name,
        (None, Some(id)) => id.name(),
        (None, None) => return Ok(cpal::default_host()),
    };
    let wanted = if name.eq_ignore_ascii_case("pulse") {
        "pulseaudio"
    } else {
        name
    };
    let id = cpal::ALL_HOSTS
        .iter()
        .find(|h| h.name().eq_ignore_ascii_case(wanted));
    let Some(&id) = id else {
        return Err(OutputError::UnknownHost {
            name: name.to_string(),
            available: cpal::available_hosts()
                .iter()
                .map(|h| h.name().into())
                .collect(),
        });
    };
    cpal::host_from_id(id).map_err(|e| OutputError::NoDevice {
        host: id.name().to_string(),
        reason: format!("host unavailable: {}", one_line(&e.to_string())),
    })
}

pub(super) fn device_id(d: &cpal::Device) -> String {
    d.id().map(|i| i.to_string()).unwrap_or_default()
}

pub(super) fn device_label(d: &cpal::Device) -> String {
    let id = device_id(d);
    match d.description() {
        Ok(desc) if !id.ends_with(&format!(":{}", desc.name())) => {
            format!("{} ({id})", desc.name())
        }
        _ => id,
    }
}

pub(super) fn pick_device(host: &cpal::Host, name: Option<&str>) -> Result<cpal::Device> {
    let hname = host.id().name().to_string();
    let Some(name) = name else {
        return host
            .default_output_device()
            .ok_or_else(|| OutputError::NoDevice {
                host: hname,
                reason: "the host reports no default output device".into(),
            });
    };
    let mut devices: Vec<cpal::Device> = host
        .output_devices()
        .map_err(|e| OutputError::NoDevice {
            host: hname.clone(),
            reason: one_line(&e.to_string()),
        })?
        .collect();
    let want = name.to_lowercase();
    let labels: Vec<String> = devices.iter().map(device_label).collect();
    let exact = devices.iter().position(|d| {
        let id = device_id(d).to_lowercase();
        let desc = d.description().map(|x| x.name().to_lowercase());
        id == want
            || id.split_once(':').is_some_and(|(_, dev)| dev == want)
            || desc.is_ok_and(|x| x == want)
    });
    let sub = || labels.iter().position(|l| l.to_lowercase().contains(&want));
    match exact.or_else(sub) {
        Some(i) => Ok(devices.swap_remove(i)),
        None => Err(OutputError::UnknownDevice {
            host: hname,
            name: name.into(),
            available: labels,
        }),
    }
}

/// Formats the callback can write, best first (see `callback::build`).
pub(super) const FORMATS: [SampleFormat; 7] = {
    use SampleFormat::*;
    [F32, I32, I24, I16, U16, U8, F64]
};

/// Best sample format for (channels, rate): f32 first, then deeper integers.
pub(super) fn pick_format(d: &cpal::Device, channels: u16, rate: u32) -> Option<SampleFormat> {
    let ranges: Vec<_> = d.supported_output_configs().ok()?.collect();
    FORMATS.iter().copied().find(|f| {
        ranges
            .iter()
            .any(|r| r.sample_format() == *f && r.channels() == channels && r.contains_rate(rate))
    })
}
