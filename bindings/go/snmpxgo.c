/* C helpers of the Go package (see snmpxgo.h). Layout of one outcome written by
 * snmpxgo_take (and of an error by snmpxgo_decode_error), all integers in native byte
 * order, no padding:
 *
 *   u32 code
 *   code != SNMPX_OK (error):  u32 msg_len, msg bytes; u32 has_status; i32 status;
 *                              u32 index; u32 failed_len, failed_len x u32 arcs
 *   code == SNMPX_OK:          i32 status; u32 index; u32 failed_len, arcs; u32 count;
 *                              count x varbind
 *   varbind:                   u32 oid_len, arcs; u32 type; u32 vkind; payload;
 *                              u32 text_len, text bytes, one NUL byte
 *   payload by vkind:          0 none; 1 i64; 2 u64; 3 u32 len + bytes; 4 u32 len + arcs
 */
#include "snmpxgo.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    uint8_t *buf;
    size_t cap;
    size_t pos; /* keeps counting past cap: the length needed */
} writer;

static void put(writer *w, const void *p, size_t n) {
    if (w->pos + n <= w->cap && n > 0) {
        memcpy(w->buf + w->pos, p, n);
    }
    w->pos += n;
}

static void put_u32(writer *w, uint32_t v) { put(w, &v, sizeof v); }
static void put_i32(writer *w, int32_t v) { put(w, &v, sizeof v); }

static void put_arcs(writer *w, const uint32_t *arcs, size_t len) {
    put_u32(w, (uint32_t)len);
    put(w, arcs, len * sizeof(uint32_t));
}

static const uint8_t empty_bytes[1] = {0};

snmpx_error *snmpxgo_error_at(uintptr_t addr) { return (snmpx_error *)addr; }

snmpx_result snmpxgo_submit(uintptr_t session_addr, uintptr_t queue_addr, uint32_t kind,
                            const snmpxgo_obj *objs, size_t nobjs, const snmpxgo_val *vals,
                            const uint32_t *arcs, const char *data, uint32_t bulk,
                            uint32_t non_repeaters, uint32_t max_repetitions, uint64_t tag,
                            snmpxgo_submit_out *out) {
    const snmpx_session *session = (const snmpx_session *)session_addr;
    const snmpx_cq *queue = (const snmpx_cq *)queue_addr;
    snmpx_request *req = NULL;
    snmpx_error *err = NULL;
    out->request_id = 0;
    out->bad = -1;
    out->err = 0;
    snmpx_result r = snmpx_request_new(kind, &req);
    if (r != SNMPX_OK) {
        return r;
    }
    for (size_t i = 0; i < nobjs; i++) {
        const snmpxgo_obj *o = &objs[i];
        if (o->kind == 0) {
            r = snmpx_request_add_oid_arcs(req, arcs + o->off, o->len);
        } else {
            r = snmpx_request_add_oid(req, data + o->off);
        }
        if (r == SNMPX_OK && vals != NULL) {
            const snmpxgo_val *v = &vals[i];
            const uint8_t *bytes = data != NULL ? (const uint8_t *)data + v->off : empty_bytes;
            switch (v->type) {
            case SNMPX_TYPE_INTEGER:
                r = snmpx_request_value_int(req, (int32_t)(int64_t)v->num);
                break;
            case SNMPX_TYPE_COUNTER32:
            case SNMPX_TYPE_GAUGE32:
            case SNMPX_TYPE_TIMETICKS:
            case SNMPX_TYPE_COUNTER64:
                r = snmpx_request_value_unsigned(req, v->type, v->num);
                break;
            case SNMPX_TYPE_OCTET_STRING:
            case SNMPX_TYPE_OPAQUE:
            case SNMPX_TYPE_IP_ADDRESS:
                r = snmpx_request_value_bytes(req, v->type, bytes, v->len);
                break;
            case SNMPX_TYPE_OBJECT_ID:
                r = snmpx_request_value_oid_arcs(req, arcs + v->off, v->len);
                break;
            default:
                r = SNMPX_E_INVALID;
                break;
            }
        }
        if (r != SNMPX_OK) {
            out->bad = (int64_t)i;
            goto done;
        }
    }
    if (bulk) {
        r = snmpx_request_set_bulk(req, non_repeaters, max_repetitions);
        if (r != SNMPX_OK) {
            goto done;
        }
    }
    r = snmpx_session_submit_cq(session, req, queue, tag, &out->request_id, &err);
    out->err = (uintptr_t)err;
done:
    snmpx_request_free(req);
    return r;
}

static void put_error(writer *w, const snmpx_error *err) {
    const char *msg = NULL;
    if (err == NULL || snmpx_error_message(err, &msg) != SNMPX_OK || msg == NULL) {
        msg = "";
    }
    size_t n = strlen(msg);
    put_u32(w, (uint32_t)n);
    put(w, msg, n);
    int32_t status = 0;
    uint32_t index = 0;
    int has = err != NULL && snmpx_error_agent_status(err, &status, &index) == SNMPX_OK;
    put_u32(w, has ? 1u : 0u);
    put_i32(w, has ? status : 0);
    put_u32(w, has ? index : 0u);
    const uint32_t *arcs = NULL;
    size_t len = 0;
    if (err != NULL && snmpx_error_failed_oid(err, &arcs, &len) == SNMPX_OK) {
        put_arcs(w, arcs, len);
    } else {
        put_u32(w, 0);
    }
}

static void put_text(writer *w, const snmpx_varbind *vb) {
    size_t at = w->pos;
    put_u32(w, 0); /* patched below */
    size_t n = 0;
    size_t start = w->pos;
    char *dst = start < w->cap ? (char *)w->buf + start : NULL;
    size_t avail = start < w->cap ? w->cap - start : 0;
    snmpx_result r = snmpx_varbind_format(vb, dst, avail, &n);
    if (r != SNMPX_OK && r != SNMPX_E_BUFFER_TOO_SMALL) {
        n = 0;
    }
    if (at + 4 <= w->cap) {
        uint32_t n32 = (uint32_t)n;
        memcpy(w->buf + at, &n32, 4);
    }
    w->pos += n + 1; /* the text and its NUL */
}

static void put_varbind(writer *w, const snmpx_varbind *vb, int format) {
    const uint32_t *arcs = NULL;
    size_t len = 0;
    if (snmpx_varbind_oid(vb, &arcs, &len) != SNMPX_OK) {
        len = 0;
    }
    put_arcs(w, arcs, len);
    uint32_t type = 0;
    snmpx_varbind_type(vb, &type);
    put_u32(w, type);
    int64_t i = 0;
    uint64_t u = 0;
    const uint8_t *bytes = NULL;
    const uint32_t *oid = NULL;
    switch (type) {
    case SNMPX_TYPE_INTEGER:
        snmpx_varbind_int64(vb, &i);
        put_u32(w, 1);
        put(w, &i, sizeof i);
        break;
    case SNMPX_TYPE_COUNTER32:
    case SNMPX_TYPE_GAUGE32:
    case SNMPX_TYPE_TIMETICKS:
    case SNMPX_TYPE_COUNTER64:
        snmpx_varbind_uint64(vb, &u);
        put_u32(w, 2);
        put(w, &u, sizeof u);
        break;
    case SNMPX_TYPE_OBJECT_ID:
        if (snmpx_varbind_oid_value(vb, &oid, &len) != SNMPX_OK) {
            len = 0;
        }
        put_u32(w, 4);
        put_arcs(w, oid, len);
        break;
    case SNMPX_TYPE_NULL:
    case SNMPX_TYPE_NO_SUCH_OBJECT:
    case SNMPX_TYPE_NO_SUCH_INSTANCE:
    case SNMPX_TYPE_END_OF_MIB_VIEW:
        put_u32(w, 0);
        break;
    default: /* OCTET STRING, Opaque, IpAddress and uninterpreted tags */
        if (snmpx_varbind_bytes(vb, &bytes, &len) == SNMPX_OK) {
            put_u32(w, 3);
            put_u32(w, (uint32_t)len);
            put(w, bytes, len);
        } else {
            put_u32(w, 0);
        }
        break;
    }
    if (format) {
        put_text(w, vb);
    } else {
        put_u32(w, 0);
        w->pos += 1;
    }
}

/* Serialises one completion's outcome into w (it must be live; it is not freed here). */
static void put_outcome(writer *w, const snmpx_completion *completion, int format) {
    uint32_t code = 0;
    if (snmpx_completion_result(completion, &code) != SNMPX_OK) {
        put_u32(w, SNMPX_E_PANIC);
        put_error(w, NULL);
        return;
    }
    const snmpx_response *resp = NULL;
    if (code == SNMPX_OK && snmpx_completion_response(completion, &resp) != SNMPX_OK) {
        put_u32(w, SNMPX_E_PANIC);
        put_error(w, NULL);
        return;
    }
    put_u32(w, code);
    if (code != SNMPX_OK) {
        const snmpx_error *err = NULL;
        if (snmpx_completion_error(completion, &err) != SNMPX_OK) {
            err = NULL;
        }
        put_error(w, err);
        return;
    }
    int32_t status = 0;
    uint32_t index = 0;
    snmpx_response_error_status(resp, &status);
    snmpx_response_error_index(resp, &index);
    put_i32(w, status);
    put_u32(w, index);
    const uint32_t *arcs = NULL;
    size_t alen = 0;
    if (snmpx_response_failed_oid(resp, &arcs, &alen) == SNMPX_OK) {
        put_arcs(w, arcs, alen);
    } else {
        put_u32(w, 0);
    }
    size_t count = 0;
    snmpx_response_varbind_count(resp, &count);
    size_t at = w->pos;
    put_u32(w, 0); /* the count, patched below with the varbinds actually written */
    uint32_t written = 0;
    for (size_t k = 0; k < count; k++) {
        const snmpx_varbind *vb = NULL;
        if (snmpx_response_varbind(resp, k, &vb) != SNMPX_OK) {
            break;
        }
        put_varbind(w, vb, format);
        written++;
    }
    if (at + 4 <= w->cap) {
        memcpy(w->buf + at, &written, 4);
    }
}

/* The serialisation buffer a batch starts with, and the most it keeps between batches. */
#define BATCH_BUF_INITIAL ((size_t)64 << 10)
#define BATCH_BUF_KEEP ((size_t)256 << 10)

snmpxgo_batch *snmpxgo_batch_new(size_t max) {
    snmpxgo_batch *b = calloc(1, sizeof *b);
    if (b == NULL) {
        return NULL;
    }
    b->buf = malloc(BATCH_BUF_INITIAL);
    b->tags = calloc(max, sizeof *b->tags);
    b->ends = calloc(max, sizeof *b->ends);
    if (b->buf == NULL || b->tags == NULL || b->ends == NULL) {
        snmpxgo_batch_free(b);
        return NULL;
    }
    b->cap = BATCH_BUF_INITIAL;
    b->max = max;
    return b;
}

void snmpxgo_batch_free(snmpxgo_batch *b) {
    if (b == NULL) {
        return;
    }
    free(b->buf);
    free(b->tags);
    free(b->ends);
    free(b);
}

/* snmpx_cq_poll_each's visitor: appends one outcome to the batch, growing its buffer. An
 * outcome that cannot be stored (out of memory, or past 4 GiB of offsets) is left empty,
 * which the Go decoder reports as a malformed completion: its waiter gets an error. */
static void take_one(void *user, snmpx_completion *completion) {
    snmpxgo_batch *b = user;
    if (b->count >= b->max) {
        return; /* not reached: the poll takes at most b->max */
    }
    uint64_t tag = 0;
    snmpx_completion_tag(completion, &tag);
    int format = (tag & SNMPXGO_TAG_FORMAT) != 0;
    writer w = {b->buf + b->len, b->cap - b->len, 0};
    put_outcome(&w, completion, format);
    if (w.pos > w.cap) {
        size_t need = b->len + w.pos;
        size_t cap = b->cap * 2 > need ? b->cap * 2 : need;
        uint8_t *grown = need <= UINT32_MAX ? realloc(b->buf, cap) : NULL;
        if (grown != NULL) {
            b->buf = grown;
            b->cap = cap;
            w = (writer){b->buf + b->len, b->cap - b->len, 0};
            put_outcome(&w, completion, format);
        } else {
            w.pos = 0;
        }
    }
    if (b->len + w.pos > UINT32_MAX) {
        w.pos = 0;
    }
    b->len += w.pos;
    b->tags[b->count] = tag;
    b->ends[b->count] = (uint32_t)b->len;
    b->count++;
}

snmpx_result snmpxgo_take(const snmpx_cq *queue, snmpxgo_batch *b) {
    b->len = 0;
    b->count = 0;
    if (b->cap > BATCH_BUF_KEEP) { /* grown for a large outcome: give the memory back */
        uint8_t *small = realloc(b->buf, BATCH_BUF_INITIAL);
        if (small != NULL) {
            b->buf = small;
            b->cap = BATCH_BUF_INITIAL;
        }
    }
    size_t n = 0;
    return snmpx_cq_poll_each(queue, b->max, take_one, b, &n);
}

snmpx_result snmpxgo_decode_error(const snmpx_error *err, uint8_t *buf, size_t buf_len,
                                  size_t *len) {
    writer w = {buf, buf_len, 0};
    uint32_t code = SNMPX_E_PANIC;
    if (err != NULL) {
        snmpx_error_code(err, &code);
    }
    put_u32(&w, code);
    put_error(&w, err);
    *len = w.pos;
    return w.pos <= buf_len ? SNMPX_OK : SNMPX_E_BUFFER_TOO_SMALL;
}
