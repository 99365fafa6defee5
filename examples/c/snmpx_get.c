/* snmpx_get: an snmpget-like tool on the snmpx C ABI.
 *
 *   snmpx_get [Net-SNMP options] AGENT OID [OID...]
 *   snmpx_get -v2c -c public 127.0.0.1:161 1.3.6.1.2.1.1.5.0
 *   snmpx_get -v3 -l authPriv -u bob -a SHA -A 'auth pass' -x AES -X 'priv pass' host sysName.0
 *
 * The options are parsed by snmpx_config_from_argv (Net-SNMP's -v -c -t -r -l -u -a -A -x -X
 * ...); each varbind is printed as `snmpget -On` prints it. Exit status: 0 on success, 1 if
 * the request failed or the agent returned an error-status, 2 for a usage error. */
#include <snmpx.h>

#include <stdio.h>
#include <stdlib.h>

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
    snmpx_response *resp = NULL;
    snmpx_error *err = NULL;
    size_t next = 0;
    int status = 1;

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
    if (next >= (size_t)argc) {
        fprintf(stderr, "usage: %s [options] AGENT OID [OID...]\n", argv[0]);
        status = 2;
        goto out;
    }
    rc = snmpx_session_open(cfg, &session, &err);
    if (rc != SNMPX_OK) {
        status = fail("session", rc, err);
        goto out;
    }
    rc = snmpx_session_get(session, (const char *const *)&argv[next], (size_t)argc - next, &resp,
                           &err);
    if (rc != SNMPX_OK) {
        status = fail("get", rc, err);
        goto out;
    }
    int32_t error_status = 0;
    uint32_t error_index = 0;
    snmpx_response_error_status(resp, &error_status);
    snmpx_response_error_index(resp, &error_index);
    if (error_status != SNMPX_ERRSTAT_NO_ERROR) {
        /* An error-status is data: the response names the failed object. */
        fprintf(stderr, "agent returned error-status %d at index %u\n", (int)error_status,
                (unsigned)error_index);
        goto out;
    }
    size_t count = 0;
    snmpx_response_varbind_count(resp, &count);
    for (size_t i = 0; i < count; i++) {
        const snmpx_varbind *vb = NULL;
        char line[4096];
        size_t len = 0;
        if (snmpx_response_varbind(resp, i, &vb) == SNMPX_OK &&
            snmpx_varbind_format(vb, line, sizeof line, &len) == SNMPX_OK) {
            printf("%s\n", line);
        }
    }
    status = 0;
out:
    snmpx_response_free(resp);
    snmpx_session_free(session);
    snmpx_config_free(cfg);
    snmpx_shutdown();
    return status;
}
