/* Library lifetime: reference-counted init/shutdown, re-init, handles used after the final
 * shutdown, and shutdown with requests in flight (callbacks, queue and blocking callers all
 * complete with SNMPX_E_CANCELLED). */
#include "harness.h"

#include <pthread.h>
#include <stdatomic.h>

#define SYS_NAME_0 "1.3.6.1.2.1.1.5.0"

static void before_init(void) {
    CHECK(snmpx_init_count() == 0);
    CHECK_RC(snmpx_shutdown(), SNMPX_E_NOT_INITIALIZED);
    snmpx_config *cfg = NULL;
    snmpx_session *s = NULL;
    CHECK_OK(snmpx_config_new(agent(), &cfg)); /* configs need no runtime */
    CHECK_RC(snmpx_session_open(cfg, &s, NULL), SNMPX_E_NOT_INITIALIZED);
    CHECK(s == NULL);
    snmpx_config_free(cfg);
    snmpx_cq *q = NULL;
    CHECK_OK(snmpx_cq_new(&q)); /* nor do queues */
    snmpx_cq_free(q);
}

static int get_ok(snmpx_session *s) {
    const char *oids[] = {SYS_NAME_0};
    snmpx_response *r = NULL;
    snmpx_result rc = snmpx_session_get(s, oids, 1, &r, NULL);
    snmpx_response_free(r);
    return rc == SNMPX_OK;
}

static void refcount_and_reinit(void) {
    CHECK_OK(snmpx_init());
    CHECK_OK(snmpx_init());
    CHECK_OK(snmpx_init());
    CHECK(snmpx_init_count() == 3);
    snmpx_session *s = open_session(SNMPX_SNMP_V2C, "public");
    CHECK(get_ok(s));
    CHECK_OK(snmpx_shutdown());
    CHECK_OK(snmpx_shutdown());
    CHECK(snmpx_init_count() == 1);
    CHECK(get_ok(s)); /* still running: one reference left */
    CHECK_OK(snmpx_shutdown());
    CHECK(snmpx_init_count() == 0);

    /* Every runtime operation on the old session now fails cleanly. */
    const char *oids[] = {SYS_NAME_0};
    snmpx_response *r = NULL;
    snmpx_error *err = NULL;
    CHECK_RC(snmpx_session_get(s, oids, 1, &r, &err), SNMPX_E_SHUTDOWN);
    CHECK(r == NULL && err != NULL);
    snmpx_error_free(err);
    CHECK_RC(snmpx_session_walk(s, oids, 1, &r, NULL), SNMPX_E_SHUTDOWN);
    snmpx_request *req = NULL;
    CHECK_OK(snmpx_request_new(SNMPX_REQ_WALK, &req));
    CHECK_OK(snmpx_request_add_oid(req, "1.3.6.1.2.1.1"));
    snmpx_walk *w = NULL;
    CHECK_RC(snmpx_session_walk_start(s, req, &w, NULL), SNMPX_E_SHUTDOWN);
    snmpx_cq *q = NULL;
    CHECK_OK(snmpx_cq_new(&q));
    uint64_t id = 0;
    CHECK_RC(snmpx_session_submit_cq(s, req, q, 1, &id, NULL), SNMPX_E_SHUTDOWN);
    CHECK_RC(snmpx_session_cancel(s, 1), SNMPX_E_SHUTDOWN);
    CHECK_RC(snmpx_shutdown(), SNMPX_E_NOT_INITIALIZED);

    /* Init again: new sessions work; the old one stays shut down. */
    CHECK_OK(snmpx_init());
    snmpx_session *s2 = open_session(SNMPX_SNMP_V2C, "public");
    CHECK(get_ok(s2));
    CHECK_RC(snmpx_session_get(s, oids, 1, &r, NULL), SNMPX_E_SHUTDOWN);
    CHECK_OK(snmpx_session_submit_cq(s2, req, q, 7, &id, NULL));
    snmpx_completion *c[4];
    size_t n = 0;
    CHECK_OK(snmpx_cq_wait(q, 10.0, c, 4, &n));
    CHECK(n == 1);
    if (n == 1) {
        uint32_t code = 99;
        uint64_t tag = 0;
        CHECK_OK(snmpx_completion_result(c[0], &code));
        CHECK_OK(snmpx_completion_tag(c[0], &tag));
        CHECK(code == SNMPX_OK && tag == 7);
        snmpx_completion_free(c[0]);
    }
    CHECK_OK(snmpx_shutdown());
    snmpx_session_free(s);
    snmpx_session_free(s2);
    snmpx_request_free(req);
    snmpx_cq_free(q);
}

struct counters {
    atomic_int called;
    atomic_int cancelled;
    atomic_int freed;
};

static void on_done(void *user, snmpx_completion *c) {
    struct counters *k = user;
    uint32_t code = 0;
    if (snmpx_completion_result(c, &code) == SNMPX_OK && code == SNMPX_E_CANCELLED) {
        atomic_fetch_add(&k->cancelled, 1);
    }
    atomic_fetch_add(&k->called, 1);
}

static void on_free(void *user) {
    struct counters *k = user;
    atomic_fetch_add(&k->freed, 1);
}

struct blocking_arg {
    snmpx_session *s;
    snmpx_result rc;
    atomic_int started;
};

static void *blocking_get(void *p) {
    struct blocking_arg *a = p;
    const char *oids[] = {SYS_NAME_0};
    snmpx_response *r = NULL;
    atomic_store(&a->started, 1);
    a->rc = snmpx_session_get(a->s, oids, 1, &r, NULL);
    snmpx_response_free(r);
    return NULL;
}

#define IN_FLIGHT 50

static void shutdown_with_requests_in_flight(void) {
    CHECK_OK(snmpx_init());
    char silent[64];
    int fd = silent_socket(silent, sizeof silent);
    snmpx_config *cfg = NULL;
    snmpx_session *s = NULL;
    CHECK_OK(snmpx_config_new(silent, &cfg));
    CHECK_OK(snmpx_config_set_timeout(cfg, 60.0)); /* nothing completes by itself */
    CHECK_OK(snmpx_config_set_retries(cfg, 0));
    CHECK_OK(snmpx_session_open(cfg, &s, NULL));
    snmpx_config_free(cfg);
    snmpx_request *req = NULL;
    CHECK_OK(snmpx_request_new(SNMPX_REQ_GET, &req));
    CHECK_OK(snmpx_request_add_oid(req, SYS_NAME_0));
    snmpx_cq *q = NULL;
    CHECK_OK(snmpx_cq_new(&q));

    struct counters k;
    atomic_init(&k.called, 0);
    atomic_init(&k.cancelled, 0);
    atomic_init(&k.freed, 0);
    for (int i = 0; i < IN_FLIGHT; i++) {
        uint64_t id = 0;
        CHECK_OK(snmpx_session_submit(s, req, on_done, &k, on_free, &id, NULL));
        CHECK_OK(snmpx_session_submit_cq(s, req, q, (uint64_t)i, &id, NULL));
    }
    struct blocking_arg a = {.s = s, .rc = SNMPX_OK};
    atomic_init(&a.started, 0);
    pthread_t t;
    pthread_create(&t, NULL, blocking_get, &a);
    while (!atomic_load(&a.started)) {
        usleep(1000);
    }
    usleep(100 * 1000); /* let the blocking request reach the I/O thread */

    CHECK_OK(snmpx_shutdown()); /* the last reference: drains */
    /* Callbacks ran (and user data was freed) before shutdown returned. */
    CHECK(atomic_load(&k.called) == IN_FLIGHT);
    CHECK(atomic_load(&k.cancelled) == IN_FLIGHT);
    CHECK(atomic_load(&k.freed) == IN_FLIGHT);
    pthread_join(t, NULL);
    CHECK(a.rc == SNMPX_E_CANCELLED);
    snmpx_completion *c[IN_FLIGHT + 1];
    size_t n = 0;
    CHECK_OK(snmpx_cq_poll(q, c, IN_FLIGHT + 1, &n));
    CHECK(n == IN_FLIGHT);
    for (size_t i = 0; i < n; i++) {
        uint32_t code = 0;
        const snmpx_error *e = NULL;
        CHECK_OK(snmpx_completion_result(c[i], &code));
        CHECK(code == SNMPX_E_CANCELLED);
        CHECK_OK(snmpx_completion_error(c[i], &e));
        snmpx_completion_free(c[i]);
    }
    /* Submitting after the drain fails and still releases the user data. */
    uint64_t id = 0;
    CHECK_RC(snmpx_session_submit(s, req, on_done, &k, on_free, &id, NULL), SNMPX_E_SHUTDOWN);
    CHECK(atomic_load(&k.freed) == IN_FLIGHT + 1);
    CHECK(atomic_load(&k.called) == IN_FLIGHT);
    snmpx_session_free(s);
    snmpx_request_free(req);
    snmpx_cq_free(q);
    close(fd);
}


struct race {
    snmpx_session *s;
    snmpx_request *req;
    struct counters *k;
    atomic_int attempts;
    atomic_int refused;
};

static void *submit_until_refused(void *p) {
    struct race *r = p;
    for (int i = 0; i < 20000; i++) {
        uint64_t id = 0;
        atomic_fetch_add(&r->attempts, 1);
        if (snmpx_session_submit(r->s, r->req, on_done, r->k, on_free, &id, NULL) != SNMPX_OK) {
            atomic_fetch_add(&r->refused, 1);
            break;
        }
    }
    return NULL;
}

/* Threads keep submitting while the final shutdown happens: every submission either is
 * refused (its user data freed, no callback) or completes (callback, then free): none is
 * lost in between. */
static void shutdown_races_submitters(void) {
    CHECK_OK(snmpx_init());
    char silent[64];
    int fd = silent_socket(silent, sizeof silent);
    snmpx_config *cfg = NULL;
    struct race r;
    memset(&r, 0, sizeof r);
    CHECK_OK(snmpx_config_new(silent, &cfg));
    CHECK_OK(snmpx_config_set_timeout(cfg, 60.0));
    CHECK_OK(snmpx_session_open(cfg, &r.s, NULL));
    snmpx_config_free(cfg);
    CHECK_OK(snmpx_request_new(SNMPX_REQ_GET, &r.req));
    CHECK_OK(snmpx_request_add_oid(r.req, SYS_NAME_0));
    struct counters k;
    atomic_init(&k.called, 0);
    atomic_init(&k.cancelled, 0);
    atomic_init(&k.freed, 0);
    r.k = &k;
    enum { T = 8 };
    pthread_t th[T];
    for (int i = 0; i < T; i++) {
        pthread_create(&th[i], NULL, submit_until_refused, &r);
    }
    usleep(30 * 1000);
    CHECK_OK(snmpx_shutdown());
    for (int i = 0; i < T; i++) {
        pthread_join(th[i], NULL);
    }
    int attempts = atomic_load(&r.attempts), refused = atomic_load(&r.refused);
    CHECK(atomic_load(&k.freed) == attempts);
    CHECK(atomic_load(&k.called) + refused == attempts);
    CHECK(atomic_load(&k.cancelled) == atomic_load(&k.called));
    printf("shutdown race: %d submissions, %d completed cancelled, %d refused\n", attempts,
           atomic_load(&k.called), refused);
    snmpx_request_free(r.req);
    snmpx_session_free(r.s);
    close(fd);
}

int main(void) {
    RUN(before_init);
    RUN(refcount_and_reinit);
    RUN(shutdown_with_requests_in_flight);
    RUN(shutdown_races_submitters);
    if (snmpx_live_handles() != 0) {
        fprintf(stderr, "leak: %zu handles still alive\n", snmpx_live_handles());
        h_failed++;
    }
    return h_finish();
}
