package snmpx

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

//go:generate go run ./internal/gen -header ../../include/snmpx.h -out zconst.go

// Error is every failure the package returns: a result code of the C library, its
// message, and for an agent's error-status the status, the 1-based error-index and the
// OID it points at.
//
// Match kinds with errors.Is against the sentinels (ErrTimeout, ErrAuth, ErrCancelled,
// ...: one per code, generated from include/snmpx.h) or against an ErrorStatus
// (errors.Is(err, StatusNotWritable)); read the details with errors.As. A request ended
// by its context matches context.Canceled / context.DeadlineExceeded as well as
// ErrCancelled. Error implements net.Error's Timeout.
type Error struct {
	// Code is the library's result code.
	Code Code
	// Msg is the library's detailed message ("" when it gave none).
	Msg string
	// Status is the agent's error-status (RFC 3416 §3) when Code is CodeAgent.
	Status ErrorStatus
	// Index is the 1-based error-index of the agent's response (0 = none).
	Index uint32
	// FailedOID is the OID of the variable binding the error-index points at, when known.
	FailedOID OID

	cause    error
	sentinel bool
}

// Aliases of generated sentinels under the names most callers look for.
var (
	// ErrAuth matches SNMPv3 authentication failures (wrong key or protocol:
	// usmStatsWrongDigests, RFC 3414 §3.2 step 6).
	ErrAuth = ErrV3Authentication
	// ErrUnknownUser matches an SNMPv3 user the agent does not know.
	ErrUnknownUser = ErrV3UnknownUser
	// ErrUnknownObject matches an object name the MIB resolver does not know.
	ErrUnknownObject = ErrMIBUnknownObject
)

// ErrClosed is matched (errors.Is) by calls on a closed Session and by requests that
// Close cancelled.
var ErrClosed = errors.New("snmpx: session closed")

func newError(c Code, msg string) *Error { return &Error{Code: c, Msg: msg} }

// Error renders the code's description, the library's message and the agent's status.
func (e *Error) Error() string {
	s := "snmpx: " + resultMessage(e.Code)
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	if e.Code == CodeAgent || e.Status != 0 {
		s += fmt.Sprintf(" (error-status %s, index %d", e.Status, e.Index)
		if e.FailedOID != nil {
			s += ", OID " + e.FailedOID.String()
		}
		s += ")"
	}
	if e.cause != nil && !e.sentinel {
		s += ": " + e.cause.Error()
	}
	return s
}

// Unwrap returns the cause: the context's error for cancelled requests, ErrClosed for
// requests cancelled by Close.
func (e *Error) Unwrap() error { return e.cause }

// Is matches a sentinel *Error of the same Code, and an ErrorStatus equal to Status of an
// agent error.
func (e *Error) Is(target error) bool {
	switch t := target.(type) {
	case *Error:
		return t.sentinel && t.Code == e.Code
	case ErrorStatus:
		return e.Code == CodeAgent && e.Status == t
	}
	return false
}

// Timeout reports whether the request timed out: the agent did not answer after every
// retry, or the context's deadline passed.
func (e *Error) Timeout() bool {
	return e.Code == CodeTimeout || errors.Is(e.cause, context.DeadlineExceeded)
}

// Temporary is the same as Timeout (for net.Error; a timed-out request may succeed when
// retried).
func (e *Error) Temporary() bool { return e.Timeout() }

// String is the code's C name, e.g. "SNMPX_E_TIMEOUT".
func (c Code) String() string {
	if n, ok := codeNames[c]; ok {
		return n
	}
	return "Code(" + strconv.FormatUint(uint64(c), 10) + ")"
}

// Message is the library's English description of the code ("timeout", ...).
func (c Code) Message() string { return resultMessage(c) }

// String is the RFC 3416 name, e.g. "notWritable".
func (s ErrorStatus) String() string {
	if n, ok := statusNames[s]; ok {
		return n
	}
	return "errorStatus(" + strconv.FormatInt(int64(s), 10) + ")"
}

// Error makes an ErrorStatus usable as an errors.Is target; it is the same as String.
func (s ErrorStatus) Error() string { return s.String() }

// ctxError is the error of a request ended by its context.
func ctxError(ctx context.Context) *Error {
	return &Error{Code: CodeCancelled, Msg: "request ended by its context", cause: ctx.Err()}
}

// closedError is the error of calls on, and requests cancelled by, a closed Session.
func closedError(c Code) *Error {
	return &Error{Code: c, Msg: "session closed", cause: ErrClosed}
}
