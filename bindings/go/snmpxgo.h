/* C helpers of the Go package: each turns several C ABI calls into one cgo call (building
 * and submitting a request; draining the completion queue and serialising every outcome
 * of the batch into one flat buffer the Go side parses). They hold no state and call only
 * the public API of include/snmpx.h. */
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

/* Bit of a submission tag that asks snmpxgo_take for each varbind's text rendering. */
#define SNMPXGO_TAG_FORMAT ((uint64_t)1 << 63)

/* The Go poller's one call per batch: takes completions from `queue` and serialises their
 * outcomes (layout: snmpxgo.c) one after another into `buf`, so that the poller reads a
 * whole batch without a further C call per completion.
 *
 * completions[0..*count) are the batch, tags[i] their tags; those before *next are done.
 * When *next == *count, a new batch of up to `capacity` is polled first (*count may become
 * 0: the queue was empty). Then completions from *next on are serialised into buf from
 * offset 0 and freed; ends[i] is the offset where completion i's outcome ends (it starts
 * where the previous one of this call ended, or at 0). It stops at the first outcome that
 * does not fit: *need is its length (else 0); call again with a larger buffer. */
snmpx_result snmpxgo_take(const snmpx_cq *queue, snmpx_completion **completions, uint64_t *tags,
                          size_t capacity, size_t *count, size_t *next, uint8_t *buf,
                          size_t buf_len, uint32_t *ends, size_t *need);

/* Frees completions[next..count) (taken but not serialised, at shutdown). */
void snmpxgo_free_taken(snmpx_completion **completions, size_t count, size_t next);

/* Serialises a failed call's error (from an snmpx_error) in the error layout of snmpxgo_take. */
snmpx_result snmpxgo_decode_error(const snmpx_error *err, uint8_t *buf, size_t buf_len,
                                  size_t *len);

#endif
