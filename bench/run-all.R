# make bench: run every benchmark script in bench/ and record results in bench/results/.
for (f in sort(list.files("bench", pattern = "^bench-.*\\.R$", full.names = TRUE))) {
  if (basename(f) == "bench-utils.R") next
  cat("==", f, "\n")
  source(f, local = new.env())
}
