/* 200 threads share one session: blocking gets, callback submissions and one shared
 * completion queue at once. Bounded in count (and every wait bounded in time). */
#include "harness.h"

#include <pthread.h>
#include <stdatomic.h>

#define THREADS 200
#define GETS_PER_THREAD 10
#define SUBMITS_PER_THREAD 5

static snmpx_session *g_session;
static snmpx_request *g_request;
static snmpx_cq *g_queue;
static atomic_int g_get_ok, g_get_bad, g_cb_ok, g_cb_done, g_submit_bad;
static const char *g_name;

static void on_done(void *user, snmpx_completion *c) {
    (void)user;
    uint32_t code = 99;
    if (snmpx_completion_result(c, &code) == SNMPX_OK && code == SNMPX_OK) {
        atomic_fetch_add(&g_cb_ok, 1);
    }
    atomic_fetch_add(&g_cb_done, 1);
}

static void *worker(void *arg) {
    uintptr_t t = (uintptr_t)arg;
    const char *oids[] = {"1.3.6.1.2.1.1.5.0", "1.3.6.1.2.1.1.3.0"};
    for (int i = 0; i < GETS_PER_THREAD; i++) {
        snmpx_response *r = NULL;
        const snmpx_varbind *vb = NULL;
        int ok = snmpx_session_get(g_session, oids, 2, &r, NULL) == SNMPX_OK &&
                 snmpx_response_varbind(r, 0, &vb) == SNMPX_OK;
        if (ok) {
            const uint8_t *data = NULL;
            size_t len = 0;
            ok = snmpx_varbind_bytes(vb, &data, &len) == SNMPX_OK && len == strlen(g_name) &&
                 memcmp(data, g_name, len) == 0;
        }
        atomic_fetch_add(ok ? &g_get_ok : &g_get_bad, 1);
        snmpx_response_free(r);
    }
    for (int i = 0; i < SUBMITS_PER_THREAD; i++) {
        uint64_t id = 0;
        if (snmpx_session_submit(g_session, g_request, on_done, NULL, NULL, &id, NULL) != SNMPX_OK ||
            snmpx_session_submit_cq(g_session, g_request, g_queue, t, &id, NULL) != SNMPX_OK) {
            atomic_fetch_add(&g_submit_bad, 1);
        }
    }
    return NULL;
}

static void many_threads_one_session(void) {
    g_name = env_or("SNMPX_TEST_SYS_NAME", "?");
    g_session = open_session_limited(SNMPX_SNMP_V2C, "public", 32);
    CHECK_OK(snmpx_request_new(SNMPX_REQ_GET, &g_request));
    CHECK_OK(snmpx_request_add_oid(g_request, "1.3.6.1.2.1.1.5.0"));
    CHECK_OK(snmpx_cq_new(&g_queue));
    pthread_t th[THREADS];
    int started = 0;
    for (uintptr_t i = 0; i < THREADS; i++) {
        if (pthread_create(&th[i], NULL, worker, (void *)i) == 0) {
            started++;
        }
    }
    CHECK(started == THREADS);
    for (int i = 0; i < started; i++) {
        pthread_join(th[i], NULL);
    }
    CHECK(atomic_load(&g_get_ok) == THREADS * GETS_PER_THREAD);
    CHECK(atomic_load(&g_get_bad) == 0);
    CHECK(atomic_load(&g_submit_bad) == 0);
    int queued = 0, queued_ok = 0;
    for (int rounds = 0; queued < THREADS * SUBMITS_PER_THREAD && rounds < 1000; rounds++) {
        snmpx_completion *c[64];
        size_t n = 0;
        CHECK_OK(snmpx_cq_wait(g_queue, 20.0, c, 64, &n));
        if (n == 0) {
            break;
        }
        for (size_t i = 0; i < n; i++) {
            uint32_t code = 99;
            CHECK_OK(snmpx_completion_result(c[i], &code));
            queued_ok += code == SNMPX_OK;
            snmpx_completion_free(c[i]);
        }
        queued += (int)n;
    }
    CHECK(queued == THREADS * SUBMITS_PER_THREAD && queued_ok == queued);
    for (int i = 0; i < 20000 && atomic_load(&g_cb_done) < THREADS * SUBMITS_PER_THREAD; i++) {
        usleep(1000);
    }
    CHECK(atomic_load(&g_cb_ok) == THREADS * SUBMITS_PER_THREAD);
    printf("%d threads: %d blocking gets, %d callbacks, %d queued completions, all OK\n", THREADS,
           atomic_load(&g_get_ok), atomic_load(&g_cb_ok), queued_ok);
    snmpx_cq_free(g_queue);
    snmpx_request_free(g_request);
    snmpx_session_free(g_session);
}

int main(void) {
    CHECK_OK(snmpx_init());
    RUN(many_threads_one_session);
    CHECK_OK(snmpx_shutdown());
    if (snmpx_live_handles() != 0) {
        fprintf(stderr, "leak: %zu handles still alive\n", snmpx_live_handles());
        h_failed++;
    }
    return h_finish();
}
