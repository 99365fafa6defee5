/* Asynchronous API: callbacks with user data and free functions, the completion queue
 * driven by poll() on its descriptor (taking completions as handles, or lent to a visitor
 * with snmpx_cq_poll_each), cancellation, what callbacks may and may not call,
 * and the streaming walk iterator. */
#include "harness.h"

#include <poll.h>
#include <stdatomic.h>

#define SYS_NAME_0 "1.3.6.1.2.1.1.5.0"
#define WAIT_MS 20000 /* upper bound for any wait below; never reached when things work */

static snmpx_request *get_request(const char *oid) {
    snmpx_request *req = NULL;
    CHECK_OK(snmpx_request_new(SNMPX_REQ_GET, &req));
    CHECK_OK(snmpx_request_add_oid(req, oid));
    return req;
}

/* Waits (bounded) until *v reaches want. */
static int wait_for(atomic_int *v, int want) {
    for (int i = 0; i < WAIT_MS && atomic_load(v) < want; i++) {
        usleep(1000);
    }
    return atomic_load(v) >= want;
}

struct cb_state {
    atomic_int done;
    atomic_int ok;
    atomic_int freed;
    atomic_int blocked_refused;
    atomic_int chained;
    snmpx_session *session;
    snmpx_request *request;
    snmpx_response *kept;
};

static void on_get(void *user, snmpx_completion *c) {
    struct cb_state *st = user;
    uint32_t code = 99;
    const snmpx_response *r = NULL;
    if (snmpx_completion_result(c, &code) == SNMPX_OK && code == SNMPX_OK &&
        snmpx_completion_response(c, &r) == SNMPX_OK) {
        const snmpx_varbind *vb = NULL;
        if (snmpx_response_varbind(r, 0, &vb) == SNMPX_OK &&
            strcmp(str_value(vb), env_or("SNMPX_TEST_SYS_NAME", "?")) == 0) {
            atomic_fetch_add(&st->ok, 1);
        }
    }
    atomic_fetch_add(&st->done, 1);
}

static void on_free(void *user) {
    struct cb_state *st = user;
    atomic_fetch_add(&st->freed, 1);
}

static void callbacks(void) {
    struct cb_state st;
    memset(&st, 0, sizeof st);
    snmpx_session *s = open_session(SNMPX_SNMP_V2C, "public");
    snmpx_request *req = get_request(SYS_NAME_0);
    enum { N = 100 };
    for (int i = 0; i < N; i++) {
        uint64_t id = 0;
        CHECK_OK(snmpx_session_submit(s, req, on_get, &st, on_free, &id, NULL));
        CHECK(id != 0);
    }
    CHECK(wait_for(&st.freed, N));
    CHECK(atomic_load(&st.done) == N && atomic_load(&st.ok) == N);
    /* A failed submission never runs the callback but releases the user data. */
    uint64_t id = 0;
    CHECK_RC(snmpx_session_submit(s, NULL, on_get, &st, on_free, &id, NULL), SNMPX_E_INVALID);
    CHECK_RC(snmpx_session_submit(s, req, NULL, &st, on_free, &id, NULL), SNMPX_E_INVALID);
    CHECK(atomic_load(&st.freed) == N + 2 && atomic_load(&st.done) == N);
    /* No free function: fine. */
    CHECK_OK(snmpx_session_submit(s, req, on_get, &st, NULL, &id, NULL));
    CHECK(wait_for(&st.done, N + 1));
    snmpx_request_free(req);
    snmpx_session_free(s);
}

/* A callback that tries what it must not do, submits more work, and keeps its response. */
static void on_restricted(void *user, snmpx_completion *c) {
    struct cb_state *st = user;
    const char *oids[] = {SYS_NAME_0};
    snmpx_response *r = NULL;
    if (snmpx_session_get(st->session, oids, 1, &r, NULL) == SNMPX_E_CALLBACK_THREAD &&
        snmpx_shutdown() == SNMPX_E_CALLBACK_THREAD) {
        atomic_fetch_add(&st->blocked_refused, 1);
    }
    snmpx_response *taken = NULL;
    if (snmpx_completion_take_response(c, &taken) == SNMPX_OK) {
        const snmpx_response *again = NULL;
        if (snmpx_completion_response(c, &again) == SNMPX_E_NOT_FOUND) {
            st->kept = taken;
        } else {
            snmpx_response_free(taken);
        }
    }
    uint64_t id = 0;
    if (atomic_fetch_add(&st->chained, 1) == 0) { /* one follow-up request from here */
        snmpx_session_submit(st->session, st->request, on_get, st, NULL, &id, NULL);
    }
    atomic_fetch_add(&st->done, 1);
}

static void callback_rules(void) {
    struct cb_state st;
    memset(&st, 0, sizeof st);
    st.session = open_session(SNMPX_SNMP_V2C, "public");
    st.request = get_request(SYS_NAME_0);
    uint64_t id = 0;
    CHECK_OK(snmpx_session_submit(st.session, st.request, on_restricted, &st, NULL, &id, NULL));
    CHECK(wait_for(&st.done, 2)); /* the callback and the request it submitted */
    CHECK(atomic_load(&st.blocked_refused) == 1);
    CHECK(atomic_load(&st.ok) == 1);
    CHECK(st.kept != NULL);
    size_t n = 0;
    CHECK_OK(snmpx_response_varbind_count(st.kept, &n));
    CHECK(n == 1);
    snmpx_response_free(st.kept);
    snmpx_request_free(st.request);
    snmpx_session_free(st.session);
}

static void completion_queue_with_poll(void) {
    snmpx_session *s = open_session(SNMPX_SNMP_V2C, "public");
    snmpx_request *req = get_request(SYS_NAME_0);
    snmpx_cq *q = NULL;
    CHECK_OK(snmpx_cq_new(&q));
    int fd = -1;
    CHECK_OK(snmpx_cq_fd(q, &fd));
    CHECK(fd >= 0);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    CHECK(poll(&p, 1, 0) == 0); /* empty: not readable */

    enum { N = 300, BATCH = 32 };
    static unsigned char seen[N];
    memset(seen, 0, sizeof seen);
    for (uint64_t i = 0; i < N; i++) {
        uint64_t id = 0;
        CHECK_OK(snmpx_session_submit_cq(s, req, q, 1000 + i, &id, NULL));
    }
    int got = 0, ok = 0, rounds = 0;
    while (got < N && rounds < 10000) {
        rounds++;
        p.revents = 0;
        int ready = poll(&p, 1, WAIT_MS);
        CHECK(ready == 1);
        if (ready != 1) {
            break;
        }
        snmpx_completion *c[BATCH];
        size_t n = 0;
        CHECK_OK(snmpx_cq_poll(q, c, BATCH, &n));
        for (size_t i = 0; i < n; i++) {
            uint64_t tag = 0, id = 0;
            uint32_t code = 99;
            CHECK_OK(snmpx_completion_tag(c[i], &tag));
            CHECK_OK(snmpx_completion_id(c[i], &id));
            CHECK_OK(snmpx_completion_result(c[i], &code));
            if (tag >= 1000 && tag < 1000 + N && !seen[tag - 1000]) {
                seen[tag - 1000] = 1;
                ok += code == SNMPX_OK;
            }
            snmpx_completion_free(c[i]);
        }
        got += (int)n;
    }
    CHECK(got == N && ok == N);
    p.revents = 0;
    CHECK(poll(&p, 1, 0) == 0); /* drained: not readable again */
    size_t n = 1;
    CHECK_OK(snmpx_cq_poll(q, NULL, 0, &n));
    CHECK(n == 0);
    CHECK_OK(snmpx_cq_wait(q, 0.05, NULL, 0, &n)); /* nothing arrives: returns with 0 */
    CHECK(n == 0);
    CHECK_RC(snmpx_cq_wait(q, -1.0, NULL, 0, &n), SNMPX_E_INVALID);
    snmpx_cq_free(q);
    snmpx_request_free(req);
    snmpx_session_free(s);
}

/* snmpx_cq_poll_each's visitor: records each tag, checks the outcome, keeps one response. */
struct visit_state {
    unsigned char seen[300];
    int got, ok, bad;
    snmpx_response *kept;
};

static void on_visit(void *user, snmpx_completion *c) {
    struct visit_state *v = user;
    uint64_t tag = 0;
    uint32_t code = 99;
    const snmpx_response *r = NULL;
    CHECK_OK(snmpx_completion_tag(c, &tag));
    CHECK_OK(snmpx_completion_result(c, &code));
    if (tag < 2000 || tag >= 2000 + sizeof v->seen || v->seen[tag - 2000]) {
        v->bad++;
        return;
    }
    v->seen[tag - 2000] = 1;
    v->got++;
    if (code == SNMPX_OK && snmpx_completion_response(c, &r) == SNMPX_OK) {
        size_t n = 0;
        CHECK_OK(snmpx_response_varbind_count(r, &n));
        v->ok += n == 1;
    }
    if (v->kept == NULL) { /* a lent completion's response may be taken and kept */
        CHECK_OK(snmpx_completion_take_response(c, &v->kept));
    }
}

static void completion_queue_poll_each(void) {
    snmpx_session *s = open_session(SNMPX_SNMP_V2C, "public");
    snmpx_request *req = get_request(SYS_NAME_0);
    snmpx_cq *q = NULL;
    CHECK_OK(snmpx_cq_new(&q));
    int fd = -1;
    CHECK_OK(snmpx_cq_fd(q, &fd));
    struct pollfd p = {.fd = fd, .events = POLLIN};
    enum { N = 300, BATCH = 64 };
    static struct visit_state v;
    memset(&v, 0, sizeof v);
    size_t live_before = snmpx_live_handles();
    for (uint64_t i = 0; i < N; i++) {
        uint64_t id = 0;
        CHECK_OK(snmpx_session_submit_cq(s, req, q, 2000 + i, &id, NULL));
    }
    int rounds = 0;
    while (v.got < N && v.bad == 0 && rounds < 10000) {
        rounds++;
        p.revents = 0;
        if (poll(&p, 1, WAIT_MS) != 1) {
            CHECK(0);
            break;
        }
        size_t n = 0;
        CHECK_OK(snmpx_cq_poll_each(q, BATCH, on_visit, &v, &n));
        CHECK(n <= BATCH);
    }
    CHECK(v.got == N && v.ok == N && v.bad == 0);
    p.revents = 0;
    CHECK(poll(&p, 1, 0) == 0); /* drained: not readable again */
    size_t n = 1;
    CHECK_OK(snmpx_cq_poll_each(q, BATCH, on_visit, &v, &n)); /* empty: visits nothing */
    CHECK(n == 0 && v.got == N);
    /* the lent completions were freed; only the taken response is still alive */
    CHECK(v.kept != NULL && snmpx_live_handles() == live_before + 1);
    snmpx_response_free(v.kept);
    snmpx_cq_free(q);
    snmpx_request_free(req);
    snmpx_session_free(s);
}

static void cancel_and_failures(void) {
    char silent[64];
    int sfd = silent_socket(silent, sizeof silent);
    snmpx_config *cfg = NULL;
    snmpx_session *s = NULL;
    CHECK_OK(snmpx_config_new(silent, &cfg));
    CHECK_OK(snmpx_config_set_timeout(cfg, 60.0));
    CHECK_OK(snmpx_config_set_retries(cfg, 0));
    CHECK_OK(snmpx_session_open(cfg, &s, NULL));
    snmpx_request *req = get_request(SYS_NAME_0);
    snmpx_cq *q = NULL;
    CHECK_OK(snmpx_cq_new(&q));
    uint64_t id = 0;
    CHECK_OK(snmpx_session_submit_cq(s, req, q, 5, &id, NULL));
    CHECK_OK(snmpx_session_cancel(s, id));
    CHECK_OK(snmpx_session_cancel(s, id)); /* already done: no-op */
    snmpx_completion *c[2];
    size_t n = 0;
    CHECK_OK(snmpx_cq_wait(q, WAIT_MS / 1000.0, c, 2, &n));
    CHECK(n == 1);
    if (n == 1) {
        uint32_t code = 0;
        uint64_t got_id = 0;
        const snmpx_error *e = NULL;
        const snmpx_response *r = NULL;
        snmpx_response *taken = NULL;
        CHECK_OK(snmpx_completion_result(c[0], &code));
        CHECK_OK(snmpx_completion_id(c[0], &got_id));
        CHECK(code == SNMPX_E_CANCELLED && got_id == id);
        CHECK_OK(snmpx_completion_error(c[0], &e));
        uint32_t ecode = 0;
        CHECK_OK(snmpx_error_code(e, &ecode));
        CHECK(ecode == SNMPX_E_CANCELLED);
        CHECK_RC(snmpx_completion_response(c[0], &r), SNMPX_E_NOT_FOUND);
        CHECK_RC(snmpx_completion_take_response(c[0], &taken), SNMPX_E_NOT_FOUND);
        snmpx_completion_free(c[0]);
    }
    snmpx_session_free(s);

    /* A timeout arrives as a completion with its error. */
    CHECK_OK(snmpx_config_set_timeout(cfg, 0.1));
    CHECK_OK(snmpx_session_open(cfg, &s, NULL));
    CHECK_OK(snmpx_session_submit_cq(s, req, q, 6, &id, NULL));
    CHECK_OK(snmpx_cq_wait(q, WAIT_MS / 1000.0, c, 2, &n));
    CHECK(n == 1);
    if (n == 1) {
        const snmpx_error *e = NULL;
        const char *m = NULL;
        CHECK_OK(snmpx_completion_error(c[0], &e));
        CHECK_OK(snmpx_error_message(e, &m));
        CHECK(strstr(m, "timeout") != NULL);
        snmpx_completion_free(c[0]);
    }
    snmpx_session_free(s);
    snmpx_config_free(cfg);
    snmpx_cq_free(q);
    snmpx_request_free(req);
    close(sfd);
}

static void walk_iterator(void) {
    snmpx_session *s = open_session(SNMPX_SNMP_V2C, "public");
    const char *root[] = {"1.3.6.1.2.1.1"};
    snmpx_response *all = NULL;
    CHECK_OK(snmpx_session_walk(s, root, 1, &all, NULL));
    size_t expected = 0;
    CHECK_OK(snmpx_response_varbind_count(all, &expected));
    for (uint32_t kind = SNMPX_REQ_WALK; kind <= SNMPX_REQ_BULK_WALK; kind++) {
        snmpx_request *req = NULL;
        CHECK_OK(snmpx_request_new(kind, &req));
        CHECK_OK(snmpx_request_add_oid(req, root[0]));
        snmpx_walk *w = NULL;
        CHECK_OK(snmpx_session_walk_start(s, req, &w, NULL));
        size_t rows = 0;
        for (;;) {
            snmpx_varbind *vb = NULL;
            snmpx_result rc = snmpx_walk_next(w, &vb, NULL);
            CHECK_OK(rc);
            if (rc != SNMPX_OK || vb == NULL) {
                break;
            }
            const snmpx_varbind *ref = NULL;
            if (snmpx_response_varbind(all, rows, &ref) == SNMPX_OK) {
                char a[256], b[256];
                size_t la = 0, lb = 0;
                CHECK_OK(snmpx_varbind_oid_text(vb, a, sizeof a, &la));
                CHECK_OK(snmpx_varbind_oid_text(ref, b, sizeof b, &lb));
                CHECK(strcmp(a, b) == 0);
            }
            snmpx_varbind_free(vb);
            rows++;
        }
        CHECK(rows == expected);
        snmpx_varbind *after = (snmpx_varbind *)1;
        CHECK_OK(snmpx_walk_next(w, &after, NULL)); /* stays ended */
        CHECK(after == NULL);
        snmpx_walk_free(w);
        /* Freeing a walk before its end cancels it. */
        CHECK_OK(snmpx_session_walk_start(s, req, &w, NULL));
        snmpx_varbind *first = NULL;
        CHECK_OK(snmpx_walk_next(w, &first, NULL));
        CHECK(first != NULL);
        snmpx_varbind_free(first);
        snmpx_walk_free(w);
        snmpx_request_free(req);
    }
    snmpx_request *get = get_request(SYS_NAME_0);
    snmpx_walk *w = NULL;
    CHECK_RC(snmpx_session_walk_start(s, get, &w, NULL), SNMPX_E_INVALID);
    snmpx_request_free(get);
    snmpx_response_free(all);
    snmpx_session_free(s);
}

int main(void) {
    CHECK_OK(snmpx_init());
    RUN(callbacks);
    RUN(callback_rules);
    RUN(completion_queue_with_poll);
    RUN(completion_queue_poll_each);
    RUN(cancel_and_failures);
    RUN(walk_iterator);
    CHECK_OK(snmpx_shutdown());
    if (snmpx_live_handles() != 0) {
        fprintf(stderr, "leak: %zu handles still alive\n", snmpx_live_handles());
        h_failed++;
    }
    return h_finish();
}
