/* Peer benchmark client: a fleet sweep through Net-SNMP's C library (libnetsnmp), written the
 * fast way so the comparison does not flatter snmpx:
 *   - the single-session API (snmp_sess_open / snmp_sess_async_send / snmp_sess_read2): each
 *     device's session pointer is kept in the device record and used directly, never looked
 *     up in the global session list (snmp_async_send + snmp_read walk that list every call);
 *   - a bounded window of devices in flight (each Net-SNMP session owns one UDP socket, so the
 *     window is also the number of open sockets);
 *   - epoll over the window's sockets, so a readable socket costs O(1), not a select() scan;
 *   - snmp_sess_timeout() on every open session a few times a second (retransmissions).
 *
 * Usage: netsnmp_fleet seq|batch BASE_IP PORT DEVICES WINDOW
 *   seq     15 GETs of one varbind each per device, one after the other
 *   batch   one GET of the same 15 varbinds per device
 *   BASE_IP device i is at BASE_IP + i (e.g. 127.1.0.1, the simulator's --base), port PORT
 *   WINDOW  devices in flight at once (sessions/sockets open at once)
 *
 * Prints one line of key=value pairs:
 *   impl=netsnmp-fleet mode=.. devices=.. window=.. requests=.. ok_devices=.. failed_devices=..
 *   varbinds=.. wall_s=.. cpu_user_s=.. cpu_sys_s=.. maxrss_kb=..
 * wall/CPU cover the sweep (library init excluded); maxrss_kb is the process peak
 * (getrusage ru_maxrss). A device is ok when every GET answered with error-status 0 and no
 * exception value. Timeout 1 s per attempt, 2 retries (as `snmpx poll`).
 *
 * Build: cc -O2 -o netsnmp_fleet netsnmp_fleet.c $(net-snmp-config --libs)   (see build.sh)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/library/large_fd_set.h>

#define TIMEOUT_US 1000000L /* per attempt */
#define RETRIES 2
#define N_OIDS 15
#define TIMEOUT_SCAN_S 0.1 /* how often snmp_sess_timeout() runs over the window */

/* The 15 objects of `snmpx demo` (src/bin/snmpx/demo.rs), in the same order. */
static const char *const OID_TEXT[N_OIDS] = {
    ".1.3.6.1.2.1.1.1.0",         ".1.3.6.1.2.1.1.2.0",         ".1.3.6.1.2.1.1.3.0",
    ".1.3.6.1.2.1.1.4.0",         ".1.3.6.1.2.1.1.5.0",         ".1.3.6.1.2.1.1.6.0",
    ".1.3.6.1.2.1.2.1.0",         ".1.3.6.1.2.1.2.2.1.2.1",     ".1.3.6.1.2.1.2.2.1.8.1",
    ".1.3.6.1.2.1.2.2.1.10.1",    ".1.3.6.1.2.1.2.2.1.16.1",    ".1.3.6.1.2.1.31.1.1.1.6.1",
    ".1.3.6.1.2.1.31.1.1.1.10.1", ".1.3.6.1.2.1.31.1.1.1.15.1", ".1.3.6.1.2.1.31.1.1.1.18.1",
};
static oid g_oids[N_OIDS][MAX_OID_LEN];
static size_t g_oid_len[N_OIDS];

struct device {
    void *sessp; /* single-session handle: looked up once, used directly */
    int fd;
    int step;     /* GETs completed */
    int finished; /* last step done (or failed); close after snmp_sess_read2 returns */
    int failed;
    long slot; /* index in g_active */
};

static int g_batch;
static int g_steps; /* GETs per device */
static long g_requests, g_varbinds;
static struct device **g_active; /* the window */
static long g_n_active;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int send_step(struct device *d);

static int on_response(int operation, netsnmp_session *sess, int reqid, netsnmp_pdu *pdu,
                       void *magic)
{
    (void)sess;
    (void)reqid;
    struct device *d = magic;
    int ok = operation == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu != NULL &&
             pdu->errstat == SNMP_ERR_NOERROR;
    int n = 0;
    if (ok) {
        for (netsnmp_variable_list *v = pdu->variables; v != NULL; v = v->next_variable) {
            n++;
            if (v->type == SNMP_NOSUCHOBJECT || v->type == SNMP_NOSUCHINSTANCE ||
                v->type == SNMP_ENDOFMIBVIEW)
                ok = 0;
        }
        if (n != (g_batch ? N_OIDS : 1))
            ok = 0;
    }
    g_varbinds += n;
    d->step++;
    if (!ok) {
        d->failed = 1;
        d->finished = 1;
    } else if (d->step >= g_steps) {
        d->finished = 1;
    } else if (!send_step(d)) {
        d->failed = 1;
        d->finished = 1;
    }
    return 1;
}

static int send_step(struct device *d)
{
    netsnmp_pdu *pdu = snmp_pdu_create(SNMP_MSG_GET);
    if (pdu == NULL)
        return 0;
    if (g_batch) {
        for (int i = 0; i < N_OIDS; i++)
            snmp_add_null_var(pdu, g_oids[i], g_oid_len[i]);
    } else {
        snmp_add_null_var(pdu, g_oids[d->step], g_oid_len[d->step]);
    }
    if (snmp_sess_async_send(d->sessp, pdu, on_response, d) == 0) {
        snmp_free_pdu(pdu);
        return 0;
    }
    g_requests++;
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 6 || (strcmp(argv[1], "seq") != 0 && strcmp(argv[1], "batch") != 0)) {
        fprintf(stderr, "usage: netsnmp_fleet seq|batch BASE_IP PORT DEVICES WINDOW\n"
                        "  e.g. netsnmp_fleet seq 127.1.0.1 1161 10000 2000\n");
        return 2;
    }
    g_batch = strcmp(argv[1], "batch") == 0;
    g_steps = g_batch ? 1 : N_OIDS;
    struct in_addr base;
    if (inet_pton(AF_INET, argv[2], &base) != 1) {
        fprintf(stderr, "netsnmp_fleet: BASE_IP '%s' is not an IPv4 address\n", argv[2]);
        return 2;
    }
    long port = atol(argv[3]), devices = atol(argv[4]), window = atol(argv[5]);
    if (port < 1 || port > 65535 || devices < 1 || window < 1) {
        fprintf(stderr, "netsnmp_fleet: PORT, DEVICES and WINDOW must be positive\n");
        return 2;
    }
    if (window > devices)
        window = devices;

    /* No MIBs, no config files, no persistent state: measure the protocol path only. */
    setenv("MIBS", "", 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
    netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
    init_snmp("netsnmp_fleet");
    for (int i = 0; i < N_OIDS; i++) {
        g_oid_len[i] = MAX_OID_LEN;
        if (read_objid(OID_TEXT[i], g_oids[i], &g_oid_len[i]) == 0) {
            fprintf(stderr, "netsnmp_fleet: cannot parse OID %s\n", OID_TEXT[i]);
            return 2;
        }
    }

    struct device *devs = calloc((size_t)devices, sizeof *devs);
    g_active = calloc((size_t)window, sizeof *g_active);
    struct epoll_event *events = calloc(1024, sizeof *events);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (devs == NULL || g_active == NULL || events == NULL || ep < 0) {
        perror("netsnmp_fleet: setup");
        return 1;
    }
    struct rlimit nofile;
    getrlimit(RLIMIT_NOFILE, &nofile);
    netsnmp_large_fd_set lfds;
    netsnmp_large_fd_set_init(&lfds, (int)nofile.rlim_cur + 16);

    netsnmp_session tmpl;
    snmp_sess_init(&tmpl);
    tmpl.version = SNMP_VERSION_2c;
    tmpl.community = (u_char *)"public";
    tmpl.community_len = 6;
    tmpl.timeout = TIMEOUT_US;
    tmpl.retries = RETRIES;
    char peer[64];
    tmpl.peername = peer;

    long next = 0, done = 0, ok_devices = 0, failed_devices = 0;
    double u0, s0, u1, s1;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    u0 = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    s0 = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    double t0 = now_s(), last_scan = t0;

    while (done < devices) {
        /* Admit devices while the window has room. */
        while (next < devices && g_n_active < window) {
            struct device *d = &devs[next];
            struct in_addr a = {htonl(ntohl(base.s_addr) + (uint32_t)next)};
            char ip[INET_ADDRSTRLEN];
            inet_ntop(AF_INET, &a, ip, sizeof ip);
            snprintf(peer, sizeof peer, "udp:%s:%ld", ip, port);
            next++;
            d->sessp = snmp_sess_open(&tmpl);
            netsnmp_transport *t = d->sessp ? snmp_sess_transport(d->sessp) : NULL;
            struct epoll_event ev = {.events = EPOLLIN, .data.ptr = d};
            if (t == NULL || epoll_ctl(ep, EPOLL_CTL_ADD, t->sock, &ev) != 0 || !send_step(d)) {
                if (d->sessp == NULL && failed_devices == 0)
                    snmp_perror("netsnmp_fleet: snmp_sess_open (first failure)");
                if (d->sessp != NULL)
                    snmp_sess_close(d->sessp);
                d->sessp = NULL;
                failed_devices++;
                done++;
                continue;
            }
            d->fd = t->sock;
            d->slot = g_n_active;
            g_active[g_n_active++] = d;
        }
        int n = epoll_wait(ep, events, 1024, 10);
        if (n < 0 && errno != EINTR) {
            perror("netsnmp_fleet: epoll_wait");
            return 1;
        }
        for (int i = 0; i < n; i++) {
            struct device *d = events[i].data.ptr;
            if (d->sessp == NULL || d->finished)
                continue;
            netsnmp_large_fd_setfd(d->fd, &lfds);
            snmp_sess_read2(d->sessp, &lfds);
            netsnmp_large_fd_clr(d->fd, &lfds);
        }
        double now = now_s();
        if (now - last_scan >= TIMEOUT_SCAN_S) {
            last_scan = now;
            for (long i = 0; i < g_n_active; i++)
                if (!g_active[i]->finished)
                    snmp_sess_timeout(g_active[i]->sessp);
        }
        /* Close finished devices (outside every Net-SNMP callback) and free their slots. */
        for (long i = 0; i < g_n_active;) {
            struct device *d = g_active[i];
            if (!d->finished) {
                i++;
                continue;
            }
            epoll_ctl(ep, EPOLL_CTL_DEL, d->fd, NULL);
            snmp_sess_close(d->sessp);
            d->sessp = NULL;
            if (d->failed)
                failed_devices++;
            else
                ok_devices++;
            done++;
            g_active[i] = g_active[--g_n_active];
            g_active[i]->slot = i;
        }
    }
    double wall = now_s() - t0;
    getrusage(RUSAGE_SELF, &ru);
    u1 = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
    s1 = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    printf("impl=netsnmp-fleet mode=%s devices=%ld window=%ld requests=%ld ok_devices=%ld "
           "failed_devices=%ld varbinds=%ld wall_s=%.3f cpu_user_s=%.3f cpu_sys_s=%.3f "
           "maxrss_kb=%ld\n",
           g_batch ? "batch" : "seq", devices, window, g_requests, ok_devices, failed_devices,
           g_varbinds, wall, u1 - u0, s1 - s0, ru.ru_maxrss);
    netsnmp_large_fd_set_cleanup(&lfds);
    snmp_shutdown("netsnmp_fleet");
    return failed_devices == 0 ? 0 : 1;
}
