#!/usr/bin/env bash
# Synthesises the demo stems with sox: a 16-bar loop (38.4 s) at 100 bpm in A minor.
# Everything here is generated from scratch (no samples), so the stems are
# ours to license like the code. Re-run to regenerate; output is FLAC.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
R="-r 48000"
# Stems are written as 16-bit FLAC at the strongest compression (-b 16 -C 8)
# to keep the whole demo small.
beat=0.6          # 100 bpm
bars=16

# Kick: pitch-swept sine on beats 1 and 3.
sox -n $R -c 1 "$tmp/k.wav" synth 0.35 sine 150:42 fade q 0.002 0.35 0.3 pad 0 0.25 gain -2
sox -n $R -c 1 "$tmp/rest.wav" trim 0 $beat
sox "$tmp/k.wav" "$tmp/rest.wav" "$tmp/k2.wav"
sox "$tmp/k2.wav" -b 16 -C 8 kick.flac repeat $((bars * 2 - 1))

# Snare: a noise burst with a little body, on beats 2 and 4.
sox -n $R -c 1 "$tmp/sn_noise.wav" synth 0.2 noise gain -6 lowpass 7000 highpass 300 fade q 0.001 0.2 0.18
sox -n $R -c 1 "$tmp/sn_body.wav" synth 0.2 sine 190:160 fade q 0.001 0.2 0.15 gain -6
sox -m "$tmp/sn_noise.wav" "$tmp/sn_body.wav" "$tmp/sn.wav" pad 0 0.4 gain 2
sox "$tmp/rest.wav" "$tmp/sn.wav" "$tmp/sn2.wav"
sox "$tmp/sn2.wav" -b 16 -C 8 snare.flac repeat $((bars * 2 - 1))

# Hats: short high noise on every eighth note, the off-beats softer.
sox -n $R -c 1 "$tmp/h.wav" synth 0.04 noise gain -10 highpass 8000 fade q 0.001 0.04 0.035 pad 0 0.26
sox "$tmp/h.wav" "$tmp/hsoft.wav" gain -6
sox "$tmp/h.wav" "$tmp/hsoft.wav" "$tmp/h2.wav"
sox "$tmp/h2.wav" -b 16 -C 8 hats.flac repeat $((bars * 4 - 1))

# Bass: one root note per beat, Am – F – C – G.
notes=()
for root in A1 A1 A1 A1 F1 F1 F1 F1 C2 C2 C2 C2 G1 G1 G1 G1; do
  f="$tmp/b_${#notes[@]}.wav"
  sox -n $R -c 1 "$f" synth 0.55 sawtooth $root gain -9 lowpass 500 fade q 0.005 0.55 0.15 pad 0 0.05
  notes+=("$f")
done
sox "${notes[@]}" "$tmp/bass4.wav"
sox "$tmp/bass4.wav" -b 16 -C 8 bass.flac repeat $((bars / 4 - 1))

# Pad: slow stereo chords (left and right slightly detuned).
chords=()
for chord in "A3 C4 E4" "F3 A3 C4" "C4 E4 G4" "G3 B3 D4"; do
  set -- $chord
  f="$tmp/c_${#chords[@]}.wav"
  sox -n $R -c 2 "$f" synth 2.4 sine $1 sine $1 synth 2.4 sine mix $2 sine mix $2 \
      synth 2.4 sine mix $3 sine mix $3 fade q 0.4 2.4 0.6 gain -16
  chords+=("$f")
done
sox "${chords[@]}" "$tmp/pad4.wav"
sox "$tmp/pad4.wav" -b 16 -C 8 pad.flac repeat $((bars / 4 - 1))

# Pluck: a short square arpeggio on eighths (the lead until a voice lands).
plucks=()
for n in A4 C5 E5 A5 F4 A4 C5 F5 C5 E5 G5 C6 G4 B4 D5 G5; do
  f="$tmp/p_${#plucks[@]}.wav"
  sox -n $R -c 1 "$f" synth 0.3 square $n gain -20 lowpass 2500 fade q 0.002 0.3 0.25
  plucks+=("$f")
done
sox "${plucks[@]}" "$tmp/pl.wav"
sox "$tmp/pl.wav" "$tmp/pl2.wav" repeat 1
sox "$tmp/pl2.wav" -b 16 -C 8 pluck.flac repeat $((bars / 4 - 1))

# Lead: a synthesised voice-like line (sawtooth through a formant-like
# band-pass, a slight tremolo), eight bars of melody, played twice.
lead=()
for n in E5 - C5 D5 E5 - G5 E5 D5 - C5 A4 C5 - D5 - E5 - C5 D5 E5 - G5 A5 G5 - E5 D5 C5 - A4 -; do
  f="$tmp/l_${#lead[@]}.wav"
  if [ "$n" = "-" ]; then
    sox -n $R -c 1 "$f" trim 0 0.6
  else
    sox -n $R -c 1 "$f" synth 0.6 sawtooth $n gain -12 bandpass 1200 1.2q lowpass 3500 \
        tremolo 5.5 15 fade q 0.03 0.6 0.12
  fi
  lead+=("$f")
done
sox "${lead[@]}" "$tmp/lead_half.wav"
sox "$tmp/lead_half.wav" -b 16 -C 8 lead.flac repeat $((bars * 4 / ${#lead[@]} - 1))

ls -l ./*.flac
