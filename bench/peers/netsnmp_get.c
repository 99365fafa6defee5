/* Peer benchmark client: v1/v2c/v3 GET round trips through Net-SNMP's C library (libnetsnmp).
 *
 * Usage: netsnmp_get MODE TARGET COMMUNITY OID REQUESTS WINDOW VERSION
 *   MODE      sync  - one session, a loop of blocking snmp_synch_response() GETs (WINDOW ignored)
 *             async - one session with WINDOW requests outstanding: snmp_sess_async_send() +
 *                     snmp_sess_select_info()/select()/snmp_sess_read(); the callback resubmits.
 *                     Uses the single-session API, so the session pointer is looked up once
 *                     (the traditional snmp_async_send() searches the global session list on
 *                     every call).
 *   TARGET    host:port, e.g. 127.0.0.1:16100
 *   OID       numeric, e.g. .1.3.6.1.2.1.1.1.0 (no MIBs are loaded)
 *   VERSION   1, 2c or 3. With 3, COMMUNITY is the USM user instead, as for examples/loadgen.rs:
 *             USER[:AUTH:AUTHPASS[:PRIV:PRIVPASS]] with Net-SNMP protocol names (MD5, SHA,
 *             SHA-256, ...; DES, AES, ...), e.g. bench:SHA:authpass1:AES:privpass1. The
 *             security level follows from the fields given (noAuthNoPriv / authNoPriv / authPriv).
 *             The master keys (Ku) are generated ONCE, before the session is opened, as
 *             snmpget's option parser does; the library discovers the engine and localizes them
 *             once per session. One v3 GET is made before the measured loop, so discovery, time
 *             synchronisation and key localization are not counted (as in loadgen).
 *
 * Prints one line of key=value pairs:
 *   impl=netsnmp-sync|netsnmp-async requests=N window=W ok=.. errors=.. wall_s=.. cpu_user_s=..
 *   cpu_sys_s=.. cpu_us_per_req=.. req_per_s=..
 * CPU is getrusage(RUSAGE_SELF) over the request loop only (library init excluded);
 * per-request figures divide by completed requests (ok + errors).
 * A request counts as ok when the response has error-status 0 and no exception value.
 *
 * Build: cc -O2 -o netsnmp_get netsnmp_get.c $(net-snmp-config --libs)   (see build.sh)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#define TIMEOUT_US 1000000L /* per attempt */
#define RETRIES 2

static oid g_oid[MAX_OID_LEN];
static size_t g_oid_len = MAX_OID_LEN;

/* async state */
static void *g_sessp;     /* single-session handle, looked up once */
static long g_total;      /* requests to complete */
static long g_sent;       /* requests submitted */
static long g_outstanding;
static long g_ok;
static long g_errors;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void cpu_s(double *user, double *sys)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    *user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    *sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static netsnmp_pdu *make_get(void)
{
    netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);
    if (pdu == NULL) {
        fprintf(stderr, "netsnmp_get: snmp_pdu_create failed\n");
        exit(1);
    }
    snmp_add_null_var(pdu, g_oid, g_oid_len);
    return pdu;
}

/* true when the response carries the value we asked for */
static int response_ok(const netsnmp_pdu *resp)
{
    if (resp == NULL || resp->errstat != SNMP_ERR_NOERROR || resp->variables == NULL)
        return 0;
    switch (resp->variables->type) {
    case SNMP_NOSUCHOBJECT:
    case SNMP_NOSUCHINSTANCE:
    case SNMP_ENDOFMIBVIEW:
        return 0;
    default:
        return 1;
    }
}

static void submit_one(void);

static int on_response(int operation, netsnmp_session *sess, int reqid, netsnmp_pdu *pdu,
                       void *magic)
{
    (void)sess;
    (void)reqid;
    (void)magic;
    g_outstanding--;
    if (operation == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && response_ok(pdu))
        g_ok++;
    else
        g_errors++;
    if (g_sent < g_total)
        submit_one();
    return 1;
}

static void submit_one(void)
{
    netsnmp_pdu *pdu = make_get();
    if (snmp_sess_async_send(g_sessp, pdu, on_response, NULL) == 0) {
        snmp_sess_perror("netsnmp_get: snmp_sess_async_send", snmp_sess_session(g_sessp));
        snmp_free_pdu(pdu);
        g_errors++;
        g_sent++;
        return;
    }
    g_sent++;
    g_outstanding++;
}

static void run_async(long window)
{
    if (window < 1)
        window = 1;
    while (g_sent < g_total && g_outstanding < window)
        submit_one();
    while (g_outstanding > 0) {
        int fds = 0, block = 0;
        fd_set fdset;
        struct timeval tv = {0, 0};
        FD_ZERO(&fdset);
        snmp_sess_select_info(g_sessp, &fds, &fdset, &tv, &block);
        int n = select(fds, &fdset, NULL, NULL, block ? NULL : &tv);
        if (n > 0) {
            snmp_sess_read(g_sessp, &fdset);
        } else if (n == 0) {
            snmp_sess_timeout(g_sessp);
        } else if (errno != EINTR) {
            perror("netsnmp_get: select");
            exit(1);
        }
    }
}

static void run_sync(netsnmp_session *ss)
{
    for (long i = 0; i < g_total; i++) {
        netsnmp_pdu *resp = NULL;
        int status = snmp_synch_response(ss, make_get(), &resp);
        if (status == STAT_SUCCESS && response_ok(resp))
            g_ok++;
        else
            g_errors++;
        if (resp != NULL)
            snmp_free_pdu(resp);
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: netsnmp_get sync|async TARGET COMMUNITY|USMSPEC OID REQUESTS WINDOW "
                    "1|2c|3\n"
                    "  e.g. netsnmp_get async 127.0.0.1:16100 public .1.3.6.1.2.1.1.1.0 "
                    "20000 16 2c\n"
                    "       netsnmp_get async 127.0.0.1:16100 bench:SHA:authpass1:AES:privpass1 "
                    ".1.3.6.1.2.1.1.1.0 20000 16 3\n");
    exit(2);
}

/* Fills the template's USM fields from USER[:AUTH:AUTHPASS[:PRIV:PRIVPASS]]. The spec string is
 * modified in place (split at ':') and must outlive the session template. */
static void setup_usm(netsnmp_session *t, char *spec)
{
    char *field[5] = {0};
    int n = 0;
    for (char *p = spec; n < 5;) {
        field[n++] = p;
        char *c = strchr(p, ':');
        if (c == NULL)
            break;
        *c = '\0';
        p = c + 1;
    }
    if (!(n == 1 || n == 3 || n == 5) || field[0][0] == '\0') {
        fprintf(stderr, "netsnmp_get: v3 spec must be USER[:AUTH:AUTHPASS[:PRIV:PRIVPASS]]\n");
        exit(2);
    }
    t->version = SNMP_VERSION_3;
    t->securityName = field[0];
    t->securityNameLen = strlen(field[0]);
    t->securityModel = SNMP_SEC_MODEL_USM;
    t->securityLevel = SNMP_SEC_LEVEL_NOAUTH;
    if (n >= 3) {
        int type = usm_lookup_auth_type(field[1]);
        size_t len = 0;
        oid *proto = type < 0 ? NULL : sc_get_auth_oid(type, &len);
        if (proto == NULL) {
            fprintf(stderr, "netsnmp_get: unknown auth protocol '%s'\n", field[1]);
            exit(2);
        }
        t->securityAuthProto = proto;
        t->securityAuthProtoLen = len;
        t->securityAuthKeyLen = USM_AUTH_KU_LEN;
        /* the master key, once; the library localizes it to the discovered engine ID */
        if (generate_Ku(t->securityAuthProto, (u_int)t->securityAuthProtoLen,
                        (u_char *)field[2], strlen(field[2]), t->securityAuthKey,
                        &t->securityAuthKeyLen) != SNMPERR_SUCCESS) {
            fprintf(stderr, "netsnmp_get: generate_Ku (auth) failed\n");
            exit(1);
        }
        t->securityLevel = SNMP_SEC_LEVEL_AUTHNOPRIV;
    }
    if (n == 5) {
        int type = usm_lookup_priv_type(field[3]);
        size_t len = 0;
        oid *proto = type < 0 ? NULL : sc_get_priv_oid(type, &len);
        if (proto == NULL) {
            fprintf(stderr, "netsnmp_get: unknown privacy protocol '%s'\n", field[3]);
            exit(2);
        }
        t->securityPrivProto = proto;
        t->securityPrivProtoLen = len;
        t->securityPrivKeyLen = USM_PRIV_KU_LEN;
        /* RFC 3414/3826: the privacy key comes from the auth protocol's hash */
        if (generate_Ku(t->securityAuthProto, (u_int)t->securityAuthProtoLen,
                        (u_char *)field[4], strlen(field[4]), t->securityPrivKey,
                        &t->securityPrivKeyLen) != SNMPERR_SUCCESS) {
            fprintf(stderr, "netsnmp_get: generate_Ku (priv) failed\n");
            exit(1);
        }
        t->securityLevel = SNMP_SEC_LEVEL_AUTHPRIV;
    }
}

int main(int argc, char **argv)
{
    if (argc != 8)
        usage();
    const char *mode = argv[1], *target = argv[2], *oid_text = argv[4];
    char *community = argv[3];
    long requests = atol(argv[5]), window = atol(argv[6]);
    const char *version = argv[7];
    int async;
    if (strcmp(mode, "sync") == 0)
        async = 0;
    else if (strcmp(mode, "async") == 0)
        async = 1;
    else
        usage();
    if (requests < 1 || window < 1) {
        fprintf(stderr, "netsnmp_get: REQUESTS and WINDOW must be positive\n");
        return 2;
    }

    /* No MIBs, no config files, no persistent state: measure the protocol path only. */
    setenv("MIBS", "", 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
    init_snmp("netsnmp_get");

    if (read_objid(oid_text, g_oid, &g_oid_len) == 0) {
        fprintf(stderr, "netsnmp_get: cannot parse OID '%s' (give it numerically)\n", oid_text);
        return 2;
    }

    netsnmp_session tmpl;
    snmp_sess_init(&tmpl);
    tmpl.peername = (char *)target;
    int v3 = 0;
    if (strcmp(version, "1") == 0)
        tmpl.version = SNMP_VERSION_1;
    else if (strcmp(version, "2c") == 0)
        tmpl.version = SNMP_VERSION_2c;
    else if (strcmp(version, "3") == 0)
        v3 = 1;
    else
        usage();
    if (v3) {
        setup_usm(&tmpl, community);
    } else {
        tmpl.community = (u_char *)community;
        tmpl.community_len = strlen(community);
    }
    tmpl.timeout = TIMEOUT_US;
    tmpl.retries = RETRIES;

    g_total = requests;
    double u0, s0, u1, s1, t0, t1;
    netsnmp_session *ss = NULL;
    if (async) {
        g_sessp = snmp_sess_open(&tmpl);
        if (g_sessp == NULL) {
            snmp_perror("netsnmp_get: snmp_sess_open");
            return 1;
        }
    } else {
        ss = snmp_open(&tmpl);
        if (ss == NULL) {
            snmp_perror("netsnmp_get: snmp_open");
            return 1;
        }
    }

    if (v3) {
        /* warm-up outside the measurement: engine time sync and anything else the first
         * exchange does (discovery itself already happened in snmp_open / snmp_sess_open) */
        netsnmp_pdu *resp = NULL;
        int status = async ? snmp_sess_synch_response(g_sessp, make_get(), &resp)
                           : snmp_synch_response(ss, make_get(), &resp);
        if (status != STAT_SUCCESS || !response_ok(resp)) {
            fprintf(stderr, "netsnmp_get: first v3 request failed (status %d)\n", status);
            if (resp != NULL)
                snmp_free_pdu(resp);
            return 1;
        }
        snmp_free_pdu(resp);
    }

    cpu_s(&u0, &s0);
    t0 = now_s();
    if (async)
        run_async(window);
    else
        run_sync(ss);
    t1 = now_s();
    cpu_s(&u1, &s1);

    if (async)
        snmp_sess_close(g_sessp);
    else
        snmp_close(ss);

    long done = g_ok + g_errors;
    double wall = t1 - t0, user = u1 - u0, sys = s1 - s0;
    printf("impl=%s requests=%ld window=%ld ok=%ld errors=%ld wall_s=%.3f cpu_user_s=%.3f "
           "cpu_sys_s=%.3f cpu_us_per_req=%.2f req_per_s=%.0f\n",
           async ? "netsnmp-async" : "netsnmp-sync", requests, async ? window : 1, g_ok,
           g_errors, wall, user, sys, done ? (user + sys) * 1e6 / (double)done : 0.0,
           wall > 0 ? (double)done / wall : 0.0);
    snmp_shutdown("netsnmp_get");
    return g_ok > 0 ? 0 : 1; /* errors are reported in the line; fail only if nothing worked */
}
