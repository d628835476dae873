#ifndef CURATE_CFUZZ_H
#define CURATE_CFUZZ_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (LLVM 12+): runs the fuzzing loop with `callback` as the target.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

/// fuzz-xlsx only (linked with --wrap=fopen): ZIPFoundation's leaked copy of this path is freed
/// when it opens it (zip_path_leak.c).
void curate_fuzz_free_zipfoundation_path(const char *path);

#endif
