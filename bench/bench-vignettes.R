# Build time of each vignette: rmarkdown::render() of vignettes/*.Rmd with the installed
# mrkit, each in a fresh R process (as R CMD build does), on the machine's cores.
# Results: bench/results/vignettes.csv (the .md beside it adds the R CMD build figures).
rmds <- sort(list.files("vignettes", pattern = "\\.Rmd$", full.names = TRUE))
out <- tempfile("vignettes-")
dir.create(out)
rscript <- file.path(R.home("bin"), "Rscript")
# Wall time, and the CPU time of the child R process (user + system), which depends far
# less on what else the shared machine is doing.
times <- vapply(rmds, function(f) {
  expr <- sprintf("rmarkdown::render('%s', output_dir = '%s', intermediates_dir = tempdir(), quiet = TRUE)",
                  normalizePath(f), out)
  st <- system.time(status <- system2(rscript, c("-e", shQuote(expr)), stdout = FALSE, stderr = FALSE))
  if (status != 0) stop("vignette failed to build: ", f)
  c(wall = st[["elapsed"]], cpu = st[["user.child"]] + st[["sys.child"]])
}, numeric(2))
res <- data.frame(vignette = basename(rmds), seconds = round(times["wall", ], 1),
                  cpu_seconds = round(times["cpu", ], 1),
                  html_kb = round(file.size(file.path(out, sub("\\.Rmd$", ".html", basename(rmds)))) / 1024),
                  cores = parallel::detectCores(), date = format(Sys.Date()))
print(res)
dir.create("bench/results", showWarnings = FALSE)
utils::write.csv(res, "bench/results/vignettes.csv", row.names = FALSE)
unlink(out, recursive = TRUE)
