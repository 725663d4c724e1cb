// libcurl alone: the most requests per second libcurl's multi interface sends on this machine, with no
// work per request beyond re-adding the handle. The same loop as sigfox-sim's engine (curl_multi_perform,
// curl_multi_info_read, curl_multi_poll, easy handles kept with their options, the URL parsed once, the
// proxy settled once), the same request (POST, Content-Type: application/json, the body given), the same
// connections, one multi handle per thread.
// Benchmarks/http-throughput.sh builds and runs it as the `libcurl-c` rows: the ceiling sigfox-sim's
// engine, which renders and schedules a callback per request, can approach but not pass.
//
//   cc -O2 -o curl-ceiling curl-ceiling.c -lcurl -lpthread
//   curl-ceiling URL BODY-FILE CONNECTIONS SECONDS THREADS
//
// Prints one JSON line: {"requests":N,"seconds":S,"perSecond":R,"p50":MS,"p99":MS,"errors":E}.
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    pthread_t thread;
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

static void *run(void *argument) {
    struct worker *w = argument;
    CURLM *multi = curl_multi_init();
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
        curl_multi_add_handle(multi, easy);
        handles[i] = easy;
    }
    double start = now();
    while (now() - start < w->seconds) {
        int running = 0;
        curl_multi_perform(multi, &running);
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
        curl_multi_poll(multi, NULL, 0, 1000, NULL);
    }
    for (int i = 0; i < w->connections; i++) {
        curl_multi_remove_handle(multi, handles[i]);
        curl_easy_cleanup(handles[i]);
    }
    free(handles);
    curl_multi_cleanup(multi);
    curl_slist_free_all(headers);
    curl_url_cleanup(url);
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
    if (argc != 6) {
        fprintf(stderr, "usage: %s URL BODY-FILE CONNECTIONS SECONDS THREADS\n", argv[0]);
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
