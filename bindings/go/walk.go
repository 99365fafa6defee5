package snmpx

import (
	"context"
	"iter"
)

// WalkSeq walks root's subtree with GetNext and yields each binding as its page
// arrives, so memory stays flat for any table size. Stop early by breaking out of the
// loop. A failure is yielded once, as the last element, with a zero VarBind:
//
//	for vb, err := range s.WalkSeq(ctx, snmpx.Name("IF-MIB::ifDescr")) {
//		if err != nil { return err }
//		use(vb)
//	}
//
// The rules are the library's walk's: the walk ends at the first binding outside the
// subtree or with an exception value (RFC 3416 §4.2.2), or at noSuchName on SNMPv1
// (RFC 1157 §4.1.3); another error-status fails with CodeAgent; an OID not after the
// previous one fails with ErrNotIncreasing (unless Config.AllowNonIncreasing, and never
// for an equal OID); Config.WalkMaxRequests bounds the requests. A root with nothing
// under it is read with Get and yielded unless it is an exception (as snmpwalk does).
//
// The C library's own streaming walk (snmpx_walk_next) blocks its calling thread for a
// whole round trip, so this one is built from GetNext/GetBulk requests on the completion
// queue like every other call. A Name root costs one extra Get to learn its OID (the C
// ABI has no name-to-OID function).
func (s *Session) WalkSeq(ctx context.Context, root Object) iter.Seq2[VarBind, error] {
	return s.walkSeq(ctx, root, false)
}

// BulkWalkSeq is WalkSeq with GetBulk requests of Config.MaxRepetitions (halved when the
// agent answers tooBig). Not on SNMPv1.
func (s *Session) BulkWalkSeq(ctx context.Context, root Object) iter.Seq2[VarBind, error] {
	return s.walkSeq(ctx, root, true)
}

func (s *Session) walkSeq(ctx context.Context, root Object, bulk bool) iter.Seq2[VarBind, error] {
	return func(yield func(VarBind, error) bool) {
		base, err := s.resolve(ctx, root)
		if err != nil {
			yield(VarBind{}, err)
			return
		}
		if bulk && s.cfg.Version == V1 {
			yield(VarBind{}, newError(CodeUsage, "GetBulk is not available on SNMPv1"))
			return
		}
		reps := s.cfg.MaxRepetitions
		if reps == 0 {
			reps = 10 // the library's default max-repetitions
		}
		last := base
		found := 0
		var requests uint64
		for {
			if lim := s.cfg.WalkMaxRequests; lim > 0 && requests >= lim {
				yield(VarBind{}, newError(CodeLimit, "walk issued its maximum of requests"))
				return
			}
			requests++
			objs := []Object{last}
			b := build(reqGetNext, objs, nil)
			if bulk {
				b = build(reqGetBulk, objs, nil)
				b.bulk, b.nonRep, b.maxRep = true, 0, reps
			}
			r, err := s.do(ctx, b, objs)
			if err != nil {
				yield(VarBind{}, err)
				return
			}
			done := false
			switch {
			case r.status == StatusTooBig && bulk && reps > 1:
				reps /= 2
				requests--
				continue
			case r.status == StatusNoSuchName && s.cfg.Version == V1:
				done = true // v1 end of MIB view
			case r.status != StatusNoError:
				yield(VarBind{}, &Error{Code: CodeAgent, Msg: "the agent ended the walk with an error-status",
					Status: r.status, Index: r.index, FailedOID: last})
				return
			case len(r.vbs) == 0:
				yield(VarBind{}, newError(CodeDecode, "empty varbind list in a walk response"))
				return
			}
			for _, vb := range r.vbs {
				if done {
					break
				}
				if vb.Value.IsException() || !vb.OID.HasPrefix(base) {
					done = true
					break
				}
				if c := vb.OID.Compare(last); c == 0 || (c < 0 && !s.cfg.AllowNonIncreasing) {
					yield(VarBind{}, newError(CodeNotIncreasing, "OID "+vb.OID.String()+" after "+last.String()))
					return
				}
				last = vb.OID
				found++
				if !yield(vb, nil) {
					return
				}
			}
			if !done {
				continue
			}
			if found == 0 {
				vbs, err := response(s.do(ctx, build(reqGet, []Object{base}, nil), []Object{base}))
				if err == nil && len(vbs) > 0 && !vbs[0].Value.IsException() {
					yield(vbs[0], nil)
				}
			}
			return
		}
	}
}

// resolve gives a walk root as an OID: a numeric Name is parsed here, any other Name is
// read with Get and the agent's binding gives its OID.
func (s *Session) resolve(ctx context.Context, root Object) (OID, error) {
	switch v := root.(type) {
	case OID:
		return v, v.Validate()
	case Name:
		if o, err := ParseOID(string(v)); err == nil {
			return o, nil
		}
		r, err := s.do(ctx, build(reqGet, []Object{v}, nil), []Object{v})
		if err != nil {
			return nil, err
		}
		if len(r.vbs) == 0 || len(r.vbs[0].OID) == 0 {
			return nil, newError(CodeDecode, "no binding in the answer to a Get of "+objectText(v))
		}
		return r.vbs[0].OID, nil
	}
	return nil, newError(CodeInvalid, "nil walk root")
}
