// Trampolines for the 23 libcurl functions that Foundation's static FoundationNetworking calls. Linking libcurl.so
// itself would load its whole dependency tree (TLS, GSSAPI, LDAP, …) at every cairn start, a few milliseconds that
// commands without an S3 remote never need; here libcurl is dlopen'ed on first use instead. The prototypes use
// opaque types on purpose: no curl headers are needed to build cairn.
#define _GNU_SOURCE
#include "CCurlShim.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void CURL;
typedef void CURLM;
typedef void CURLU;
typedef int64_t curl_off_t;
struct curl_slist;

// Codes returned when libcurl could not be loaded: CURLE_FAILED_INIT, CURLM_INTERNAL_ERROR, CURLUE_OUT_OF_MEMORY.
enum { SHIM_CURLE_FAILED_INIT = 2, SHIM_CURLM_INTERNAL_ERROR = 4, SHIM_CURLUE_OUT_OF_MEMORY = 7 };

#define CURL_FUNCTIONS(X)                                                                                              \
    X(curl_easy_cleanup, void, (CURL *))                                                                              \
    X(curl_easy_getinfo, int, (CURL *, int, ...))                                                                     \
    X(curl_easy_init, CURL *, (void))                                                                                 \
    X(curl_easy_pause, int, (CURL *, int))                                                                            \
    X(curl_easy_setopt, int, (CURL *, int, ...))                                                                      \
    X(curl_easy_strerror, const char *, (int))                                                                        \
    X(curl_free, void, (void *))                                                                                      \
    X(curl_global_init, int, (long))                                                                                  \
    X(curl_multi_add_handle, int, (CURLM *, CURL *))                                                                  \
    X(curl_multi_assign, int, (CURLM *, int, void *))                                                                 \
    X(curl_multi_cleanup, int, (CURLM *))                                                                             \
    X(curl_multi_info_read, void *, (CURLM *, int *))                                                                 \
    X(curl_multi_init, CURLM *, (void))                                                                               \
    X(curl_multi_remove_handle, int, (CURLM *, CURL *))                                                               \
    X(curl_multi_setopt, int, (CURLM *, int, ...))                                                                    \
    X(curl_multi_socket_action, int, (CURLM *, int, int, int *))                                                      \
    X(curl_slist_append, struct curl_slist *, (struct curl_slist *, const char *))                                    \
    X(curl_slist_free_all, void, (struct curl_slist *))                                                               \
    X(curl_url, CURLU *, (void))                                                                                      \
    X(curl_url_get, int, (const CURLU *, int, char **, unsigned int))                                                 \
    X(curl_url_set, int, (CURLU *, int, const char *, unsigned int))                                                  \
    X(curl_version, char *, (void))                                                                                   \
    X(curl_version_info, void *, (int))

#define DECLARE_POINTER(name, ret, args) static ret(*real_##name) args;
CURL_FUNCTIONS(DECLARE_POINTER)

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int load_ok = 0;
static char load_error[512];

static void load_libcurl(void) {
    void *handle = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "%s", why ? why : "dlopen(libcurl.so.4) failed");
        return;
    }
#define RESOLVE(name, ret, args)                                                                                       \
    real_##name = (ret(*) args)dlsym(handle, #name);                                                                   \
    if (real_##name == NULL) {                                                                                         \
        snprintf(load_error, sizeof load_error, "libcurl.so.4 has no %s", #name);                                      \
        return;                                                                                                        \
    }
    CURL_FUNCTIONS(RESOLVE)
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

// The variadic setters take exactly one argument whose C type follows from the option number's range
// (CURLOPTTYPE_LONG 0, OBJECTPOINT 10000, FUNCTIONPOINT 20000, OFF_T 30000, BLOB 40000).

int curl_easy_setopt(CURL *handle, int option, ...) {
    if (!ensure_loaded()) return SHIM_CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, option);
    int result;
    if (option < 10000) result = real_curl_easy_setopt(handle, option, va_arg(ap, long));
    else if (option < 20000) result = real_curl_easy_setopt(handle, option, va_arg(ap, void *));
    else if (option < 30000) result = real_curl_easy_setopt(handle, option, va_arg(ap, void (*)(void)));
    else if (option < 40000) result = real_curl_easy_setopt(handle, option, va_arg(ap, curl_off_t));
    else result = real_curl_easy_setopt(handle, option, va_arg(ap, void *));
    va_end(ap);
    return result;
}

int curl_multi_setopt(CURLM *handle, int option, ...) {
    if (!ensure_loaded()) return SHIM_CURLM_INTERNAL_ERROR;
    va_list ap;
    va_start(ap, option);
    int result;
    if (option < 10000) result = real_curl_multi_setopt(handle, option, va_arg(ap, long));
    else if (option < 20000) result = real_curl_multi_setopt(handle, option, va_arg(ap, void *));
    else if (option < 30000) result = real_curl_multi_setopt(handle, option, va_arg(ap, void (*)(void)));
    else if (option < 40000) result = real_curl_multi_setopt(handle, option, va_arg(ap, curl_off_t));
    else result = real_curl_multi_setopt(handle, option, va_arg(ap, void *));
    va_end(ap);
    return result;
}

int curl_easy_getinfo(CURL *handle, int info, ...) {
    if (!ensure_loaded()) return SHIM_CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, info);
    void *out = va_arg(ap, void *);
    va_end(ap);
    return real_curl_easy_getinfo(handle, info, out);
}

void curl_easy_cleanup(CURL *handle) {
    if (ensure_loaded()) real_curl_easy_cleanup(handle);
}

CURL *curl_easy_init(void) { return ensure_loaded() ? real_curl_easy_init() : NULL; }

/* libcurl >= 7.87 answers CURLE_BAD_FUNCTION_ARGUMENT (43) when a handle whose connection is already gone is
 * paused or unpaused. Foundation's URLSession does that with `try!` when a server or proxy cuts an upload, which
 * kills the process. Pausing a transfer that has no connection is a no-op: the transfer's failure still arrives
 * through curl_multi_info_read, so answering OK here turns the crash into the retryable error it should be. */
int curl_easy_pause(CURL *handle, int bitmask) {
    if (!ensure_loaded()) return SHIM_CURLE_FAILED_INIT;
    int code = real_curl_easy_pause(handle, bitmask);
    return code == 43 ? 0 : code;
}

const char *curl_easy_strerror(int code) {
    return ensure_loaded() ? real_curl_easy_strerror(code) : "libcurl.so.4 could not be loaded";
}

void curl_free(void *pointer) {
    if (ensure_loaded()) real_curl_free(pointer);
}

int curl_global_init(long flags) { return ensure_loaded() ? real_curl_global_init(flags) : SHIM_CURLE_FAILED_INIT; }

int curl_multi_add_handle(CURLM *multi, CURL *easy) {
    return ensure_loaded() ? real_curl_multi_add_handle(multi, easy) : SHIM_CURLM_INTERNAL_ERROR;
}

int curl_multi_assign(CURLM *multi, int socket, void *pointer) {
    return ensure_loaded() ? real_curl_multi_assign(multi, socket, pointer) : SHIM_CURLM_INTERNAL_ERROR;
}

int curl_multi_cleanup(CURLM *multi) {
    return ensure_loaded() ? real_curl_multi_cleanup(multi) : SHIM_CURLM_INTERNAL_ERROR;
}

void *curl_multi_info_read(CURLM *multi, int *queued) {
    if (ensure_loaded()) return real_curl_multi_info_read(multi, queued);
    if (queued != NULL) *queued = 0;
    return NULL;
}

CURLM *curl_multi_init(void) { return ensure_loaded() ? real_curl_multi_init() : NULL; }

int curl_multi_remove_handle(CURLM *multi, CURL *easy) {
    return ensure_loaded() ? real_curl_multi_remove_handle(multi, easy) : SHIM_CURLM_INTERNAL_ERROR;
}

int curl_multi_socket_action(CURLM *multi, int socket, int events, int *running) {
    return ensure_loaded() ? real_curl_multi_socket_action(multi, socket, events, running) : SHIM_CURLM_INTERNAL_ERROR;
}

struct curl_slist *curl_slist_append(struct curl_slist *list, const char *string) {
    return ensure_loaded() ? real_curl_slist_append(list, string) : NULL;
}

void curl_slist_free_all(struct curl_slist *list) {
    if (ensure_loaded()) real_curl_slist_free_all(list);
}

CURLU *curl_url(void) { return ensure_loaded() ? real_curl_url() : NULL; }

int curl_url_get(const CURLU *url, int part, char **out, unsigned int flags) {
    return ensure_loaded() ? real_curl_url_get(url, part, out, flags) : SHIM_CURLUE_OUT_OF_MEMORY;
}

int curl_url_set(CURLU *url, int part, const char *value, unsigned int flags) {
    return ensure_loaded() ? real_curl_url_set(url, part, value, flags) : SHIM_CURLUE_OUT_OF_MEMORY;
}

char *curl_version(void) { return ensure_loaded() ? real_curl_version() : (char *)"libcurl (not loaded)"; }

void *curl_version_info(int age) { return ensure_loaded() ? real_curl_version_info(age) : NULL; }
