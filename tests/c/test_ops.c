/* Every operation on SNMPv1 and SNMPv2c against the real snmpd, their error paths, the
 * config builder and argv constructor, and the varbind accessors. */
#include "harness.h"

#define SYS_DESCR_0 "1.3.6.1.2.1.1.1.0"
#define SYS_OBJECT_ID_0 "1.3.6.1.2.1.1.2.0"
#define SYS_UPTIME_0 "1.3.6.1.2.1.1.3.0"
#define SYS_CONTACT_0 "1.3.6.1.2.1.1.4.0"
#define SYS_NAME_0 ".1.3.6.1.2.1.1.5.0"
#define SYS_LOCATION_0 "1.3.6.1.2.1.1.6.0"

static int oid_is(const uint32_t *arcs, size_t len, const char *text) {
    char buf[512];
    size_t off = 0;
    for (size_t i = 0; i < len && off < sizeof buf; i++) {
        off += (size_t)snprintf(buf + off, sizeof buf - off, i ? ".%u" : "%u", arcs[i]);
    }
    buf[off < sizeof buf ? off : sizeof buf - 1] = '\0';
    if (text[0] == '.') {
        text++;
    }
    return strcmp(buf, text) == 0;
}

static const snmpx_varbind *vb_at(const snmpx_response *r, size_t i) {
    const snmpx_varbind *vb = NULL;
    CHECK_OK(snmpx_response_varbind(r, i, &vb));
    return vb;
}

static void get_both_versions(void) {
    for (uint32_t v = SNMPX_SNMP_V1; v <= SNMPX_SNMP_V2C; v++) {
        snmpx_session *s = open_session(v, "public");
        const char *oids[] = {SYS_NAME_0, SYS_DESCR_0};
        snmpx_response *r = NULL;
        CHECK_OK(snmpx_session_get(s, oids, 2, &r, NULL));
        int32_t status = -1;
        uint32_t index = 99;
        size_t n = 0;
        CHECK_OK(snmpx_response_error_status(r, &status));
        CHECK_OK(snmpx_response_error_index(r, &index));
        CHECK_OK(snmpx_response_varbind_count(r, &n));
        CHECK(status == SNMPX_ERRSTAT_NO_ERROR && index == 0 && n == 2);
        uint32_t type = 0;
        CHECK_OK(snmpx_varbind_type(vb_at(r, 0), &type));
        CHECK(type == SNMPX_TYPE_OCTET_STRING);
        CHECK(strcmp(str_value(vb_at(r, 0)), env_or("SNMPX_TEST_SYS_NAME", "?")) == 0);
        CHECK(strcmp(str_value(vb_at(r, 1)), env_or("SNMPX_TEST_SYS_DESCR", "?")) == 0);
        const uint32_t *arcs = NULL;
        size_t len = 0;
        CHECK_OK(snmpx_varbind_oid(vb_at(r, 0), &arcs, &len));
        CHECK(oid_is(arcs, len, SYS_NAME_0));
        CHECK(strncmp(fmt(vb_at(r, 0)), ".1.3.6.1.2.1.1.5.0 = STRING: ", 29) == 0);
        const snmpx_varbind *none = NULL;
        CHECK_RC(snmpx_response_varbind(r, 2, &none), SNMPX_E_NOT_FOUND);
        CHECK_RC(snmpx_response_failed_oid(r, &arcs, &len), SNMPX_E_NOT_FOUND);
        snmpx_response_free(r);
        snmpx_session_free(s);
    }
}

static void missing_objects_are_data(void) {
    snmpx_session *s = open_session(SNMPX_SNMP_V2C, "public");
    const char *oids[] = {"1.3.6.1.2.1.1.99.0", "1.3.6.1.2.1.1.1.99"};
    snmpx_response *r = NULL;
    CHECK_OK(snmpx_session_get(s, oids, 2, &r, NULL));
    uint32_t t0 = 0, t1 = 0;
    CHECK_OK(snmpx_varbind_type(vb_at(r, 0), &t0));
    CHECK_OK(snmpx_varbind_type(vb_at(r, 1), &t1));
    CHECK(t0 == SNMPX_TYPE_NO_SUCH_OBJECT);
    CHECK(t1 == SNMPX_TYPE_NO_SUCH_INSTANCE);
    int64_t i64 = 0;
    CHECK_RC(snmpx_varbind_int64(vb_at(r, 0), &i64), SNMPX_E_WRONG_TYPE);
    snmpx_response_free(r);
    snmpx_session_free(s);

    /* SNMPv1: noSuchName error-status (data), index and failed OID. */
    s = open_session(SNMPX_SNMP_V1, "public");
    const char *v1oids[] = {SYS_NAME_0, "1.3.6.1.2.1.1.99.0"};
    CHECK_OK(snmpx_session_get(s, v1oids, 2, &r, NULL));
    int32_t status = 0;
    uint32_t index = 0;
    CHECK_OK(snmpx_response_error_status(r, &status));
    CHECK_OK(snmpx_response_error_index(r, &index));
    CHECK(status == SNMPX_ERRSTAT_NO_SUCH_NAME && index == 2);
    const uint32_t *arcs = NULL;
    size_t len = 0;
    CHECK_OK(snmpx_response_failed_oid(r, &arcs, &len));
    CHECK(oid_is(arcs, len, "1.3.6.1.2.1.1.99.0"));
    snmpx_response_free(r);
    snmpx_session_free(s);
}

static void get_next_and_bulk(void) {
    for (uint32_t v = SNMPX_SNMP_V1; v <= SNMPX_SNMP_V2C; v++) {
        snmpx_session *s = open_session(v, "public");
        const char *oids[] = {"1.3.6.1.2.1.1.1", "1.3.6.1.2.1.1.4"};
        snmpx_response *r = NULL;
        CHECK_OK(snmpx_session_get_next(s, oids, 2, &r, NULL));
        const uint32_t *arcs = NULL;
        size_t len = 0;
        CHECK_OK(snmpx_varbind_oid(vb_at(r, 0), &arcs, &len));
        CHECK(oid_is(arcs, len, SYS_DESCR_0));
        CHECK_OK(snmpx_varbind_oid(vb_at(r, 1), &arcs, &len));
        CHECK(oid_is(arcs, len, SYS_CONTACT_0));
        snmpx_response_free(r);

        const char *bulk[] = {"1.3.6.1.2.1.1.1", "1.3.6.1.2.1.1"};
        snmpx_error *err = NULL;
        if (v == SNMPX_SNMP_V1) {
            r = NULL;
            CHECK_RC(snmpx_session_get_bulk(s, 1, 3, bulk, 2, &r, &err), SNMPX_E_USAGE);
            CHECK(r == NULL && err != NULL);
            uint32_t code = 0;
            CHECK_OK(snmpx_error_code(err, &code));
            CHECK(code == SNMPX_E_USAGE);
            snmpx_error_free(err);
        } else {
            CHECK_OK(snmpx_session_get_bulk(s, 1, 3, bulk, 2, &r, &err));
            size_t n = 0;
            CHECK_OK(snmpx_response_varbind_count(r, &n));
            CHECK(n == 4); /* 1 non-repeater + 3 repetitions of 1 repeater */
            CHECK_OK(snmpx_varbind_oid(vb_at(r, 0), &arcs, &len));
            CHECK(oid_is(arcs, len, SYS_DESCR_0));
            CHECK_OK(snmpx_varbind_oid(vb_at(r, 3), &arcs, &len));
            CHECK(oid_is(arcs, len, SYS_UPTIME_0));
            snmpx_response_free(r);
        }
        snmpx_session_free(s);
    }
}

static void set_and_not_writable(void) {
    for (uint32_t v = SNMPX_SNMP_V1; v <= SNMPX_SNMP_V2C; v++) {
        snmpx_session *s = open_session(v, "private");
        const char *value = v == SNMPX_SNMP_V1 ? "snmpx C test v1" : "snmpx C test v2c";
        snmpx_request *req = NULL;
        CHECK_OK(snmpx_request_new(SNMPX_REQ_SET, &req));
        CHECK_OK(snmpx_request_add_oid(req, SYS_CONTACT_0));
        CHECK_OK(snmpx_request_value_bytes(req, SNMPX_TYPE_OCTET_STRING, (const uint8_t *)value,
                                           strlen(value)));
        snmpx_response *r = NULL;
        CHECK_OK(snmpx_session_execute(s, req, &r, NULL));
        int32_t status = -1;
        CHECK_OK(snmpx_response_error_status(r, &status));
        CHECK(status == 0);
        snmpx_response_free(r);
        snmpx_request_free(req);

        const char *oids[] = {SYS_CONTACT_0};
        CHECK_OK(snmpx_session_get(s, oids, 1, &r, NULL));
        CHECK(strcmp(str_value(vb_at(r, 0)), value) == 0);
        snmpx_response_free(r);

        /* sysContact (writable) then sysLocation (set in snmpd.conf: notWritable). */
        CHECK_OK(snmpx_request_new(SNMPX_REQ_SET, &req));
        CHECK_OK(snmpx_request_add_oid(req, SYS_CONTACT_0));
        CHECK_OK(snmpx_request_value_bytes(req, SNMPX_TYPE_OCTET_STRING, (const uint8_t *)"x", 1));
        const uint32_t loc[] = {1, 3, 6, 1, 2, 1, 1, 6, 0};
        CHECK_OK(snmpx_request_add_oid_arcs(req, loc, 9));
        CHECK_OK(snmpx_request_value_bytes(req, SNMPX_TYPE_OCTET_STRING, (const uint8_t *)"y", 1));
        CHECK_OK(snmpx_session_execute(s, req, &r, NULL));
        uint32_t index = 0;
        CHECK_OK(snmpx_response_error_status(r, &status));
        CHECK_OK(snmpx_response_error_index(r, &index));
        /* v2c: notWritable; v1 maps it to noSuchName (RFC 3584 §4.4). */
        CHECK(status == (v == SNMPX_SNMP_V1 ? SNMPX_ERRSTAT_NO_SUCH_NAME
                                            : SNMPX_ERRSTAT_NOT_WRITABLE));
        CHECK(index == 2);
        const uint32_t *arcs = NULL;
        size_t len = 0;
        CHECK_OK(snmpx_response_failed_oid(r, &arcs, &len));
        CHECK(oid_is(arcs, len, SYS_LOCATION_0));
        snmpx_response_free(r);
        snmpx_request_free(req);

        /* The Set was atomic: sysContact kept the first value. */
        CHECK_OK(snmpx_session_get(s, oids, 1, &r, NULL));
        CHECK(strcmp(str_value(vb_at(r, 0)), value) == 0);
        snmpx_response_free(r);
        snmpx_session_free(s);
    }
}

static void set_request_rules(void) {
    snmpx_request *req = NULL;
    CHECK_OK(snmpx_request_new(SNMPX_REQ_SET, &req));
    CHECK_RC(snmpx_request_value_int(req, 1), SNMPX_E_USAGE); /* no OID yet */
    CHECK_OK(snmpx_request_add_oid(req, SYS_CONTACT_0));
    CHECK_RC(snmpx_request_value_unsigned(req, SNMPX_TYPE_COUNTER32, 1ull << 32), SNMPX_E_INVALID);
    CHECK_RC(snmpx_request_value_unsigned(req, SNMPX_TYPE_INTEGER, 1), SNMPX_E_INVALID);
    CHECK_RC(snmpx_request_value_bytes(req, SNMPX_TYPE_IP_ADDRESS, (const uint8_t *)"abc", 3),
             SNMPX_E_INVALID);
    CHECK_RC(snmpx_request_value_bytes(req, 0x77, (const uint8_t *)"abc", 3), SNMPX_E_INVALID);
    CHECK_OK(snmpx_request_value_unsigned(req, SNMPX_TYPE_COUNTER64, 1ull << 40));
    CHECK_OK(snmpx_request_value_oid(req, ".1.3.6.1"));
    const uint32_t arcs[] = {1, 3, 6};
    CHECK_OK(snmpx_request_value_oid_arcs(req, arcs, 3));
    CHECK_OK(snmpx_request_value_int(req, -5));
    CHECK_OK(snmpx_request_add_oid(req, SYS_NAME_0)); /* left without a value */
    snmpx_session *s = open_session(SNMPX_SNMP_V2C, "private");
    snmpx_response *r = NULL;
    snmpx_error *err = NULL;
    CHECK_RC(snmpx_session_execute(s, req, &r, &err), SNMPX_E_INVALID);
    const char *m = NULL;
    CHECK_OK(snmpx_error_message(err, &m));
    CHECK(m != NULL && strstr(m, "no value") != NULL);
    snmpx_error_free(err);
    snmpx_request_free(req);

    /* Wrong type for sysContact: the agent says wrongType, as data. */
    CHECK_OK(snmpx_request_new(SNMPX_REQ_SET, &req));
    CHECK_OK(snmpx_request_add_oid(req, SYS_CONTACT_0));
    CHECK_OK(snmpx_request_value_int(req, 5));
    CHECK_OK(snmpx_session_execute(s, req, &r, NULL));
    int32_t status = 0;
    CHECK_OK(snmpx_response_error_status(r, &status));
    CHECK(status == SNMPX_ERRSTAT_WRONG_TYPE);
    snmpx_response_free(r);
    snmpx_request_free(req);

    CHECK_OK(snmpx_request_new(SNMPX_REQ_GET, &req));
    CHECK_RC(snmpx_request_value_int(req, 1), SNMPX_E_USAGE); /* not a SET */
    CHECK_RC(snmpx_request_set_bulk(req, 0, 5), SNMPX_E_USAGE);
    CHECK_RC(snmpx_session_execute(s, req, &r, NULL), SNMPX_E_INVALID); /* no OID */
    snmpx_request_free(req);
    CHECK_RC(snmpx_request_new(0, &req), SNMPX_E_INVALID);
    CHECK_RC(snmpx_request_new(7, &req), SNMPX_E_INVALID);
    snmpx_session_free(s);
}

static size_t walk_count(snmpx_session *s, int bulk, const char *root) {
    const char *oids[] = {root};
    snmpx_response *r = NULL;
    snmpx_result rc = bulk ? snmpx_session_bulk_walk(s, oids, 1, &r, NULL)
                           : snmpx_session_walk(s, oids, 1, &r, NULL);
    CHECK_OK(rc);
    if (rc != SNMPX_OK) {
        return 0;
    }
    size_t n = 0;
    CHECK_OK(snmpx_response_varbind_count(r, &n));
    const uint32_t *prev = NULL;
    size_t prev_len = 0;
    for (size_t i = 0; i < n; i++) {
        const uint32_t *arcs = NULL;
        size_t len = 0;
        CHECK_OK(snmpx_varbind_oid(vb_at(r, i), &arcs, &len));
        CHECK(len > 7 && arcs[6] == 1); /* inside 1.3.6.1.2.1.1 */
        if (prev != NULL) { /* strictly increasing */
            size_t k = 0;
            while (k < len && k < prev_len && arcs[k] == prev[k]) {
                k++;
            }
            CHECK(k < len && (k == prev_len || arcs[k] > prev[k]));
        }
        prev = arcs;
        prev_len = len;
    }
    snmpx_response_free(r);
    return n;
}

static void walks(void) {
    for (uint32_t v = SNMPX_SNMP_V1; v <= SNMPX_SNMP_V2C; v++) {
        snmpx_session *s = open_session(v, "public");
        size_t n = walk_count(s, 0, "1.3.6.1.2.1.1");
        CHECK(n >= 8);
        if (v == SNMPX_SNMP_V2C) {
            CHECK(walk_count(s, 1, "1.3.6.1.2.1.1") == n);
        } else {
            const char *oids[] = {"1.3.6.1.2.1.1"};
            snmpx_response *r = NULL;
            CHECK_RC(snmpx_session_bulk_walk(s, oids, 1, &r, NULL), SNMPX_E_USAGE);
        }
        snmpx_session_free(s);
    }
}

static void execute_with_arcs(void) {
    snmpx_session *s = open_session(SNMPX_SNMP_V2C, "public");
    snmpx_request *req = NULL;
    CHECK_OK(snmpx_request_new(SNMPX_REQ_GET, &req));
    const uint32_t up[] = {1, 3, 6, 1, 2, 1, 1, 3, 0};
    const uint32_t oid[] = {1, 3, 6, 1, 2, 1, 1, 2, 0};
    CHECK_OK(snmpx_request_add_oid_arcs(req, up, 9));
    CHECK_OK(snmpx_request_add_oid_arcs(req, oid, 9));
    CHECK_RC(snmpx_request_add_oid_arcs(req, oid, 0), SNMPX_E_INVALID);
    const uint32_t bad[] = {7, 1};
    CHECK_RC(snmpx_request_add_oid_arcs(req, bad, 2), SNMPX_E_INVALID);
    snmpx_response *r = NULL;
    CHECK_OK(snmpx_session_execute(s, req, &r, NULL));
    uint32_t type = 0;
    uint64_t ticks = 0;
    int64_t sticks = 0;
    CHECK_OK(snmpx_varbind_type(vb_at(r, 0), &type));
    CHECK(type == SNMPX_TYPE_TIMETICKS);
    CHECK_OK(snmpx_varbind_uint64(vb_at(r, 0), &ticks));
    CHECK_OK(snmpx_varbind_int64(vb_at(r, 0), &sticks));
    CHECK(ticks > 0 && (uint64_t)sticks == ticks);
    const uint8_t *data = NULL;
    size_t len = 0;
    CHECK_RC(snmpx_varbind_bytes(vb_at(r, 0), &data, &len), SNMPX_E_WRONG_TYPE);
    const uint32_t *arcs = NULL;
    CHECK_OK(snmpx_varbind_type(vb_at(r, 1), &type));
    CHECK(type == SNMPX_TYPE_OBJECT_ID);
    CHECK_OK(snmpx_varbind_oid_value(vb_at(r, 1), &arcs, &len));
    CHECK(len > 6 && arcs[0] == 1 && arcs[1] == 3);
    CHECK_RC(snmpx_varbind_oid_value(vb_at(r, 0), &arcs, &len), SNMPX_E_WRONG_TYPE);

    /* Text outputs: size query, too small, exact fit. */
    size_t need = 0;
    CHECK_RC(snmpx_varbind_oid_text(vb_at(r, 0), NULL, 0, &need), SNMPX_E_BUFFER_TOO_SMALL);
    CHECK(need == strlen("1.3.6.1.2.1.1.3.0"));
    char small[8];
    CHECK_RC(snmpx_varbind_oid_text(vb_at(r, 0), small, sizeof small, &need),
             SNMPX_E_BUFFER_TOO_SMALL);
    char exact[18];
    size_t got = 0;
    CHECK_OK(snmpx_varbind_oid_text(vb_at(r, 0), exact, sizeof exact, &got));
    CHECK(got == 17 && strcmp(exact, "1.3.6.1.2.1.1.3.0") == 0);
    char value[128];
    CHECK_OK(snmpx_varbind_value_format(vb_at(r, 0), value, sizeof value, &got));
    CHECK(strncmp(value, "Timeticks: (", 12) == 0);
    char peer[64];
    CHECK_OK(snmpx_session_peer(s, peer, sizeof peer, &got));
    CHECK(strcmp(peer, agent()) == 0);
    snmpx_response_free(r);
    snmpx_request_free(req);

    /* GetBulk through a request: explicit parameters, then the session's defaults. */
    CHECK_OK(snmpx_request_new(SNMPX_REQ_GET_BULK, &req));
    CHECK_OK(snmpx_request_add_oid(req, "1.3.6.1.2.1.1"));
    CHECK_OK(snmpx_request_set_bulk(req, 0, 2));
    CHECK_OK(snmpx_session_execute(s, req, &r, NULL));
    size_t n = 0;
    CHECK_OK(snmpx_response_varbind_count(r, &n));
    CHECK(n == 2);
    snmpx_response_free(r);
    snmpx_request_free(req);
    snmpx_session_free(s);
}

static void error_paths(void) {
    char silent[64];
    int fd = silent_socket(silent, sizeof silent);
    snmpx_config *cfg = NULL;
    snmpx_session *s = NULL;
    CHECK_OK(snmpx_config_new(silent, &cfg));
    CHECK_OK(snmpx_config_set_timeout(cfg, 0.2));
    CHECK_OK(snmpx_config_set_retries(cfg, 1));
    CHECK_OK(snmpx_session_open(cfg, &s, NULL));
    const char *oids[] = {SYS_NAME_0};
    snmpx_response *r = NULL;
    snmpx_error *err = NULL;
    CHECK_RC(snmpx_session_get(s, oids, 1, &r, &err), SNMPX_E_TIMEOUT);
    CHECK(r == NULL);
    uint32_t code = 0;
    const char *m = NULL;
    CHECK_OK(snmpx_error_code(err, &code));
    CHECK_OK(snmpx_error_message(err, &m));
    CHECK(code == SNMPX_E_TIMEOUT && strstr(m, "timeout") != NULL && strstr(m, "2 attempt") != NULL);
    int32_t st = 0;
    uint32_t idx = 0;
    CHECK_RC(snmpx_error_agent_status(err, &st, &idx), SNMPX_E_NOT_FOUND);
    snmpx_error_free(err);
    CHECK_RC(snmpx_session_get(s, oids, 1, &r, NULL), SNMPX_E_TIMEOUT); /* err is optional */
    snmpx_session_free(s);
    close(fd);

    /* The port is closed now: the ICMP port unreachable fails the request at once (a 10 s
       timeout would make a wait obvious), unless the session waits as Net-SNMP does. */
    CHECK_OK(snmpx_config_set_timeout(cfg, 10.0));
    CHECK_OK(snmpx_session_open(cfg, &s, NULL));
    err = NULL;
    CHECK_RC(snmpx_session_get(s, oids, 1, &r, &err), SNMPX_E_UNREACHABLE);
    CHECK_OK(snmpx_error_message(err, &m));
    CHECK(strstr(m, "unreachable") != NULL && strstr(m, silent) != NULL);
    snmpx_error_free(err);
    snmpx_session_free(s);
    CHECK_OK(snmpx_config_set_timeout(cfg, 0.2));
    CHECK_OK(snmpx_config_set_fail_on_unreachable(cfg, false));
    CHECK_OK(snmpx_session_open(cfg, &s, NULL));
    CHECK_RC(snmpx_session_get(s, oids, 1, &r, NULL), SNMPX_E_TIMEOUT);
    snmpx_session_free(s);

    /* Unresolvable host and malformed targets. */
    snmpx_config_free(cfg);
    cfg = NULL;
    CHECK_OK(snmpx_config_new("no-such-host.invalid:161", &cfg));
    err = NULL;
    CHECK_RC(snmpx_session_open(cfg, &s, &err), SNMPX_E_RESOLVE);
    CHECK_OK(snmpx_error_message(err, &m));
    CHECK(strstr(m, "no-such-host.invalid") != NULL);
    snmpx_error_free(err);
    snmpx_config_free(cfg);
    CHECK_OK(snmpx_config_new("127.0.0.1:99999", &cfg));
    CHECK_RC(snmpx_session_open(cfg, &s, NULL), SNMPX_E_USAGE);
    snmpx_config_free(cfg);
    CHECK_RC(snmpx_config_new("", &cfg), SNMPX_E_INVALID);

    /* Bad OIDs. */
    s = open_session(SNMPX_SNMP_V2C, "public");
    const char *bad[] = {"1..3"};
    CHECK_RC(snmpx_session_get(s, bad, 1, &r, NULL), SNMPX_E_PARSE);
    /* Names resolve through the MIB resolver (the built-in table at least); unknown ones
       fail before anything is sent. */
    const char *names[] = {"SNMPv2-MIB::sysName.0"};
    CHECK_OK(snmpx_session_get(s, names, 1, &r, NULL));
    snmpx_response_free(r);
    const char *unknown[] = {"noSuchThingAnywhere.0"};
    err = NULL;
    CHECK_RC(snmpx_session_get(s, unknown, 1, &r, &err), SNMPX_E_MIB_UNKNOWN_OBJECT);
    CHECK_OK(snmpx_error_message(err, &m));
    CHECK(strstr(m, "noSuchThingAnywhere") != NULL);
    snmpx_error_free(err);
    CHECK_RC(snmpx_session_get(s, oids, 0, &r, NULL), SNMPX_E_INVALID);
    const char *with_null[] = {SYS_NAME_0, NULL};
    CHECK_RC(snmpx_session_get(s, with_null, 2, &r, NULL), SNMPX_E_INVALID);
    snmpx_session_free(s);
}

static void config_rules(void) {
    snmpx_config *cfg = NULL;
    CHECK_OK(snmpx_config_new(agent(), &cfg));
    CHECK_RC(snmpx_config_set_version(cfg, 2), SNMPX_E_INVALID);
    CHECK_RC(snmpx_config_set_version(cfg, 4), SNMPX_E_INVALID);
    CHECK_RC(snmpx_config_set_timeout(cfg, 0.0), SNMPX_E_INVALID);
    CHECK_RC(snmpx_config_set_timeout(cfg, -1.0), SNMPX_E_INVALID);
    CHECK_RC(snmpx_config_set_timeout(cfg, 1e300), SNMPX_E_INVALID);
    CHECK_RC(snmpx_config_set_timeout(cfg, 0.0 / 0.0), SNMPX_E_INVALID);
    CHECK_OK(snmpx_config_set_timeout(cfg, 1.5));
    CHECK_RC(snmpx_config_set_deadline(cfg, -2), SNMPX_E_INVALID);
    CHECK_OK(snmpx_config_set_deadline(cfg, 30));
    CHECK_RC(snmpx_config_set_backoff(cfg, 0.5), SNMPX_E_INVALID);
    CHECK_OK(snmpx_config_set_backoff(cfg, 1.5));
    CHECK_RC(snmpx_config_set_max_varbinds(cfg, 0), SNMPX_E_INVALID);
    CHECK_OK(snmpx_config_set_max_varbinds(cfg, 1));
    CHECK_RC(snmpx_config_set_max_repetitions(cfg, 0), SNMPX_E_INVALID);
    CHECK_OK(snmpx_config_set_max_repetitions(cfg, 3));
    CHECK_OK(snmpx_config_set_non_repeaters(cfg, 0));
    CHECK_OK(snmpx_config_set_max_in_flight(cfg, 4));
    CHECK_OK(snmpx_config_set_check_source(cfg, false));
    CHECK_OK(snmpx_config_set_check_increasing(cfg, true));
    CHECK_OK(snmpx_config_set_walk_max_requests(cfg, 1000));
    CHECK_OK(snmpx_config_set_retries(cfg, 1));
    CHECK_OK(snmpx_config_set_community(cfg, (const uint8_t *)"public", 6));
    /* The config still opens a working v2c session with its options. */
    snmpx_session *s = NULL;
    CHECK_OK(snmpx_session_open(cfg, &s, NULL));
    snmpx_config_free(cfg); /* sessions outlive their config */
    CHECK(walk_count(s, 1, "1.3.6.1.2.1.1") >= 8); /* max-repetitions 3: several requests */
    const char *oids[] = {SYS_NAME_0, SYS_DESCR_0, SYS_UPTIME_0}; /* split: max_varbinds 1 */
    snmpx_response *r = NULL;
    CHECK_OK(snmpx_session_get(s, oids, 3, &r, NULL));
    size_t n = 0;
    CHECK_OK(snmpx_response_varbind_count(r, &n));
    CHECK(n == 3);
    snmpx_response_free(r);
    snmpx_session_free(s);
}

static void argv_constructor(void) {
    const char *argv[] = {"snmpget", "-v", "2c", "-c", "public", "-t", "1.5", "-r", "2",
                          "-Cr5",    "-On", agent(), SYS_NAME_0};
    size_t argc = sizeof argv / sizeof argv[0];
    snmpx_config *cfg = NULL;
    size_t next = 0;
    CHECK_OK(snmpx_config_from_argv(argv, argc, &cfg, &next, NULL));
    CHECK(next == 12);
    snmpx_session *s = NULL;
    CHECK_OK(snmpx_session_open(cfg, &s, NULL));
    snmpx_response *r = NULL;
    CHECK_OK(snmpx_session_get(s, &argv[next], argc - next, &r, NULL));
    CHECK(r != NULL && strcmp(str_value(vb_at(r, 0)), env_or("SNMPX_TEST_SYS_NAME", "?")) == 0);
    snmpx_response_free(r);
    snmpx_session_free(s);
    snmpx_config_free(cfg);

    const char *v1[] = {"snmpwalk", "-v1", "-cpublic", agent()};
    CHECK_OK(snmpx_config_from_argv(v1, 4, &cfg, &next, NULL));
    CHECK(next == 4);
    CHECK_OK(snmpx_session_open(cfg, &s, NULL));
    CHECK(walk_count(s, 0, "1.3.6.1.2.1.1") >= 8);
    snmpx_session_free(s);
    snmpx_config_free(cfg);

    /* SNMPv3 options on a v2c command line are ignored, as by Net-SNMP (test_v3.c has v3). */
    const char *v3opt[] = {"snmpget", "-v2c", "-u", "bob", agent()};
    CHECK_OK(snmpx_config_from_argv(v3opt, 5, &cfg, &next, NULL));
    CHECK_OK(snmpx_session_open(cfg, &s, NULL));
    CHECK(walk_count(s, 1, "1.3.6.1.2.1.1") >= 8);
    snmpx_session_free(s);
    snmpx_config_free(cfg);
    const char *nohost[] = {"snmpget", "-v2c", "-c", "public"};
    CHECK_RC(snmpx_config_from_argv(nohost, 4, &cfg, &next, NULL), SNMPX_E_USAGE);
    const char *badt[] = {"snmpget", "-t", "soon", agent()};
    CHECK_RC(snmpx_config_from_argv(badt, 4, &cfg, &next, NULL), SNMPX_E_PARSE);
    const char *unknown[] = {"snmpget", "-Y", agent()};
    CHECK_RC(snmpx_config_from_argv(unknown, 3, &cfg, &next, NULL), SNMPX_E_USAGE);
}

static void codes_and_version(void) {
    CHECK(strcmp(snmpx_result_message(SNMPX_E_TIMEOUT), "timeout") == 0);
    CHECK(strcmp(snmpx_result_message(SNMPX_E_UNREACHABLE), "port unreachable") == 0);
    CHECK(strcmp(snmpx_result_message(SNMPX_OK), "success") == 0);
    CHECK(strcmp(snmpx_result_message(12345), "unknown result code") == 0);
    CHECK(strcmp(snmpx_version(), SNMPX_VERSION_STRING) == 0);
}

int main(void) {
    if (snmpx_init() != SNMPX_OK) {
        fprintf(stderr, "snmpx_init failed\n");
        return 1;
    }
    RUN(get_both_versions);
    RUN(missing_objects_are_data);
    RUN(get_next_and_bulk);
    RUN(set_and_not_writable);
    RUN(set_request_rules);
    RUN(walks);
    RUN(execute_with_arcs);
    RUN(error_paths);
    RUN(config_rules);
    RUN(argv_constructor);
    RUN(codes_and_version);
    CHECK_OK(snmpx_shutdown());
    if (snmpx_live_handles() != 0) {
        fprintf(stderr, "leak: %zu handles still alive\n", snmpx_live_handles());
        h_failed++;
    }
    return h_finish();
}
