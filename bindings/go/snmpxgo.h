/* C helpers of the Go package: each turns several C ABI calls into one cgo call (building
 * and submitting a request, draining the completion queue with tags, serialising an
 * outcome into a flat buffer the Go side parses). They hold no state and call only the
 * public API of include/snmpx.h. */
#ifndef SNMPXGO_H
#define SNMPXGO_H

#include <stddef.h>
#include <stdint.h>

#include "snmpx.h"

/* One object of a request: kind 0 = `len` arcs at arcs[off], kind 1 = text at data[off]
 * (NUL-terminated, `len` bytes before the NUL). */
typedef struct {
    uint32_t kind;
    uint32_t off;
    uint32_t len;
} snmpxgo_obj;

/* One Set value: `type` is a snmpx_value_type; INTEGER and the unsigned types use `num`,
 * OCTET STRING / Opaque / IpAddress the `len` bytes at data[off], OBJECT IDENTIFIER the
 * `len` arcs at arcs[off]. */
typedef struct {
    uint32_t type;
    uint32_t off;
    uint32_t len;
    uint32_t pad;
    uint64_t num;
} snmpxgo_val;

/* Builds a request of `kind` from `objs` (and `vals` for SET, one per object; NULL
 * otherwise; GetBulk parameters when `bulk` is non-zero), submits it to `queue` with `tag`
 * and frees it. On failure `*bad` is the index of the object or value that was refused
 * (or -1), and `*err` may carry details. */
snmpx_result snmpxgo_submit(const snmpx_session *session, const snmpx_cq *queue, uint32_t kind,
                            const snmpxgo_obj *objs, size_t nobjs, const snmpxgo_val *vals,
                            const uint32_t *arcs, const char *data, uint32_t bulk,
                            uint32_t non_repeaters, uint32_t max_repetitions, uint64_t tag,
                            uint64_t *request_id, int64_t *bad, snmpx_error **err);

/* snmpx_cq_poll, then the tag of each completion taken: one call per batch. */
snmpx_result snmpxgo_poll(const snmpx_cq *queue, snmpx_completion **completions,
                          uint64_t *tags, size_t capacity, size_t *count);

/* Serialises a completion's outcome into `buf` (layout: snmpxgo.c); `*len` is the length
 * needed. SNMPX_E_BUFFER_TOO_SMALL when it does not fit (nothing else written; the
 * completion is kept for a retry with a larger buffer). With `format`, each varbind also
 * carries the library's text rendering. On success the completion is freed. */
snmpx_result snmpxgo_decode(snmpx_completion *completion, uint8_t *buf, size_t buf_len,
                            size_t *len, int format);

/* Serialises a failed call's error (from an snmpx_error) the way snmpxgo_decode does. */
snmpx_result snmpxgo_decode_error(const snmpx_error *err, uint8_t *buf, size_t buf_len,
                                  size_t *len);

#endif
