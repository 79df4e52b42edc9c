package soap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"regexp"
	"strings"

	"github.com/guichet/guichet/errs"
)

// AboWeb fault codes (vendor doc).
const (
	CodeTechnical   = "100" // technical error: Unavailable
	CodeAuth        = "101" // our credentials refused: UpstreamAuth
	CodeFunctional  = "200" // business rule refused the change: Conflict
	CodeInvalidData = "202" // invalid data: Invalid
	CodeNotFound    = "204" // client inexistant: NotFound
)

// fault is a SOAP fault as found in an answer, whatever its dialect.
type fault struct {
	code, reason, detail string
}

// parseFault finds a Fault element in body without caring about prefixes or
// SOAP version (1.1 faultcode/faultstring/detail, 1.2 Code/Value, Reason/Text, Detail).
func parseFault(body []byte) (fault, bool) {
	if !bytes.Contains(body, []byte("Fault")) {
		return fault{}, false
	}
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	var (
		f       fault
		inFault bool
		found   bool
		path    []string
		text    strings.Builder
	)
	for {
		tok, err := d.Token()
		if err == io.EOF || err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "Fault" && !inFault {
				inFault, found = true, true
				path = path[:0]
				continue
			}
			if inFault {
				path = append(path, t.Name.Local)
				text.Reset()
			}
		case xml.CharData:
			if inFault {
				text.Write(t)
			}
		case xml.EndElement:
			if !inFault {
				continue
			}
			if t.Name.Local == "Fault" && len(path) == 0 {
				inFault = false
				continue
			}
			v := strings.TrimSpace(text.String())
			switch {
			case len(path) == 1 && path[0] == "faultcode",
				len(path) == 2 && path[0] == "Code" && path[1] == "Value" && f.code == "":
				f.code = v
			case len(path) == 1 && path[0] == "faultstring",
				len(path) == 2 && path[0] == "Reason" && path[1] == "Text":
				f.reason = v
			case len(path) >= 1 && (path[0] == "detail" || path[0] == "Detail") && v != "":
				f.detail = strings.TrimSpace(f.detail + " " + v)
			}
			text.Reset()
			if len(path) > 0 {
				path = path[:len(path)-1]
			}
		}
	}
	return f, found
}

var (
	bareCode = regexp.MustCompile(`^(?:[A-Za-z_][\w.-]*:)?(\d{3})$`)
	anyCode  = regexp.MustCompile(`(?:^|\D)(\d{3})(?:\D|$)`)
)

// vendorCode extracts the three-digit AboWeb code: from faultcode when it is
// bare ("204") or prefixed ("ns:204"), else from detail, else from faultstring
// (JAX-WS servers often send a generic S:Server).
func (f fault) vendorCode() string {
	if m := bareCode.FindStringSubmatch(f.code); m != nil {
		return m[1]
	}
	for _, s := range []string{f.detail, f.reason} {
		if m := anyCode.FindStringSubmatch(s); m != nil {
			return m[1]
		}
	}
	return ""
}

// faultError maps a fault to the project's kinds. The vendor's faultstring is
// not copied into the message: it may carry personal data.
func (c *Client) faultError(op string, f fault) error {
	code := f.vendorCode()
	e := []any{errs.Op(op), errs.Code(code)}
	switch code {
	case CodeAuth:
		// Loud for the operator, bland for the caller; no credential in either.
		c.cfg.Logger.Error("AboWeb refused Guichet's credentials: check ABOWEB_USERNAME / ABOWEB_PASSWORD / ABOWEB_PASSWORD_MODE",
			slog.String("op", op), slog.String("fault_code", code), slog.String("password_mode", string(c.cfg.PasswordMode)))
		return errs.E(append(e, errs.UpstreamAuth, errs.Msg("subscriber service authentication failed"))...)
	case CodeTechnical:
		return errs.E(append(e, errs.Unavailable, errs.Msg("subscriber service technical error"))...)
	case CodeFunctional:
		return errs.E(append(e, errs.Conflict, errs.Msg("subscriber service refused the change"))...)
	case CodeInvalidData:
		return errs.E(append(e, errs.Invalid, errs.Field(fieldIn(f.reason+" "+f.detail)), errs.Msg("subscriber data rejected as invalid"))...)
	case CodeNotFound:
		return errs.E(append(e, errs.NotFound, errs.Msg("subscriber not found"))...)
	default:
		if f.unknownOperation() {
			return errs.E(append(e, errs.Unavailable, errs.Msg("subscriber service does not offer this operation"), errUnknownOperation)...)
		}
		return errs.E(append(e, errs.Unavailable, errs.Msg("subscriber service fault"))...)
	}
}

// errUnknownOperation marks the SOAP runtime's refusal of an operation name
// it has no method for (JAX-WS: S:Client "Cannot find dispatch method").
var errUnknownOperation = errors.New("unknown operation")

func (f fault) unknownOperation() bool {
	code := f.code
	if i := strings.LastIndexByte(code, ':'); i >= 0 {
		code = code[i+1:]
	}
	return code == "Client" && strings.Contains(f.reason, "dispatch method")
}

// fieldIn names, as the API does, the record field a 202 fault text
// mentions, if any.
func fieldIn(s string) string {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) {
		if _, ok := fieldByWire[w]; ok {
			return apiName(Field(w))
		}
	}
	return ""
}
