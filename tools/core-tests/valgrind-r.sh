#!/bin/sh
# valgrind (memcheck) over the R test files that exercise the C++ core: readers, clumping
# and LD, MR-PRESSO, multi-pair runs. Uses the installed mrkit (R_LIBS); R's own known
# reports are suppressed by valgrind-r.supp. One log per test file in <out-dir>.
#   usage: tools/core-tests/valgrind-r.sh [out-dir] [test files...]
# Fails if any log has an invalid read/write, a use of uninitialised memory inside
# mrkit.so, or bytes definitely lost in a stack that goes through mrkit.so.
set -u
top=$(git rev-parse --show-toplevel)
out=${1:-/tmp/mrkit-valgrind}
shift 2>/dev/null || true
files=${*:-test-sumstats.R test-instruments-clump.R test-ld.R test-est-presso.R test-mr.R test-designs.R test-tabix.R test-est-correlated.R test-mr-correlated.R}
mkdir -p "$out"
cd "$top"
status=0
for f in $files; do
  log="$out/${f%.R}.vg"
  rm -f "$log"
  start=$(date +%s)
  R_LIBS=${R_LIBS:-} NOT_CRAN=true OMP_NUM_THREADS=2 MRKIT_SHARED=${MRKIT_SHARED:-/work/shared} nice -n 10 R -d "valgrind --tool=memcheck --leak-check=full \
    --suppressions=$top/tools/core-tests/valgrind-r.supp --log-file=$log" --vanilla --no-echo \
    -e "testthat::test_file('tests/testthat/$f', package = 'mrkit', load_package = 'installed', reporter = 'summary')" \
    > "$out/${f%.R}.out" 2>&1
  secs=$(( $(date +%s) - start ))
  errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$log" | tail -n 1)
  invalid=$(grep -c -E "Invalid (read|write)" "$log")
  def=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -n 1)
  # Loss records and errors whose stack passes through mrkit.so.
  mrkit_hits=$(awk '/^==[0-9]+== [^ ]/{blk=$0; next} /mrkit\.so/{print blk}' "$log" | sort -u |
               grep -c -E "Invalid|uninitialised|definitely lost" || true)
  echo "$f: ${secs}s, errors ${errs:-?}, invalid read/write $invalid, definitely lost ${def:-0} bytes, mrkit reports $mrkit_hits"
  [ "$invalid" -gt 0 ] || [ "$mrkit_hits" -gt 0 ] && status=1
done
exit $status
