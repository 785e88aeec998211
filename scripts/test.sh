#!/usr/bin/env bash
# Sets up, builds, and runs the whole suite: the lit regression tests and the
# runtime's unit tests. Ends with the plain line "N passed, N failed" and
# exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
bash scripts/build.sh || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
mkdir -p build/test-results

/usr/lib/llvm-22/bin/lit -sv --xunit-xml-output build/test-results/lit.xml build/test
lit_rc=$?
if [ -f build/test-results/lit.xml ]; then
  read -r t f e s < <(python3 scripts/count_xunit.py build/test-results/lit.xml)
  passed=$((passed + t - f - e - s))
  failed=$((failed + f + e))
else
  failed=$((failed + 1))
fi
[ $lit_rc -ne 0 ] && [ -f build/test-results/lit.xml ] && [ "$failed" -eq 0 ] && failed=1

if [ -x build/bin/ssm-unit-tests ]; then
  build/bin/ssm-unit-tests --gtest_output=xml:build/test-results/unit.xml
  unit_rc=$?
  if [ -f build/test-results/unit.xml ]; then
    read -r t f e s < <(python3 scripts/count_xunit.py build/test-results/unit.xml)
    passed=$((passed + t - f - e - s))
    failed=$((failed + f + e))
  fi
  [ $unit_rc -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
fi

echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
