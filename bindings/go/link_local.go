//go:build !snmpx_pkgconfig

package snmpx

// Linking (the package's only cgo directives; see doc.go). By default the package links
// the library cargo builds in this repository: include/snmpx.h and
// target/release/libsnmpx.so, found relative to this file (${SRCDIR}). Binaries record
// ${SRCDIR}/lib as their rpath: lib/libsnmpx.so.0.<minor> is a committed symlink to
// ../../../target/release/libsnmpx.so under the library's SONAME (which cargo does not
// create), so programs run from the build tree without LD_LIBRARY_PATH. Build the library
// first: `cargo build --release --lib`. Build with `-tags snmpx_pkgconfig` to use an
// installed library instead (link_pkgconfig.go).

/*
#cgo CFLAGS: -I${SRCDIR}/../../include -O2
#cgo LDFLAGS: -L${SRCDIR}/../../target/release -lsnmpx -Wl,-rpath,${SRCDIR}/lib
*/
import "C"
