// cairn's HTTP client for S3: libcurl's easy interface, dlopen'ed on first use. Linking libcurl.so would load its
// whole dependency tree (TLS, GSSAPI, LDAP, …) at every cairn start, milliseconds that commands without an S3
// remote never need. The prototypes use opaque types and the option numbers are libcurl's stable ABI values, so no
// curl headers are needed to build cairn.
#define _GNU_SOURCE
#include "CCurlShim.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef void CURL;
struct curl_slist;

// Option numbers: CURLOPTTYPE_LONG 0, OBJECTPOINT 10000, FUNCTIONPOINT 20000, OFF_T 30000.
enum {
    OPT_WRITEDATA = 10001, OPT_URL = 10002, OPT_READDATA = 10009, OPT_ERRORBUFFER = 10010,
    OPT_WRITEFUNCTION = 20011, OPT_READFUNCTION = 20012, OPT_LOW_SPEED_LIMIT = 19, OPT_LOW_SPEED_TIME = 20,
    OPT_HTTPHEADER = 10023, OPT_HEADERDATA = 10029, OPT_CUSTOMREQUEST = 10036, OPT_NOPROGRESS = 43,
    OPT_NOBODY = 44, OPT_UPLOAD = 46, OPT_POST = 47, OPT_SSL_VERIFYPEER = 64, OPT_HTTPGET = 80,
    OPT_SSL_VERIFYHOST = 81, OPT_NOSIGNAL = 99, OPT_CONNECTTIMEOUT_MS = 156, OPT_HEADERFUNCTION = 20079,
    OPT_INFILESIZE_LARGE = 30115, OPT_POSTFIELDSIZE_LARGE = 30120, OPT_SEEKFUNCTION = 20167, OPT_SEEKDATA = 10168,
    OPT_XFERINFODATA = 10057, OPT_XFERINFOFUNCTION = 20219,
};
enum { INFO_RESPONSE_CODE = 0x200000 + 2 };
enum { CURLE_FAILED_INIT = 2, CURL_READFUNC_ABORT = 0x10000000, CURL_SEEKFUNC_OK = 0, CURL_SEEKFUNC_FAIL = 1 };

static CURL *(*real_easy_init)(void);
static void (*real_easy_cleanup)(CURL *);
static void (*real_easy_reset)(CURL *);
static int (*real_easy_perform)(CURL *);
static int (*real_easy_setopt)(CURL *, int, ...);
static int (*real_easy_getinfo)(CURL *, int, ...);
static const char *(*real_easy_strerror)(int);
static int (*real_global_init)(long);
static struct curl_slist *(*real_slist_append)(struct curl_slist *, const char *);
static void (*real_slist_free_all)(struct curl_slist *);

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int load_ok = 0;
static char load_error[512];

static void load_libcurl(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "%s", why ? why : "dlopen(libcurl.so.4) failed");
        return;
    }
#define RESOLVE(pointer, name)                                                                                         \
    *(void **)(&pointer) = dlsym(library, name);                                                                       \
    if (pointer == NULL) {                                                                                             \
        snprintf(load_error, sizeof load_error, "libcurl.so.4 has no %s", name);                                       \
        return;                                                                                                        \
    }
    RESOLVE(real_easy_init, "curl_easy_init")
    RESOLVE(real_easy_cleanup, "curl_easy_cleanup")
    RESOLVE(real_easy_reset, "curl_easy_reset")
    RESOLVE(real_easy_perform, "curl_easy_perform")
    RESOLVE(real_easy_setopt, "curl_easy_setopt")
    RESOLVE(real_easy_getinfo, "curl_easy_getinfo")
    RESOLVE(real_easy_strerror, "curl_easy_strerror")
    RESOLVE(real_global_init, "curl_global_init")
    RESOLVE(real_slist_append, "curl_slist_append")
    RESOLVE(real_slist_free_all, "curl_slist_free_all")
    // CURL_GLOBAL_ALL, once, before any thread uses a handle (curl_global_init is not thread-safe).
    if (real_global_init(3) != 0) {
        snprintf(load_error, sizeof load_error, "curl_global_init failed");
        return;
    }
    load_ok = 1;
}

static int ensure_loaded(void) {
    pthread_once(&load_once, load_libcurl);
    return load_ok;
}

int cairn_curl_load(char *err, size_t len) {
    if (ensure_loaded()) return 1;
    if (err != NULL && len > 0) snprintf(err, len, "%s", load_error);
    return 0;
}

void *cairn_http_handle_new(void) { return ensure_loaded() ? real_easy_init() : NULL; }

void cairn_http_handle_free(void *handle) {
    if (handle != NULL && ensure_loaded()) real_easy_cleanup(handle);
}

/// The state of one exchange, shared with libcurl's callbacks.
typedef struct exchange {
    const cairn_http_request *request;
    const cairn_http_callbacks *callbacks;
    int64_t position;  // bytes of the body handed to libcurl so far (or after a seek)
    int read_errno;
} exchange;

static size_t read_body(char *buffer, size_t size, size_t count, void *userdata) {
    exchange *state = userdata;
    const cairn_http_request *request = state->request;
    int64_t remaining = request->body_length - state->position;
    size_t wanted = size * count;
    if (remaining <= 0) return 0;
    if ((int64_t)wanted > remaining) wanted = (size_t)remaining;
    if (request->body_fd >= 0) {
        ssize_t got;
        do {
            got = pread(request->body_fd, buffer, wanted, (off_t)(request->body_offset + state->position));
        } while (got < 0 && errno == EINTR);
        if (got <= 0) {
            state->read_errno = got < 0 ? errno : EIO;  // a file shorter than announced is an error too
            return CURL_READFUNC_ABORT;
        }
        wanted = (size_t)got;
    } else {
        memcpy(buffer, (const char *)request->body_bytes + state->position, wanted);
    }
    state->position += (int64_t)wanted;
    return wanted;
}

// libcurl rewinds the body when it must send it again on a new connection (e.g. a reused one was closed).
static int seek_body(void *userdata, int64_t offset, int origin) {
    exchange *state = userdata;
    if (origin != SEEK_SET || offset < 0 || offset > state->request->body_length) return CURL_SEEKFUNC_FAIL;
    state->position = offset;
    return CURL_SEEKFUNC_OK;
}

static size_t write_body(char *data, size_t size, size_t count, void *userdata) {
    exchange *state = userdata;
    size_t length = size * count;
    return state->callbacks->on_body(state->callbacks->context, data, length) == 0 ? length : 0;
}

static size_t write_header(char *data, size_t size, size_t count, void *userdata) {
    exchange *state = userdata;
    size_t length = size * count;
    return state->callbacks->on_header(state->callbacks->context, data, length) == 0 ? length : 0;
}

static int progress(void *userdata, int64_t download_total, int64_t download_now, int64_t upload_total,
                    int64_t upload_now) {
    (void)download_total;
    (void)download_now;
    (void)upload_total;
    exchange *state = userdata;
    if (state->callbacks->on_sent != NULL) state->callbacks->on_sent(state->callbacks->context, upload_now);
    return 0;
}

int cairn_http_perform(void *handle, const cairn_http_request *request, const cairn_http_callbacks *callbacks,
                       long *status, char *error, size_t error_length) {
    if (error != NULL && error_length > 0) error[0] = 0;
    if (!ensure_loaded() || handle == NULL) {
        if (error != NULL) snprintf(error, error_length, "%s", load_error);
        return CURLE_FAILED_INIT;
    }
    CURL *curl = handle;
    // Reset drops the previous request's options but keeps the open connections for reuse.
    real_easy_reset(curl);
    exchange state = {request, callbacks, 0, 0};
    char curl_error[256] = {0};
    struct curl_slist *headers = NULL;
    for (int index = 0; index < request->header_count; index++) headers = real_slist_append(headers, request->headers[index]);
    // No "Expect: 100-continue" round-trip, and no default Content-Type that nobody signed.
    headers = real_slist_append(headers, "Expect:");
    headers = real_slist_append(headers, "Content-Type:");

    real_easy_setopt(curl, OPT_URL, request->url);
    real_easy_setopt(curl, OPT_NOSIGNAL, 1L);
    real_easy_setopt(curl, OPT_HTTPHEADER, headers);
    real_easy_setopt(curl, OPT_ERRORBUFFER, curl_error);
    real_easy_setopt(curl, OPT_WRITEFUNCTION, write_body);
    real_easy_setopt(curl, OPT_WRITEDATA, &state);
    real_easy_setopt(curl, OPT_HEADERFUNCTION, write_header);
    real_easy_setopt(curl, OPT_HEADERDATA, &state);
    if (request->connect_timeout_ms > 0) real_easy_setopt(curl, OPT_CONNECTTIMEOUT_MS, request->connect_timeout_ms);
    if (request->stall_timeout_s > 0) {
        real_easy_setopt(curl, OPT_LOW_SPEED_LIMIT, 1L);
        real_easy_setopt(curl, OPT_LOW_SPEED_TIME, request->stall_timeout_s);
    }
    if (!request->verify_tls) {
        real_easy_setopt(curl, OPT_SSL_VERIFYPEER, 0L);
        real_easy_setopt(curl, OPT_SSL_VERIFYHOST, 0L);
    }
    const char *method = request->method;
    int sends_body = 0;
    if (strcmp(method, "HEAD") == 0) {
        real_easy_setopt(curl, OPT_NOBODY, 1L);
    } else if (strcmp(method, "GET") == 0) {
        real_easy_setopt(curl, OPT_HTTPGET, 1L);
    } else if (strcmp(method, "PUT") == 0) {
        real_easy_setopt(curl, OPT_UPLOAD, 1L);
        real_easy_setopt(curl, OPT_INFILESIZE_LARGE, (int64_t)request->body_length);
        sends_body = 1;
    } else if (strcmp(method, "POST") == 0) {
        real_easy_setopt(curl, OPT_POST, 1L);
        real_easy_setopt(curl, OPT_POSTFIELDSIZE_LARGE, (int64_t)request->body_length);
        sends_body = 1;
    } else {
        real_easy_setopt(curl, OPT_CUSTOMREQUEST, method);
    }
    if (sends_body) {
        real_easy_setopt(curl, OPT_READFUNCTION, read_body);
        real_easy_setopt(curl, OPT_READDATA, &state);
        real_easy_setopt(curl, OPT_SEEKFUNCTION, seek_body);
        real_easy_setopt(curl, OPT_SEEKDATA, &state);
        if (callbacks->on_sent != NULL) {
            real_easy_setopt(curl, OPT_NOPROGRESS, 0L);
            real_easy_setopt(curl, OPT_XFERINFOFUNCTION, progress);
            real_easy_setopt(curl, OPT_XFERINFODATA, &state);
        }
    }

    int code = real_easy_perform(curl);
    long http_status = 0;
    real_easy_getinfo(curl, INFO_RESPONSE_CODE, &http_status);
    *status = http_status;
    if (code != 0 && error != NULL && error_length > 0) {
        if (state.read_errno != 0) {
            snprintf(error, error_length, "%s", strerror(state.read_errno));
        } else {
            snprintf(error, error_length, "%s", curl_error[0] ? curl_error : real_easy_strerror(code));
        }
    }
    if (state.read_errno != 0) code = -1;
    // Nothing of this exchange may outlive it: the handle keeps only its connections.
    real_easy_setopt(curl, OPT_HTTPHEADER, (void *)NULL);
    real_easy_setopt(curl, OPT_ERRORBUFFER, (void *)NULL);
    real_slist_free_all(headers);
    return code;
}
