/*
 * check_cert_expiry fuzz targets: one entry point per target.
 *
 * Built with --enable-fuzzing each target file is a libFuzzer program
 * (LLVMFuzzerTestOneInput). In the normal build the same files are linked
 * into fuzz/replay, where each entry point gets its own name so that
 * `fuzz/replay TARGET FILE...` runs the saved regressions under the plain
 * (or --enable-sanitizers) build.
 */
#ifndef CCE_FUZZ_H
#define CCE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "extern.h"

#ifdef CCE_FUZZ_REPLAY
#define FUZZ_ENTRY(name) \
	int fuzz_entry_##name(const uint8_t *data, size_t size); \
	int fuzz_entry_##name(const uint8_t *data, size_t size)
#else
#define FUZZ_ENTRY(name) \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size); \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif

/* fuzz/sink.c: one reader through the plugin's sink into a report (for the
 * reader targets). */
int	 fuzz_reader(const struct reader *, const uint8_t *data, size_t size);
/* A NUL-terminated copy (NULs inside stay: callers see a shorter string). */
char	*fuzz_cstr(const uint8_t *data, size_t size);

#endif
