//go:build snmpx_pkgconfig

package snmpx

// Linking with `-tags snmpx_pkgconfig`: the compiler and linker flags of an installed
// library come from pkg-config (`snmpx.pc`, installed by `cmake --install`); set
// PKG_CONFIG_PATH when it is installed under a non-standard prefix. This replaces
// link_local.go.

/*
#cgo CFLAGS: -O2
#cgo pkg-config: snmpx
*/
import "C"
