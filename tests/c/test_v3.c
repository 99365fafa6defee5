/* SNMPv3 through the C ABI against the real snmpd: every operation on several auth/priv
 * pairs, the config setters and argv forms (pass phrases, master and localized keys, engine
 * IDs, boots/time, context), wrong credentials and their typed codes, secrets kept out of
 * error text, and one v3 session shared by threads and a completion queue. */
#include "harness.h"

#include <pthread.h>

#define SYS_NAME_0 "1.3.6.1.2.1.1.5.0"
#define SYS_DESCR_0 "1.3.6.1.2.1.1.1.0"
#define SYS_CONTACT_0 "1.3.6.1.2.1.1.4.0"
#define SYSTEM "1.3.6.1.2.1.1"

/* One harness user (SNMPX_TEST_V3_USERS: "name,level,auth,authpass,priv,privpass ..."). */
typedef struct {
    char name[64], level[32], auth[32], auth_pass[96], priv[32], priv_pass[96];
} v3user;

static void field(char *dst, size_t cap, const char *src, size_t len) {
    if (len == 1 && src[0] == '-') {
        len = 0;
    }
    if (len >= cap) {
        len = cap - 1;
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* Looks a user up by name; aborts the program if the launcher did not export it. */
static v3user user(const char *name) {
    v3user u;
    memset(&u, 0, sizeof u);
    const char *all = getenv("SNMPX_TEST_V3_USERS");
    if (all == NULL) {
        fprintf(stderr, "SNMPX_TEST_V3_USERS is not set: run through test_agent\n");
        exit(2);
    }
    const char *p = all;
    while (*p) {
        const char *end = strchr(p, ' ');
        if (end == NULL) {
            end = p + strlen(p);
        }
        const char *f[6];
        size_t n[6];
        const char *q = p;
        int k = 0;
        while (k < 6 && q <= end) {
            const char *c = memchr(q, ',', (size_t)(end - q));
            if (c == NULL) {
                c = end;
            }
            f[k] = q;
            n[k] = (size_t)(c - q);
            k++;
            q = c + 1;
        }
        if (k == 6 && n[0] == strlen(name) && strncmp(f[0], name, n[0]) == 0) {
            field(u.name, sizeof u.name, f[0], n[0]);
            field(u.level, sizeof u.level, f[1], n[1]);
            field(u.auth, sizeof u.auth, f[2], n[2]);
            field(u.auth_pass, sizeof u.auth_pass, f[3], n[3]);
            field(u.priv, sizeof u.priv, f[4], n[4]);
            field(u.priv_pass, sizeof u.priv_pass, f[5], n[5]);
            return u;
        }
        p = *end ? end + 1 : end;
    }
    fprintf(stderr, "harness user %s not found\n", name);
    exit(2);
}

/* Net-SNMP protocol names -> C ABI codes (0: unknown). */
static uint32_t auth_code(const char *n) {
    static const char *names[] = {"MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512"};
    for (uint32_t i = 0; i < 6; i++) {
        if (strcmp(n, names[i]) == 0) {
            return SNMPX_AUTH_MD5 + i;
        }
    }
    return 0;
}

static uint32_t priv_code(const char *n) {
    static const char *names[] = {"DES", "AES", "AES-192", "AES-256", "AES-192-C", "AES-256-C"};
    for (uint32_t i = 0; i < 6; i++) {
        if (strcmp(n, names[i]) == 0) {
            return SNMPX_PRIV_DES + i;
        }
    }
    return 0;
}

/* Hex text -> bytes; returns the length (0 on bad input). */
static size_t unhex(const char *hex, uint8_t *out, size_t cap) {
    size_t n = strlen(hex);
    if (n % 2 != 0 || n / 2 > cap) {
        return 0;
    }
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v = 0;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) {
            return 0;
        }
        out[i] = (uint8_t)v;
    }
    return n / 2;
}

/* A v3 config for a harness user with its pass phrases (override either with non-NULL). */
static snmpx_config *v3_config(const v3user *u, const char *auth_pass, const char *priv_pass) {
    snmpx_config *cfg = NULL;
    CHECK_OK(snmpx_config_new(agent(), &cfg));
    CHECK_OK(snmpx_config_set_version(cfg, SNMPX_SNMP_V3));
    CHECK_OK(snmpx_config_set_security_name(cfg, u->name));
    CHECK_OK(snmpx_config_set_timeout(cfg, 2.0));
    CHECK_OK(snmpx_config_set_retries(cfg, 2));
    if (u->auth[0]) {
        const char *a = auth_pass ? auth_pass : u->auth_pass;
        CHECK_OK(snmpx_config_set_auth(cfg, auth_code(u->auth), (const uint8_t *)a, strlen(a)));
    }
    if (u->priv[0]) {
        const char *x = priv_pass ? priv_pass : u->priv_pass;
        CHECK_OK(snmpx_config_set_priv(cfg, priv_code(u->priv), (const uint8_t *)x, strlen(x)));
    }
    return cfg;
}

static snmpx_session *open_cfg(snmpx_config *cfg) {
    snmpx_session *s = NULL;
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

static const snmpx_varbind *vb_at(const snmpx_response *r, size_t i) {
    const snmpx_varbind *vb = NULL;
    CHECK_OK(snmpx_response_varbind(r, i, &vb));
    return vb;
}

/* sysName.0 through the session equals the harness's value. */
static int get_sys_name(snmpx_session *s) {
    const char *oids[] = {SYS_NAME_0};
    snmpx_response *r = NULL;
    snmpx_error *err = NULL;
    snmpx_result rc = snmpx_session_get(s, oids, 1, &r, &err);
    if (rc != SNMPX_OK) {
        const char *m = "";
        snmpx_error_message(err, &m);
        fprintf(stderr, "get failed: %s\n", m);
        snmpx_error_free(err);
        return 0;
    }
    int ok = strcmp(str_value(vb_at(r, 0)), env_or("SNMPX_TEST_SYS_NAME", "?")) == 0;
    snmpx_response_free(r);
    return ok;
}

/* The code and message of a failed get of sysName.0. */
static snmpx_result failed_get(snmpx_session *s, char *msg, size_t cap) {
    const char *oids[] = {SYS_NAME_0};
    snmpx_response *r = NULL;
    snmpx_error *err = NULL;
    snmpx_result rc = snmpx_session_get(s, oids, 1, &r, &err);
    CHECK(rc != SNMPX_OK && r == NULL && err != NULL);
    msg[0] = '\0';
    if (err != NULL) {
        const char *m = "";
        uint32_t code = 0;
        CHECK_OK(snmpx_error_message(err, &m));
        CHECK_OK(snmpx_error_code(err, &code));
        CHECK(code == rc);
        snprintf(msg, cap, "%s", m);
        snmpx_error_free(err);
    }
    return rc;
}

static size_t walk_len(snmpx_session *s, int bulk) {
    const char *oids[] = {SYSTEM};
    snmpx_response *r = NULL;
    snmpx_result rc = bulk ? snmpx_session_bulk_walk(s, oids, 1, &r, NULL)
                           : snmpx_session_walk(s, oids, 1, &r, NULL);
    CHECK_OK(rc);
    size_t n = 0;
    if (rc == SNMPX_OK) {
        CHECK_OK(snmpx_response_varbind_count(r, &n));
        snmpx_response_free(r);
    }
    return n;
}

/* get, get_next, get_bulk, walk, bulk_walk and set on one session. */
static void exercise(snmpx_session *s, const char *label) {
    fprintf(stderr, "   %s\n", label);
    CHECK(get_sys_name(s));

    const char *next[] = {"1.3.6.1.2.1.1.1"};
    snmpx_response *r = NULL;
    CHECK_OK(snmpx_session_get_next(s, next, 1, &r, NULL));
    if (r != NULL) {
        CHECK(strcmp(str_value(vb_at(r, 0)), env_or("SNMPX_TEST_SYS_DESCR", "?")) == 0);
        snmpx_response_free(r);
        r = NULL;
    }
    const char *bulk[] = {SYSTEM};
    CHECK_OK(snmpx_session_get_bulk(s, 0, 4, bulk, 1, &r, NULL));
    size_t n = 0;
    if (r != NULL) {
        CHECK_OK(snmpx_response_varbind_count(r, &n));
        CHECK(n == 4);
        snmpx_response_free(r);
        r = NULL;
    }

    size_t w = walk_len(s, 0);
    CHECK(w >= 8);
    CHECK(walk_len(s, 1) == w);

    char value[96];
    snprintf(value, sizeof value, "snmpx C v3 test %s", label);
    snmpx_request *req = NULL;
    CHECK_OK(snmpx_request_new(SNMPX_REQ_SET, &req));
    CHECK_OK(snmpx_request_add_oid(req, SYS_CONTACT_0));
    CHECK_OK(snmpx_request_value_bytes(req, SNMPX_TYPE_OCTET_STRING, (const uint8_t *)value,
                                       strlen(value)));
    CHECK_OK(snmpx_session_execute(s, req, &r, NULL));
    snmpx_request_free(req);
    if (r != NULL) {
        int32_t status = -1;
        CHECK_OK(snmpx_response_error_status(r, &status));
        CHECK(status == SNMPX_ERRSTAT_NO_ERROR);
        snmpx_response_free(r);
        r = NULL;
    }
    const char *contact[] = {SYS_CONTACT_0};
    CHECK_OK(snmpx_session_get(s, contact, 1, &r, NULL));
    if (r != NULL) {
        CHECK(strcmp(str_value(vb_at(r, 0)), value) == 0);
        snmpx_response_free(r);
    }
}

static void auth_priv_pairs(void) {
    const char *users[] = {"noauth",          "auth_sha384",         "priv_md5_des",
                           "priv_sha_aes",    "priv_sha256_aes256", "priv_sha512_aes256c",
                           "priv_sha224_aes192"};
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
        v3user u = user(users[i]);
        snmpx_session *s = open_cfg(v3_config(&u, NULL, NULL));
        if (s != NULL) {
            exercise(s, u.name);
        }
        snmpx_session_free(s);
    }
}

static void explicit_level_and_context(void) {
    v3user u = user("priv_sha_aes");
    /* An explicit level and an explicit (empty, the default) context name. */
    snmpx_config *cfg = v3_config(&u, NULL, NULL);
    CHECK_OK(snmpx_config_set_security_level(cfg, SNMPX_SEC_AUTH_PRIV));
    CHECK_OK(snmpx_config_set_context_name(cfg, (const uint8_t *)"", 0));
    snmpx_session *s = open_cfg(cfg);
    CHECK(get_sys_name(s));
    snmpx_session_free(s);

    /* The agent has only the default context: Net-SNMP 5.9 drops a request for another one
       without a report (snmpget -n times out too), so the call times out. */
    cfg = v3_config(&u, NULL, NULL);
    CHECK_OK(snmpx_config_set_context_name(cfg, (const uint8_t *)"nosuchctx", 9));
    CHECK_OK(snmpx_config_set_timeout(cfg, 0.3));
    CHECK_OK(snmpx_config_set_retries(cfg, 0));
    s = open_cfg(cfg);
    char m[512];
    CHECK_RC(failed_get(s, m, sizeof m), SNMPX_E_TIMEOUT);
    snmpx_session_free(s);

    /* Level above the secrets: usage error at open, nothing sent. */
    v3user a = user("auth_sha");
    cfg = v3_config(&a, NULL, NULL);
    CHECK_OK(snmpx_config_set_security_level(cfg, SNMPX_SEC_AUTH_PRIV));
    s = NULL;
    CHECK_RC(snmpx_session_open(cfg, &s, NULL), SNMPX_E_USAGE);
    CHECK(s == NULL);
    snmpx_config_free(cfg);
}

static void wrong_credentials(void) {
    char m[512];
    const char *bad = "Wr0ng-pass-phrase";
    /* Wrong authentication pass phrase: the agent's usmStatsWrongDigests report. */
    const char *auth_users[] = {"auth_md5", "priv_sha_aes", "priv_sha512_aes256c"};
    for (size_t i = 0; i < 3; i++) {
        v3user u = user(auth_users[i]);
        snmpx_session *s = open_cfg(v3_config(&u, bad, NULL));
        CHECK_RC(failed_get(s, m, sizeof m), SNMPX_E_V3_AUTHENTICATION);
        CHECK(strstr(m, bad) == NULL && strstr(m, u.auth_pass) == NULL);
        snmpx_session_free(s);
    }
    /* Wrong privacy pass phrase: Net-SNMP drops what it cannot decrypt, so a timeout. */
    v3user u = user("priv_sha256_aes256");
    snmpx_config *cfg = v3_config(&u, NULL, bad);
    CHECK_OK(snmpx_config_set_timeout(cfg, 0.3));
    CHECK_OK(snmpx_config_set_retries(cfg, 1));
    snmpx_session *s = open_cfg(cfg);
    CHECK_RC(failed_get(s, m, sizeof m), SNMPX_E_TIMEOUT);
    CHECK(strstr(m, bad) == NULL && strstr(m, u.priv_pass) == NULL);
    snmpx_session_free(s);

    /* Unknown user; a user asked for a level it does not have. */
    v3user ghost = u;
    snprintf(ghost.name, sizeof ghost.name, "nosuchuser");
    s = open_cfg(v3_config(&ghost, NULL, NULL));
    CHECK_RC(failed_get(s, m, sizeof m), SNMPX_E_V3_UNKNOWN_USER);
    snmpx_session_free(s);
    v3user noauth = user("noauth");
    cfg = v3_config(&noauth, NULL, NULL);
    CHECK_OK(snmpx_config_set_auth(cfg, SNMPX_AUTH_SHA1, (const uint8_t *)bad, strlen(bad)));
    s = open_cfg(cfg);
    CHECK_RC(failed_get(s, m, sizeof m), SNMPX_E_V3_UNSUPPORTED_LEVEL);
    snmpx_session_free(s);
}

static void keys_and_engine(void) {
    v3user u = user("priv_sha_aes");
    uint8_t engine[32], ak[64], pk[64];
    size_t engine_len = unhex(env_or("SNMPX_TEST_ENGINE_ID", ""), engine, sizeof engine);
    CHECK(engine_len >= 5);
    /* Master keys Ku (RFC 3414 A.2.1, SHA-1 of 1 MiB of the repeated pass phrase), computed
       offline for this user's fixed pass phrases. */
    size_t akl = unhex("e3a127169cc72ac7d7d84c21d4308024a05bd5e5", ak, sizeof ak);
    size_t pkl = unhex("d4bba51d6368e12b1508b128114e2a4581e95221", pk, sizeof pk);
    snmpx_config *cfg = NULL;
    CHECK_OK(snmpx_config_new(agent(), &cfg));
    CHECK_OK(snmpx_config_set_version(cfg, SNMPX_SNMP_V3));
    CHECK_OK(snmpx_config_set_security_name(cfg, u.name));
    CHECK_OK(snmpx_config_set_auth_master_key(cfg, SNMPX_AUTH_SHA1, ak, akl));
    CHECK_OK(snmpx_config_set_priv_master_key(cfg, SNMPX_PRIV_AES128, pk, pkl));
    snmpx_session *s = open_cfg(cfg);
    CHECK(get_sys_name(s));
    snmpx_session_free(s);

    /* Localized keys (exported by the launcher for this agent's engine) + the engine ID. */
    const char *lk = env_or("SNMPX_TEST_LOCALIZED_KEYS", "");
    const char *c1 = strchr(lk, ',');
    const char *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
    CHECK(c1 != NULL && c2 != NULL);
    if (c1 == NULL || c2 == NULL) {
        return;
    }
    char ahex[200], phex[200];
    snprintf(ahex, sizeof ahex, "%.*s", (int)(c2 - c1 - 1), c1 + 1);
    snprintf(phex, sizeof phex, "%s", c2 + 1);
    akl = unhex(ahex, ak, sizeof ak);
    pkl = unhex(phex, pk, sizeof pk);
    CHECK(akl == 20 && pkl == 20);
    CHECK_OK(snmpx_config_new(agent(), &cfg));
    CHECK_OK(snmpx_config_set_version(cfg, SNMPX_SNMP_V3));
    CHECK_OK(snmpx_config_set_security_name(cfg, u.name));
    CHECK_OK(snmpx_config_set_auth_key(cfg, SNMPX_AUTH_SHA1, ak, akl));
    CHECK_OK(snmpx_config_set_priv_key(cfg, SNMPX_PRIV_AES128, pk, pkl));
    CHECK_OK(snmpx_config_set_security_engine_id(cfg, engine, engine_len));
    CHECK_OK(snmpx_config_set_context_engine_id(cfg, engine, engine_len));
    /* Stale boots/time: the agent's notInTimeWindow report resynchronises once. */
    CHECK_OK(snmpx_config_set_engine_boots_time(cfg, 0, 0));
    s = open_cfg(cfg);
    CHECK(get_sys_name(s));
    snmpx_session_free(s);

    /* A security engine ID the agent does not have. */
    cfg = v3_config(&u, NULL, NULL);
    uint8_t wrong[] = {0x80, 0x00, 0x1f, 0x88, 0x04, 'n', 'o', 'p', 'e'};
    CHECK_OK(snmpx_config_set_security_engine_id(cfg, wrong, sizeof wrong));
    CHECK_OK(snmpx_config_set_timeout(cfg, 0.5));
    CHECK_OK(snmpx_config_set_retries(cfg, 1));
    s = open_cfg(cfg);
    char m[512];
    snmpx_result rc = failed_get(s, m, sizeof m);
    CHECK(rc == SNMPX_E_V3_UNKNOWN_ENGINE_ID);
    if (rc != SNMPX_E_V3_UNKNOWN_ENGINE_ID) {
        fprintf(stderr, "wrong engine ID: %u %s\n", (unsigned)rc, m);
    }
    snmpx_session_free(s);
}

/* Opens a session from an argument vector and reads sysName.0 through its OID argument. */
static void argv_session(const char **argv, size_t argc) {
    snmpx_config *cfg = NULL;
    size_t next = 0;
    snmpx_error *err = NULL;
    snmpx_result rc = snmpx_config_from_argv(argv, argc, &cfg, &next, &err);
    CHECK_OK(rc);
    if (rc != SNMPX_OK) {
        const char *m = "";
        snmpx_error_message(err, &m);
        fprintf(stderr, "argv: %s\n", m);
        snmpx_error_free(err);
        return;
    }
    CHECK(next == argc - 1 && strcmp(argv[next], SYS_NAME_0) == 0);
    snmpx_session *s = open_cfg(cfg);
    snmpx_response *r = NULL;
    CHECK_OK(snmpx_session_get(s, &argv[next], 1, &r, NULL));
    if (r != NULL) {
        CHECK(strcmp(str_value(vb_at(r, 0)), env_or("SNMPX_TEST_SYS_NAME", "?")) == 0);
        snmpx_response_free(r);
    }
    snmpx_session_free(s);
}

static void argv_forms(void) {
    v3user u = user("priv_sha_aes");
    const char *full[] = {"snmpget", "-v3",    "-l", "authPriv", "-u", u.name,  "-a",
                          "SHA",     "-A",     u.auth_pass,       "-x", "AES", "-X",
                          u.priv_pass, agent(), SYS_NAME_0};
    argv_session(full, sizeof full / sizeof full[0]);

    /* Lower-case names, attached values, -3 forms. */
    char l[40], usr[80], a[120];
    snprintf(l, sizeof l, "-lauthpriv");
    snprintf(usr, sizeof usr, "-3u%s", u.name);
    snprintf(a, sizeof a, "-A%s", u.auth_pass);
    const char *mixed[] = {"snmpwalk", l,    usr,        "-3a=sha", a,       "-x",
                           "aes",      "-3X", u.priv_pass, "-t",      "2",     agent(),
                           SYS_NAME_0};
    argv_session(mixed, sizeof mixed / sizeof mixed[0]);

    /* Master keys (-3m/-3M), and localized keys (-3k/-3K) with the engine ID (-e). */
    const char *master[] = {"snmpget", "-v3", "-l",  "ap", "-u", u.name, "-a", "SHA", "-3m",
                            "0xe3a127169cc72ac7d7d84c21d4308024a05bd5e5", "-x", "AES", "-3M",
                            "d4bba51d6368e12b1508b128114e2a4581e95221", agent(), SYS_NAME_0};
    argv_session(master, sizeof master / sizeof master[0]);
    const char *lk = env_or("SNMPX_TEST_LOCALIZED_KEYS", "");
    const char *c1 = strchr(lk, ',');
    const char *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
    if (c1 != NULL && c2 != NULL) {
        char ak[200], pk[200];
        snprintf(ak, sizeof ak, "%.*s", (int)(c2 - c1 - 1), c1 + 1);
        snprintf(pk, sizeof pk, "%s", c2 + 1);
        const char *localized[] = {"snmpget", "-v3", "-l",  "authPriv", "-u", u.name,
                                   "-a",      "SHA", "-3k", ak,         "-x", "AES",
                                   "-3K",     pk,    "-e",  env_or("SNMPX_TEST_ENGINE_ID", ""),
                                   agent(),   SYS_NAME_0};
        argv_session(localized, sizeof localized / sizeof localized[0]);
    }
    v3user n = user("noauth");
    const char *noauth[] = {"snmpget", "-v", "3", "-u", n.name, agent(), SYS_NAME_0};
    argv_session(noauth, sizeof noauth / sizeof noauth[0]);

    /* Errors: typed, and never quoting a secret. */
    snmpx_config *cfg = NULL;
    size_t next = 0;
    snmpx_error *err = NULL;
    const char *m = NULL;
    const char *shortpw[] = {"snmpget", "-v3", "-u", "x", "-a", "MD5", "-A", "S3cr3t!", agent()};
    CHECK_RC(snmpx_config_from_argv(shortpw, 9, &cfg, &next, &err), SNMPX_E_USAGE);
    CHECK(cfg == NULL);
    CHECK_OK(snmpx_error_message(err, &m));
    CHECK(strstr(m, "S3cr3t!") == NULL && strstr(m, "8") != NULL);
    snmpx_error_free(err);
    err = NULL;
    const char *badkey[] = {"snmpget", "-v3", "-u", "x", "-3k", "0xdeadbeefZZ", agent()};
    CHECK_RC(snmpx_config_from_argv(badkey, 7, &cfg, &next, &err), SNMPX_E_USAGE);
    CHECK_OK(snmpx_error_message(err, &m));
    CHECK(strstr(m, "deadbeef") == NULL);
    snmpx_error_free(err);
    const char *badproto[] = {"snmpget", "-v3", "-u", "x", "-a", "SHA2", agent()};
    CHECK_RC(snmpx_config_from_argv(badproto, 7, &cfg, &next, NULL), SNMPX_E_USAGE);
    const char *badlevel[] = {"snmpget", "-v3", "-u", "x", "-l", "secure", agent()};
    CHECK_RC(snmpx_config_from_argv(badlevel, 7, &cfg, &next, NULL), SNMPX_E_USAGE);
    const char *badopt[] = {"snmpget", "-v3", "-3y", "x", agent()};
    CHECK_RC(snmpx_config_from_argv(badopt, 5, &cfg, &next, NULL), SNMPX_E_USAGE);
    /* Wrong pass phrase through argv: the same typed code as through the setters. */
    const char *wrong[] = {"snmpget", "-v3", "-l", "authNoPriv", "-u", "auth_sha256", "-a",
                           "SHA-256", "-A", "not-the-pass-phrase", agent(), SYS_NAME_0};
    CHECK_OK(snmpx_config_from_argv(wrong, 12, &cfg, &next, NULL));
    snmpx_session *s = open_cfg(cfg);
    char msg[512];
    CHECK_RC(failed_get(s, msg, sizeof msg), SNMPX_E_V3_AUTHENTICATION);
    snmpx_session_free(s);
}

static void setter_validation(void) {
    snmpx_config *cfg = NULL;
    CHECK_OK(snmpx_config_new(agent(), &cfg));
    const uint8_t pw[] = "12345678";
    uint8_t big[40];
    memset(big, 'x', sizeof big);
    CHECK_RC(snmpx_config_set_auth(cfg, SNMPX_AUTH_SHA1, pw, 7), SNMPX_E_USAGE);
    CHECK_RC(snmpx_config_set_auth(cfg, SNMPX_AUTH_SHA1, pw, 0), SNMPX_E_USAGE);
    CHECK_RC(snmpx_config_set_priv(cfg, SNMPX_PRIV_AES128, pw, 7), SNMPX_E_USAGE);
    CHECK_RC(snmpx_config_set_auth(cfg, 0, pw, 8), SNMPX_E_INVALID);
    CHECK_RC(snmpx_config_set_auth(cfg, 7, pw, 8), SNMPX_E_INVALID);
    CHECK_RC(snmpx_config_set_priv(cfg, 8, pw, 8), SNMPX_E_INVALID);
    CHECK_RC(snmpx_config_set_auth_key(cfg, 9, pw, 8), SNMPX_E_INVALID);
    CHECK_RC(snmpx_config_set_priv_key(cfg, 0, pw, 8), SNMPX_E_INVALID);
    CHECK_RC(snmpx_config_set_auth_key(cfg, SNMPX_AUTH_MD5, pw, 0), SNMPX_E_USAGE);
    CHECK_RC(snmpx_config_set_auth_master_key(cfg, SNMPX_AUTH_MD5, pw, 0), SNMPX_E_USAGE);
    CHECK_RC(snmpx_config_set_priv_master_key(cfg, 99, pw, 8), SNMPX_E_INVALID);
    CHECK_RC(snmpx_config_set_security_level(cfg, 0), SNMPX_E_INVALID);
    CHECK_RC(snmpx_config_set_security_level(cfg, 4), SNMPX_E_INVALID);
    CHECK_RC(snmpx_config_set_security_name(cfg, ""), SNMPX_E_USAGE);
    CHECK_RC(snmpx_config_set_security_name(cfg, "a-user-name-longer-than-32-octets"),
             SNMPX_E_USAGE);
    CHECK_RC(snmpx_config_set_security_engine_id(cfg, big, 4), SNMPX_E_USAGE);
    CHECK_RC(snmpx_config_set_security_engine_id(cfg, big, 33), SNMPX_E_USAGE);
    CHECK_RC(snmpx_config_set_context_engine_id(cfg, big, 0), SNMPX_E_USAGE);
    CHECK_RC(snmpx_config_set_context_name(cfg, big, 33), SNMPX_E_USAGE);
    CHECK_RC(snmpx_config_set_engine_boots_time(cfg, 0x80000000u, 0), SNMPX_E_USAGE);
    CHECK_RC(snmpx_config_set_engine_boots_time(cfg, 0, 0x80000000u), SNMPX_E_USAGE);
    /* Every accepted value. */
    CHECK_OK(snmpx_config_set_security_engine_id(cfg, big, 5));
    CHECK_OK(snmpx_config_set_security_engine_id(cfg, big, 32));
    CHECK_OK(snmpx_config_set_context_name(cfg, big, 32));
    CHECK_OK(snmpx_config_set_engine_boots_time(cfg, 0x7fffffffu, 0x7fffffffu));
    CHECK_OK(snmpx_config_set_auth(cfg, SNMPX_AUTH_SHA512, pw, 8));
    CHECK_OK(snmpx_config_set_priv(cfg, SNMPX_PRIV_3DES, pw, 8));

    /* SNMPv3 options on a v2c config, and v3 without a user: usage errors at open. */
    snmpx_session *s = NULL;
    snmpx_error *err = NULL;
    CHECK_RC(snmpx_session_open(cfg, &s, &err), SNMPX_E_USAGE);
    CHECK(s == NULL);
    snmpx_error_free(err);
    CHECK_OK(snmpx_config_set_version(cfg, SNMPX_SNMP_V3));
    CHECK_RC(snmpx_session_open(cfg, &s, NULL), SNMPX_E_USAGE);
    CHECK_OK(snmpx_config_set_security_name(cfg, "bob"));
    CHECK_OK(snmpx_session_open(cfg, &s, NULL));
    snmpx_session_free(s);
    /* A localized key of the wrong length for its protocol. */
    CHECK_OK(snmpx_config_set_auth_key(cfg, SNMPX_AUTH_SHA256, big, 20));
    s = NULL;
    CHECK_RC(snmpx_session_open(cfg, &s, NULL), SNMPX_E_USAGE);
    snmpx_config_free(cfg);
}

/* One authPriv session shared by threads (blocking gets) while a completion queue takes
   asynchronous requests on the same session. */
typedef struct {
    snmpx_session *s;
    int ok;
} worker;

static void *worker_main(void *arg) {
    worker *w = arg;
    for (int i = 0; i < 25; i++) {
        w->ok += get_sys_name(w->s);
    }
    return NULL;
}

static void shared_session(void) {
    v3user u = user("priv_sha256_aes256");
    snmpx_config *cfg = v3_config(&u, NULL, NULL);
    CHECK_OK(snmpx_config_set_max_in_flight(cfg, 16));
    snmpx_session *s = open_cfg(cfg);
    if (s == NULL) {
        return;
    }
    enum { THREADS = 8, ASYNC = 64 };
    pthread_t t[THREADS];
    worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i].s = s;
        w[i].ok = 0;
        CHECK(pthread_create(&t[i], NULL, worker_main, &w[i]) == 0);
    }
    snmpx_cq *q = NULL;
    CHECK_OK(snmpx_cq_new(&q));
    snmpx_request *req = NULL;
    CHECK_OK(snmpx_request_new(SNMPX_REQ_GET, &req));
    CHECK_OK(snmpx_request_add_oid(req, SYS_DESCR_0));
    for (uint64_t i = 0; i < ASYNC; i++) {
        uint64_t id = 0;
        CHECK_OK(snmpx_session_submit_cq(s, req, q, i + 1, &id, NULL));
    }
    snmpx_request_free(req);
    int async_ok = 0, got = 0;
    for (int round = 0; round < 200 && got < ASYNC; round++) {
        snmpx_completion *c[16];
        size_t n = 0;
        CHECK_OK(snmpx_cq_wait(q, 0.5, c, 16, &n));
        for (size_t i = 0; i < n; i++) {
            uint32_t code = 99;
            CHECK_OK(snmpx_completion_result(c[i], &code));
            const snmpx_response *r = NULL;
            if (code == SNMPX_OK && snmpx_completion_response(c[i], &r) == SNMPX_OK &&
                strcmp(str_value(vb_at(r, 0)), env_or("SNMPX_TEST_SYS_DESCR", "?")) == 0) {
                async_ok++;
            }
            snmpx_completion_free(c[i]);
            got++;
        }
    }
    int blocking_ok = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        blocking_ok += w[i].ok;
    }
    CHECK(blocking_ok == THREADS * 25);
    CHECK(async_ok == ASYNC);
    snmpx_cq_free(q);
    snmpx_session_free(s);
}

int main(void) {
    if (snmpx_init() != SNMPX_OK) {
        fprintf(stderr, "snmpx_init failed\n");
        return 1;
    }
    RUN(auth_priv_pairs);
    RUN(explicit_level_and_context);
    RUN(wrong_credentials);
    RUN(keys_and_engine);
    RUN(argv_forms);
    RUN(setter_validation);
    RUN(shared_session);
    CHECK_OK(snmpx_shutdown());
    if (snmpx_live_handles() != 0) {
        fprintf(stderr, "leak: %zu handles still alive\n", snmpx_live_handles());
        h_failed++;
    }
    return h_finish();
}
