//! Real-time scheduling for the thread that runs the audio callback.
//!
//! The host decides which thread calls us (ALSA: cpal's worker thread;
//! PulseAudio, and PipeWire through its PulseAudio server: the client
//! library's event thread), so the callback promotes whichever thread it
//! finds itself on, once per thread: `SCHED_FIFO` at a modest priority,
//! not inherited by children. Linux allows that to root, to holders of
//! `CAP_SYS_NICE` and to users with an `RLIMIT_RTPRIO` (e.g. the `audio`
//! group in /etc/security/limits.d); elsewhere the thread stays at normal
//! priority and the status says why. One system call, no allocation.

/// Priority asked for (1–99): what desktop real-time brokers grant, below
/// the sound server's own threads on most systems.
pub const RT_PRIORITY: i32 = 10;

/// What happened when the callback thread asked for real-time priority:
/// the priority granted (> 0), the OS error number refused with (< 0), or
/// 0 when not tried (not Linux, or no callback yet).
pub fn promote_current_thread() -> i32 {
    #[cfg(target_os = "linux")]
    {
        const SCHED_RESET_ON_FORK: libc::c_int = 0x4000_0000;
        let param = libc::sched_param {
            sched_priority: RT_PRIORITY,
        };
        // SAFETY: plain system calls on the calling thread with a valid,
        // initialised parameter block.
        let rc = unsafe {
            libc::pthread_setschedparam(
                libc::pthread_self(),
                libc::SCHED_FIFO | SCHED_RESET_ON_FORK,
                &param,
            )
        };
        if rc == 0 { RT_PRIORITY } else { -rc }
    }
    #[cfg(not(target_os = "linux"))]
    {
        0
    }
}

/// An opaque id of the calling thread, to notice when the host moves the
/// callback to another thread.
pub fn current_thread_id() -> u64 {
    #[cfg(unix)]
    {
        // SAFETY: pthread_self has no preconditions.
        unsafe { libc::pthread_self() as u64 }
    }
    #[cfg(not(unix))]
    {
        1
    }
}

/// A line for the status: "real-time (SCHED_FIFO 10)" or why not.
pub fn describe(code: i32) -> String {
    match code {
        0 => "normal priority (real-time not tried)".into(),
        p if p > 0 => format!("real-time (SCHED_FIFO {p})"),
        e => format!(
            "normal priority (real-time refused: {})",
            std::io::Error::from_raw_os_error(-e)
        ),
    }
}
