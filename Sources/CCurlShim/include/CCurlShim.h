#ifndef CAIRN_CCURLSHIM_H
#define CAIRN_CCURLSHIM_H

#include <stddef.h>

/// Loads libcurl.so.4 (once, thread-safe) for the curl trampolines that FoundationNetworking calls. Returns 1 when
/// libcurl is usable, else 0 with a NUL-terminated reason in `err` (at most `len` bytes).
int cairn_curl_load(char *err, size_t len);

#endif
