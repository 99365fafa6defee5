/* Minimal test harness for the snmpx C ABI tests. Each test program runs its cases, prints
 * "N passed, N failed" and exits non-zero if anything failed. The agent address comes from
 * SNMPX_TEST_AGENT (set by the test_agent launcher, examples/test_agent.rs). */
#ifndef SNMPX_TEST_HARNESS_H
#define SNMPX_TEST_HARNESS_H

#include "snmpx.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int h_failed_checks;
static int h_case_failed;
static int h_passed;
static int h_failed;

#define CHECK(cond)                                                                       \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);     \
            h_failed_checks++;                                                            \
            h_case_failed = 1;                                                            \
        }                                                                                 \
    } while (0)

/* CHECK_RC(call, expected): the call's snmpx_result equals expected. */
#define CHECK_RC(call, expected)                                                          \
    do {                                                                                  \
        snmpx_result h_rc_ = (call);                                                      \
        if (h_rc_ != (snmpx_result)(expected)) {                                          \
            fprintf(stderr, "%s:%d: %s returned %u (%s), expected %u (%s)\n", __FILE__,  \
                    __LINE__, #call, (unsigned)h_rc_, snmpx_result_message(h_rc_),        \
                    (unsigned)(expected), snmpx_result_message(expected));                \
            h_failed_checks++;                                                            \
            h_case_failed = 1;                                                            \
        }                                                                                 \
    } while (0)

#define CHECK_OK(call) CHECK_RC(call, SNMPX_OK)

/* Runs one case and counts it. */
#define RUN(fn)                                                                           \
    do {                                                                                  \
        h_case_failed = 0;                                                                \
        fprintf(stderr, "-- %s\n", #fn);                                                  \
        fn();                                                                             \
        if (h_case_failed) {                                                              \
            h_failed++;                                                                   \
            fprintf(stderr, "FAILED %s\n", #fn);                                          \
        } else {                                                                          \
            h_passed++;                                                                   \
        }                                                                                 \
    } while (0)

static inline int h_finish(void) {
    printf("%d passed, %d failed\n", h_passed, h_failed);
    return h_failed == 0 ? 0 : 1;
}

/* The agent address ("127.0.0.1:PORT"); aborts if the launcher did not set it. */
static inline const char *agent(void) {
    const char *a = getenv("SNMPX_TEST_AGENT");
    if (a == NULL || a[0] == '\0') {
        fprintf(stderr, "SNMPX_TEST_AGENT is not set: run through the test_agent launcher\n");
        exit(2);
    }
    return a;
}

static inline const char *env_or(const char *name, const char *dflt) {
    const char *v = getenv(name);
    return v != NULL ? v : dflt;
}

/* Opens a session to the test agent with a version code, community and per-agent in-flight
   limit (0 = unlimited). Net-SNMP's snmpd has a small receive queue: a test that fires
   hundreds of requests at once must limit them, as a courteous poller would. */
static inline snmpx_session *open_session_limited(uint32_t version, const char *community,
                                                  uint32_t max_in_flight) {
    snmpx_config *cfg = NULL;
    snmpx_session *s = NULL;
    CHECK_OK(snmpx_config_new(agent(), &cfg));
    CHECK_OK(snmpx_config_set_version(cfg, version));
    CHECK_OK(snmpx_config_set_community(cfg, (const uint8_t *)community, strlen(community)));
    CHECK_OK(snmpx_config_set_timeout(cfg, 2.0));
    CHECK_OK(snmpx_config_set_retries(cfg, 2));
    CHECK_OK(snmpx_config_set_max_in_flight(cfg, max_in_flight));
    snmpx_error *err = NULL;
    snmpx_result rc = snmpx_session_open(cfg, &s, &err);
    if (rc != SNMPX_OK) {
        const char *m = "";
        snmpx_error_message(err, &m);
        fprintf(stderr, "session open failed: %s\n", m);
        snmpx_error_free(err);
    }
    CHECK(rc == SNMPX_OK);
    snmpx_config_free(cfg);
    return s;
}

/* Opens a session to the test agent with a version code and community. */
static inline snmpx_session *open_session(uint32_t version, const char *community) {
    return open_session_limited(version, community, 0);
}

/* A UDP socket on 127.0.0.1 that never answers (for timeouts); stores "127.0.0.1:PORT". */
static inline int silent_socket(char *addr, size_t addr_len) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
        perror("silent socket");
        exit(2);
    }
    snprintf(addr, addr_len, "127.0.0.1:%u", (unsigned)ntohs(sa.sin_port));
    return fd;
}

/* The value of a varbind formatted with snmpx_varbind_format into a static buffer. */
static inline const char *fmt(const snmpx_varbind *vb) {
    static char buf[1024];
    size_t len = 0;
    if (snmpx_varbind_format(vb, buf, sizeof buf, &len) != SNMPX_OK) {
        return "<format failed>";
    }
    return buf;
}

/* Text of a varbind's OCTET STRING value (NUL-terminated copy in a static buffer). */
static inline const char *str_value(const snmpx_varbind *vb) {
    static char buf[1024];
    const uint8_t *data = NULL;
    size_t len = 0;
    if (snmpx_varbind_bytes(vb, &data, &len) != SNMPX_OK || len >= sizeof buf) {
        return "<not a string>";
    }
    memcpy(buf, data, len);
    buf[len] = '\0';
    return buf;
}

#endif
