/* NULL for every pointer argument of every function: SNMPX_E_INVALID (never a crash, never
 * an output written), NULL-accepting destructors, and the documented optional pointers.
 * tests/c/check_null_coverage.sh checks that every function of the header appears here. */
#include "harness.h"

#define INVALID(call) CHECK_RC(call, SNMPX_E_INVALID)

static void noop_cb(void *u, snmpx_completion *c) {
    (void)u;
    (void)c;
}

static void nulls_everywhere(void) {
    snmpx_config *cfg = NULL;
    snmpx_session *s = NULL;
    snmpx_request *req = NULL;
    snmpx_response *resp = NULL;
    snmpx_cq *q = NULL;
    snmpx_walk *w = NULL;
    snmpx_error *err = NULL;
    CHECK_OK(snmpx_config_new(agent(), &cfg));
    CHECK_OK(snmpx_session_open(cfg, &s, NULL));
    CHECK_OK(snmpx_request_new(SNMPX_REQ_GET, &req));
    CHECK_OK(snmpx_request_add_oid(req, "1.3.6.1.2.1.1.5.0"));
    CHECK_OK(snmpx_session_execute(s, req, &resp, NULL));
    CHECK_OK(snmpx_cq_new(&q));
    const snmpx_varbind *vb = NULL;
    CHECK_OK(snmpx_response_varbind(resp, 0, &vb));
    const char *bad[] = {"1..3"};
    CHECK_RC(snmpx_session_get(s, bad, 1, &resp, &err), SNMPX_E_PARSE); /* resp untouched */
    CHECK(err != NULL);

    uint32_t u32 = 0;
    int32_t i32 = 0;
    uint64_t u64 = 0;
    int64_t i64 = 0;
    size_t len = 0;
    int fd = 0;
    char buf[256];
    const char *text = NULL;
    const uint32_t *arcs = NULL;
    const uint8_t *bytes = NULL;
    const char *oids[] = {"1.3.6.1.2.1.1.5.0"};
    const uint32_t oid_arcs[] = {1, 3, 6, 1};
    snmpx_completion *comps[1];

    /* errors */
    INVALID(snmpx_error_code(NULL, &u32));
    INVALID(snmpx_error_code(err, NULL));
    INVALID(snmpx_error_message(NULL, &text));
    INVALID(snmpx_error_message(err, NULL));
    INVALID(snmpx_error_agent_status(NULL, &i32, &u32));
    INVALID(snmpx_error_agent_status(err, NULL, &u32));
    INVALID(snmpx_error_agent_status(err, &i32, NULL));
    INVALID(snmpx_error_failed_oid(NULL, &arcs, &len));
    INVALID(snmpx_error_failed_oid(err, NULL, &len));
    INVALID(snmpx_error_failed_oid(err, &arcs, NULL));

    /* config */
    snmpx_config *cfg2 = (snmpx_config *)1;
    INVALID(snmpx_config_new(NULL, &cfg2));
    INVALID(snmpx_config_new(agent(), NULL));
    CHECK(cfg2 == (snmpx_config *)1); /* not written on failure */
    size_t next = 0;
    const char *argv[] = {"prog", agent()};
    const char *argv_null[] = {"prog", NULL};
    INVALID(snmpx_config_from_argv(NULL, 2, &cfg2, &next, NULL));
    INVALID(snmpx_config_from_argv(argv, 2, NULL, &next, NULL));
    INVALID(snmpx_config_from_argv(argv, 2, &cfg2, NULL, NULL));
    INVALID(snmpx_config_from_argv(argv_null, 2, &cfg2, &next, NULL));
    INVALID(snmpx_config_set_version(NULL, 1));
    INVALID(snmpx_config_set_community(NULL, (const uint8_t *)"a", 1));
    INVALID(snmpx_config_set_community(cfg, NULL, 1));
    CHECK_OK(snmpx_config_set_community(cfg, NULL, 0)); /* empty community: allowed */
    INVALID(snmpx_config_set_timeout(NULL, 1.0));
    INVALID(snmpx_config_set_retries(NULL, 1));
    INVALID(snmpx_config_set_backoff(NULL, 1.0));
    INVALID(snmpx_config_set_deadline(NULL, 1.0));
    INVALID(snmpx_config_set_max_varbinds(NULL, 1));
    INVALID(snmpx_config_set_max_repetitions(NULL, 1));
    INVALID(snmpx_config_set_non_repeaters(NULL, 1));
    INVALID(snmpx_config_set_max_in_flight(NULL, 1));
    INVALID(snmpx_config_set_check_source(NULL, true));
    INVALID(snmpx_config_set_fail_on_unreachable(NULL, true));
    INVALID(snmpx_config_set_check_increasing(NULL, true));
    INVALID(snmpx_config_set_walk_max_requests(NULL, 1));
    INVALID(snmpx_config_set_security_name(NULL, "u"));
    INVALID(snmpx_config_set_security_name(cfg, NULL));
    INVALID(snmpx_config_set_security_level(NULL, 1));
    INVALID(snmpx_config_set_auth(NULL, 1, (const uint8_t *)"p", 1));
    INVALID(snmpx_config_set_auth(cfg, 1, NULL, 1));
    INVALID(snmpx_config_set_auth_key(NULL, 1, (const uint8_t *)"p", 1));
    INVALID(snmpx_config_set_auth_key(cfg, 1, NULL, 1));
    INVALID(snmpx_config_set_priv(NULL, 1, (const uint8_t *)"p", 1));
    INVALID(snmpx_config_set_priv(cfg, 1, NULL, 1));
    INVALID(snmpx_config_set_priv_key(NULL, 1, (const uint8_t *)"p", 1));
    INVALID(snmpx_config_set_priv_key(cfg, 1, NULL, 1));
    INVALID(snmpx_config_set_context_name(NULL, (const uint8_t *)"c", 1));
    INVALID(snmpx_config_set_context_name(cfg, NULL, 1));
    INVALID(snmpx_config_set_context_engine_id(NULL, (const uint8_t *)"c", 1));
    INVALID(snmpx_config_set_context_engine_id(cfg, NULL, 1));
    INVALID(snmpx_config_set_security_engine_id(NULL, (const uint8_t *)"c", 1));
    INVALID(snmpx_config_set_security_engine_id(cfg, NULL, 1));
    INVALID(snmpx_config_set_auth_master_key(NULL, 1, (const uint8_t *)"p", 1));
    INVALID(snmpx_config_set_auth_master_key(cfg, 1, NULL, 1));
    INVALID(snmpx_config_set_priv_master_key(NULL, 1, (const uint8_t *)"p", 1));
    INVALID(snmpx_config_set_priv_master_key(cfg, 1, NULL, 1));
    INVALID(snmpx_config_set_engine_boots_time(NULL, 1, 1));

    /* sessions and blocking operations */
    snmpx_session *s2 = (snmpx_session *)1;
    snmpx_response *r2 = (snmpx_response *)1;
    INVALID(snmpx_session_open(NULL, &s2, NULL));
    INVALID(snmpx_session_open(cfg, NULL, NULL));
    CHECK(s2 == (snmpx_session *)1);
    INVALID(snmpx_session_peer(NULL, buf, sizeof buf, &len));
    INVALID(snmpx_session_peer(s, NULL, sizeof buf, &len));
    INVALID(snmpx_session_peer(s, buf, sizeof buf, NULL));
    INVALID(snmpx_session_execute(NULL, req, &r2, NULL));
    INVALID(snmpx_session_execute(s, NULL, &r2, NULL));
    INVALID(snmpx_session_execute(s, req, NULL, NULL));
    INVALID(snmpx_session_get(NULL, oids, 1, &r2, NULL));
    INVALID(snmpx_session_get(s, NULL, 1, &r2, NULL));
    INVALID(snmpx_session_get(s, oids, 1, NULL, NULL));
    INVALID(snmpx_session_get_next(NULL, oids, 1, &r2, NULL));
    INVALID(snmpx_session_get_next(s, NULL, 1, &r2, NULL));
    INVALID(snmpx_session_get_next(s, oids, 1, NULL, NULL));
    INVALID(snmpx_session_get_bulk(NULL, 0, 1, oids, 1, &r2, NULL));
    INVALID(snmpx_session_get_bulk(s, 0, 1, NULL, 1, &r2, NULL));
    INVALID(snmpx_session_get_bulk(s, 0, 1, oids, 1, NULL, NULL));
    INVALID(snmpx_session_walk(NULL, oids, 1, &r2, NULL));
    INVALID(snmpx_session_walk(s, NULL, 1, &r2, NULL));
    INVALID(snmpx_session_walk(s, oids, 1, NULL, NULL));
    INVALID(snmpx_session_bulk_walk(NULL, oids, 1, &r2, NULL));
    INVALID(snmpx_session_bulk_walk(s, NULL, 1, &r2, NULL));
    INVALID(snmpx_session_bulk_walk(s, oids, 1, NULL, NULL));
    CHECK(r2 == (snmpx_response *)1);
    INVALID(snmpx_session_cancel(NULL, 1));

    /* requests */
    INVALID(snmpx_request_new(SNMPX_REQ_GET, NULL));
    INVALID(snmpx_request_add_oid(NULL, "1.3"));
    INVALID(snmpx_request_add_oid(req, NULL));
    INVALID(snmpx_request_add_oid_arcs(NULL, oid_arcs, 4));
    INVALID(snmpx_request_add_oid_arcs(req, NULL, 4));
    INVALID(snmpx_request_set_bulk(NULL, 0, 1));
    INVALID(snmpx_request_value_int(NULL, 1));
    INVALID(snmpx_request_value_unsigned(NULL, SNMPX_TYPE_GAUGE32, 1));
    INVALID(snmpx_request_value_bytes(NULL, SNMPX_TYPE_OCTET_STRING, (const uint8_t *)"a", 1));
    INVALID(snmpx_request_value_oid(NULL, "1.3"));
    INVALID(snmpx_request_value_oid_arcs(NULL, oid_arcs, 4));
    snmpx_request *set = NULL;
    CHECK_OK(snmpx_request_new(SNMPX_REQ_SET, &set));
    CHECK_OK(snmpx_request_add_oid(set, "1.3.6.1.2.1.1.4.0"));
    INVALID(snmpx_request_value_bytes(set, SNMPX_TYPE_OCTET_STRING, NULL, 1));
    CHECK_OK(snmpx_request_value_bytes(set, SNMPX_TYPE_OCTET_STRING, NULL, 0)); /* empty */
    INVALID(snmpx_request_value_oid(set, NULL));
    INVALID(snmpx_request_value_oid_arcs(set, NULL, 4));

    /* responses and varbinds */
    INVALID(snmpx_response_error_status(NULL, &i32));
    INVALID(snmpx_response_error_status(resp, NULL));
    INVALID(snmpx_response_error_index(NULL, &u32));
    INVALID(snmpx_response_error_index(resp, NULL));
    INVALID(snmpx_response_failed_oid(NULL, &arcs, &len));
    INVALID(snmpx_response_failed_oid(resp, NULL, &len));
    INVALID(snmpx_response_failed_oid(resp, &arcs, NULL));
    INVALID(snmpx_response_varbind_count(NULL, &len));
    INVALID(snmpx_response_varbind_count(resp, NULL));
    INVALID(snmpx_response_varbind(NULL, 0, &vb));
    INVALID(snmpx_response_varbind(resp, 0, NULL));
    INVALID(snmpx_varbind_oid(NULL, &arcs, &len));
    INVALID(snmpx_varbind_oid(vb, NULL, &len));
    INVALID(snmpx_varbind_oid(vb, &arcs, NULL));
    INVALID(snmpx_varbind_oid_text(NULL, buf, sizeof buf, &len));
    INVALID(snmpx_varbind_oid_text(vb, NULL, sizeof buf, &len));
    INVALID(snmpx_varbind_oid_text(vb, buf, sizeof buf, NULL));
    INVALID(snmpx_varbind_type(NULL, &u32));
    INVALID(snmpx_varbind_type(vb, NULL));
    INVALID(snmpx_varbind_int64(NULL, &i64));
    INVALID(snmpx_varbind_int64(vb, NULL));
    INVALID(snmpx_varbind_uint64(NULL, &u64));
    INVALID(snmpx_varbind_uint64(vb, NULL));
    INVALID(snmpx_varbind_bytes(NULL, &bytes, &len));
    INVALID(snmpx_varbind_bytes(vb, NULL, &len));
    INVALID(snmpx_varbind_bytes(vb, &bytes, NULL));
    INVALID(snmpx_varbind_oid_value(NULL, &arcs, &len));
    INVALID(snmpx_varbind_oid_value(vb, NULL, &len));
    INVALID(snmpx_varbind_oid_value(vb, &arcs, NULL));
    INVALID(snmpx_varbind_format(NULL, buf, sizeof buf, &len));
    INVALID(snmpx_varbind_format(vb, NULL, sizeof buf, &len));
    INVALID(snmpx_varbind_format(vb, buf, sizeof buf, NULL));
    INVALID(snmpx_varbind_value_format(NULL, buf, sizeof buf, &len));
    INVALID(snmpx_varbind_value_format(vb, NULL, sizeof buf, &len));
    INVALID(snmpx_varbind_value_format(vb, buf, sizeof buf, NULL));
    INVALID(snmpx_varbind_format_opts(NULL, "n", buf, sizeof buf, &len));
    INVALID(snmpx_varbind_format_opts(vb, "n", NULL, sizeof buf, &len));
    INVALID(snmpx_varbind_format_opts(vb, "n", buf, sizeof buf, NULL));

    /* MIB */
    INVALID(snmpx_mib_add_dir(NULL, NULL));
    INVALID(snmpx_mib_load_module(NULL, NULL));
    uint32_t parsed_arcs[16];
    INVALID(snmpx_oid_parse(NULL, parsed_arcs, 16, &len, NULL));
    INVALID(snmpx_oid_parse("sysName.0", NULL, 16, &len, NULL));
    INVALID(snmpx_oid_parse("sysName.0", parsed_arcs, 16, NULL, NULL));
    INVALID(snmpx_oid_format(NULL, 3, "n", buf, sizeof buf, &len));
    INVALID(snmpx_oid_format(parsed_arcs, 0, "n", buf, sizeof buf, &len));
    INVALID(snmpx_oid_format((const uint32_t[]){1, 3, 6}, 3, "n", NULL, sizeof buf, &len));
    INVALID(snmpx_oid_format((const uint32_t[]){1, 3, 6}, 3, "n", buf, sizeof buf, NULL));

    /* asynchronous API */
    INVALID(snmpx_session_submit(NULL, req, noop_cb, NULL, NULL, &u64, NULL));
    INVALID(snmpx_session_submit(s, NULL, noop_cb, NULL, NULL, &u64, NULL));
    INVALID(snmpx_session_submit(s, req, NULL, NULL, NULL, &u64, NULL));
    INVALID(snmpx_session_submit(s, req, noop_cb, NULL, NULL, NULL, NULL));
    INVALID(snmpx_session_submit_cq(NULL, req, q, 1, &u64, NULL));
    INVALID(snmpx_session_submit_cq(s, NULL, q, 1, &u64, NULL));
    INVALID(snmpx_session_submit_cq(s, req, NULL, 1, &u64, NULL));
    INVALID(snmpx_session_submit_cq(s, req, q, 1, NULL, NULL));
    INVALID(snmpx_cq_new(NULL));
    INVALID(snmpx_cq_fd(NULL, &fd));
    INVALID(snmpx_cq_fd(q, NULL));
    INVALID(snmpx_cq_poll(NULL, comps, 1, &len));
    INVALID(snmpx_cq_poll(q, NULL, 1, &len));
    INVALID(snmpx_cq_poll(q, comps, 1, NULL));
    INVALID(snmpx_cq_wait(NULL, 0.0, comps, 1, &len));
    INVALID(snmpx_cq_wait(q, 0.0, NULL, 1, &len));
    INVALID(snmpx_cq_wait(q, 0.0, comps, 1, NULL));
    INVALID(snmpx_cq_poll_each(NULL, 1, noop_cb, NULL, &len));
    INVALID(snmpx_cq_poll_each(q, 1, NULL, NULL, &len));
    INVALID(snmpx_cq_poll_each(q, 1, noop_cb, NULL, NULL));
    CHECK_OK(snmpx_session_submit_cq(s, req, q, 9, &u64, NULL));
    size_t n = 0;
    CHECK_OK(snmpx_cq_wait(q, 20.0, comps, 1, &n));
    CHECK(n == 1);
    if (n == 1) {
        snmpx_completion *c = comps[0];
        const snmpx_response *cr = NULL;
        const snmpx_error *ce = NULL;
        snmpx_response *taken = NULL;
        INVALID(snmpx_completion_id(NULL, &u64));
        INVALID(snmpx_completion_id(c, NULL));
        INVALID(snmpx_completion_tag(NULL, &u64));
        INVALID(snmpx_completion_tag(c, NULL));
        INVALID(snmpx_completion_result(NULL, &u32));
        INVALID(snmpx_completion_result(c, NULL));
        INVALID(snmpx_completion_response(NULL, &cr));
        INVALID(snmpx_completion_response(c, NULL));
        INVALID(snmpx_completion_take_response(NULL, &taken));
        INVALID(snmpx_completion_take_response(c, NULL));
        INVALID(snmpx_completion_error(NULL, &ce));
        INVALID(snmpx_completion_error(c, NULL));
        CHECK_OK(snmpx_completion_take_response(c, &taken)); /* the response is still there */
        snmpx_response_free(taken);
        snmpx_completion_free(c);
    }

    /* walks */
    snmpx_request *walk_req = NULL;
    CHECK_OK(snmpx_request_new(SNMPX_REQ_WALK, &walk_req));
    CHECK_OK(snmpx_request_add_oid(walk_req, "1.3.6.1.2.1.1"));
    INVALID(snmpx_session_walk_start(NULL, walk_req, &w, NULL));
    INVALID(snmpx_session_walk_start(s, NULL, &w, NULL));
    INVALID(snmpx_session_walk_start(s, walk_req, NULL, NULL));
    CHECK_OK(snmpx_session_walk_start(s, walk_req, &w, NULL));
    snmpx_varbind *row = NULL;
    INVALID(snmpx_walk_next(NULL, &row, NULL));
    INVALID(snmpx_walk_next(w, NULL, NULL));
    CHECK_OK(snmpx_walk_next(w, &row, NULL));
    CHECK(row != NULL);

    /* destructors accept NULL */
    snmpx_config_free(NULL);
    snmpx_session_free(NULL);
    snmpx_request_free(NULL);
    snmpx_response_free(NULL);
    snmpx_varbind_free(NULL);
    snmpx_cq_free(NULL);
    snmpx_completion_free(NULL);
    snmpx_walk_free(NULL);
    snmpx_error_free(NULL);

    /* functions without pointer arguments */
    CHECK(snmpx_init_count() == 1);
    CHECK(snmpx_live_handles() > 0);
    CHECK(snmpx_result_message(SNMPX_E_INVALID) != NULL);
    CHECK(snmpx_version() != NULL);

    snmpx_varbind_free(row);
    snmpx_walk_free(w);
    snmpx_request_free(walk_req);
    snmpx_request_free(set);
    snmpx_error_free(err);
    snmpx_cq_free(q);
    snmpx_response_free(resp);
    snmpx_request_free(req);
    snmpx_session_free(s);
    snmpx_config_free(cfg);
}

int main(void) {
    CHECK_OK(snmpx_init());
    RUN(nulls_everywhere);
    CHECK_OK(snmpx_shutdown());
    if (snmpx_live_handles() != 0) {
        fprintf(stderr, "leak: %zu handles still alive\n", snmpx_live_handles());
        h_failed++;
    }
    return h_finish();
}
