// Typed wrappers over libcurl's variadic calls, which Swift cannot call directly.
// Each wrapper fixes the argument type that curl expects for the option family
// (long, pointer, string, function pointer, 64-bit offset), so a wrong type is a compile error
// instead of undefined behaviour. See ../../README.md and ../shared/DESIGN.md ("libcurl engine").
#ifndef SIGFOX_SIM_CCURL_H
#define SIGFOX_SIM_CCURL_H

#include <curl/curl.h>
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

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

// MARK: A TLS handshake without SNI (a callback's `sendSni: false`, SIGFOX.md section 4)
//
// libcurl has no option to leave the server name out of the ClientHello: its OpenSSL backend calls
// SSL_set_tlsext_host_name() on every connection to a host name (never to an IP address). It does offer
// CURLOPT_SSL_CTX_FUNCTION, called with the SSL_CTX before the connection's SSL object is made from it. The
// callback below installs an info callback on that SSL_CTX; OpenSSL calls it with SSL_CB_HANDSHAKE_START
// before it writes the ClientHello, and there SSL_set_tlsext_host_name(ssl, NULL) (SSL_ctrl with
// SSL_CTRL_SET_TLSEXT_HOSTNAME and no name) clears the name libcurl set, so no server_name extension is
// sent. Certificate checks are unchanged: libcurl matches the certificate against the URL's host itself.
//
// The two OpenSSL functions are looked up at run time in the libssl libcurl already loaded (dlsym), so the
// package needs no OpenSSL headers or link flags; with another TLS backend the option is refused.

/// OpenSSL's constants (openssl/ssl.h, openssl/tls1.h): stable across OpenSSL 1.0.2 to 3.x.
enum { SFX_SSL_CB_HANDSHAKE_START = 0x10, SFX_SSL_CTRL_SET_TLSEXT_HOSTNAME = 55, SFX_TLSEXT_NAMETYPE_HOST = 0 };

/// dlsym's "search the whole process" handle (glibc's RTLD_DEFAULT, which <dlfcn.h> shows only with _GNU_SOURCE).
#ifdef RTLD_DEFAULT
#define SFX_RTLD_DEFAULT RTLD_DEFAULT
#else
#define SFX_RTLD_DEFAULT ((void *)0)
#endif

typedef long (*sfx_ssl_ctrl_function)(void *ssl, int command, long larg, void *parg);
typedef void (*sfx_ssl_info_callback)(const void *ssl, int where, int ret);
typedef void (*sfx_ssl_ctx_set_info_callback_function)(void *context, sfx_ssl_info_callback callback);

/// OpenSSL's SSL_ctrl, from the libssl in the process, or NULL.
static inline sfx_ssl_ctrl_function sfx_ssl_ctrl(void) {
    return (sfx_ssl_ctrl_function)dlsym(SFX_RTLD_DEFAULT, "SSL_ctrl");
}

/// Whether this libcurl does TLS with OpenSSL, the one backend whose SSL_CTX the callback knows.
static inline int sfx_curl_uses_openssl(void) {
    const char *ssl = curl_version_info(CURLVERSION_NOW)->ssl_version;
    return ssl != NULL && strncmp(ssl, "OpenSSL/", 8) == 0;
}

/// At the start of each handshake, before the ClientHello is written: forget the server name.
static inline void sfx_clear_server_name(const void *ssl, int where, int ret) {
    (void)ret;
    if ((where & SFX_SSL_CB_HANDSHAKE_START) == 0) return;
    sfx_ssl_ctrl_function control = sfx_ssl_ctrl();
    if (control != NULL) control((void *)ssl, SFX_SSL_CTRL_SET_TLSEXT_HOSTNAME, SFX_TLSEXT_NAMETYPE_HOST, NULL);
}

/// CURLOPT_SSL_CTX_FUNCTION: install ``sfx_clear_server_name`` on the connection's SSL_CTX; fail the
/// transfer (rather than send the name) when OpenSSL's functions cannot be found.
static inline CURLcode sfx_ssl_context_without_sni(CURL *handle, void *context, void *userdata) {
    (void)handle;
    (void)userdata;
    sfx_ssl_ctx_set_info_callback_function install =
        (sfx_ssl_ctx_set_info_callback_function)dlsym(SFX_RTLD_DEFAULT, "SSL_CTX_set_info_callback");
    if (install == NULL || sfx_ssl_ctrl() == NULL) return CURLE_SSL_ENGINE_INITFAILED;
    install(context, sfx_clear_server_name);
    return CURLE_OK;
}

/// Makes `handle`'s TLS connections leave the server name out (`withoutSNI` 1) or send it as libcurl does
/// (0). Without SNI the connection's TLS options also differ (CURLSSLOPT_NO_REVOKE, which only Schannel
/// reads), so libcurl never reuses a connection or TLS session made with SNI for a transfer without it, or
/// the reverse. CURLE_NOT_BUILT_IN when the TLS backend is not OpenSSL.
static inline CURLcode sfx_easy_set_sni(CURL *handle, int withoutSNI) {
    if (!withoutSNI) {
        curl_easy_setopt(handle, CURLOPT_SSL_CTX_FUNCTION, NULL);
        return curl_easy_setopt(handle, CURLOPT_SSL_OPTIONS, 0L);
    }
    if (!sfx_curl_uses_openssl()) return CURLE_NOT_BUILT_IN;
    CURLcode code = curl_easy_setopt(handle, CURLOPT_SSL_CTX_FUNCTION, sfx_ssl_context_without_sni);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_SSL_OPTIONS, (long)CURLSSLOPT_NO_REVOKE);
}

#endif
