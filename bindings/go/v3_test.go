package snmpx_test

import (
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	snmpx "snmpx/bindings/go"
)

// v3User is one SNMPv3 user of the test agent (SNMPX_TEST_V3_USERS, written by
// examples/test_agent from tests/common/snmpd.rs).
type v3User struct {
	name               string
	level              snmpx.SecurityLevel
	auth               snmpx.AuthProtocol
	authPass           string
	priv               snmpx.PrivProtocol
	privPass, authName string
	privName           string
}

var authByName = map[string]snmpx.AuthProtocol{
	"MD5": snmpx.AuthMD5, "SHA": snmpx.AuthSHA1, "SHA-224": snmpx.AuthSHA224,
	"SHA-256": snmpx.AuthSHA256, "SHA-384": snmpx.AuthSHA384, "SHA-512": snmpx.AuthSHA512,
}

var privByName = map[string]snmpx.PrivProtocol{
	"DES": snmpx.PrivDES, "AES": snmpx.PrivAES128, "AES-192": snmpx.PrivAES192,
	"AES-256": snmpx.PrivAES256, "AES-192-C": snmpx.PrivAES192C, "AES-256-C": snmpx.PrivAES256C,
}

var levelByName = map[string]snmpx.SecurityLevel{
	"noAuthNoPriv": snmpx.NoAuthNoPriv, "authNoPriv": snmpx.AuthNoPriv, "authPriv": snmpx.AuthPriv,
}

func v3Users(t *testing.T) []v3User {
	t.Helper()
	var users []v3User
	// Records separated by spaces, fields by commas, "-" for an empty field.
	for _, rec := range strings.Fields(env(t, "SNMPX_TEST_V3_USERS")) {
		f := strings.Split(rec, ",")
		if len(f) != 6 {
			t.Fatalf("bad SNMPX_TEST_V3_USERS record %q", rec)
		}
		for i := range f {
			if f[i] == "-" {
				f[i] = ""
			}
		}
		u := v3User{name: f[0], level: levelByName[f[1]], authName: f[2], authPass: f[3], privName: f[4], privPass: f[5]}
		if u.level == 0 {
			t.Fatalf("unknown level in %q", rec)
		}
		if f[2] != "" {
			if u.auth = authByName[f[2]]; u.auth == 0 {
				t.Fatalf("unknown auth protocol in %q", rec)
			}
		}
		if f[4] != "" {
			if u.priv = privByName[f[4]]; u.priv == 0 {
				t.Fatalf("unknown priv protocol in %q", rec)
			}
		}
		users = append(users, u)
	}
	return users
}

func (u v3User) config(t testing.TB) snmpx.Config {
	return snmpx.Config{
		Target: agentAddr(t), Version: snmpx.V3, Timeout: 2 * time.Second, Retries: 2,
		V3: snmpx.V3Config{User: u.name, Level: u.level, Auth: u.auth, AuthPassphrase: u.authPass,
			Priv: u.priv, PrivPassphrase: u.privPass},
	}
}

func openV3(t *testing.T, cfg snmpx.Config) *snmpx.Session {
	t.Helper()
	s, err := snmpx.Open(cfg)
	if err != nil {
		t.Fatalf("Open SNMPv3 user %q: %v", cfg.V3.User, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Every user of the agent (every auth x priv pair Net-SNMP supports, each auth protocol
// without privacy, and noAuthNoPriv), concurrently: Get, GetNext, GetBulk and a walk.
func TestV3EveryUser(t *testing.T) {
	users := v3Users(t)
	if len(users) < 43 {
		t.Fatalf("%d v3 users", len(users))
	}
	wantName := env(t, "SNMPX_TEST_SYS_NAME")
	var wg sync.WaitGroup
	for _, u := range users {
		s := openV3(t, u.config(t))
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := ctxT(t)
			vbs, err := s.Get(ctx, sysName)
			if err != nil || string(mustBytes(vbs[0].Value)) != wantName {
				t.Errorf("%s: Get %v %v", u.name, vbs, err)
				return
			}
			if vbs, err := s.GetNext(ctx, system); err != nil || !vbs[0].OID.Equal(sysDescr) {
				t.Errorf("%s: GetNext %v %v", u.name, vbs, err)
			}
			if vbs, err := s.GetBulk(ctx, 0, 3, system); err != nil || len(vbs) != 3 {
				t.Errorf("%s: GetBulk %v %v", u.name, vbs, err)
			}
			if vbs, err := s.BulkWalk(ctx, system); err != nil || len(vbs) < 7 {
				t.Errorf("%s: BulkWalk %d rows, %v", u.name, len(vbs), err)
			}
		}()
	}
	wg.Wait()
}

// Set and the streaming walk, one user per security level.
func TestV3SetAndWalkSeq(t *testing.T) {
	seen := map[snmpx.SecurityLevel]bool{}
	for _, u := range v3Users(t) {
		if seen[u.level] {
			continue
		}
		seen[u.level] = true
		t.Run(u.name, func(t *testing.T) {
			s := openV3(t, u.config(t))
			want := "v3 " + u.name
			if _, err := s.Set(ctxT(t), snmpx.Binding{Object: sysContact, Value: snmpx.StringValue(want)}); err != nil {
				t.Fatal(err)
			}
			vbs, err := s.Get(ctxT(t), sysContact)
			if err != nil || text(t, vbs[0].Value) != want {
				t.Fatalf("read back %v %v", vbs, err)
			}
			_, err = s.Set(ctxT(t), snmpx.Binding{Object: sysLocation, Value: snmpx.StringValue("x")})
			if !errors.Is(err, snmpx.StatusNotWritable) {
				t.Errorf("Set sysLocation: %v", err)
			}
			rows := collect(t, s.BulkWalkSeq(ctxT(t), system))
			lib, err := s.Walk(ctxT(t), system)
			if err != nil {
				t.Fatal(err)
			}
			sameOIDs(t, "v3 walk", lib, rows)
		})
	}
}

func TestV3Errors(t *testing.T) {
	users := v3Users(t)
	var authPriv v3User
	for _, u := range users {
		if u.level == snmpx.AuthPriv && u.authName == "SHA-256" && u.privName == "AES" {
			authPriv = u
		}
	}
	if authPriv.name == "" {
		t.Fatal("no SHA-256/AES user")
	}
	get := func(cfg snmpx.Config) error {
		cfg.Timeout, cfg.Retries = 500*time.Millisecond, 1
		s := openV3(t, cfg)
		_, err := s.Get(ctxT(t), sysName)
		return err
	}
	wrongAuth := authPriv.config(t)
	wrongAuth.V3.AuthPassphrase = "not-the-auth-pass"
	if err := get(wrongAuth); !errors.Is(err, snmpx.ErrAuth) {
		t.Errorf("wrong auth passphrase: %v", err)
	}
	unknown := authPriv.config(t)
	unknown.V3.User = "nobody-here"
	if err := get(unknown); !errors.Is(err, snmpx.ErrUnknownUser) {
		t.Errorf("unknown user: %v", err)
	}
	wrongPriv := authPriv.config(t)
	wrongPriv.V3.PrivPassphrase = "not-the-priv-pass"
	if err := get(wrongPriv); !errors.Is(err, snmpx.ErrV3Decryption) && !errors.Is(err, snmpx.ErrTimeout) {
		t.Errorf("wrong priv passphrase: %v", err)
	} else if err == nil {
		t.Error("wrong priv passphrase succeeded")
	}
	// The agent's engine ID given up front: no discovery, same answer.
	id, err := hex.DecodeString(env(t, "SNMPX_TEST_ENGINE_ID"))
	if err != nil {
		t.Fatal(err)
	}
	known := authPriv.config(t)
	known.V3.SecurityEngineID = id
	if err := get(known); err != nil {
		t.Errorf("with the engine ID: %v", err)
	}
	// Bad settings are refused by Open.
	bad := authPriv.config(t)
	bad.V3.Auth = snmpx.AuthProtocol(99)
	if s, err := snmpx.Open(bad); !errors.Is(err, snmpx.ErrInvalid) {
		if s != nil {
			s.Close()
		}
		t.Errorf("auth protocol 99: %v", err)
	}
}
