#ifndef CAIRN_CCURLSHIM_H
#define CAIRN_CCURLSHIM_H

#include <stddef.h>
#include <stdint.h>

/// Loads libcurl.so.4 (once, thread-safe). Returns 1 when libcurl is usable, else 0 with a NUL-terminated reason in
/// `err` (at most `len` bytes).
int cairn_curl_load(char *err, size_t len);

/// One HTTP request for `cairn_http_perform`.
typedef struct cairn_http_request {
    /// `GET`, `HEAD`, `PUT`, `POST` or `DELETE`.
    const char *method;
    /// Absolute, already encoded URL.
    const char *url;
    /// `Name: value` header lines.
    const char *const *headers;
    int header_count;
    /// The body: `body_length` bytes from `body_fd` at `body_offset` when `body_fd >= 0`, else from `body_bytes`.
    const void *body_bytes;
    int body_fd;
    int64_t body_offset;
    int64_t body_length;
    /// Connection timeout in milliseconds (0: libcurl's default).
    long connect_timeout_ms;
    /// Give up when no byte moved for this many seconds (0: never).
    long stall_timeout_s;
    /// Verify the server's TLS certificate and host name.
    int verify_tls;
} cairn_http_request;

/// Where `cairn_http_perform` reports what arrives; each returns 0 to go on, anything else aborts the transfer.
typedef struct cairn_http_callbacks {
    void *context;
    /// One raw response header line (the status line too), CRLF included.
    int (*on_header)(void *context, const char *line, size_t length);
    /// The next bytes of the response body.
    int (*on_body)(void *context, const char *data, size_t length);
    /// Request body bytes sent so far (total).
    void (*on_sent)(void *context, int64_t total);
} cairn_http_callbacks;

/// A connection-keeping handle for one thread at a time; NULL when libcurl is not loaded.
void *cairn_http_handle_new(void);
/// Frees a handle from `cairn_http_handle_new`.
void cairn_http_handle_free(void *handle);
/// Performs one request on `handle` and blocks until it completes. Returns libcurl's result code (0: the exchange
/// completed; the HTTP status is in `*status`), or -1 when the body could not be read from its file, with the
/// message in `error` on failure.
int cairn_http_perform(void *handle, const cairn_http_request *request, const cairn_http_callbacks *callbacks,
                       long *status, char *error, size_t error_length);

#endif
