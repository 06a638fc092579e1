# Shared by the consumer checks (sourced): one line per check, and a closing
# "<CHECK_NAME>: N passed, M failed" line that .ci/run counts.
passed=0
failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1"; [[ $# -gt 1 ]] && sed 's/^/    /' <<<"$2" | head -n 40; failed=$((failed + 1)); }
# check NAME COMMAND...: runs the command, ok when it exits 0.
check() {
  local name="$1" out
  shift
  if out="$("$@" 2>&1)"; then ok "$name"; else not_ok "$name" "$out"; fi
}
# finish: the closing line, and the exit status (0 when nothing failed).
finish() {
  echo "${CHECK_NAME}: ${passed} passed, ${failed} failed"
  [[ "$failed" -eq 0 ]]
  exit $?
}
