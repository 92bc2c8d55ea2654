// Layer io: readers of outside bytes (delimited text, gzip/BGZF streams, tabix/CSI indexed look-up, GWAS summary-statistics presets, PLINK .bed/.bim/.fam).
#pragma once
#include "mrkit/io/bgzf_stream.hpp"
#include "mrkit/io/bgzf_tabix.hpp"
#include "mrkit/io/delimited.hpp"
#include "mrkit/io/gzip_stream.hpp"
#include "mrkit/io/plink_bed.hpp"
#include "mrkit/io/read_error.hpp"
#include "mrkit/io/sumstats_reader.hpp"
