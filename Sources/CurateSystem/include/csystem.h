#ifndef CURATE_CSYSTEM_H
#define CURATE_CSYSTEM_H

/// Atomically exchanges two paths (Linux renameat2 RENAME_EXCHANGE). Returns 0, or -1 with errno
/// set (ENOSYS or EINVAL where the kernel or file system cannot exchange).
int curate_exchange_paths(const char *a, const char *b);

/// Starts writing a file's byte range to disk without waiting (Linux sync_file_range with
/// SYNC_FILE_RANGE_WRITE): a later fsync then waits for less. Returns 0, or -1 with errno set
/// (ENOSYS where it does not exist); it is only a hint, so callers may ignore a failure.
int curate_start_writeback(int fd, long long offset, long long count);

/// Caps the allocator's arenas at `count` (glibc mallopt M_ARENA_MAX): by default each new thread
/// may get an arena of its own, and a long run's short-lived worker threads each kept a few MB.
/// Returns 1 when set, 0 where the allocator has no such setting.
int curate_limit_malloc_arenas(int count);

#endif
