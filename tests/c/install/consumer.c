/* A program built against an installed snmpx (see install_test.sh): checks the header and
 * library versions agree, then reads sysName.0 from the agent given as argv[1]. */
#include <snmpx.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    if (strcmp(snmpx_version(), SNMPX_VERSION_STRING) != 0) {
        fprintf(stderr, "header %s, library %s\n", SNMPX_VERSION_STRING, snmpx_version());
        return 1;
    }
    if (argc != 2 || snmpx_init() != SNMPX_OK) {
        fprintf(stderr, "usage: consumer AGENT\n");
        return 2;
    }
    const char *args[] = {"consumer", "-v2c", "-c", "public", argv[1]};
    snmpx_config *cfg = NULL;
    snmpx_session *s = NULL;
    snmpx_response *r = NULL;
    const snmpx_varbind *vb = NULL;
    size_t next = 0, len = 0;
    char line[512];
    const char *oid[] = {"1.3.6.1.2.1.1.5.0"};
    int ok = snmpx_config_from_argv(args, 5, &cfg, &next, NULL) == SNMPX_OK &&
             snmpx_session_open(cfg, &s, NULL) == SNMPX_OK &&
             snmpx_session_get(s, oid, 1, &r, NULL) == SNMPX_OK &&
             snmpx_response_varbind(r, 0, &vb) == SNMPX_OK &&
             snmpx_varbind_format(vb, line, sizeof line, &len) == SNMPX_OK;
    if (ok) {
        printf("%s %s\n", SNMPX_VERSION_STRING, line);
    }
    snmpx_response_free(r);
    snmpx_session_free(s);
    snmpx_config_free(cfg);
    snmpx_shutdown();
    return ok ? 0 : 1;
}
