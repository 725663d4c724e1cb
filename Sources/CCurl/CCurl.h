// Typed wrappers over libcurl's variadic calls, which Swift cannot call directly.
// Each wrapper fixes the argument type that curl expects for the option family
// (long, pointer, string, function pointer, 64-bit offset), so a wrong type is a compile error
// instead of undefined behaviour. See ../../README.md and ../shared/DESIGN.md ("libcurl engine").
#ifndef SIGFOX_SIM_CCURL_H
#define SIGFOX_SIM_CCURL_H

#include <curl/curl.h>
#include <stdio.h>

static inline CURLcode sfx_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode sfx_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode sfx_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode sfx_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode sfx_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

typedef size_t (*sfx_data_callback)(char *data, size_t size, size_t count, void *userdata);

static inline CURLcode sfx_easy_setopt_data_callback(CURL *handle, CURLoption option, sfx_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

typedef int (*sfx_debug_callback)(CURL *handle, curl_infotype type, char *data, size_t size, void *userdata);

/// CURLOPT_DEBUGFUNCTION: with CURLOPT_VERBOSE, libcurl hands the callback every header block it sends
/// (CURLINFO_HEADER_OUT), the documented way to see the request exactly as it went (Host, Accept,
/// Content-Length included). Nothing is written to stderr while a debug function is set.
static inline CURLcode sfx_easy_setopt_debug_callback(CURL *handle, sfx_debug_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, callback);
}

static inline CURLcode sfx_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode sfx_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode sfx_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode sfx_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode sfx_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

/// Makes standard output line-buffered, as on a terminal, when it is a pipe or a file too (C's `stdout`
/// is a global Swift 6 cannot touch safely; this shim is the one C header of the package).
static inline void sfx_stdout_line_buffered(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
}

/// The version of the libcurl this binary runs against, e.g. "7.88.1".
static inline const char *sfx_curl_version_number(void) {
    return curl_version_info(CURLVERSION_NOW)->version;
}

/// The TLS backend of that libcurl, e.g. "OpenSSL/3.0.15".
static inline const char *sfx_curl_ssl_version(void) {
    const char *ssl = curl_version_info(CURLVERSION_NOW)->ssl_version;
    return ssl ? ssl : "none";
}

#endif
