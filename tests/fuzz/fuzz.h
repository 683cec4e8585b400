/*
 * What every harness shares: the input as a file the parsers can open
 * (they take paths), a handle, and a private cache directory.  The same
 * entry LLVMFuzzerTestOneInput runs under libFuzzer (make fuzz) and under
 * replay.c, which make check runs on the committed inputs.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "sym_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The bytes as a file: a path that stays valid until the next call. */
const char *fz_file(const uint8_t *data, size_t size);
/* The same for a second file (the cache harness writes two). */
const char *fz_file2(const uint8_t *data, size_t size);
/* A handle with no source, its cache in a directory of this process's. */
sym_t *fz_handle(void);
/* The cache directory fz_handle set KMEMSTAT_CACHE to. */
const char *fz_cache_dir(void);

#endif
