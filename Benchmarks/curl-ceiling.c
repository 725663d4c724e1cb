// libcurl alone: the most requests per second libcurl's multi interface sends on this machine, with no
// work per request beyond re-adding the handle. The same loop as sigfox-sim's engine (curl_multi_perform,
// curl_multi_info_read, curl_multi_poll, easy handles kept with their options, the URL parsed once, the
// proxy settled once), the same request (POST, Content-Type: application/json, the body given), the same
// connections, one multi handle per thread.
// Benchmarks/http-throughput.sh builds and runs it as the `libcurl-c` rows: the ceiling sigfox-sim's
// engine, which renders and schedules a callback per request, can approach but not pass.
//
//   cc -O2 -o curl-ceiling curl-ceiling.c -lcurl -lpthread
//   curl-ceiling URL BODY-FILE CONNECTIONS SECONDS THREADS [poll|socket]
//
// `poll` (the default) is the engine's loop. `socket` is the alternative the engine does not use, kept to
// measure it: libcurl's socket interface (`curl_multi_socket_action`) over epoll, each socket registered
// once and changed only when libcurl wants another direction (Benchmarks/README.md, "Tried and measured").
//
// Prints one JSON line: {"requests":N,"seconds":S,"perSecond":R,"p50":MS,"p99":MS,"errors":E}.
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

enum { BUCKETS = 100000 }; // 10 µs buckets up to 1 s; slower answers count in the last one

struct worker {
    const char *url;
    const char *body;
    long body_size;
    int connections;
    double seconds;
    long requests;
    long errors;
    long *histogram;
    int socket_mode;
    pthread_t thread;
};

// The socket interface's state, one per thread: the epoll set, what each descriptor is registered for,
// and libcurl's one timer.
enum { MAX_FD = 65536 };

struct events {
    int epoll;
    unsigned registered[MAX_FD]; // epoll events a descriptor is registered with; 0: not registered
    int timer_set;
    double timer_due;
};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static size_t discard(char *data, size_t size, size_t count, void *user) {
    (void)data;
    (void)user;
    return size * count;
}

// CURLMOPT_SOCKETFUNCTION: keeps a socket registered once it has been, so a kept-alive connection that goes
// from one transfer to the next costs no epoll_ctl; only a change of direction does. An idle connection
// left registered for reading wakes the loop only if the server closes it, until libcurl finds it dead when
// it next reuses it (soon, in this closed loop) and closes it.
static int on_socket(CURL *easy, curl_socket_t socket, int what, void *user, void *socket_user) {
    (void)easy;
    (void)socket_user;
    struct events *events = user;
    if (what == CURL_POLL_REMOVE || socket < 0 || socket >= MAX_FD) return 0;
    unsigned wanted = (what & CURL_POLL_IN ? EPOLLIN : 0) | (what & CURL_POLL_OUT ? EPOLLOUT : 0);
    if (events->registered[socket] == wanted) return 0;
    struct epoll_event event = {.events = wanted, .data.fd = socket};
    int operation = events->registered[socket] ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (epoll_ctl(events->epoll, operation, socket, &event) != 0 && errno == EEXIST) {
        epoll_ctl(events->epoll, EPOLL_CTL_MOD, socket, &event);
    }
    events->registered[socket] = wanted;
    return 0;
}

// CURLOPT_CLOSESOCKETFUNCTION: a closed descriptor leaves the epoll set, so its number can be reused.
static int on_close(void *user, curl_socket_t socket) {
    struct events *events = user;
    if (socket >= 0 && socket < MAX_FD) events->registered[socket] = 0;
    return close(socket);
}

// CURLMOPT_TIMERFUNCTION: one timer, due `milliseconds` from now (-1: none).
static int on_timer(CURLM *multi, long milliseconds, void *user) {
    (void)multi;
    struct events *events = user;
    events->timer_set = milliseconds >= 0;
    events->timer_due = now() + milliseconds / 1000.0;
    return 0;
}

// Waits for ready sockets or the timer (at most a second) and lets libcurl act on them.
static void socket_step(CURLM *multi, struct events *events) {
    struct epoll_event ready[64];
    int timeout = 1000;
    if (events->timer_set) {
        double left = (events->timer_due - now()) * 1000;
        timeout = left <= 0 ? 0 : (int)left + 1;
    }
    int count = epoll_wait(events->epoll, ready, 64, timeout);
    int running = 0;
    for (int i = 0; i < count; i++) {
        unsigned got = ready[i].events;
        int mask = (got & EPOLLIN ? CURL_CSELECT_IN : 0) | (got & EPOLLOUT ? CURL_CSELECT_OUT : 0)
                 | (got & (EPOLLERR | EPOLLHUP) ? CURL_CSELECT_ERR : 0);
        curl_multi_socket_action(multi, ready[i].data.fd, mask, &running);
    }
    if (events->timer_set && now() >= events->timer_due) {
        events->timer_set = 0; // one-shot: libcurl sets it again if it wants another
        curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
    }
}

static void *run(void *argument) {
    struct worker *w = argument;
    CURLM *multi = curl_multi_init();
    struct events *events = NULL;
    if (w->socket_mode) {
        events = calloc(1, sizeof *events);
        events->epoll = epoll_create1(EPOLL_CLOEXEC);
        curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket);
        curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, events);
        curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer);
        curl_multi_setopt(multi, CURLMOPT_TIMERDATA, events);
    }
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");
    CURLU *url = curl_url();
    curl_url_set(url, CURLUPART_URL, w->url, CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME);
    CURL **handles = calloc((size_t)w->connections, sizeof(CURL *));
    for (int i = 0; i < w->connections; i++) {
        CURL *easy = curl_easy_init();
        // As sigfox-sim's engine: the URL parsed once (CURLOPT_CURLU) and the proxy settled (here: none),
        // so libcurl neither parses the URL nor reads the environment on every transfer.
        curl_easy_setopt(easy, CURLOPT_CURLU, url);
        curl_easy_setopt(easy, CURLOPT_PROXY, "");
        curl_easy_setopt(easy, CURLOPT_NOPROXY, "");
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy, CURLOPT_POST, 1L);
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)w->body_size);
        curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, w->body);
        if (events) {
            curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, on_close);
            curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, events);
        }
        curl_multi_add_handle(multi, easy);
        handles[i] = easy;
    }
    double start = now();
    while (now() - start < w->seconds) {
        int running = 0;
        if (events) {
            socket_step(multi, events);
        } else {
            curl_multi_perform(multi, &running);
        }
        CURLMsg *message;
        int queued;
        while ((message = curl_multi_info_read(multi, &queued))) {
            if (message->msg != CURLMSG_DONE) continue;
            CURL *easy = message->easy_handle;
            long status = 0;
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            if (message->data.result != CURLE_OK || status < 200 || status > 299) w->errors++;
            curl_off_t total = 0;
            curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &total);
            long bucket = (long)(total / 10);
            w->histogram[bucket < BUCKETS ? bucket : BUCKETS - 1]++;
            w->requests++;
            curl_multi_remove_handle(multi, easy);
            curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)w->body_size);
            curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, w->body);
            curl_multi_add_handle(multi, easy);
        }
        if (!events) curl_multi_poll(multi, NULL, 0, 1000, NULL);
    }
    for (int i = 0; i < w->connections; i++) {
        curl_multi_remove_handle(multi, handles[i]);
        curl_easy_cleanup(handles[i]);
    }
    free(handles);
    curl_multi_cleanup(multi);
    curl_slist_free_all(headers);
    curl_url_cleanup(url);
    if (events) {
        close(events->epoll);
        free(events);
    }
    return NULL;
}

static double percentile(const long *histogram, long total, double level) {
    long wanted = (long)(total * level / 100.0 + 0.5), seen = 0;
    if (wanted < 1) wanted = 1;
    for (long i = 0; i < BUCKETS; i++) {
        seen += histogram[i];
        if (seen >= wanted) return (i + 1) * 0.01;
    }
    return BUCKETS * 0.01;
}

int main(int argc, char **argv) {
    if (argc != 6 && argc != 7) {
        fprintf(stderr, "usage: %s URL BODY-FILE CONNECTIONS SECONDS THREADS [poll|socket]\n", argv[0]);
        return 2;
    }
    int socket_mode = argc == 7 && strcmp(argv[6], "socket") == 0;
    if (argc == 7 && !socket_mode && strcmp(argv[6], "poll") != 0) {
        fprintf(stderr, "%s: the loop is 'poll' or 'socket', not '%s'\n", argv[0], argv[6]);
        return 2;
    }
    FILE *file = fopen(argv[2], "rb");
    if (!file) {
        perror(argv[2]);
        return 2;
    }
    static char body[1 << 16];
    size_t size = fread(body, 1, sizeof body - 1, file);
    fclose(file);
    body[size] = 0;
    int connections = atoi(argv[3]), threads = atoi(argv[5]);
    double seconds = atof(argv[4]);
    if (connections < 1 || threads < 1 || threads > connections || seconds <= 0) {
        fprintf(stderr, "%s: need CONNECTIONS >= THREADS >= 1 and SECONDS > 0\n", argv[0]);
        return 2;
    }
    curl_global_init(CURL_GLOBAL_ALL);
    struct worker *workers = calloc((size_t)threads, sizeof *workers);
    double start = now();
    for (int i = 0; i < threads; i++) {
        workers[i] = (struct worker){
            .url = argv[1],
            .body = body,
            .body_size = (long)size,
            .connections = connections / threads + (i < connections % threads ? 1 : 0),
            .seconds = seconds,
            .histogram = calloc(BUCKETS, sizeof(long)),
            .socket_mode = socket_mode,
        };
        pthread_create(&workers[i].thread, NULL, run, &workers[i]);
    }
    long requests = 0, errors = 0;
    long *histogram = calloc(BUCKETS, sizeof(long));
    for (int i = 0; i < threads; i++) {
        pthread_join(workers[i].thread, NULL);
        requests += workers[i].requests;
        errors += workers[i].errors;
        for (long b = 0; b < BUCKETS; b++) histogram[b] += workers[i].histogram[b];
    }
    double elapsed = now() - start;
    printf(
        "{\"requests\":%ld,\"seconds\":%.3f,\"perSecond\":%.1f,\"p50\":%.3f,\"p99\":%.3f,\"errors\":%ld}\n",
        requests, elapsed, requests / elapsed, percentile(histogram, requests, 50),
        percentile(histogram, requests, 99), errors
    );
    return errors > 0 ? 1 : 0;
}
