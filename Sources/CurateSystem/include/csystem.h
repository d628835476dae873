#ifndef CURATE_CSYSTEM_H
#define CURATE_CSYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 RENAME_EXCHANGE). Returns 0, or -1 with errno
/// set (ENOSYS or EINVAL where the kernel or file system cannot exchange).
int curate_exchange_paths(const char *a, const char *b);

#endif
