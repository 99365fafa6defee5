// Command gen writes zconst.go, the Go constants of package snmpx, from the C header
// include/snmpx.h: result codes (with one sentinel error each), error-status values, value
// types, SNMP versions, SNMPv3 security levels and protocols, and request kinds. The Go
// values are copied from the header, never typed by hand, so they cannot drift from the
// library; `go run ./internal/gen -check` (scripts/check-go-generated.sh, run by
// scripts/test.sh) fails when the committed file differs from what the header gives.
//
// It also keeps lib/libsnmpx.so.<ABI> (the library's SONAME: 0.<minor> while the major
// version is 0, as build.rs sets it) as a symlink to ../../../target/release/libsnmpx.so,
// the run-time path link_local.go records, and checks it with -check.
//
// Usage (from bindings/go):
//
//	go run ./internal/gen [-header ../../include/snmpx.h] [-out zconst.go] [-check]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// enumerator is one `NAME = VALUE,` line of a C enum with the doc comment above it.
type enumerator struct {
	name  string
	value int64
	doc   string
}

// enum is one `enum snmpx_*` block of the header.
type enum struct {
	name    string
	doc     string
	members []enumerator
}

var (
	enumStart  = regexp.MustCompile(`^enum (snmpx_[a-z0-9_]+)\s*$`)
	memberLine = regexp.MustCompile(`^\s*(SNMPX_[A-Z0-9_]+)\s*=\s*(-?[0-9]+),?\s*$`)
	versionDef = regexp.MustCompile(`^#define SNMPX_VERSION_STRING "([^"]+)"`)
)

// parse reads every enum and the version string from the header text.
func parse(text string) (map[string]*enum, string, error) {
	lines := strings.Split(text, "\n")
	enums := map[string]*enum{}
	version := ""
	var cur *enum
	var comment []string
	inComment := false
	for _, raw := range lines {
		line := strings.TrimSpace(raw)
		if m := versionDef.FindStringSubmatch(line); m != nil {
			version = m[1]
		}
		switch {
		case strings.HasPrefix(line, "/**"):
			inComment = true
			comment = comment[:0]
			rest := strings.TrimSpace(strings.TrimPrefix(line, "/**"))
			if strings.HasSuffix(rest, "*/") {
				inComment = false
				rest = strings.TrimSpace(strings.TrimSuffix(rest, "*/"))
			}
			if rest != "" {
				comment = append(comment, rest)
			}
			continue
		case inComment:
			if strings.HasPrefix(line, "*/") {
				inComment = false
				continue
			}
			comment = append(comment, strings.TrimSpace(strings.TrimPrefix(line, "*")))
			continue
		}
		if m := enumStart.FindStringSubmatch(line); m != nil {
			cur = &enum{name: m[1], doc: strings.Join(comment, " ")}
			enums[m[1]] = cur
			comment = comment[:0]
			continue
		}
		if cur == nil {
			if line != "" {
				comment = comment[:0]
			}
			continue
		}
		if strings.HasPrefix(line, "};") {
			cur = nil
			continue
		}
		if m := memberLine.FindStringSubmatch(line); m != nil {
			v, err := strconv.ParseInt(m[2], 10, 64)
			if err != nil {
				return nil, "", fmt.Errorf("%s: %v", m[1], err)
			}
			cur.members = append(cur.members, enumerator{
				name:  m[1],
				value: v,
				doc:   strings.Join(comment, " "),
			})
			comment = comment[:0]
		}
	}
	if version == "" {
		return nil, "", fmt.Errorf("no SNMPX_VERSION_STRING in the header")
	}
	return enums, version, nil
}

// initialisms keep Go's spelling of well-known abbreviations.
var initialisms = map[string]string{
	"ID": "ID", "MIB": "MIB", "OID": "OID", "IP": "IP", "MD5": "MD5", "SHA1": "SHA1",
	"SHA224": "SHA224", "SHA256": "SHA256", "SHA384": "SHA384", "SHA512": "SHA512",
	"DES": "DES", "AES128": "AES128", "AES192": "AES192", "AES256": "AES256", "V3": "V3",
	"C": "C", "OK": "OK",
}

// camel turns FOO_BAR_ID into FooBarID.
func camel(upper string) string {
	var b strings.Builder
	for _, part := range strings.Split(upper, "_") {
		if part == "" {
			continue
		}
		if s, ok := initialisms[part]; ok {
			b.WriteString(s)
			continue
		}
		b.WriteString(part[:1])
		b.WriteString(strings.ToLower(part[1:]))
	}
	return b.String()
}

// lowerCamel turns "tooBig." (an error-status doc comment) into "tooBig".
func statusName(doc string) string {
	f := strings.Fields(doc)
	if len(f) == 0 {
		return ""
	}
	return strings.TrimSuffix(f[0], ".")
}

// spec says how one C enum becomes Go constants.
type spec struct {
	cEnum    string
	goType   string
	under    string
	prefix   string // C prefix stripped from member names
	goPrefix string // Go prefix added
	typeDoc  string
	exported bool
	// rename overrides the generated Go name of some members.
	rename map[string]string
}

var specs = []spec{
	{cEnum: "snmpx_result", goType: "Code", under: "uint32", prefix: "SNMPX_E_", goPrefix: "Code",
		typeDoc:  "Code is a result code of the C library (snmpx_result): every failure carries one.",
		exported: true, rename: map[string]string{"SNMPX_OK": "CodeOK"}},
	{cEnum: "snmpx_error_status", goType: "ErrorStatus", under: "int32", prefix: "SNMPX_ERRSTAT_",
		goPrefix: "Status", exported: true,
		typeDoc: "ErrorStatus is an agent's error-status (RFC 3416 §3); a response may carry values not listed."},
	{cEnum: "snmpx_value_type", goType: "Type", under: "uint32", prefix: "SNMPX_TYPE_", goPrefix: "Type",
		exported: true,
		typeDoc: "Type is the type of a value: the BER tag it is encoded with (RFC 2578 §7.1, RFC 3416 §3). " +
			"Values of types the library does not interpret keep their raw tag."},
	{cEnum: "snmpx_snmp_version", goType: "Version", under: "uint32", prefix: "SNMPX_SNMP_", goPrefix: "",
		exported: true, typeDoc: "Version is an SNMP protocol version (the wire values).",
		rename: map[string]string{"SNMPX_SNMP_V2C": "V2c"}},
	{cEnum: "snmpx_security_level", goType: "SecurityLevel", under: "uint32", prefix: "SNMPX_SEC_",
		goPrefix: "", exported: true,
		typeDoc: "SecurityLevel is an SNMPv3 security level (RFC 3411 §5 SnmpSecurityLevel).",
		rename: map[string]string{
			"SNMPX_SEC_NO_AUTH_NO_PRIV": "NoAuthNoPriv", "SNMPX_SEC_AUTH_NO_PRIV": "AuthNoPriv",
			"SNMPX_SEC_AUTH_PRIV": "AuthPriv"}},
	{cEnum: "snmpx_auth_protocol", goType: "AuthProtocol", under: "uint32", prefix: "SNMPX_AUTH_",
		goPrefix: "Auth", exported: true,
		typeDoc: "AuthProtocol is an SNMPv3 authentication protocol (RFC 3414, RFC 7860)."},
	{cEnum: "snmpx_priv_protocol", goType: "PrivProtocol", under: "uint32", prefix: "SNMPX_PRIV_",
		goPrefix: "Priv", exported: true,
		typeDoc: "PrivProtocol is an SNMPv3 privacy protocol (RFC 3414 DES, RFC 3826 AES; the C " +
			"variants use the Reeder key extension, the others Blumenthal)."},
	{cEnum: "snmpx_request_kind", goType: "requestKind", under: "uint32", prefix: "SNMPX_REQ_",
		goPrefix: "req", typeDoc: "requestKind is an operation kind of snmpx_request_new."},
}

func goName(s spec, m enumerator) string {
	if n, ok := s.rename[m.name]; ok {
		return n
	}
	return s.goPrefix + camel(strings.TrimPrefix(m.name, s.prefix))
}

func comment(b *bytes.Buffer, text string) {
	words := strings.Fields(text)
	line := "//"
	for _, w := range words {
		if len(line)+1+len(w) > 92 && line != "//" {
			b.WriteString(line + "\n")
			line = "//"
		}
		line += " " + w
	}
	b.WriteString(line + "\n")
}

func generate(enums map[string]*enum, version string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("// Code generated by internal/gen from include/snmpx.h; DO NOT EDIT.\n\n")
	b.WriteString("package snmpx\n\n")
	b.WriteString("// HeaderVersion is the library version of the C header these constants were generated\n")
	b.WriteString("// from (SNMPX_VERSION_STRING).\n")
	fmt.Fprintf(&b, "const HeaderVersion = %q\n\n", version)
	for _, s := range specs {
		e, ok := enums[s.cEnum]
		if !ok || len(e.members) == 0 {
			return nil, fmt.Errorf("enum %s not found in the header", s.cEnum)
		}
		comment(&b, s.typeDoc)
		fmt.Fprintf(&b, "type %s %s\n\n", s.goType, s.under)
		fmt.Fprintf(&b, "// Values of %s (C enum %s).\nconst (\n", s.goType, s.cEnum)
		for _, m := range e.members {
			comment(&b, goName(s, m)+" is "+m.name+": "+m.doc)
			fmt.Fprintf(&b, "\t%s %s = %d\n", goName(s, m), s.goType, m.value)
		}
		b.WriteString(")\n\n")
		// name tables for String()
		table := map[string]string{
			"Code": "codeNames", "ErrorStatus": "statusNames", "Type": "typeNames",
			"Version": "versionNames", "SecurityLevel": "levelNames",
			"AuthProtocol": "authNames", "PrivProtocol": "privNames", "requestKind": "kindNames",
		}[s.goType]
		fmt.Fprintf(&b, "var %s = map[%s]string{\n", table, s.goType)
		for _, m := range e.members {
			n := goName(s, m)
			switch s.goType {
			case "ErrorStatus":
				n = statusName(m.doc)
			case "Code":
				n = m.name
			default:
				if s.goPrefix != "" {
					n = strings.TrimPrefix(n, s.goPrefix)
				}
			}
			fmt.Fprintf(&b, "\t%s: %q,\n", goName(s, m), n)
		}
		b.WriteString("}\n\n")
		if s.goType == "Code" {
			b.WriteString("// Sentinel errors, one per failure code, for errors.Is: an *Error matches the\n")
			b.WriteString("// sentinel of its Code.\nvar (\n")
			for _, m := range e.members {
				if m.value == 0 {
					continue
				}
				n := goName(s, m)
				comment(&b, "Err"+strings.TrimPrefix(n, "Code")+" matches errors with code "+m.name+": "+m.doc)
				fmt.Fprintf(&b, "\tErr%s = &Error{Code: %s, sentinel: true}\n",
					strings.TrimPrefix(n, "Code"), n)
			}
			b.WriteString(")\n\n")
			b.WriteString("// sentinels maps each failure code to its sentinel error.\n")
			b.WriteString("var sentinels = map[Code]*Error{\n")
			for _, m := range e.members {
				if m.value == 0 {
					continue
				}
				n := goName(s, m)
				fmt.Fprintf(&b, "\t%s: Err%s,\n", n, strings.TrimPrefix(n, "Code"))
			}
			b.WriteString("}\n\n")
		}
	}
	return format.Source(b.Bytes())
}

func main() {
	header := flag.String("header", "../../include/snmpx.h", "the C header")
	out := flag.String("out", "zconst.go", "the Go file to write")
	check := flag.Bool("check", false, "fail if -out differs from what the header gives")
	flag.Parse()
	text, err := os.ReadFile(*header)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	enums, version, err := parse(string(text))
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	src, err := generate(enums, version)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	link := filepath.Join("lib", "libsnmpx.so."+abi(version))
	const linkTarget = "../../../target/release/libsnmpx.so"
	if *check {
		have, err := os.ReadFile(*out)
		if err != nil || !bytes.Equal(have, src) {
			fmt.Fprintf(os.Stderr, "gen: %s is not what %s gives: run `go generate` in bindings/go\n", *out, *header)
			os.Exit(1)
		}
		if t, err := os.Readlink(link); err != nil || t != linkTarget {
			fmt.Fprintf(os.Stderr, "gen: %s must be a symlink to %s (the SONAME of version %s): run `go generate`\n", link, linkTarget, version)
			os.Exit(1)
		}
		others, _ := filepath.Glob(filepath.Join("lib", "libsnmpx.so.*"))
		if len(others) != 1 {
			fmt.Fprintf(os.Stderr, "gen: stale SONAME links in lib/: %v\n", others)
			os.Exit(1)
		}
		fmt.Printf("gen: %s and %s match %s (version %s)\n", *out, link, *header, version)
		return
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	old, _ := filepath.Glob(filepath.Join("lib", "libsnmpx.so.*"))
	for _, o := range old {
		os.Remove(o)
	}
	if err := os.MkdirAll("lib", 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.Symlink(linkTarget, link); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// abi is the SONAME suffix of a version: "0.<minor>" for 0.x, else the major version.
func abi(version string) string {
	parts := strings.Split(version, ".")
	if len(parts) >= 2 && parts[0] == "0" {
		return "0." + parts[1]
	}
	return parts[0]
}
