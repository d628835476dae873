// Includes only: every call into libfreexl lives in Ingest/XLS/XLSReader.swift.
#include <freexl.h>
