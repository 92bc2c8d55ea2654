# Build time of each vignette and study article: rmarkdown::render() of vignettes/*.Rmd and
# vignettes/articles/*.Rmd with the installed mrkit, each in a fresh R process (as R CMD
# build and the site do), on the machine's cores.
# Results: bench/results/vignettes.csv (the .md beside it adds the R CMD build figures).
rmds <- c(sort(list.files("vignettes", pattern = "\\.Rmd$", full.names = TRUE)),
          sort(list.files(file.path("vignettes", "articles"), pattern = "\\.Rmd$", full.names = TRUE)))
out <- tempfile("vignettes-")
dir.create(out)
rscript <- file.path(R.home("bin"), "Rscript")
# Wall time, and the CPU time of the child R process (user + system): on a shared machine
# the wall time depends on the load, the CPU time hardly. load_avg: the 1-minute load
# average when the vignette finished.
times <- vapply(rmds, function(f) {
  expr <- sprintf("rmarkdown::render('%s', output_dir = '%s', intermediates_dir = tempdir(), quiet = TRUE)",
                  normalizePath(f), out)
  t0 <- Sys.time()
  cpu <- system.time(status <- system2(rscript, c("-e", shQuote(expr)), stdout = FALSE, stderr = FALSE))
  if (status != 0) stop("vignette failed to build: ", f)
  load <- if (file.exists("/proc/loadavg")) as.numeric(strsplit(readLines("/proc/loadavg"), " ")[[1]][1]) else NA
  c(wall = as.numeric(difftime(Sys.time(), t0, units = "secs")),
    cpu = cpu[["user.child"]] + cpu[["sys.child"]], load = load)
}, numeric(3))
res <- data.frame(vignette = basename(rmds), seconds = round(times["wall", ], 1),
                  cpu_seconds = round(times["cpu", ], 1),
                  load_avg = round(times["load", ], 1),
                  html_kb = round(file.size(file.path(out, sub("\\.Rmd$", ".html", basename(rmds)))) / 1024),
                  cores = parallel::detectCores(), date = format(Sys.Date()))
print(res)
dir.create("bench/results", showWarnings = FALSE)
utils::write.csv(res, "bench/results/vignettes.csv", row.names = FALSE)
unlink(out, recursive = TRUE)
