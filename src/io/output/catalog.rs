//! What the machine offers, as data for a settings window: each host, its
//! output devices, the sample rates and buffer sizes each accepts.
//! Enumerating can take a moment (ALSA probes every device), so callers
//! run it off the UI thread.

use cpal::traits::{DeviceTrait, HostTrait};

use super::device::{device_id, device_label};
use super::error::one_line;
use super::list::QuietAlsa;

/// Rates a console offers, when a device accepts them.
const COMMON_RATES: [u32; 7] = [44_100, 48_000, 88_200, 96_000, 176_400, 192_000, 32_000];

#[derive(Debug, Clone, PartialEq)]
pub struct DeviceChoice {
    /// What `OutputConfig::device` takes to pick this device again.
    pub id: String,
    pub label: String,
    pub default: bool,
    /// Common rates the device accepts, its default rate first.
    pub rates: Vec<u32>,
    pub max_channels: u16,
    /// Smallest and largest buffer in frames, when the host says.
    pub buffer: Option<(u32, u32)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HostChoice {
    pub name: String,
    pub default: bool,
    pub devices: Vec<DeviceChoice>,
    /// Why the host or its devices could not be listed.
    pub problem: Option<String>,
}

/// Every host and output device, with what each accepts.
pub fn catalog() -> Vec<HostChoice> {
    let _quiet = QuietAlsa::new();
    let default_host = cpal::default_host().id();
    cpal::available_hosts()
        .into_iter()
        .map(|id| {
            let mut choice = HostChoice {
                name: id.name().to_owned(),
                default: id == default_host,
                devices: Vec::new(),
                problem: None,
            };
            let host = match cpal::host_from_id(id) {
                Ok(h) => h,
                Err(e) => {
                    choice.problem = Some(one_line(&e.to_string()));
                    return choice;
                }
            };
            let default_dev = host.default_output_device().map(|d| device_id(&d));
            match host.output_devices() {
                Ok(devices) => {
                    choice.devices = devices
                        .filter_map(|d| describe(&d, default_dev.as_deref()))
                        .collect();
                }
                Err(e) => choice.problem = Some(one_line(&e.to_string())),
            }
            choice
        })
        .collect()
}

fn describe(d: &cpal::Device, default: Option<&str>) -> Option<DeviceChoice> {
    let config = d.default_output_config().ok()?;
    let ranges: Vec<_> = d.supported_output_configs().ok()?.collect();
    let mut rates = vec![config.sample_rate()];
    for r in COMMON_RATES {
        if !rates.contains(&r) && ranges.iter().any(|c| c.contains_rate(r)) {
            rates.push(r);
        }
    }
    let buffer = ranges.iter().find_map(|c| match c.buffer_size() {
        cpal::SupportedBufferSize::Range { min, max } => Some((*min, *max)),
        cpal::SupportedBufferSize::Unknown => None,
    });
    let id = device_id(d);
    Some(DeviceChoice {
        default: default == Some(id.as_str()),
        label: device_label(d),
        id,
        rates,
        max_channels: ranges.iter().map(|c| c.channels()).max().unwrap_or(2),
        buffer,
    })
}
