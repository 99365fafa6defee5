/* snmpx_walk: an snmpwalk-like tool on the snmpx C ABI, streaming the rows as they arrive.
 *
 *   snmpx_walk [--bulk] [Net-SNMP options] AGENT [OID]     (default OID: 1.3.6.1.2.1)
 *   snmpx_walk --bulk -v2c -c public -Cr25 127.0.0.1:161 1.3.6.1.2.1.2.2
 *
 * With --bulk it walks with GetBulk (like snmpbulkwalk), otherwise with GetNext. Rows are
 * read one at a time with snmpx_walk_next, which fetches the next page when needed, so a
 * large table is never held in memory at once. Exit status: 0 on success, 1 on failure (rows
 * before the failure are printed), 2 for a usage error. */
#include <snmpx.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, snmpx_result rc, snmpx_error *err) {
    const char *msg = snmpx_result_message(rc);
    if (err != NULL) {
        snmpx_error_message(err, &msg);
    }
    fprintf(stderr, "%s: %s\n", what, msg);
    snmpx_error_free(err);
    return rc == SNMPX_E_USAGE || rc == SNMPX_E_PARSE ? 2 : 1;
}

int main(int argc, char **argv) {
    snmpx_config *cfg = NULL;
    snmpx_session *session = NULL;
    snmpx_request *req = NULL;
    snmpx_walk *walk = NULL;
    snmpx_error *err = NULL;
    size_t next = 0;
    int status = 1;
    int bulk = 0;

    if (argc > 1 && strcmp(argv[1], "--bulk") == 0) {
        bulk = 1;
        argv[1] = argv[0]; /* drop it: the rest are Net-SNMP arguments */
        argv++;
        argc--;
    }
    if (snmpx_init() != SNMPX_OK) {
        fprintf(stderr, "snmpx_init failed\n");
        return 1;
    }
    snmpx_result rc =
        snmpx_config_from_argv((const char *const *)argv, (size_t)argc, &cfg, &next, &err);
    if (rc != SNMPX_OK) {
        status = fail("options", rc, err);
        goto out;
    }
    const char *root = next < (size_t)argc ? argv[next] : "1.3.6.1.2.1";
    if ((rc = snmpx_session_open(cfg, &session, &err)) != SNMPX_OK) {
        status = fail("session", rc, err);
        goto out;
    }
    if ((rc = snmpx_request_new(bulk ? SNMPX_REQ_BULK_WALK : SNMPX_REQ_WALK, &req)) != SNMPX_OK ||
        (rc = snmpx_request_add_oid(req, root)) != SNMPX_OK) {
        status = fail(root, rc, NULL);
        goto out;
    }
    if ((rc = snmpx_session_walk_start(session, req, &walk, &err)) != SNMPX_OK) {
        status = fail("walk", rc, err);
        goto out;
    }
    size_t rows = 0;
    for (;;) {
        snmpx_varbind *row = NULL;
        rc = snmpx_walk_next(walk, &row, &err);
        if (rc != SNMPX_OK) {
            status = fail("walk", rc, err);
            goto out;
        }
        if (row == NULL) {
            break; /* the end of the subtree */
        }
        char line[4096];
        size_t len = 0;
        if (snmpx_varbind_format(row, line, sizeof line, &len) == SNMPX_OK) {
            printf("%s\n", line);
        }
        snmpx_varbind_free(row);
        rows++;
    }
    if (rows == 0) {
        printf("No Such Object available on this agent at this OID\n");
    }
    status = 0;
out:
    snmpx_walk_free(walk);
    snmpx_request_free(req);
    snmpx_session_free(session);
    snmpx_config_free(cfg);
    snmpx_shutdown();
    return status;
}
