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

/* The outputs of snmpxgo_submit, plain integers: Go passes the address of one on its stack
 * without a cgo pointer check. */
typedef struct {
    uint64_t request_id;
    int64_t bad;  /* on failure: the index of the object or value refused, or -1 */
    uintptr_t err; /* on failure: an snmpx_error * with details, or 0 (snmpxgo_error_at) */
} snmpxgo_submit_out;

/* Builds a request of `kind` from `objs` (and `vals` for SET, one per object; NULL
 * otherwise; GetBulk parameters when `bulk` is non-zero), submits it to `queue` with `tag`
 * and frees it. The session and the queue are passed as integers (their addresses) so that
 * the call, made once per request, carries no pointer cgo must check. */
snmpx_result snmpxgo_submit(uintptr_t session, uintptr_t queue, uint32_t kind,
                            const snmpxgo_obj *objs, size_t nobjs, const snmpxgo_val *vals,
                            const uint32_t *arcs, const char *data, uint32_t bulk,
                            uint32_t non_repeaters, uint32_t max_repetitions, uint64_t tag,
                            snmpxgo_submit_out *out);

/* The snmpx_error at `addr` (snmpxgo_submit_out.err), as a pointer. */
snmpx_error *snmpxgo_error_at(uintptr_t addr);

/* Bit of a submission tag that asks snmpxgo_take for each varbind's text rendering. */
#define SNMPXGO_TAG_FORMAT ((uint64_t)1 << 63)

/* A batch of outcomes taken from a queue by snmpxgo_take: `count` completions, the i-th
 * with tag tags[i] and its outcome (layout: snmpxgo.c) in buf[ends[i-1] .. ends[i]) (from 0
 * for the first). The buffer is C memory the Go poller reads in place; it is valid until
 * the next snmpxgo_take on the batch. */
typedef struct {
    uint8_t *buf;
    size_t len;
    size_t cap;
    uint64_t *tags;
    uint32_t *ends;
    size_t count;
    size_t max;
} snmpxgo_batch;

/* A batch of up to `max` completions per take (NULL when out of memory). */
snmpxgo_batch *snmpxgo_batch_new(size_t max);

/* Frees a batch (NULL is a no-op). */
void snmpxgo_batch_free(snmpxgo_batch *b);

/* The Go poller's one call per batch: takes up to b->max completions from `queue`
 * (snmpx_cq_poll_each: no completion handle is allocated) and serialises every outcome
 * into the batch, growing its buffer as needed; b->count may be 0 (the queue was empty). */
snmpx_result snmpxgo_take(const snmpx_cq *queue, snmpxgo_batch *b);

/* Serialises a failed call's error (from an snmpx_error) in the error layout of snmpxgo_take. */
snmpx_result snmpxgo_decode_error(const snmpx_error *err, uint8_t *buf, size_t buf_len,
                                  size_t *len);

#endif
