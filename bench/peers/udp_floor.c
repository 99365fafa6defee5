/* Floor client for the fleet sweep: the least work any SNMP manager on one UDP socket must do
 * for the same workload, so the fleet table can show how much of a client's time is the
 * kernel's. It is not an SNMP library and not a peer: requests are pre-encoded templates
 * (v2c GET, community "public", one varbind, a 4-byte request-id patched in), sent with
 * sendmmsg as unfragmentable datagrams (IP ID 0) and read with recvmmsg in batches of up to
 * 256, and a response is matched by walking the BER headers to its request-id (device
 * index * 16 + step); values are not decoded, nothing is allocated per request. Like the
 * fleet clients it retransmits a GET unanswered for 1 s, twice at most (a scan of the
 * devices in flight every 100 ms).
 *
 * Usage: udp_floor seq|batch BASE_IP PORT DEVICES WINDOW
 *   seq     15 GETs of one varbind each per device, one after the other
 *   batch   one GET of the same 15 varbinds per device
 *   BASE_IP device i is at BASE_IP + i (the simulator's --base), port PORT
 *   WINDOW  devices in flight at once (the rest start as devices finish)
 *
 * Prints the fleet clients' line of key=value pairs:
 *   impl=udp-floor mode=.. devices=.. window=.. requests=.. ok_devices=.. failed_devices=..
 *   wall_s=.. cpu_user_s=.. cpu_sys_s=.. maxrss_kb=..
 * A device fails when its third attempt goes unanswered for 1 s.
 *
 * Build: cc -O2 -o udp_floor udp_floor.c   (see build.sh)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define N_OIDS 15
#define BATCH 256
#define REQ_MAX 512
#define TIMEOUT_S 1.0
#define RETRIES 2
#define SCAN_S 0.1

/* The 15 objects of `snmpx demo` (src/bin/snmpx/demo.rs), in the same order. */
static const char *const OID_TEXT[N_OIDS] = {
    "1.3.6.1.2.1.1.1.0",         "1.3.6.1.2.1.1.2.0",         "1.3.6.1.2.1.1.3.0",
    "1.3.6.1.2.1.1.4.0",         "1.3.6.1.2.1.1.5.0",         "1.3.6.1.2.1.1.6.0",
    "1.3.6.1.2.1.2.1.0",         "1.3.6.1.2.1.2.2.1.2.1",     "1.3.6.1.2.1.2.2.1.8.1",
    "1.3.6.1.2.1.2.2.1.10.1",    "1.3.6.1.2.1.2.2.1.16.1",    "1.3.6.1.2.1.31.1.1.1.6.1",
    "1.3.6.1.2.1.31.1.1.1.10.1", "1.3.6.1.2.1.31.1.1.1.15.1", "1.3.6.1.2.1.31.1.1.1.18.1",
};

/* A request template: the encoded message and where its request-id's 4 bytes are. */
struct tmpl {
    unsigned char buf[REQ_MAX];
    size_t len;
    size_t rid_at;
};

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what) {
    fprintf(stderr, "udp_floor: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* The devices with a GET to send, in order: a ring as large as the fleet (a device is in it
 * at most once). */
struct ring {
    long *slot;
    long head, len, cap;
};

static void ring_push(struct ring *r, long d) {
    r->slot[(r->head + r->len) % r->cap] = d;
    r->len++;
}

static long ring_pop(struct ring *r) {
    long d = r->slot[r->head];
    r->head = (r->head + 1) % r->cap;
    r->len--;
    return d;
}

static double seconds(struct timeval t) { return (double)t.tv_sec + (double)t.tv_usec / 1e6; }

/* Appends a BER length (short or long form) at b[*k]. */
static void put_len(unsigned char *b, size_t *k, size_t n) {
    if (n < 128) {
        b[(*k)++] = (unsigned char)n;
    } else {
        b[(*k)++] = 0x82;
        b[(*k)++] = (unsigned char)(n >> 8);
        b[(*k)++] = (unsigned char)n;
    }
}

static size_t len_size(size_t n) { return n < 128 ? 1 : 3; }

/* Encodes a dotted OID's content octets into o (X.690 8.19); returns their count. */
static size_t oid_content(const char *text, unsigned char *o) {
    unsigned long arcs[64];
    size_t n = 0, k = 0;
    char *end;
    const char *s = text;
    while (n < 64) {
        arcs[n++] = strtoul(s, &end, 10);
        if (*end != '.') break;
        s = end + 1;
    }
    o[k++] = (unsigned char)(arcs[0] * 40 + arcs[1]);
    for (size_t i = 2; i < n; i++) {
        unsigned char t[10];
        size_t m = 0;
        unsigned long v = arcs[i];
        do {
            t[m++] = v & 0x7f;
            v >>= 7;
        } while (v);
        while (m--) o[k++] = t[m] | (m ? 0x80 : 0);
    }
    return k;
}

/* Builds a v2c GetRequest of the given OIDs with a 4-byte request-id placeholder. */
static void build(struct tmpl *t, const char *const *oids, size_t n) {
    unsigned char content[N_OIDS][64];
    size_t clen[N_OIDS], vbl = 0;
    for (size_t i = 0; i < n; i++) {
        clen[i] = oid_content(oids[i], content[i]);
        size_t vb = 2 + clen[i] + 2; /* OID TLV + NULL */
        vbl += 1 + len_size(vb) + vb;
    }
    size_t pdu = 6 + 3 + 3 + 1 + len_size(vbl) + vbl;
    size_t msg = 3 + 8 + 1 + len_size(pdu) + pdu;
    unsigned char *b = t->buf;
    size_t k = 0;
    b[k++] = 0x30;
    put_len(b, &k, msg);
    b[k++] = 0x02, b[k++] = 0x01, b[k++] = 0x01; /* version 2c */
    b[k++] = 0x04, b[k++] = 0x06;
    memcpy(b + k, "public", 6);
    k += 6;
    b[k++] = 0xa0;
    put_len(b, &k, pdu);
    b[k++] = 0x02, b[k++] = 0x04;
    t->rid_at = k;
    k += 4;
    b[k++] = 0x02, b[k++] = 0x01, b[k++] = 0x00; /* error-status */
    b[k++] = 0x02, b[k++] = 0x01, b[k++] = 0x00; /* error-index */
    b[k++] = 0x30;
    put_len(b, &k, vbl);
    for (size_t i = 0; i < n; i++) {
        b[k++] = 0x30;
        put_len(b, &k, 2 + clen[i] + 2);
        b[k++] = 0x06, b[k++] = (unsigned char)clen[i];
        memcpy(b + k, content[i], clen[i]);
        k += clen[i];
        b[k++] = 0x05, b[k++] = 0x00;
    }
    t->len = k;
}

/* Steps over one TLV header at p[i]; its content length goes to *len. -1 if malformed. */
static long header(const unsigned char *p, size_t n, size_t i, size_t *len) {
    if (i + 2 > n) return -1;
    i++;
    size_t l = p[i++];
    if (l & 0x80) {
        size_t c = l & 0x7f;
        if (c == 0 || c > 4 || i + c > n) return -1;
        l = 0;
        while (c--) l = (l << 8) | p[i++];
    }
    if (l > n - i) return -1;
    *len = l;
    return (long)i;
}

/* The request-id of a v2c Response-PDU (message, version, community, PDU, request-id), or -1. */
static long response_id(const unsigned char *p, size_t n) {
    size_t l;
    long i = header(p, n, 0, &l);                                    /* message */
    if (i < 0 || (i = header(p, n, (size_t)i, &l)) < 0) return -1;   /* version */
    if ((i = header(p, n, (size_t)i + l, &l)) < 0) return -1;         /* community */
    size_t pdu_at = (size_t)i + l;
    if (pdu_at >= n || p[pdu_at] != 0xa2) return -1;                  /* Response-PDU */
    if ((i = header(p, n, pdu_at, &l)) < 0) return -1;
    if ((i = header(p, n, (size_t)i, &l)) < 0 || l < 1 || l > 4) return -1; /* request-id */
    unsigned long v = 0;
    for (size_t m = 0; m < l; m++) v = (v << 8) | p[(size_t)i + m];
    return (long)v;
}

int main(int argc, char **argv) {
    if (argc != 6 || (strcmp(argv[1], "seq") != 0 && strcmp(argv[1], "batch") != 0)) {
        fprintf(stderr, "usage: udp_floor seq|batch BASE_IP PORT DEVICES WINDOW\n");
        return 2;
    }
    int batch = strcmp(argv[1], "batch") == 0;
    struct in_addr base_addr;
    long port = atol(argv[3]), devices = atol(argv[4]), window = atol(argv[5]);
    if (inet_pton(AF_INET, argv[2], &base_addr) != 1 || port < 1 || port > 65535 ||
        devices < 1 || devices > 1 << 24 || window < 1) {
        fprintf(stderr, "udp_floor: bad arguments\n");
        return 2;
    }
    if (window > devices) window = devices;
    uint32_t base = ntohl(base_addr.s_addr);
    int steps = batch ? 1 : N_OIDS;

    static struct tmpl tmpl[N_OIDS];
    if (batch) {
        build(&tmpl[0], OID_TEXT, N_OIDS);
    } else {
        for (int i = 0; i < N_OIDS; i++) build(&tmpl[i], &OID_TEXT[i], 1);
    }

    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    /* 8 MiB buffers, as the snmpx transport asks (the FORCE forms pass net.core.rmem_max
     * when the process may; otherwise the plain forms, capped by it). */
    int sz = 8 << 20;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof sz) != 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof sz) != 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
    /* Local fragmentation forbidden, as the snmpx transport sends payloads of up to 268
     * octets: Linux then gives a datagram IP ID 0 instead of drawing one from its shared
     * counters (RFC 6864 §4.1 lets an atomic datagram's ID be any value). */
    int probe = IP_PMTUDISC_PROBE;
    if (setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &probe, sizeof probe) != 0) die("IP_MTU_DISCOVER");

    unsigned char *step = calloc((size_t)devices, 1);
    unsigned char *tries = calloc((size_t)devices, 1);  /* attempts of the GET in flight */
    double *sent = calloc((size_t)devices, sizeof(double)); /* its last send, 0 = none */
    struct ring ready = {malloc(sizeof(long) * (size_t)devices), 0, 0, devices};
    static unsigned char out[BATCH][REQ_MAX], in[BATCH][2048];
    static struct mmsghdr sm[BATCH], rm[BATCH];
    static struct iovec siov[BATCH], riov[BATCH];
    static struct sockaddr_in sa[BATCH], ra[BATCH];
    if (!step || !tries || !sent || !ready.slot) die("calloc");
    for (int i = 0; i < BATCH; i++) {
        riov[i] = (struct iovec){in[i], sizeof in[i]};
        rm[i].msg_hdr.msg_iov = &riov[i];
        rm[i].msg_hdr.msg_iovlen = 1;
        rm[i].msg_hdr.msg_name = &ra[i];
        siov[i].iov_base = out[i];
        sm[i].msg_hdr.msg_iov = &siov[i];
        sm[i].msg_hdr.msg_iovlen = 1;
        sm[i].msg_hdr.msg_name = &sa[i];
        sm[i].msg_hdr.msg_namelen = sizeof sa[i];
        sa[i].sin_family = AF_INET;
        sa[i].sin_port = htons((uint16_t)port);
    }
    long next_dev = 0, finished = 0, failed = 0, requests = 0, retransmissions = 0;
    for (; next_dev < window; next_dev++) ring_push(&ready, next_dev);

    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    double t0 = now_s(), last_scan = t0;
    while (finished + failed < devices) {
        while (ready.len > 0) { /* send every GET that is due, BATCH per call */
            int n = 0;
            double at = now_s();
            while (n < BATCH && ready.len > 0) {
                long d = ring_pop(&ready);
                const struct tmpl *t = &tmpl[step[d]];
                uint32_t rid = (uint32_t)d * 16 + step[d];
                memcpy(out[n], t->buf, t->len);
                out[n][t->rid_at] = (unsigned char)(rid >> 24);
                out[n][t->rid_at + 1] = (unsigned char)(rid >> 16);
                out[n][t->rid_at + 2] = (unsigned char)(rid >> 8);
                out[n][t->rid_at + 3] = (unsigned char)rid;
                siov[n].iov_len = t->len;
                sa[n].sin_addr.s_addr = htonl(base + (uint32_t)d);
                n++;
                tries[d]++;
                sent[d] = at;
            }
            for (int off = 0; off < n;) {
                int k = sendmmsg(fd, sm + off, (unsigned)(n - off), 0);
                if (k < 0) {
                    if (errno != EAGAIN && errno != EINTR) die("sendmmsg");
                    struct pollfd p = {fd, POLLOUT, 0};
                    poll(&p, 1, 10);
                    continue;
                }
                off += k;
            }
            requests += n;
        }
        double t = now_s();
        if (t - last_scan >= SCAN_S) { /* retransmissions and failures */
            last_scan = t;
            for (long d = 0; d < next_dev; d++) {
                if (sent[d] == 0 || t - sent[d] < TIMEOUT_S) continue;
                sent[d] = 0;
                if (tries[d] <= RETRIES) {
                    retransmissions++;
                    ring_push(&ready, d);
                    continue;
                }
                failed++;
                if (next_dev < devices) ring_push(&ready, next_dev++); /* the next device starts */
            }
        }
        for (int i = 0; i < BATCH; i++) rm[i].msg_hdr.msg_namelen = sizeof ra[i];
        int k = recvmmsg(fd, rm, BATCH, 0, NULL);
        if (k <= 0) {
            if (k < 0 && errno != EAGAIN && errno != EINTR) die("recvmmsg");
            struct pollfd p = {fd, POLLIN, 0};
            poll(&p, 1, 100);
            continue;
        }
        for (int i = 0; i < k; i++) {
            long rid = response_id(in[i], rm[i].msg_len);
            if (rid < 0) continue;
            long d = rid / 16;
            int s = (int)(rid % 16);
            if (d >= devices || step[d] != s || sent[d] == 0 ||
                ntohl(ra[i].sin_addr.s_addr) != base + (uint32_t)d)
                continue; /* stale, duplicate or spoofed */
            sent[d] = 0, tries[d] = 0;
            if (++step[d] < steps) {
                ring_push(&ready, d);
                continue;
            }
            finished++;
            if (next_dev < devices) ring_push(&ready, next_dev++); /* the next device starts */
        }
    }
    double wall = now_s() - t0;
    getrusage(RUSAGE_SELF, &r1);
    double user = seconds(r1.ru_utime) - seconds(r0.ru_utime);
    double sys = seconds(r1.ru_stime) - seconds(r0.ru_stime);
    printf("impl=udp-floor mode=%s devices=%ld window=%ld requests=%ld ok_devices=%ld "
           "failed_devices=%ld wall_s=%.3f cpu_user_s=%.3f cpu_sys_s=%.3f maxrss_kb=%ld "
           "retransmissions=%ld\n",
           batch ? "batch" : "seq", devices, window, requests, finished, failed, wall, user, sys,
           r1.ru_maxrss, retransmissions);
    close(fd);
    free(step);
    free(tries);
    free(sent);
    free(ready.slot);
    return failed == 0 ? 0 : 1;
}
