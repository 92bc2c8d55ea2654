# Whole MR screens from GWAS files: many exposures x many outcomes, resumable, on any
# future plan.

#' Screen many exposure GWAS files against many outcome GWAS files
#'
#' The many-pair companion of [mr_pipeline()], with the same defaults: for every
#' exposure file and every outcome file it reads the exposure keeping variants with p
#' below `pval_threshold`, LD-clumps them on the reference panel `bfile`, looks the
#' instruments up in the outcome (with LD proxies for missing ones), harmonises alleles,
#' estimates the causal effect with [mr()] and adds heterogeneity, the MR-Egger intercept,
#' instrument strength and the Steiger test; with `bidirectional = TRUE` also the reverse
#' direction (the outcome's instruments looked up in each exposure file). The `mr` rows
#' are finally corrected for multiple testing with [mr_adjust()].
#'
#' @section How the work is split:
#' 1. *Instruments* (one task per exposure file): read filtered at `pval_threshold`, then
#'    clumped.
#' 2. *Outcomes* (one task per outcome file): each outcome file is read once, keeping only
#'    the instruments of all exposures of the screen; when some are missing from it and
#'    `proxies = TRUE`, a second filtered pass keeps their LD partners: the panel variants
#'    within `proxy_window_kb` with r^2 >= `rsq` (the only possible proxies). With
#'    `bidirectional = TRUE` the outcome's own instruments are selected too.
#' 3. *Pairs* (one task per exposure file): each task receives only the outcome rows its
#'    instruments need, and runs every pair of that exposure.
#'
#' Nothing else is kept in memory: an exposure file is never held whole, and an outcome
#' only as the rows of the screen's instruments and their candidate proxies.
#'
#' @section Parallel and distributed runs:
#' Tasks run through 'future.apply' on whatever [future::plan()] is set: `sequential`,
#' `multisession`, `cluster` (other hosts), or a scheduler through 'future.batchtools'
#' (SLURM, SGE, LSF, PBS) or other future back ends. Without 'future.apply' they run one
#' after another. Results do not depend on the plan: each pair runs under its own seed,
#' derived from one base seed (drawn once from R's RNG, so `set.seed()` reproduces the
#' screen) and the pair's identity (direction, exposure id, outcome id); the seeds are
#' recorded in `settings$base_seed` and the column `pair_seed`.
#'
#' *Threads and workers.* Clumping, proxy search and [mr()] use `threads` C++ threads
#' inside each task. The default, `threads = NULL` (without the option `mrkit.threads`), divides the machine's cores
#' ([parallelly::availableCores()], which honours `mc.cores`, cgroups and scheduler
#' allocations such as `SLURM_CPUS_PER_TASK`) by the number of future workers
#' ([future::nbrOfWorkers()]), at least 1: with `plan(multisession, workers = 2)` on 8
#' cores each worker uses 4 threads, so workers x threads never exceeds the cores. On
#' scheduler plans (where the number of workers is not a number of local cores) the
#' default is 1 thread; set `threads` to the cores each job requests.
#'
#' @section Checkpoints and resuming:
#' With `checkpoint = dir`, each finished task writes its result to an RDS file in `dir`
#' (instruments per exposure, outcome rows per outcome, and the results and audit of all
#' pairs of each exposure), with the settings and the base seed in `dir/settings.rds`.
#' Running the same call again skips what is done and returns exactly the table of an
#' uninterrupted run; a call with different files or settings is refused (error class
#' `mrkit_error_checkpoint`). Writes are atomic (write then rename), so a run killed at
#' any moment leaves only complete files.
#'
#' @section Failures:
#' A file that cannot be read (missing columns, truncated, corrupt), an exposure without
#' instruments, or a pair without usable variants does not stop the screen: it becomes a
#' row of `audit` naming the direction, exposure, outcome, file, step and reason.
#'
#' @section SLURM recipe:
#' One R process (on a login node, or in a small long-running job) drives the screen; the
#' tasks go to SLURM as jobs through 'future.batchtools', whose built-in `"slurm"`
#' template turns each entry of `resources` into an `#SBATCH --<name>=<value>` line
#' (`modules` and `envs` are loaded/set in the job):
#' ```
#' library(mrkit)
#' future::plan(future.batchtools::batchtools_slurm,
#'              resources = list(`cpus-per-task` = 4, mem = "8G", time = "02:00:00",
#'                               modules = "R"),
#'              workers = 100)   # at most 100 jobs; the exposures are split among them
#' set.seed(2024)
#' res <- mr_screen(Sys.glob("gwas/exposures/*.tsv.gz"),
#'                  data.frame(file = c("finngen_R10_T2D.gz", "finngen_R10_I9_CHD.gz"),
#'                             id = c("T2D", "CHD"), format = "finngen", samplesize = 400000),
#'                  bfile = "ref/1kg_eur", threads = 4, checkpoint = "screen-ckpt")
#' saveRDS(res, "screen.rds")
#' ```
#' * Give `threads` the cores each job asks for (`cpus-per-task`): under a scheduler plan
#'   the default cannot see the nodes' cores and uses 1 thread.
#' * The files, the panel and the checkpoint directory must be on a file system shared by
#'   the nodes (batchtools also keeps its registry in `./.future`).
#' * If the driver or the cluster goes down, run the same script again: finished
#'   exposures are read back from `screen-ckpt` and only the rest are submitted.
#' * Each job reads its exposure files once (filtered while reading) and holds only the
#'   outcome rows of its instruments; the outcome files are read by the outcome tasks,
#'   one job per outcome file.
#'
#' @param exposures,outcomes GWAS files: paths or glob patterns (`"gwas/*.tsv.gz"`), or a
#'   data frame with a column `file` and optionally `id` (unique; default the file name
#'   without extensions), `trait` (the name shown; default the id), `format` (see
#'   [read_sumstats()]; default `"auto"`) and `samplesize` (used where the file has none).
#' @param bfile Path prefix of a PLINK 1 reference panel, for clumping and proxies.
#' @param ... Reader options passed to [read_sumstats()]: `sep`, `max_malformed`.
#' @param checkpoint `NULL`, or a directory for checkpoints (created if needed).
#' @inheritParams mr_pipeline
#' @param sensitivity Add heterogeneity, MR-Egger intercept and instrument-strength rows.
#' @param bidirectional Also run every pair in the reverse direction.
#' @param adjust Multiple-testing corrections of the `mr` rows (see [mr_adjust()]);
#'   `character()` for none.
#' @param adjust_by Columns defining the families of tests.
#' @param threads C++ threads per task; `NULL`: the option `mrkit.threads` when set, else
#'   the cores divided by the future workers (see above).
#' @return An object of class `mrkit_screen`: a list with `results` (a data frame like
#'   [mr_scan()]'s with `direction` first and the columns `snp_r2.exposure,
#'   snp_r2.outcome, correct_causal_direction, steiger_pval, pair_seed` and the
#'   adjusted p-values), `audit` (`direction, id.exposure, id.outcome, file, step,
#'   reason`), `instruments` (per exposure or outcome file: variants read, selected and
#'   kept after clumping), `pairs` (every pair with its seed and status) and `settings`
#'   (the arguments, `base_seed`, `nboot`, `threads`, the plan) and `timing` (wall time
#'   of the three stages, in seconds).
#' @export
#' @examples
#' dir <- tempfile()
#' dir.create(dir)
#' panel <- simulate_ld_panel(300, 1200, block_size = 40, prefix = file.path(dir, "panel"), seed = 1)
#' for (i in 1:3) {
#'   simulate_gwas_files(panel, file.path(dir, sprintf("exp%d.tsv.gz", i)),
#'                       file.path(dir, sprintf("out%d.tsv.gz", i)), b = 0.3, n_causal = 10,
#'                       seed = i)
#' }
#' set.seed(1)
#' res <- mr_screen(file.path(dir, "exp*.tsv.gz"), file.path(dir, c("out1.tsv.gz", "out2.tsv.gz")),
#'                  bfile = panel$bfile, method_list = c("mr_ivw", "mr_weighted_median"))
#' res
#' mr_rows <- res$results[res$results$analysis == "mr", ]
#' head(mr_rows[c("id.exposure", "id.outcome", "method", "b", "pval")])
#' unlink(dir, recursive = TRUE)
mr_screen <- function(exposures, outcomes, bfile = NULL, ..., checkpoint = NULL,
                      pval_threshold = 5e-8, clump = TRUE, clump_kb = 10000, clump_r2 = 0.001,
                      proxies = TRUE, rsq = 0.8, proxy_window_kb = 5000, action = 2,
                      method_list = NULL, parameters = default_parameters(), sensitivity = TRUE,
                      bidirectional = FALSE, adjust = c("bonferroni", "BH"),
                      adjust_by = c("direction", "id.outcome", "method"), threads = NULL) {
  call <- rlang::current_env()
  parameters <- check_parameters(parameters, call = call)
  design_check_threshold(pval_threshold, call = call)
  check_action(action, call = call)
  for (nm in c("clump", "proxies", "sensitivity", "bidirectional")) screen_check_flag(get(nm), nm, call)
  if (is.null(method_list)) {
    tab <- mr_method_list()
    method_list <- tab$obj[tab$use_by_default]
  }
  lookup_methods(method_list, call = call)
  if ((clump || proxies) && is.null(bfile)) {
    abort_mrkit("bfile_missing", c("{.arg bfile} is needed for clumping and LD proxies.",
                                   i = "Give a PLINK reference panel, or set {.code clump = FALSE, proxies = FALSE}."),
                call = call)
  }
  if (!is.null(bfile)) bfile <- check_bfile(bfile, call = call)
  reader <- screen_reader_options(list(...), call)
  exp_tab <- screen_inputs(exposures, "exposures", call)
  out_tab <- screen_inputs(outcomes, "outcomes", call)
  threads <- screen_threads(threads, call)

  # One base seed from R's RNG; every pair's seed derives from it and the pair identity.
  base_seed <- sample.int(.Machine$integer.max, 1L)
  s <- list(pval_threshold = pval_threshold, clump = clump, clump_kb = clump_kb, clump_r2 = clump_r2,
            proxies = proxies, rsq = rsq, proxy_window_kb = proxy_window_kb, action = action,
            method_list = method_list, parameters = parameters, sensitivity = sensitivity,
            bidirectional = bidirectional, bfile = bfile, reader = reader)
  ck <- screen_checkpoint_open(checkpoint, screen_fingerprint(exp_tab, out_tab, s), base_seed, call)
  base_seed <- ck$base_seed
  s$threads <- threads

  directions <- if (bidirectional) c("forward", "reverse") else "forward"
  pairs <- expand.grid(id.outcome = out_tab$id, id.exposure = exp_tab$id, direction = directions,
                       stringsAsFactors = FALSE)[c("direction", "id.exposure", "id.outcome")]
  pairs$pair_seed <- screen_pair_seed(base_seed, pairs$direction, pairs$id.exposure, pairs$id.outcome)
  pairs_per_exposure <- nrow(out_tab) * length(directions)
  progress <- screen_progressor(nrow(pairs), envir = call)
  done_res <- screen_checkpoint_done(ck, "results", exp_tab$id)
  done_inst <- screen_checkpoint_done(ck, "instruments", exp_tab$id)
  resumed <- sum(ifelse(done_res, 1, ifelse(done_inst, 0.5, 0))) * pairs_per_exposure
  if (resumed > 0) progress(amount = resumed, message = "resumed from the checkpoint")

  clock <- function() proc.time()[["elapsed"]]
  t0 <- clock()
  # 1. Instruments of every exposure file.
  inst <- screen_run(exp_tab, "instruments", ck, screen_instruments, shared = list(role = "exposure", s = s),
                     progress = progress, amount = pairs_per_exposure / 2)

  t1 <- clock()
  # 2. Outcome rows for all instruments of the screen (and the outcomes' own instruments).
  snps <- sort(unique(unlist(lapply(inst, function(r) r$instruments$SNP))))
  outs <- screen_run(out_tab, "outcomes", ck, screen_outcome, shared = list(snps = snps, s = s))
  rev_snps <- sort(unique(unlist(lapply(outs, function(r) r$instruments$SNP))))
  outs_meta <- lapply(outs, function(o) { o$rows <- NULL; o$partners <- NULL; o })

  t2 <- clock()
  # 3. All pairs of each exposure file; each task gets only the outcome rows it needs.
  res_all <- screen_run(exp_tab, "results", ck, screen_exposure_pairs,
                        shared = list(outs = outs_meta, rev_snps = rev_snps, s = s),
                        task_args = function(row) {
                          list(inst = inst[[row$id]], pairs = pairs[pairs$id.exposure == row$id, , drop = FALSE],
                               prepared = screen_outcome_rows(inst[[row$id]]$instruments, outs))
                        },
                        progress = progress, amount = pairs_per_exposure / 2)
  rm(outs)
  t3 <- clock()

  # 4. One table, in the order of the inputs, corrected for multiple testing.
  results <- design_bind(lapply(res_all, `[[`, "table"))
  if (nrow(results)) {
    results <- results[intersect(c("direction", scan_columns(), "snp_r2.exposure", "snp_r2.outcome",
                                   "correct_causal_direction", "steiger_pval", "pair_seed"), names(results))]
    if (length(adjust)) {
      mr_rows <- results$analysis == "mr"
      adj <- mr_adjust(results[mr_rows, , drop = FALSE], method = adjust, by = adjust_by)
      for (col in setdiff(names(adj), names(results))) {
        results[[col]] <- rep(adj[[col]][NA_integer_], nrow(results))
        results[[col]][mr_rows] <- adj[[col]]
      }
    }
  }
  audit <- rbind(screen_empty_audit(),
                 do.call(rbind, lapply(inst, `[[`, "audit")),
                 do.call(rbind, lapply(outs_meta, `[[`, "audit")),
                 do.call(rbind, lapply(res_all, `[[`, "audit")))
  audit <- unique(audit)
  rownames(audit) <- NULL
  status <- do.call(rbind, lapply(res_all, `[[`, "pairs"))
  if (!is.null(status)) pairs <- merge(pairs, status, by = c("direction", "id.exposure", "id.outcome"), all.x = TRUE, sort = FALSE)
  pairs <- pairs[order(match(pairs$direction, directions), match(pairs$id.exposure, exp_tab$id),
                       match(pairs$id.outcome, out_tab$id)), , drop = FALSE]
  if (is.null(pairs$status)) pairs$status <- NA_character_
  pairs$status[is.na(pairs$status)] <- "not run"
  rownames(pairs) <- NULL
  counts <- rbind(do.call(rbind, lapply(inst, `[[`, "counts")), do.call(rbind, lapply(outs_meta, `[[`, "counts")),
                  do.call(rbind, lapply(res_all, `[[`, "counts")))
  counts <- unique(counts)
  rownames(counts) <- NULL
  settings <- c(s[setdiff(names(s), c("reader", "parameters"))],
                list(parameters = parameters, nboot = parameters$nboot, base_seed = base_seed,
                     checkpoint = ck$dir, plan = screen_plan_name(),
                     exposures = exp_tab, outcomes = out_tab))
  timing <- data.frame(stage = c("instruments", "outcomes", "pairs", "total"),
                       elapsed = c(t1 - t0, t2 - t1, t3 - t2, clock() - t0))
  structure(list(results = results, audit = audit, instruments = counts, pairs = pairs,
                 settings = settings, timing = timing), class = "mrkit_screen")
}

#' @export
print.mrkit_screen <- function(x, n = 10, ...) {
  s <- x$settings
  dirs <- if (isTRUE(s$bidirectional)) "both directions" else "forward"
  n_est <- sum(x$pairs$status == "estimated")
  cli::cat_line(sprintf("<mrkit_screen>: %s x %s (%s): %s, %d estimated, %s.",
                        screen_count(nrow(s$exposures), "exposure"), screen_count(nrow(s$outcomes), "outcome"),
                        dirs, screen_count(nrow(x$pairs), "pair"), n_est, screen_count(nrow(x$audit), "audit row")))
  cli::cat_line(sprintf("Instruments p < %g%s%s; nboot %d; base seed %s; %s per task; plan %s.",
                        s$pval_threshold,
                        if (isTRUE(s$clump)) sprintf(", clumped r2 < %g within %g kb", s$clump_r2, s$clump_kb) else ", not clumped",
                        if (isTRUE(s$proxies)) sprintf(", proxies r2 >= %g", s$rsq) else "",
                        as.integer(s$nboot), format(s$base_seed, scientific = FALSE),
                        screen_count(s$threads, "thread"), s$plan))
  r <- x$results
  if (nrow(r)) {
    m <- r[r$analysis == "mr", , drop = FALSE]
    m <- m[order(m$pval), , drop = FALSE]
    # the direction only when the screen ran both
    cols <- intersect(c(if (isTRUE(s$bidirectional)) "direction", "exposure", "outcome", "method", "nsnp", "b",
                        "se", "pval", "pval_bh"), names(m))
    cli::cat_line(sprintf("Smallest p-values (%d of %s):", min(n, nrow(m)), screen_count(nrow(m), "estimate")))
    print(utils::head(m[cols], n), row.names = FALSE, digits = 4)
  }
  if (nrow(x$audit)) {
    cli::cat_line(sprintf("Audit (%s; see x$audit):", screen_count(nrow(x$audit), "row")))
    # one entry a row, its reason whole (wrapped): the reason is what the user needs
    a <- utils::head(x$audit, n)
    what <- ifelse(is.na(a$id.outcome), a$id.exposure, paste(a$id.exposure, "on", a$id.outcome))
    if (isTRUE(s$bidirectional)) what <- paste0(a$direction, ": ", what)
    for (k in seq_len(nrow(a))) {
      cli::cat_line(strwrap(sprintf("%s (%s): %s", what[k], a$step[k], a$reason[k]),
                            width = max(40, getOption("width") - 2), indent = 2, exdent = 4))
    }
    if (nrow(x$audit) > n) cli::cat_line(sprintf("  ... and %d more", nrow(x$audit) - n))
  }
  invisible(x)
}

screen_count <- function(n, what) sprintf("%d %s%s", as.integer(n), what, if (n == 1) "" else "s")

#' @export
as.data.frame.mrkit_screen <- function(x, ...) x$results

# -- inputs -------------------------------------------------------------------------------------

# A table of files (file, id, trait, format, samplesize) from paths, globs or a data frame.
screen_inputs <- function(x, what, call) {
  if (is.character(x)) {
    files <- unlist(lapply(x, function(p) {
      if (grepl("[*?[]", p)) {
        hit <- sort(Sys.glob(path.expand(p)))
        if (!length(hit)) abort_mrkit("file_not_found", "The pattern {.file {p}} of {.arg {what}} matches no file.", call = call)
        hit
      } else p
    }))
    x <- data.frame(file = files, stringsAsFactors = FALSE)
  }
  if (!is.data.frame(x) || !"file" %in% names(x)) {
    abort_mrkit("input_type", c("{.arg {what}} must be file paths, glob patterns, or a data frame with a column {.field file}."),
                call = call)
  }
  if (nrow(x) == 0L) abort_mrkit("input_value", "{.arg {what}} is empty.", call = call)
  file <- as.character(x$file)
  absent <- file[is.na(file) | !file.exists(file)]
  if (length(absent)) abort_mrkit("file_not_found", c("Not found in {.arg {what}}:", x = "{.file {absent}}"), call = call)
  col <- function(name, default) {
    default <- rep_len(default, nrow(x))
    v <- if (name %in% names(x)) x[[name]] else default
    v[is.na(v)] <- default[is.na(v)]
    v
  }
  id <- as.character(col("id", vapply(file, file_stem, "")))
  tab <- data.frame(file = file, id = id, trait = as.character(col("trait", id)),
                    format = as.character(col("format", "auto")),
                    samplesize = as.double(col("samplesize", NA_real_)), stringsAsFactors = FALSE)
  dup <- unique(tab$id[duplicated(tab$id)])
  if (length(dup)) {
    abort_mrkit("duplicated_id", c("Each file of {.arg {what}} needs its own id.",
                                   x = "{.val {dup}} occur{?s} more than once.",
                                   i = "Give a data frame with a column {.field id}."), call = call)
  }
  bad <- setdiff(tab$format, c("auto", sumstats_formats()))
  if (length(bad)) abort_mrkit("parameter", c("Unknown format in {.arg {what}}: {.val {bad}}.",
                                              i = "Formats: {.val {c('auto', sumstats_formats())}}."), call = call)
  tab
}

screen_reader_options <- function(opts, call) {
  bad <- setdiff(names(opts), c("sep", "max_malformed"))
  if (length(opts) && (is.null(names(opts)) || any(!nzchar(names(opts))) || length(bad))) {
    abort_mrkit("parameter", c("Unknown argument{?s} in {.arg ...}: {.arg {bad}}.",
                               i = "Reader options are {.arg sep} and {.arg max_malformed}."), call = call)
  }
  opts
}

screen_check_flag <- function(x, name, call) {
  if (!is.logical(x) || length(x) != 1L || is.na(x)) {
    abort_mrkit("parameter", "{.arg {name}} must be TRUE or FALSE.", call = call)
  }
}

# C++ threads per task: given, else the cores divided among the future workers.
screen_threads <- function(threads, call) {
  if (!is.null(threads)) return(check_threads(threads, call = call))
  if (!is.null(getOption("mrkit.threads"))) return(check_threads(getOption("mrkit.threads"), call = call))
  cores <- if (requireNamespace("parallelly", quietly = TRUE)) parallelly::availableCores() else 1L
  workers <- if (requireNamespace("future", quietly = TRUE)) future::nbrOfWorkers() else 1
  check_threads(max(1, floor(cores / if (is.finite(workers)) max(1, workers) else cores)), call = call)
}

screen_plan_name <- function() {
  if (!requireNamespace("future", quietly = TRUE)) return("sequential")
  cls <- class(future::plan())
  cls <- setdiff(cls, c("FutureStrategy", "future", "function", "uniprocess", "multiprocess", "cluster"[FALSE]))
  if (length(cls)) cls[1] else "unknown"
}

# -- seeds --------------------------------------------------------------------------------------

# A pair's seed: 32-bit FNV-1a hash of the base seed and the pair identity, reduced to
# [0, 2^31 - 1). Exact in double arithmetic (no product exceeds 2^53).
screen_pair_seed <- function(base_seed, direction, id_exposure, id_outcome) {
  keys <- paste(base_seed, direction, id_exposure, id_outcome, sep = "\r")
  vapply(keys, function(k) {
    h <- 2166136261
    for (b in as.integer(charToRaw(enc2utf8(k)))) {
      low <- h %% 256
      h <- h - low + bitwXor(as.integer(low), b)
      # h * 16777619 mod 2^32, with 16777619 = 2^24 + 403
      h <- (h * 403 + (h %% 256) * 16777216) %% 4294967296
    }
    h %% 2147483647
  }, 1, USE.NAMES = FALSE)
}

# -- tasks --------------------------------------------------------------------------------------

screen_empty_audit <- function() {
  data.frame(direction = character(), id.exposure = character(), id.outcome = character(),
             file = character(), step = character(), reason = character(), stringsAsFactors = FALSE)
}

screen_audit <- function(direction, id_exposure, id_outcome, file, step, reason) {
  data.frame(direction = direction, id.exposure = id_exposure, id.outcome = id_outcome, file = file,
             step = step, reason = reason, stringsAsFactors = FALSE)
}

# A condition's message on one line, without cli's bullets: the header, then its details
# after a colon, separated by semicolons. The file's directory is left out (it is in the
# audit's `file` column).
screen_condition_text <- function(e, file = NULL) {
  head <- paste(rlang::cnd_header(e), collapse = " ")
  body <- sub("[.]\\s*$", "", rlang::cnd_body(e))
  msg <- if (length(body)) paste0(sub("[.]\\s*$", "", head), ": ", paste(body, collapse = "; ")) else head
  msg <- gsub("\\s+", " ", cli::ansi_strip(msg))
  if (!is.null(file)) msg <- gsub(path.expand(file), basename(file), msg, fixed = TRUE)
  msg
}

# Read a file of the screen as `type`, keeping rows below `pval_threshold` or in `snps`.
screen_read <- function(row, type, s, pval_threshold = NULL, snps = NULL) {
  args <- c(list(row$file, format = row$format, type = type, pval_threshold = pval_threshold,
                 snps = snps, phenotype = row$trait, id = row$id, verbose = FALSE,
                 threads = s$threads %||% 1L), s$reader)
  dat <- suppressWarnings(do.call(read_sumstats, args))
  n_col <- paste0("samplesize.", type)
  if (!is.na(row$samplesize)) {
    if (!n_col %in% names(dat)) dat[[n_col]] <- rep(NA_real_, nrow(dat))
    dat[[n_col]][is.na(dat[[n_col]])] <- row$samplesize
  }
  dat
}

# Instruments of one file read as an exposure: p-value filter, then clumping.
# Returns list(id, instruments, audit, counts).
screen_instruments <- function(row, role, s) {
  dir <- if (role == "exposure") "forward" else "reverse"
  # in its direction the file is the exposure (an outcome file is one in the reverse direction)
  fail <- function(step, reason) {
    list(id = row$id, instruments = NULL, audit = screen_audit(dir, row$id, NA_character_, row$file, step, reason),
         counts = data.frame(role = role, id = row$id, file = row$file, lines = NA_real_,
                             selected = 0L, instruments = 0L, stringsAsFactors = FALSE))
  }
  dat <- tryCatch(screen_read(row, "exposure", s, pval_threshold = s$pval_threshold),
                  error = function(e) e)
  if (inherits(dat, "error")) return(fail("read", paste("file could not be read:", screen_condition_text(dat, row$file))))
  lines <- attr(dat, "read_report")$counts[["lines"]] %||% NA_real_
  n_sel <- nrow(dat)
  if (n_sel == 0L) {
    r <- fail("select instruments", sprintf("no variant with p < %g", s$pval_threshold))
    r$counts$lines <- lines
    return(r)
  }
  if (s$clump) {
    dat <- tryCatch(suppressWarnings(clump_data(dat, clump_kb = s$clump_kb, clump_r2 = s$clump_r2,
                                                bfile = s$bfile, threads = s$threads)),
                    error = function(e) e)
    if (inherits(dat, "error")) return(fail("clump", paste("clumping failed:", screen_condition_text(dat))))
    attr(dat, "clump_report") <- NULL
    if (nrow(dat) == 0L) {
      r <- fail("clump", sprintf("none of the %d variants with p < %g is in the LD reference panel", n_sel, s$pval_threshold))
      r$counts$lines <- lines
      return(r)
    }
  }
  attr(dat, "read_report") <- NULL
  attr(dat, "audit") <- NULL
  list(id = row$id, instruments = dat, audit = NULL,
       counts = data.frame(role = role, id = row$id, file = row$file, lines = lines, selected = n_sel,
                           instruments = nrow(dat), stringsAsFactors = FALSE))
}

# Rows of a file (read as an outcome) for `snps`, plus, when proxies are on and some are
# missing, their LD partners (the panel variants within the proxy window with r^2 >= rsq:
# the only possible proxies), as attribute "ld_partners" (target, SNP).
screen_lookup_read <- function(row, snps, s) {
  if (!length(snps)) return(NULL)
  dat <- screen_read(row, "outcome", s, snps = snps)
  partners <- NULL
  if (s$proxies) {
    missing <- setdiff(snps, dat$SNP)
    partners <- proxy_ld_partners(missing, s$bfile, s$proxy_window_kb, s$rsq, s$threads)[c("target", "SNP")]
    near <- setdiff(partners$SNP, c(snps, dat$SNP))
    if (length(near)) dat <- bind_rows_fill(list(dat, screen_read(row, "outcome", s, snps = near)))
  }
  attr(dat, "read_report") <- NULL
  attr(dat, "audit") <- NULL
  rownames(dat) <- NULL
  attr(dat, "ld_partners") <- partners
  dat
}

# One outcome file: its rows for the screen's instruments (and, bidirectional, its own
# instruments). Returns list(id, rows, instruments, audit, counts).
screen_outcome <- function(row, snps, s) {
  rows <- tryCatch(screen_lookup_read(row, snps, s), error = function(e) e)
  if (inherits(rows, "error")) {
    msg <- paste("outcome file could not be read:", screen_condition_text(rows, row$file))
    return(list(id = row$id, file = row$file, rows = NULL, failed = TRUE, instruments = NULL,
                audit = screen_audit(NA_character_, NA_character_, row$id, row$file, "read", msg)))
  }
  partners <- attr(rows, "ld_partners")
  attr(rows, "ld_partners") <- NULL
  r <- list(id = row$id, file = row$file, rows = rows, partners = partners, failed = FALSE, instruments = NULL,
            audit = NULL)
  if (s$bidirectional) {
    ri <- screen_instruments(row, "outcome", s)
    r$instruments <- ri$instruments
    r$audit <- ri$audit
    r$counts <- ri$counts
  }
  r
}

# The outcome rows one exposure's pairs need (its instruments and the LD partners of the
# missing ones: their possible proxies), per outcome.
screen_outcome_rows <- function(inst, outs) {
  snps <- inst$SNP
  lapply(outs, function(o) {
    if (is.null(snps) || isTRUE(o$failed) || is.null(o$rows)) return(NULL)
    want <- snps
    if (!is.null(o$partners)) want <- c(want, o$partners$SNP[o$partners$target %in% setdiff(snps, o$rows$SNP)])
    o$rows[o$rows$SNP %in% want, , drop = FALSE]
  })
}

# Every pair of one exposure file: forward against each outcome, and, bidirectional, each
# outcome's instruments looked up in this file. Returns list(table, audit, pairs, counts).
screen_exposure_pairs <- function(row, inst, pairs, prepared, outs, rev_snps, s) {
  tabs <- list(); audit <- list()
  status <- pairs[c("direction", "id.exposure", "id.outcome")]
  status$status <- NA_character_
  set_status <- function(dir, o, st) status$status[status$direction == dir & status$id.outcome == o] <<- st
  seed_of <- function(dir, o) pairs$pair_seed[pairs$direction == dir & pairs$id.outcome == o]
  run <- function(dir, ex, out_rows, o_id, o_file) {
    r <- screen_pair(ex, out_rows, dir, seed_of(dir, o_id), s)
    if (!is.null(r$reason)) {
      ide <- if (dir == "forward") row$id else o_id
      ido <- if (dir == "forward") o_id else row$id
      audit[[length(audit) + 1L]] <<- screen_audit(dir, ide, ido, if (dir == "forward") o_file else row$file,
                                                    r$step, r$reason)
      set_status(dir, o_id, "audit")
    } else {
      tabs[[length(tabs) + 1L]] <<- r$table
      set_status(dir, o_id, "estimated")
    }
  }
  if (!is.null(inst$instruments)) {
    for (o in outs) {
      if (isTRUE(o$failed)) { set_status("forward", o$id, "audit"); next }
      run("forward", inst$instruments, prepared[[o$id]], o$id, o$file)
    }
  } else {
    status$status[status$direction == "forward"] <- "audit"
  }
  if (s$bidirectional) {
    back <- tryCatch(screen_lookup_read(row, rev_snps, s), error = function(e) e)
    for (o in outs) {
      if (is.null(o$instruments)) { set_status("reverse", o$id, "audit"); next }
      if (inherits(back, "error")) {
        audit[[length(audit) + 1L]] <- screen_audit("reverse", o$id, row$id, row$file, "read",
                                                     paste("file could not be read:", screen_condition_text(back, row$file)))
        set_status("reverse", o$id, "audit")
        next
      }
      run("reverse", o$instruments, back, o$id, o$file)
    }
  }
  list(id = row$id, table = design_bind(tabs), audit = do.call(rbind, audit), pairs = status, counts = NULL)
}

# One pair: proxy look-up, harmonisation, MR under the pair's seed, sensitivity analyses.
# Returns list(table) or list(step, reason).
screen_pair <- function(ex, out_rows, direction, seed, s) {
  if (is.null(out_rows) || nrow(out_rows) == 0L) {
    return(list(step = "outcome look-up", reason = "none of the instruments (or candidate proxies) is in the outcome file"))
  }
  r <- tryCatch({
    o <- suppressWarnings(extract_outcome_data(ex$SNP, out_rows, proxies = s$proxies, rsq = s$rsq,
                                               bfile = s$bfile, proxy_window_kb = s$proxy_window_kb,
                                               threads = s$threads))
    if (nrow(o) == 0L) {
      return(list(step = "outcome look-up", reason = sprintf("none of the %d instruments (nor a proxy) is in the outcome file", nrow(ex))))
    }
    h <- suppressWarnings(suppressMessages(harmonise_quietly(ex, o, s$action)))
    if (!any(h$mr_keep)) return(list(step = "harmonise", reason = "no variant left after harmonisation"))
    res <- screen_mr_seeded(h, seed, s)
    if (nrow(res) == 0L) return(list(step = "mr", reason = "no estimate: too few usable variants for the methods"))
    st <- tryCatch(design_steiger(h[h$mr_keep, , drop = FALSE]), error = function(e) NULL)
    if (!is.null(st)) res <- design_merge_steiger(res, st)
    parts <- list(cbind(analysis = "mr", res, stringsAsFactors = FALSE))
    if (s$sensitivity) parts <- c(parts, suppressWarnings(scan_sensitivity(h, s$parameters)))
    tab <- design_bind(parts)
    list(table = cbind(direction = direction, tab, pair_seed = seed, stringsAsFactors = FALSE))
  }, error = function(e) list(step = "mr", reason = screen_condition_text(e)))
  r
}


screen_mr_seeded <- function(h, seed, s) {
  with_task_seed(seed)
  res <- withCallingHandlers(
    suppressMessages(mr(h, parameters = s$parameters, method_list = s$method_list, threads = s$threads)),
    mrkit_warning_weak_instruments = function(w) invokeRestart("muffleWarning"))
  as.data.frame(res)
}

# -- running and checkpoints --------------------------------------------------------------------

# Run FUN(row, <task args>, <shared args>) for every row of `tab`, one future per row
# (chunked by future.apply), reusing and writing the checkpoints of `stage`; `task_args(row)`
# gives the arguments only that task needs, so a worker receives no more than its share.
# Returns the results as a list named by id, in the order of `tab`.
screen_run <- function(tab, stage, ck, FUN, shared = list(), task_args = NULL, progress = NULL, amount = 0) {
  ids <- tab$id
  out <- stats::setNames(vector("list", length(ids)), ids)
  done <- screen_checkpoint_done(ck, stage, ids)
  for (id in ids[done]) out[id] <- list(readRDS(screen_checkpoint_file(ck, stage, id)))
  pending <- which(!done)
  if (!length(pending)) return(out)
  tasks <- lapply(pending, function(i) {
    row <- as.list(tab[i, , drop = FALSE])
    list(row = row, args = if (!is.null(task_args)) task_args(row) else list(),
         file = if (!is.null(ck$dir)) screen_checkpoint_file(ck, stage, row$id))
  })
  progress <- progress %||% function(...) invisible(NULL)
  res <- if (requireNamespace("future.apply", quietly = TRUE)) {
    # Globals given explicitly (none besides FUN and the arguments), so that no future scans
    # the functions' code for them; the package is attached on the workers.
    future.apply::future_lapply(tasks, screen_task, task_fun = FUN, shared = shared, progress = progress,
                                amount = amount, future.seed = NULL, future.globals = list(),
                                future.packages = "mrkit")
  } else {
    lapply(tasks, screen_task, task_fun = FUN, shared = shared, progress = progress, amount = amount)
  }
  out[ids[pending]] <- res
  out
}

# One task on a worker: run, write the checkpoint atomically, report progress.
screen_task <- function(task, task_fun, shared, progress, amount) {
  res <- do.call(task_fun, c(list(task$row), task$args, shared))
  if (!is.null(task$file)) screen_save_atomic(res, task$file)
  progress(amount = amount, message = task$row$id)
  res
}

screen_save_atomic <- function(x, file) {
  tmp <- paste0(file, ".tmp", Sys.getpid())
  saveRDS(x, tmp)
  if (!file.rename(tmp, file)) {
    unlink(tmp)
    abort_mrkit("checkpoint", "Could not write the checkpoint file {.file {file}}.")
  }
  invisible(file)
}

# What identifies a screen: the files (path, size, modification time, id, trait, format,
# sample size) and every analysis setting. Threads and plan are not part of it: they do
# not change the results.
screen_fingerprint <- function(exp_tab, out_tab, s) {
  files <- function(tab) {
    fi <- file.info(tab$file)
    cbind(tab, size = fi$size, mtime = as.numeric(fi$mtime))
  }
  list(version = 2L, exposures = files(exp_tab), outcomes = files(out_tab),
       settings = s[setdiff(names(s), "threads")])
}

# Open (or create) a checkpoint directory; returns list(dir, base_seed). A directory made
# by another call is refused; an existing one gives back its base seed.
screen_checkpoint_open <- function(dir, fingerprint, base_seed, call) {
  if (is.null(dir)) return(list(dir = NULL, base_seed = base_seed))
  if (!is.character(dir) || length(dir) != 1L || is.na(dir) || !nzchar(dir)) {
    abort_mrkit("parameter", "{.arg checkpoint} must be a directory path or NULL.", call = call)
  }
  for (sub in c("", "instruments", "outcomes", "results")) dir.create(file.path(dir, sub), showWarnings = FALSE, recursive = TRUE)
  f <- file.path(dir, "settings.rds")
  if (file.exists(f)) {
    old <- readRDS(f)
    if (!identical(old$fingerprint, fingerprint)) {
      what <- names(fingerprint)[!mapply(identical, old$fingerprint[names(fingerprint)], fingerprint)]
      abort_mrkit("checkpoint", c("The checkpoint directory {.file {dir}} belongs to a different screen.",
                                  x = "Different: {.field {what}}.",
                                  i = "Use a new directory, or delete this one to start again."), call = call)
    }
    return(list(dir = normalizePath(dir), base_seed = old$base_seed))
  }
  screen_save_atomic(list(fingerprint = fingerprint, base_seed = base_seed, created = Sys.time()), f)
  list(dir = normalizePath(dir), base_seed = base_seed)
}

screen_checkpoint_file <- function(ck, stage, id) {
  safe <- substr(gsub("[^A-Za-z0-9._-]", "_", id), 1, 60)
  file.path(ck$dir, stage, sprintf("%s-%08x.rds", safe, as.integer(screen_pair_seed(0, stage, id, "") %% 2^30)))
}

screen_checkpoint_done <- function(ck, stage, ids) {
  if (is.null(ck$dir) || !length(ids)) return(logical(length(ids)))
  file.exists(vapply(ids, function(id) screen_checkpoint_file(ck, stage, id), ""))
}

# The results of every id: new ones from this run, the others from their checkpoints.
screen_checkpoint_read <- function(ck, stage, ids, new) {
  lapply(stats::setNames(ids, ids), function(id) {
    if (!is.null(new[[id]])) return(new[[id]])
    readRDS(screen_checkpoint_file(ck, stage, id))
  })
}

# One progress bar for the screen, in pairs: half of an exposure's pairs when its
# instruments are ready, the other half when its pairs are done.
screen_progressor <- function(n_pairs, envir) {
  if (requireNamespace("progressr", quietly = TRUE)) {
    progressr::progressor(steps = n_pairs, label = "MR screen (pairs)", envir = envir)
  } else {
    function(...) invisible(NULL)
  }
}
