# package-testlib.sh: PASS/FAIL bookkeeping shared by test-package.sh and
# test-package-install.sh (sourced, not run).
passed=0 failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
# check NAME COMMAND...: PASS when the command succeeds (its output hidden).
check() {
  local name=$1
  shift
  if "$@" >/dev/null 2>&1; then pass "$name"; else fail "$name"; fi
}
# equal NAME GOT WANT
equal() {
  if [[ "$2" == "$3" ]]; then pass "$1 = $2"; else fail "$1 = '$2', want '$3'"; fi
}
# relay: reads PASS/FAIL lines of another checker from stdin and counts
# them; fails NAME when none came.
relay() {
  local name=$1 seen=0 line
  while IFS= read -r line; do
    case $line in
      PASS\ *) pass "${line#PASS }"; seen=1 ;;
      FAIL\ *) fail "${line#FAIL }"; seen=1 ;;
      *) echo "  $line" ;;
    esac
  done
  [[ $seen -eq 1 ]] || fail "$name"
}
# finish LABEL: prints the summary and exits non-zero on any failure.
finish() {
  echo "$1: $passed passed, $failed failed"
  [[ $failed -eq 0 ]]
  exit
}
