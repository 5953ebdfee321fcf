#!/usr/bin/env bash
# Regenerates the synthesised speech fixtures in fixtures/audio/ (16 kHz mono s16 WAV + truth text).
# Usage: scripts/make-audio-fixtures.sh [OUTPUT_DIR]   (default: fixtures/audio next to this script)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out_dir="${1:-$(dirname "$here")/fixtures/audio}"

for tool in espeak-ng ffmpeg; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "make-audio-fixtures: $tool not found on PATH (install it: apt-get install $tool)" >&2
    exit 4
  fi
done

mkdir -p "$out_dir"
tmp_dir="$(mktemp -d)"
trap 'rm -rf "$tmp_dir"' EXIT

# synth NAME VOICE TEXT TRUTH: speak TEXT with espeak-ng, resample to 16 kHz mono s16, write NAME.wav and NAME.txt.
synth() {
  local name="$1" voice="$2" text="$3" truth="$4"
  espeak-ng -v "$voice" -s 150 -w "$tmp_dir/$name.raw.wav" -- "$text"
  # -bitexact and -map_metadata -1 keep the encoder tag out, so reruns give identical bytes.
  ffmpeg -hide_banner -loglevel error -y -i "$tmp_dir/$name.raw.wav" \
    -ar 16000 -ac 1 -sample_fmt s16 -map_metadata -1 -bitexact -fflags +bitexact -flags:a +bitexact \
    "$out_dir/$name.wav"
  # No trailing newline: the truth is compared character by character.
  printf '%s' "$truth" >"$out_dir/$name.txt"
  echo "wrote $out_dir/$name.wav ($(wc -c <"$out_dir/$name.wav") bytes), truth: $truth"
}

# Debian's espeak-ng 1.51 'cmn' voice reads Han characters as English-spoken pinyin ("ling two");
# 'cmn-latn-pinyin' pronounces them as Mandarin.
synth phone-zh cmn-latn-pinyin '零九零零零七三三三一' '0900073331'
synth hello-en en-us 'Hello, this is a short test of speech recognition.' 'Hello, this is a short test of speech recognition.'
