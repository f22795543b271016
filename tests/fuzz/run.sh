#!/bin/sh
# tests/fuzz/run.sh -- runs each libFuzzer target built by build.sh for
# FUZZ_TIME seconds (default 60), one after another, each in one process:
# first its regression inputs (tests/fuzz/regress/TARGET/*) once, then
# fuzzing from OUT/corpus/TARGET (kept between runs) and OUT/seeds/TARGET.
# Prints one summary line per target (runs, execs/s, coverage) and exits 1
# if any target found a crash, leak, time-out or broken invariant (written
# to OUT/artifacts/TARGET/). 'make fuzz' runs it; see tests/fuzz/README.
#	sh tests/fuzz/run.sh OUT [TARGET...]
set -u
cd "$(dirname "$0")/../.." || exit 2
OUT=${1:?usage: run.sh OUT [TARGET...]}
shift
FUZZ_TIME=${FUZZ_TIME:-60}
targets=${*:-fuzz_analyze fuzz_lines fuzz_mime fuzz_load fuzz_query fuzz_script fuzz_scan fuzz_trace}
failed=0
for t in $targets; do
	if [ ! -x "$OUT/$t" ]; then
		echo "fuzz: $t: not built (sh tests/fuzz/build.sh $OUT)"
		failed=1
		continue
	fi
	mkdir -p "$OUT/corpus/$t" "$OUT/artifacts/$t"
	log=$OUT/$t.log
	if [ -d "tests/fuzz/regress/$t" ] &&
	    ! "$OUT/$t" tests/fuzz/regress/"$t"/* >"$log" 2>&1; then
		echo "fuzz: $t: a regression input fails again:"
		tail -n 30 "$log"
		failed=1
		continue
	fi
	case $t in
	fuzz_load) max_len=65536 ;;
	fuzz_query) max_len=512 ;;
	fuzz_scan) max_len=32768 ;;
	fuzz_trace) max_len=16384 ;;
	*) max_len=16384 ;;
	esac
	# a fixed seed (FUZZ_SEED, default 1): a pass over the same inputs makes
	# the same mutations, so a smoke pass in CI finds what it found before
	# FUZZ_TIMEOUT (default 10 s) is wall time: a long run at low priority
	# beside other work needs more, or a starved input is reported as a hang
	"$OUT/$t" -seed="${FUZZ_SEED:-1}" -max_total_time="$FUZZ_TIME" -max_len=$max_len \
		-timeout="${FUZZ_TIMEOUT:-10}" \
		-rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$OUT/artifacts/$t/" \
		"$OUT/corpus/$t" "$OUT/seeds/$t" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/cov \1, ft \2, corpus \3/p')
	if [ $rc -ne 0 ]; then
		echo "fuzz: $t: FOUND something (exit $rc); artifacts in $OUT/artifacts/$t:"
		grep -E 'ERROR|SUMMARY|^fuzz_|runtime error' "$log" | head -n 10
		ls "$OUT/artifacts/$t"
		failed=1
	else
		echo "fuzz: $t: ${runs:-?} runs in ${FUZZ_TIME}s, ${eps:-?} execs/s, ${cov:-no coverage line}"
	fi
done
exit $failed
