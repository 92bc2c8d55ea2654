# make install: build the vignettes against the mrkit that `R CMD INSTALL .` has just
# installed and put them in inst/doc, as R CMD build does, so that the next `R CMD INSTALL .`
# (nothing left to compile) installs them with their index: browseVignettes("mrkit") lists
# them. Going through R CMD build instead compiles the package twice (once into a temporary
# library only to build the vignettes, once more from the tarball).
# Usage: Rscript tools/build-vignettes.R   (make install removes inst/doc afterwards)
if (!requireNamespace("mrkit", quietly = TRUE)) stop("mrkit is not installed: run `R CMD INSTALL .` first")
doc <- file.path("inst", "doc")
unlink(doc, recursive = TRUE)
started <- Sys.time()
tools::buildVignettes(dir = ".", tangle = TRUE, quiet = TRUE)
v <- tools::pkgVignettes(dir = ".", output = TRUE, source = TRUE)
dir.create(doc, recursive = TRUE, showWarnings = FALSE)
files <- unique(c(v$docs, v$outputs, unlist(v$sources)))
if (!all(file.copy(files, doc, overwrite = TRUE, copy.date = TRUE))) stop("could not copy the vignettes to ", doc)
unlink(c(v$outputs, unlist(v$sources)))
message(sprintf("Built %d vignettes into %s in %.0f s: %s", length(v$docs), doc,
                as.numeric(difftime(Sys.time(), started, units = "secs")),
                paste(basename(v$outputs), collapse = ", ")))
