// Package errs defines the error kinds shared by the back-office clients, the
// catalogue store and the GraphQL layer. Clients wrap every failure with a
// Kind and an Op; the GraphQL error presenter is the one place that turns a
// Kind into an extensions.code.
package errs

import (
	"context"
	"errors"
	"fmt"
	"net"
)

// Kind classifies an error by what the caller can do about it.
// Append new kinds at the end: the values are compared, never persisted.
type Kind uint8

const (
	Other           Kind = iota // unclassified: treated as internal
	Invalid                     // bad input, rejected before or by the back office
	NotFound                    // the record does not exist
	Unauthenticated             // missing, expired or wrong credentials of the caller
	Forbidden                   // credentials valid but not allowed
	Conflict                    // already exists, or state forbids the change
	Unavailable                 // back office down, refusing, or answering garbage
	Timeout                     // back office too slow for the call's budget
	Internal                    // a bug or an unexpected state on our side
	UpstreamAuth                // our own credentials to the back office were refused
	RateLimited                 // the caller sent too many attempts
)

var kindNames = [...]string{
	Other: "other", Invalid: "invalid", NotFound: "not found",
	Unauthenticated: "unauthenticated", Forbidden: "forbidden",
	Conflict: "conflict", Unavailable: "unavailable", Timeout: "timeout",
	Internal: "internal", UpstreamAuth: "upstream authentication", RateLimited: "rate limited",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Error is the one error type of the project.
type Error struct {
	Op      string // operation, e.g. "billetterie.ws_login" or "soap.getClient"
	Kind    Kind
	Code    string // vendor code when there is one ("518", "204")
	Field   string // input field at fault, for Invalid
	Message string // safe to show to an API user
	Err     error  // cause; never shown to API users
}

func (e *Error) Error() string {
	s := e.Op
	add := func(p string) {
		if p == "" {
			return
		}
		if s != "" {
			s += ": "
		}
		s += p
	}
	if e.Code != "" {
		add("code " + e.Code)
	}
	if e.Field != "" {
		add("field " + e.Field)
	}
	add(e.Message)
	if e.Err != nil {
		add(e.Err.Error())
	}
	if s == "" {
		s = e.Kind.String()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an *Error from its arguments by type, as upspin does:
// a Kind sets the kind, an error the cause; strings are taken with Op, Msg,
// Code and Field helpers to keep calls readable.
func E(args ...any) error {
	e := &Error{}
	for _, a := range args {
		switch v := a.(type) {
		case Kind:
			e.Kind = v
		case Op:
			e.Op = string(v)
		case Msg:
			e.Message = string(v)
		case Code:
			e.Code = string(v)
		case Field:
			e.Field = string(v)
		case *Error:
			e.Err = v
		case error:
			e.Err = v
		case nil:
		default:
			panic(fmt.Sprintf("errs.E: bad argument %T", a))
		}
	}
	if e.Kind == Other {
		var inner *Error
		if errors.As(e.Err, &inner) {
			e.Kind = inner.Kind
			if e.Code == "" {
				e.Code = inner.Code
			}
			if e.Field == "" {
				e.Field = inner.Field
			}
		}
	}
	return e
}

type (
	Op    string
	Msg   string
	Code  string
	Field string
)

// KindOf returns the kind of the outermost classified error in err's chain,
// recognising context deadlines and network timeouts too.
func KindOf(err error) Kind {
	if err == nil {
		return Other
	}
	var e *Error
	if errors.As(err, &e) && e.Kind != Other {
		return e.Kind
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return Timeout
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return Timeout
	}
	if e != nil && e.Err != nil {
		return KindOf(e.Err)
	}
	return Other
}

// Is reports whether err is of kind k.
func Is(k Kind, err error) bool { return KindOf(err) == k }

// Find returns the outermost *Error in err's chain, or nil.
func Find(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Transport classifies a failure to reach a back office: deadline and network
// timeouts become Timeout, cancellation stays itself, the rest Unavailable.
func Transport(op string, err error) error {
	switch {
	case errors.Is(err, context.Canceled):
		return E(Op(op), Unavailable, Msg("request cancelled"), err)
	case KindOf(err) == Timeout:
		return E(Op(op), Timeout, Msg("back office did not answer in time"), err)
	default:
		return E(Op(op), Unavailable, Msg("back office unreachable"), err)
	}
}
