/* snmpx C-API load generator: the C-path equivalent of examples/loadgen.rs (same interface and
 * output line), to measure what the C ABI costs per request over the Rust API.
 *
 * Usage: snmpx_c_get MODE TARGET COMMUNITY OID REQUESTS WINDOW VERSION
 *   VERSION 1, 2c or 3. With 3, COMMUNITY is USER[:AUTH:AUTHPASS[:PRIV:PRIVPASS]] (Net-SNMP
 *           protocol names), as loadgen takes it.
 *   MODE  sync  - one thread, blocking snmpx_session_execute in a loop (WINDOW ignored)
 *         async - WINDOW requests in flight, completion callbacks that resubmit
 *         queue - WINDOW requests in flight through a completion queue drained in batches
 *
 * Prints: impl=snmpx-c-MODE requests=N window=W ok=.. errors=.. wall_s=.. cpu_user_s=..
 * cpu_sys_s=.. cpu_us_per_req=.. req_per_s=..  (CPU from getrusage(RUSAGE_SELF))
 *
 * Built by bench/run.sh against target/release/libsnmpx.a. */
#define _POSIX_C_SOURCE 200809L
#include "snmpx.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void cpu(double *user, double *sys) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    *user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    *sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void die(const char *what, snmpx_result rc, snmpx_error *err) {
    const char *m = snmpx_result_message(rc);
    if (err != NULL) {
        snmpx_error_message(err, &m);
    }
    fprintf(stderr, "snmpx_c_get: %s: %s\n", what, m);
    exit(1);
}

/* A successful response whose first value is not an exception (noSuchObject...). */
static int good(const snmpx_response *r) {
    const snmpx_varbind *vb = NULL;
    uint32_t type = 0;
    int32_t status = 0;
    return snmpx_response_error_status(r, &status) == SNMPX_OK && status == 0 &&
           snmpx_response_varbind(r, 0, &vb) == SNMPX_OK &&
           snmpx_varbind_type(vb, &type) == SNMPX_OK && type != SNMPX_TYPE_NO_SUCH_OBJECT &&
           type != SNMPX_TYPE_NO_SUCH_INSTANCE && type != SNMPX_TYPE_END_OF_MIB_VIEW;
}

static uint32_t code_of(const char *name, const char *const *names, size_t n, uint32_t first) {
    for (size_t i = 0; i < n; i++) {
        if (strcasecmp(name, names[i]) == 0) {
            return first + (uint32_t)i;
        }
    }
    fprintf(stderr, "snmpx_c_get: unknown protocol %s\n", name);
    exit(2);
}

/* USER[:AUTH:AUTHPASS[:PRIV:PRIVPASS]] on a v3 config. */
static void set_user(snmpx_config *cfg, char *spec) {
    static const char *const auths[] = {"MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512"};
    static const char *const privs[] = {"DES", "AES", "AES-192", "AES-256", "AES-192-C",
                                        "AES-256-C"};
    char *part[5] = {0};
    int n = 0;
    for (char *tok = strtok(spec, ":"); tok != NULL && n < 5; tok = strtok(NULL, ":")) {
        part[n++] = tok;
    }
    snmpx_result rc = snmpx_config_set_security_name(cfg, part[0]);
    if (rc == SNMPX_OK && n >= 3) {
        rc = snmpx_config_set_auth(cfg, code_of(part[1], auths, 6, SNMPX_AUTH_MD5),
                                   (const uint8_t *)part[2], strlen(part[2]));
    }
    if (rc == SNMPX_OK && n >= 5) {
        rc = snmpx_config_set_priv(cfg, code_of(part[3], privs, 6, SNMPX_PRIV_DES),
                                   (const uint8_t *)part[4], strlen(part[4]));
    }
    if (rc != SNMPX_OK) {
        die("v3 user", rc, NULL);
    }
}

/* State of the callback mode: the callback resubmits until `total` were issued. */
typedef struct {
    const snmpx_session *s;
    const snmpx_request *req;
    uint64_t total;
    atomic_uint_fast64_t issued, ok, err;
} pump_state;

static void on_done(void *user, snmpx_completion *c);

static void pump(pump_state *st) {
    if (atomic_fetch_add(&st->issued, 1) >= st->total) {
        return;
    }
    uint64_t id = 0;
    if (snmpx_session_submit(st->s, st->req, on_done, st, NULL, &id, NULL) != SNMPX_OK) {
        atomic_fetch_add(&st->err, 1);
    }
}

static void on_done(void *user, snmpx_completion *c) {
    pump_state *st = user;
    uint32_t code = 1;
    const snmpx_response *r = NULL;
    if (snmpx_completion_result(c, &code) == SNMPX_OK && code == SNMPX_OK &&
        snmpx_completion_response(c, &r) == SNMPX_OK && good(r)) {
        atomic_fetch_add(&st->ok, 1);
    } else {
        atomic_fetch_add(&st->err, 1);
    }
    pump(st);
}

int main(int argc, char **argv) {
    if (argc < 8) {
        fprintf(stderr,
                "usage: snmpx_c_get sync|async|queue TARGET COMMUNITY OID REQUESTS WINDOW 1|2c|3\n");
        return 2;
    }
    const char *mode = argv[1], *target = argv[2], *oid = argv[4], *version = argv[7];
    uint64_t total = strtoull(argv[5], NULL, 10), window = strtoull(argv[6], NULL, 10);
    snmpx_config *cfg = NULL;
    snmpx_session *s = NULL;
    snmpx_request *req = NULL;
    snmpx_error *err = NULL;
    snmpx_result rc;
    if ((rc = snmpx_init()) != SNMPX_OK) {
        die("init", rc, NULL);
    }
    if ((rc = snmpx_config_new(target, &cfg)) != SNMPX_OK) {
        die("config", rc, NULL);
    }
    uint32_t v = strcmp(version, "1") == 0   ? SNMPX_SNMP_V1
                 : strcmp(version, "3") == 0 ? SNMPX_SNMP_V3
                                             : SNMPX_SNMP_V2C;
    snmpx_config_set_version(cfg, v);
    if (v == SNMPX_SNMP_V3) {
        set_user(cfg, argv[3]);
    } else {
        snmpx_config_set_community(cfg, (const uint8_t *)argv[3], strlen(argv[3]));
    }
    snmpx_config_set_timeout(cfg, 2.0);
    snmpx_config_set_retries(cfg, 3);
    if ((rc = snmpx_session_open(cfg, &s, &err)) != SNMPX_OK) {
        die("session", rc, err);
    }
    snmpx_config_free(cfg);
    if ((rc = snmpx_request_new(SNMPX_REQ_GET, &req)) != SNMPX_OK ||
        (rc = snmpx_request_add_oid(req, oid[0] == '.' ? oid + 1 : oid)) != SNMPX_OK) {
        die("request", rc, NULL);
    }
    /* Discovery and key localization happen on the first v3 request: keep them out. */
    if (v == SNMPX_SNMP_V3) {
        snmpx_response *r = NULL;
        if ((rc = snmpx_session_execute(s, req, &r, &err)) != SNMPX_OK) {
            die("first v3 request", rc, err);
        }
        snmpx_response_free(r);
    }

    uint64_t ok = 0, errors = 0;
    double u0, s0, u1, s1;
    cpu(&u0, &s0);
    double t0 = now();
    if (strcmp(mode, "sync") == 0) {
        for (uint64_t i = 0; i < total; i++) {
            snmpx_response *r = NULL;
            if (snmpx_session_execute(s, req, &r, NULL) == SNMPX_OK && good(r)) {
                ok++;
            } else {
                errors++;
            }
            snmpx_response_free(r);
        }
    } else if (strcmp(mode, "async") == 0) {
        pump_state st = {.s = s, .req = req, .total = total};
        atomic_init(&st.issued, 0);
        atomic_init(&st.ok, 0);
        atomic_init(&st.err, 0);
        for (uint64_t i = 0; i < window && i < total; i++) {
            pump(&st);
        }
        struct timespec ms = {0, 1000000};
        while (atomic_load(&st.ok) + atomic_load(&st.err) < total) {
            nanosleep(&ms, NULL);
        }
        ok = atomic_load(&st.ok);
        errors = atomic_load(&st.err);
    } else if (strcmp(mode, "queue") == 0) {
        snmpx_cq *q = NULL;
        if ((rc = snmpx_cq_new(&q)) != SNMPX_OK) {
            die("queue", rc, NULL);
        }
        uint64_t issued = 0, done = 0, id = 0;
        for (; issued < window && issued < total; issued++) {
            if ((rc = snmpx_session_submit_cq(s, req, q, issued, &id, &err)) != SNMPX_OK) {
                die("submit", rc, err);
            }
        }
        snmpx_completion *batch[256];
        while (done < total) {
            size_t n = 0;
            snmpx_cq_wait(q, 5.0, batch, 256, &n);
            if (n == 0) {
                fprintf(stderr, "snmpx_c_get: no completion in 5 s\n");
                break;
            }
            for (size_t i = 0; i < n; i++) {
                uint32_t code = 1;
                const snmpx_response *r = NULL;
                if (snmpx_completion_result(batch[i], &code) == SNMPX_OK && code == SNMPX_OK &&
                    snmpx_completion_response(batch[i], &r) == SNMPX_OK && good(r)) {
                    ok++;
                } else {
                    errors++;
                }
                snmpx_completion_free(batch[i]);
                done++;
                if (issued < total) {
                    if ((rc = snmpx_session_submit_cq(s, req, q, issued, &id, &err)) != SNMPX_OK) {
                        die("submit", rc, err);
                    }
                    issued++;
                }
            }
        }
        snmpx_cq_free(q);
    } else {
        fprintf(stderr, "snmpx_c_get: unknown mode %s\n", mode);
        return 2;
    }
    double wall = now() - t0;
    cpu(&u1, &s1);
    double n = (double)(ok + errors > 0 ? ok + errors : 1);
    printf("impl=snmpx-c-%s requests=%llu window=%llu ok=%llu errors=%llu wall_s=%.3f "
           "cpu_user_s=%.3f cpu_sys_s=%.3f cpu_us_per_req=%.2f req_per_s=%.0f\n",
           mode, (unsigned long long)total, (unsigned long long)window, (unsigned long long)ok,
           (unsigned long long)errors, wall, u1 - u0, s1 - s0, ((u1 - u0) + (s1 - s0)) * 1e6 / n,
           n / wall);
    snmpx_request_free(req);
    snmpx_session_free(s);
    snmpx_shutdown();
    return ok == 0 ? 1 : 0;
}
