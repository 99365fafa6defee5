/* The MIB through the C ABI: loading directories and modules, names <-> arcs and Net-SNMP
 * rendering with -O letters, checked against the real snmpd's values. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "harness.h"

#include <unistd.h>

static void names_and_arcs(void) {
    uint32_t arcs[32];
    size_t n = 0;
    CHECK_OK(snmpx_oid_parse("SNMPv2-MIB::sysDescr.0", arcs, 32, &n, NULL));
    CHECK(n == 9 && arcs[0] == 1 && arcs[6] == 1 && arcs[7] == 1 && arcs[8] == 0);
    CHECK_OK(snmpx_oid_parse("IF-MIB::ifDescr.3", arcs, 32, &n, NULL));
    CHECK(n == 11 && arcs[9] == 2 && arcs[10] == 3);
    CHECK_OK(snmpx_oid_parse(".1.3.6.1.2.1.1.5.0", arcs, 32, &n, NULL));
    CHECK(n == 9 && arcs[7] == 5);
    /* Size query, then a too-small buffer. */
    CHECK_RC(snmpx_oid_parse("sysName.0", NULL, 0, &n, NULL), SNMPX_E_BUFFER_TOO_SMALL);
    CHECK(n == 9);
    CHECK_RC(snmpx_oid_parse("sysName.0", arcs, 4, &n, NULL), SNMPX_E_BUFFER_TOO_SMALL);
    snmpx_error *err = NULL;
    CHECK_RC(snmpx_oid_parse("noSuchThingAnywhere.0", arcs, 32, &n, &err),
             SNMPX_E_MIB_UNKNOWN_OBJECT);
    const char *m = NULL;
    CHECK_OK(snmpx_error_message(err, &m));
    CHECK(strstr(m, "noSuchThingAnywhere") != NULL);
    snmpx_error_free(err);

    const uint32_t sysname[] = {1, 3, 6, 1, 2, 1, 1, 5, 0};
    char buf[256];
    size_t len = 0;
    CHECK_OK(snmpx_oid_format(sysname, 9, NULL, buf, sizeof buf, &len));
    CHECK(strcmp(buf, "SNMPv2-MIB::sysName.0") == 0 && len == strlen(buf));
    CHECK_OK(snmpx_oid_format(sysname, 9, "n", buf, sizeof buf, &len));
    CHECK(strcmp(buf, ".1.3.6.1.2.1.1.5.0") == 0);
    CHECK_OK(snmpx_oid_format(sysname, 9, "s", buf, sizeof buf, &len));
    CHECK(strcmp(buf, "sysName.0") == 0);
    CHECK_OK(snmpx_oid_format(sysname, 9, "f", buf, sizeof buf, &len));
    CHECK(strcmp(buf, ".iso.org.dod.internet.mgmt.mib-2.system.sysName.0") == 0);
    CHECK_RC(snmpx_oid_format(sysname, 9, "n", buf, 4, &len), SNMPX_E_BUFFER_TOO_SMALL);
    CHECK(len == strlen(".1.3.6.1.2.1.1.5.0"));
    CHECK_RC(snmpx_oid_format(sysname, 9, "%", buf, sizeof buf, &len), SNMPX_E_USAGE);
}

static void rendering_like_snmpget(void) {
    snmpx_session *s = open_session(SNMPX_SNMP_V2C, "public");
    const char *oids[] = {"sysName.0", "sysUpTime.0"};
    snmpx_response *r = NULL;
    CHECK_OK(snmpx_session_get(s, oids, 2, &r, NULL));
    const snmpx_varbind *vb = NULL;
    CHECK_OK(snmpx_response_varbind(r, 0, &vb));
    const char *name = env_or("SNMPX_TEST_SYS_NAME", "?");
    char buf[512], want[512];
    size_t len = 0;
    CHECK_OK(snmpx_varbind_format_opts(vb, NULL, buf, sizeof buf, &len));
    snprintf(want, sizeof want, "SNMPv2-MIB::sysName.0 = STRING: %s", name);
    CHECK(strcmp(buf, want) == 0);
    CHECK_OK(snmpx_varbind_format_opts(vb, "nq", buf, sizeof buf, &len));
    snprintf(want, sizeof want, ".1.3.6.1.2.1.1.5.0 %s", name);
    CHECK(strcmp(buf, want) == 0);
    CHECK_OK(snmpx_varbind_format_opts(vb, "vQ", buf, sizeof buf, &len));
    CHECK(strcmp(buf, name) == 0);
    /* Timeticks rendered as Net-SNMP does: "Timeticks: (N) d:hh:mm:ss.cc". */
    CHECK_OK(snmpx_response_varbind(r, 1, &vb));
    CHECK_OK(snmpx_varbind_format_opts(vb, "s", buf, sizeof buf, &len));
    CHECK(strncmp(buf, "sysUpTime.0 = Timeticks: (", 26) == 0);
    snmpx_response_free(r);
    snmpx_session_free(s);
}

static void loading_directories_and_modules(void) {
    char dir[] = "/tmp/snmpx-c-mib-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/SNMPX-TEST-MIB.txt", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    fputs("SNMPX-TEST-MIB DEFINITIONS ::= BEGIN\n"
          "IMPORTS OBJECT-TYPE, enterprises FROM SNMPv2-SMI\n"
          "        DisplayString FROM SNMPv2-TC;\n"
          "snmpxTestThing OBJECT-TYPE SYNTAX DisplayString MAX-ACCESS read-only\n"
          "    STATUS current DESCRIPTION \"test\" ::= { enterprises 99997 1 }\n"
          "END\n",
          f);
    fclose(f);
    uint32_t arcs[32];
    size_t n = 0;
    CHECK_RC(snmpx_oid_parse("SNMPX-TEST-MIB::snmpxTestThing.0", arcs, 32, &n, NULL),
             SNMPX_E_MIB_UNKNOWN_OBJECT);
    CHECK_OK(snmpx_mib_add_dir(dir, NULL));
    CHECK_OK(snmpx_mib_load_module("SNMPX-TEST-MIB", NULL));
    CHECK_OK(snmpx_oid_parse("SNMPX-TEST-MIB::snmpxTestThing.0", arcs, 32, &n, NULL));
    CHECK(n == 9 && arcs[6] == 99997 && arcs[7] == 1 && arcs[8] == 0);
    char buf[256];
    size_t len = 0;
    CHECK_OK(snmpx_oid_format(arcs, n, NULL, buf, sizeof buf, &len));
    CHECK(strcmp(buf, "SNMPX-TEST-MIB::snmpxTestThing.0") == 0);
    /* The core objects still resolve. */
    CHECK_OK(snmpx_oid_parse("sysDescr.0", arcs, 32, &n, NULL));

    snmpx_error *err = NULL;
    const char *m = NULL;
    CHECK_RC(snmpx_mib_load_module("NO-SUCH-MIB", &err), SNMPX_E_MIB_LOAD);
    CHECK_OK(snmpx_error_message(err, &m));
    CHECK(strstr(m, "NO-SUCH-MIB") != NULL);
    snmpx_error_free(err);
    err = NULL;
    CHECK_RC(snmpx_mib_add_dir("/nonexistent/snmpx-mibs", &err), SNMPX_E_MIB_LOAD);
    snmpx_error_free(err);
    remove(path);
    rmdir(dir);
}

/* -m/-M in snmpx_config_from_argv reconfigure the process-wide resolver, as Net-SNMP's
 * snmp_parse_args does. Runs last: it replaces the module list. */
static void argv_mib_options(void) {
    char dir[] = "/tmp/snmpx-c-argv-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/SNMPX-ARGV-MIB.txt", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    fputs("SNMPX-ARGV-MIB DEFINITIONS ::= BEGIN\n"
          "IMPORTS enterprises FROM SNMPv2-SMI;\n"
          "snmpxArgvThing OBJECT IDENTIFIER ::= { enterprises 99996 }\n"
          "END\n",
          f);
    fclose(f);
    uint32_t arcs[32];
    size_t n = 0, next = 0;
    CHECK_RC(snmpx_oid_parse("SNMPX-ARGV-MIB::snmpxArgvThing", arcs, 32, &n, NULL),
             SNMPX_E_MIB_UNKNOWN_OBJECT);

    char dirs[300];
    snprintf(dirs, sizeof dirs, "+%s", dir);
    const char *ok[] = {"prog", "-M", dirs, "-m", "+SNMPX-ARGV-MIB", "-v2c", "127.0.0.1", "x"};
    snmpx_config *cfg = NULL;
    CHECK_OK(snmpx_config_from_argv(ok, 8, &cfg, &next, NULL));
    CHECK(next == 7);
    snmpx_config_free(cfg);
    CHECK_OK(snmpx_oid_parse("SNMPX-ARGV-MIB::snmpxArgvThing.7", arcs, 32, &n, NULL));
    CHECK(n == 8 && arcs[6] == 99996 && arcs[7] == 7);
    CHECK_OK(snmpx_oid_parse("sysDescr.0", arcs, 32, &n, NULL)); /* "+": defaults kept */

    const char *bad[] = {"prog", "-m", "+SNMPX-NO-SUCH-ARGV-MIB", "127.0.0.1"};
    snmpx_error *err = NULL;
    const char *m = NULL;
    cfg = NULL;
    CHECK_RC(snmpx_config_from_argv(bad, 4, &cfg, &next, &err), SNMPX_E_MIB_LOAD);
    CHECK(cfg == NULL);
    CHECK_OK(snmpx_error_message(err, &m));
    CHECK(strstr(m, "SNMPX-NO-SUCH-ARGV-MIB") != NULL);
    snmpx_error_free(err);
    remove(path);
    rmdir(dir);
}

int main(void) {
    if (snmpx_init() != SNMPX_OK) {
        fprintf(stderr, "snmpx_init failed\n");
        return 1;
    }
    RUN(names_and_arcs);
    RUN(rendering_like_snmpget);
    RUN(loading_directories_and_modules);
    RUN(argv_mib_options);
    CHECK_OK(snmpx_shutdown());
    if (snmpx_live_handles() != 0) {
        fprintf(stderr, "leak: %zu handles still alive\n", snmpx_live_handles());
        h_failed++;
    }
    return h_finish();
}
