#!/bin/sh
# Run mrkit's R tests once against a package built with -fsanitize=address,undefined.
# The package is built from a copy of the committed tree (git archive HEAD) into its own
# library, so the worktree's src/*.o and the normal library are left alone. R itself is not
# instrumented: libasan is preloaded (LD_PRELOAD) and leak detection is off (R does not
# free everything at exit).
#   usage: tools/core-tests/sanitize-r.sh [build-dir]   (default /tmp/mrkit-asan)
#   MRKIT_SANITIZE_TESTS="sumstats ld ..." picks the test files (names without test-/.R);
#   "all" runs the whole suite. The default is the files that run the C++ core hardest.
# Output: <build-dir>/install.log, tests.log; fails if a sanitizer reported anything.
set -eu
top=$(git rev-parse --show-toplevel)
dir=${1:-/tmp/mrkit-asan}
tests=${MRKIT_SANITIZE_TESTS:-"sumstats data-read tabix gwas-vcf-write instruments-clump ld \
  est-presso est-mode est-median est-correlated mr-correlated est-gsmr mr designs"}
[ "$tests" = all ] && tests=""
rm -rf "$dir/src-tree" "$dir"/asan.* "$dir"/ubsan.* && mkdir -p "$dir/src-tree" "$dir/lib"
git -C "$top" archive HEAD | tar -x -C "$dir/src-tree"
# Uncommitted core headers and glue too (so a fix can be checked before committing).
cp -r "$top/inst/include/mrkit/." "$dir/src-tree/inst/include/mrkit/"
cp "$top"/src/*.cpp "$top"/src/*.h "$dir/src-tree/src/" 2>/dev/null || true
start=$(date +%s)
R_MAKEVARS_USER="$top/tools/core-tests/asan.Makevars" MAKEFLAGS=${MAKEFLAGS:--j2} \
  nice -n 10 R CMD INSTALL --no-multiarch --no-test-load -l "$dir/lib" "$dir/src-tree" \
  > "$dir/install.log" 2>&1 || { tail -n 20 "$dir/install.log"; exit 1; }
echo "instrumented build: $(( $(date +%s) - start )) s"
asan=$(gcc -print-file-name=libasan.so)
cd "$top"
start=$(date +%s)
# shellcheck disable=SC2086
LD_PRELOAD="$asan" ASAN_OPTIONS=detect_leaks=0:halt_on_error=0:log_path="$dir/asan" \
  UBSAN_OPTIONS=print_stacktrace=1:log_path="$dir/ubsan" \
  MRKIT_SHARED=${MRKIT_SHARED:-/work/shared} R_LIBS="$dir/lib" OMP_NUM_THREADS=2 \
  nice -n 10 Rscript tools/run-tests.R $tests > "$dir/tests.log" 2>&1 || true
echo "tests: $(( $(date +%s) - start )) s"
tail -n 1 "$dir/tests.log"
reports=$(ls "$dir"/asan.* "$dir"/ubsan.* 2>/dev/null | wc -l)
grep -h "runtime error" "$dir/tests.log" || true
echo "sanitizer report files: $reports"
test "$reports" -eq 0 && ! grep -q "runtime error" "$dir/tests.log"
