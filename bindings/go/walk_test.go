package snmpx_test

import (
	"errors"
	"testing"

	snmpx "snmpx/bindings/go"
)

func collect(t *testing.T, seq func(func(snmpx.VarBind, error) bool)) []snmpx.VarBind {
	t.Helper()
	var out []snmpx.VarBind
	for vb, err := range seq {
		if err != nil {
			t.Fatalf("after %d rows: %v", len(out), err)
		}
		out = append(out, vb)
	}
	return out
}

func sameOIDs(t *testing.T, what string, a, b []snmpx.VarBind) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d rows vs %d", what, len(a), len(b))
	}
	for i := range a {
		if !a[i].OID.Equal(b[i].OID) || a[i].Value.Type() != b[i].Value.Type() {
			t.Fatalf("%s: row %d %v/%v vs %v/%v", what, i, a[i].OID, a[i].Value.Type(), b[i].OID, b[i].Value.Type())
		}
	}
}

// The library's walks and the streaming walks give the same rows (the `stable` community
// leaves out the subtrees whose OIDs change between two walks).
func TestWalkForms(t *testing.T) {
	interfaces := snmpx.MustParseOID("1.3.6.1.2.1.2")
	for _, ver := range versions {
		t.Run(ver.name, func(t *testing.T) {
			s := open(t, ver.v, "stable")
			lib, err := s.Walk(ctxT(t), interfaces)
			if err != nil {
				t.Fatal(err)
			}
			if len(lib) < 10 {
				t.Fatalf("only %d rows under interfaces", len(lib))
			}
			for i, vb := range lib {
				if !vb.OID.HasPrefix(interfaces) || (i > 0 && vb.OID.Compare(lib[i-1].OID) <= 0) {
					t.Fatalf("row %d: %v", i, vb.OID)
				}
			}
			sameOIDs(t, "WalkSeq", lib, collect(t, s.WalkSeq(ctxT(t), interfaces)))
			sameOIDs(t, "WalkSeq by name", lib, collect(t, s.WalkSeq(ctxT(t), snmpx.Name("IF-MIB::interfaces"))))
			if ver.v == snmpx.V1 {
				if _, err := s.BulkWalk(ctxT(t), interfaces); !errors.Is(err, snmpx.ErrUsage) {
					t.Errorf("BulkWalk on v1: %v", err)
				}
				for _, err := range s.BulkWalkSeq(ctxT(t), interfaces) {
					if !errors.Is(err, snmpx.ErrUsage) {
						t.Errorf("BulkWalkSeq on v1: %v", err)
					}
				}
				return
			}
			bulk, err := s.BulkWalk(ctxT(t), interfaces)
			if err != nil {
				t.Fatal(err)
			}
			sameOIDs(t, "BulkWalk", lib, bulk)
			sameOIDs(t, "BulkWalkSeq", lib, collect(t, s.BulkWalkSeq(ctxT(t), interfaces)))
			// two roots, one after the other
			two, err := s.Walk(ctxT(t), system, interfaces)
			if err != nil {
				t.Fatal(err)
			}
			sys, _ := s.Walk(ctxT(t), system)
			sameOIDs(t, "two roots", append(sys, lib...), two)
		})
	}
}

func TestWalkSeqEarlyStopAndEdges(t *testing.T) {
	s := open(t, snmpx.V2c, "public")
	n := 0
	for _, err := range s.WalkSeq(ctxT(t), system) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 3 {
			break
		}
	}
	if n != 3 {
		t.Errorf("stopped after %d", n)
	}
	// A leaf root: nothing under it, so the walk Gets it (as snmpwalk does).
	rows := collect(t, s.WalkSeq(ctxT(t), sysName))
	lib, err := s.Walk(ctxT(t), sysName)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || !rows[0].OID.Equal(sysName) {
		t.Errorf("leaf walk %v", rows)
	}
	sameOIDs(t, "leaf", lib, rows)
	// A root with nothing at all: no rows, no error.
	empty := snmpx.OID{1, 3, 6, 1, 99}
	if rows := collect(t, s.WalkSeq(ctxT(t), empty)); len(rows) != 0 {
		t.Errorf("empty subtree gave %v", rows)
	}
	if rows, err := s.Walk(ctxT(t), empty); err != nil || len(rows) != 0 {
		t.Errorf("library walk of an empty subtree: %v %v", rows, err)
	}
	// The request limit.
	lim, err := snmpx.Open(snmpx.Config{Target: agentAddr(t), Version: snmpx.V2c, WalkMaxRequests: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer lim.Close()
	var last error
	for _, err := range lim.WalkSeq(ctxT(t), system) {
		last = err
	}
	if !errors.Is(last, snmpx.ErrLimit) {
		t.Errorf("WalkSeq limit: %v", last)
	}
	if _, err := lim.Walk(ctxT(t), system); !errors.Is(err, snmpx.ErrLimit) {
		t.Errorf("Walk limit: %v", err)
	}
	// An unknown name as a root.
	for _, err := range s.WalkSeq(ctxT(t), snmpx.Name("noSuchThingAnywhere")) {
		if !errors.Is(err, snmpx.ErrUnknownObject) {
			t.Errorf("unknown root: %v", err)
		}
	}
}
