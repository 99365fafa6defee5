/* snmpx_poller: polls many agents at once from one thread with a completion queue whose file
 * descriptor sits in an ordinary poll() loop (the same works with epoll, select or libuv).
 *
 *   snmpx_poller [-R ROUNDS] [-I SECONDS] [-W WINDOW] [Net-SNMP options] -- TARGET...
 *   snmpx_poller -R 3 -I 10 -v2c -c public -t 2 -r 1 -- 10.0.0.1 10.0.0.2:1161 ...
 *
 * Every round asks each target for sysUpTime.0 and sysName.0, keeping at most WINDOW
 * requests in flight (default 1000), and prints one line per target:
 *   TARGET ok uptime=<value> name=<value>      or      TARGET failed: <reason>
 * then a summary on stderr. One session per target shares the library's I/O thread and
 * sockets: the number of file descriptors and threads does not grow with the targets.
 * Exit status: 0 if every request of every round succeeded, 1 otherwise, 2 for usage. */
#include <snmpx.h>

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_value(const snmpx_response *r, size_t i, const char *label) {
    const snmpx_varbind *vb = NULL;
    char buf[512];
    size_t len = 0;
    if (snmpx_response_varbind(r, i, &vb) == SNMPX_OK &&
        snmpx_varbind_value_format(vb, buf, sizeof buf, &len) == SNMPX_OK) {
        printf(" %s=%s", label, buf);
    } else {
        printf(" %s=?", label);
    }
}

/* Prints one completion's line; returns 1 for success. */
static int report(const char **targets, snmpx_completion *c) {
    uint64_t tag = 0;
    uint32_t code = 0;
    snmpx_completion_tag(c, &tag);
    snmpx_completion_result(c, &code);
    const char *target = targets[tag];
    if (code != SNMPX_OK) {
        const snmpx_error *e = NULL;
        const char *msg = snmpx_result_message(code);
        if (snmpx_completion_error(c, &e) == SNMPX_OK) {
            snmpx_error_message(e, &msg);
        }
        printf("%s failed: %s\n", target, msg);
        return 0;
    }
    const snmpx_response *r = NULL;
    int32_t status = 0;
    snmpx_completion_response(c, &r);
    snmpx_response_error_status(r, &status);
    if (status != SNMPX_ERRSTAT_NO_ERROR) {
        printf("%s failed: error-status %d\n", target, (int)status);
        return 0;
    }
    printf("%s ok", target);
    print_value(r, 0, "uptime");
    print_value(r, 1, "name");
    printf("\n");
    return 1;
}

int main(int argc, char **argv) {
    int rounds = 1;
    double interval = 0;
    size_t window = 1000;
    int i = 1;
    for (; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "-R") == 0) {
            rounds = atoi(argv[i + 1]);
        } else if (strcmp(argv[i], "-I") == 0) {
            interval = atof(argv[i + 1]);
        } else if (strcmp(argv[i], "-W") == 0) {
            window = (size_t)strtoul(argv[i + 1], NULL, 10);
        } else {
            break;
        }
    }
    int sep = i;
    while (sep < argc && strcmp(argv[sep], "--") != 0) {
        sep++;
    }
    if (sep + 1 >= argc || rounds < 1 || window < 1) {
        fprintf(stderr,
                "usage: %s [-R ROUNDS] [-I SECONDS] [-W WINDOW] [options] -- TARGET...\n",
                argv[0]);
        return 2;
    }
    const char **targets = (const char **)&argv[sep + 1];
    size_t ntargets = (size_t)(argc - sep - 1);
    /* Net-SNMP options shared by every target: {prog, options..., target}. */
    size_t nopts = (size_t)(sep - i);
    const char **args = calloc(nopts + 2, sizeof *args);
    snmpx_session **sessions = calloc(ntargets, sizeof *sessions);
    if (args == NULL || sessions == NULL || snmpx_init() != SNMPX_OK) {
        fprintf(stderr, "out of memory or snmpx_init failed\n");
        return 1;
    }
    args[0] = argv[0];
    memcpy(&args[1], &argv[i], nopts * sizeof *args);

    int status = 0;
    snmpx_cq *queue = NULL;
    snmpx_request *req = NULL;
    for (size_t t = 0; t < ntargets; t++) {
        snmpx_config *cfg = NULL;
        snmpx_error *err = NULL;
        size_t next = 0;
        args[nopts + 1] = targets[t];
        snmpx_result rc = snmpx_config_from_argv(args, nopts + 2, &cfg, &next, &err);
        if (rc == SNMPX_OK) {
            rc = snmpx_session_open(cfg, &sessions[t], &err);
        }
        snmpx_config_free(cfg);
        if (rc != SNMPX_OK) {
            const char *msg = snmpx_result_message(rc);
            snmpx_error_message(err, &msg);
            fprintf(stderr, "%s: %s\n", targets[t], msg);
            snmpx_error_free(err);
            status = rc == SNMPX_E_USAGE || rc == SNMPX_E_PARSE ? 2 : 1;
            goto out;
        }
    }
    int fd = -1;
    if (snmpx_cq_new(&queue) != SNMPX_OK || snmpx_cq_fd(queue, &fd) != SNMPX_OK ||
        snmpx_request_new(SNMPX_REQ_GET, &req) != SNMPX_OK ||
        snmpx_request_add_oid(req, "1.3.6.1.2.1.1.3.0") != SNMPX_OK ||
        snmpx_request_add_oid(req, "1.3.6.1.2.1.1.5.0") != SNMPX_OK) {
        fprintf(stderr, "cannot set up the completion queue\n");
        status = 1;
        goto out;
    }

    for (int round = 1; round <= rounds; round++) {
        double start = now();
        size_t submitted = 0, done = 0, ok = 0;
        while (done < ntargets) {
            /* Keep up to WINDOW requests in flight. The tag says which target answered. */
            while (submitted < ntargets && submitted - done < window) {
                uint64_t id = 0;
                snmpx_error *err = NULL;
                snmpx_result rc =
                    snmpx_session_submit_cq(sessions[submitted], req, queue, submitted, &id, &err);
                if (rc != SNMPX_OK) {
                    const char *msg = snmpx_result_message(rc);
                    snmpx_error_message(err, &msg);
                    printf("%s failed: %s\n", targets[submitted], msg);
                    snmpx_error_free(err);
                    done++;
                }
                submitted++;
            }
            /* Sleep in poll() until the queue's descriptor is readable... */
            struct pollfd p = {.fd = fd, .events = POLLIN, .revents = 0};
            if (poll(&p, 1, 1000) < 0 && errno != EINTR) {
                perror("poll");
                status = 1;
                goto out;
            }
            /* ...then drain every waiting completion, a batch at a time. */
            for (;;) {
                snmpx_completion *batch[64];
                size_t n = 0;
                if (snmpx_cq_poll(queue, batch, 64, &n) != SNMPX_OK || n == 0) {
                    break;
                }
                for (size_t k = 0; k < n; k++) {
                    ok += (size_t)report(targets, batch[k]);
                    snmpx_completion_free(batch[k]);
                }
                done += n;
            }
        }
        double took = now() - start;
        fprintf(stderr, "round %d: %zu targets, %zu ok, %zu failed, %.3f s\n", round, ntargets,
                ok, ntargets - ok, took);
        if (ok != ntargets) {
            status = 1;
        }
        if (round < rounds && interval > took) {
            double rest = interval - took;
            struct timespec ts = {(time_t)rest, (long)((rest - (double)(time_t)rest) * 1e9)};
            nanosleep(&ts, NULL);
        }
    }
out:
    snmpx_request_free(req);
    snmpx_cq_free(queue);
    for (size_t t = 0; t < ntargets; t++) {
        snmpx_session_free(sessions[t]);
    }
    free(sessions);
    free(args);
    snmpx_shutdown();
    return status;
}
