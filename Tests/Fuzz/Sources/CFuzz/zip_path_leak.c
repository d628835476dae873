// ZIPFoundation 0.9.20 opens an archive with
//     fopen(FileManager().fileSystemRepresentation(withPath: url.path), "rb")
// (Archive+BackingConfiguration.swift:48) and never frees that C string: Foundation on Linux
// allocates it for the caller to free. One leak per archive opened made libFuzzer switch its
// per-input leak detection off in the XLSX target ("disabled leak detection after every
// mutation"), hiding any real leak of curate's. The XLSX target is linked with
// `--wrap=fopen` (Tests/Fuzz/Package.swift): an fopen of exactly the scratch file, for reading,
// frees the path it was given once the file is open. Every other fopen, and every other leak,
// is untouched.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cfuzz.h"

FILE *__real_fopen(const char *path, const char *mode);

static char *leaked_path = NULL;

void curate_fuzz_free_zipfoundation_path(const char *path) {
    free(leaked_path);
    leaked_path = strdup(path);
}

FILE *__wrap_fopen(const char *path, const char *mode) {
    FILE *file = __real_fopen(path, mode);
    if (leaked_path != NULL && path != leaked_path && strcmp(mode, "rb") == 0 && strcmp(path, leaked_path) == 0) {
        free((void *)path);
    }
    return file;
}
