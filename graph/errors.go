package graph

import (
	"context"
	"errors"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/guichet/guichet/errs"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Codes are the extensions.code values of the API: the public contract of
// errors, documented in the README.
const (
	CodeNotFound            = "NOT_FOUND"
	CodeBadUserInput        = "BAD_USER_INPUT"
	CodeUnauthenticated     = "UNAUTHENTICATED"
	CodeForbidden           = "FORBIDDEN"
	CodeConflict            = "CONFLICT"
	CodeUpstreamUnavailable = "UPSTREAM_UNAVAILABLE"
	CodeUpstreamTimeout     = "UPSTREAM_TIMEOUT"
	CodeRateLimited         = "RATE_LIMITED"
	CodeInternal            = "INTERNAL"
)

var codeOfKind = map[errs.Kind]string{
	errs.Invalid:         CodeBadUserInput,
	errs.NotFound:        CodeNotFound,
	errs.Unauthenticated: CodeUnauthenticated,
	errs.Forbidden:       CodeForbidden,
	errs.Conflict:        CodeConflict,
	errs.Unavailable:     CodeUpstreamUnavailable,
	errs.UpstreamAuth:    CodeUpstreamUnavailable,
	errs.Timeout:         CodeUpstreamTimeout,
	errs.RateLimited:     CodeRateLimited,
	errs.Internal:        CodeInternal,
	errs.Other:           CodeInternal,
}

// safeMessage is what a caller may read for each kind when the error has no
// message of its own meant for them.
var safeMessage = map[errs.Kind]string{
	errs.Invalid:         "invalid input",
	errs.NotFound:        "not found",
	errs.Unauthenticated: "authentication required",
	errs.Forbidden:       "not allowed",
	errs.Conflict:        "conflicts with the current state",
	errs.Unavailable:     "a back office is unavailable, try again later",
	errs.UpstreamAuth:    "a back office refused Guichet's credentials",
	errs.Timeout:         "a back office did not answer in time",
	errs.RateLimited:     "too many attempts, try again later",
}

// PresentError is the one place where domain errors become GraphQL errors:
// it sets extensions.code (and the vendor code and input field when known)
// and keeps causes, which may hold upstream details, out of the response.
func PresentError(ctx context.Context, err error) *gqlerror.Error {
	var gqlErr *gqlerror.Error
	if errors.As(err, &gqlErr) && gqlErr.Extensions["code"] != nil {
		// Errors gqlgen raised itself (validation, parsing) already carry a code.
		return gqlErr
	}
	out := graphql.DefaultErrorPresenter(ctx, err)
	kind := errs.KindOf(err)
	e := errs.Find(err)
	if e == nil && out.Extensions["code"] != nil {
		return out
	}
	code := codeOfKind[kind]
	if code == "" {
		code = CodeInternal
	}
	msg := safeMessage[kind]
	if e != nil && e.Message != "" && kind != errs.Internal && kind != errs.Other {
		msg = e.Message
	}
	if code == CodeInternal {
		msg = "internal error"
		slog.ErrorContext(ctx, "internal error", "path", out.Path.String(), "err", err.Error())
	}
	if e != nil && e.Field != "" && kind == errs.Invalid {
		msg = e.Field + ": " + msg
	}
	out.Message = msg
	out.Extensions = map[string]any{"code": code}
	if e != nil && e.Code != "" {
		out.Extensions["vendorCode"] = e.Code
	}
	if e != nil && e.Field != "" {
		out.Extensions["field"] = e.Field
	}
	return out
}

// Recover turns a panic in a resolver into an INTERNAL error without details.
func Recover(ctx context.Context, p any) error {
	slog.ErrorContext(ctx, "panic in resolver", "panic", p)
	return errs.E(errs.Op("graph"), errs.Internal, errs.Msg("internal error"))
}
