package graph

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/guichet/guichet/errs"
	"github.com/guichet/guichet/persisted"
	"github.com/guichet/guichet/throttle"
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
	// Request-level refusals, before any field runs.
	CodeBadRequest       = "BAD_REQUEST"
	CodePayloadTooLarge  = "PAYLOAD_TOO_LARGE"
	CodeMethodNotAllowed = "OPERATION_NOT_ALLOWED"
	// Operation-level refusals, after parsing.
	CodeQueryTooComplex     = "QUERY_TOO_COMPLEX"
	CodePersistedNotAllowed = persisted.CodeNotAllowed
	// The last entry of an error list cut at the limit.
	CodeTooManyErrors = "TOO_MANY_ERRORS"
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
	if e == nil && errors.As(err, &gqlErr) && len(gqlErr.Path) == 0 && graphql.GetFieldContext(ctx) == nil {
		// A request gqlgen could not decode: the client's mistake, and its
		// message may quote the body (passwords included), so cut that.
		msg, _, _ := strings.Cut(gqlErr.Message, " body:")
		return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": CodeBadRequest}}
	}
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
	var denied *throttle.Denied
	if kind == errs.RateLimited && errors.As(err, &denied) {
		// The HTTP 429 Retry-After, in the one place a GraphQL client reads.
		out.Extensions["retryAfter"] = denied.RetrySeconds()
	}
	return out
}

// Recover turns a panic in a resolver into an INTERNAL error without details.
func Recover(ctx context.Context, p any) error {
	slog.ErrorContext(ctx, "panic in resolver", "panic", p)
	return errs.E(errs.Op("graph"), errs.Internal, errs.Msg("internal error"))
}
