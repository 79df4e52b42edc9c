package billetterie

import (
	"strconv"

	"github.com/guichet/guichet/errs"
)

// statusKinds classifies the "ko" codes of the vendor's table 4.2. Codes not
// listed are Unavailable: the ticketing system failed in a way the caller
// cannot fix.
var statusKinds = map[int]errs.Kind{
	1: errs.Unavailable, 3: errs.UpstreamAuth, 4: errs.Invalid, 5: errs.Unavailable, 6: errs.Invalid, 7: errs.Unavailable,
	101: errs.Conflict, 102: errs.NotFound, 103: errs.Conflict,
	201: errs.Conflict, 202: errs.NotFound, 203: errs.Conflict, 204: errs.NotFound, 205: errs.Conflict,
	206: errs.Conflict, 207: errs.Conflict, 208: errs.Conflict, 209: errs.Conflict, 211: errs.Conflict,
	301: errs.Conflict, 302: errs.NotFound, 303: errs.Conflict,
	401: errs.Conflict, 402: errs.NotFound, 403: errs.Conflict,
	501: errs.Conflict, 502: errs.Unauthenticated, 503: errs.NotFound, 504: errs.Unauthenticated,
	505: errs.Invalid, 506: errs.Conflict, 507: errs.Invalid, 510: errs.Conflict, 511: errs.Unauthenticated,
	512: errs.Unauthenticated, 515: errs.Conflict, 516: errs.Conflict, 517: errs.Conflict, 518: errs.Conflict,
	519: errs.Conflict, 520: errs.Invalid, 521: errs.Conflict, 522: errs.Invalid, 523: errs.Invalid,
	524: errs.Invalid, 525: errs.Forbidden, 527: errs.Invalid, 528: errs.Unauthenticated, 529: errs.Invalid,
	601: errs.Unauthenticated, 602: errs.Unauthenticated, 605: errs.Unauthenticated, 606: errs.Conflict,
	607: errs.Invalid, 609: errs.Conflict, 610: errs.UpstreamAuth,
	702: errs.Invalid, 703: errs.Conflict, 705: errs.Conflict, 707: errs.Invalid,
	800: errs.Invalid, 801: errs.Conflict, 802: errs.Conflict, 803: errs.Invalid, 804: errs.NotFound, 806: errs.Invalid,
	900: errs.Invalid, 903: errs.Invalid, 904: errs.NotFound, 905: errs.NotFound, 907: errs.Invalid,
}

// messages says in English what a visitor or integrator can do; the vendor
// message stays in the error for the logs.
var messages = map[int]string{
	3:   "the ticketing system refused Guichet's web service credentials",
	4:   "a parameter was refused by the ticketing system",
	7:   "the ticketing system is in maintenance",
	503: "no such contact",
	504: "wrong email or password",
	505: "required fields are missing",
	518: "an account already exists with this email",
	523: "the password breaks the rules: 8 characters or more, an upper-case letter, a lower-case letter, a digit, no @",
	524: "the password and its confirmation differ",
	527: "the email address is not valid",
	528: "the current password is wrong",
	529: "the new password must differ from the old one",
	601: "the session is not initialised",
	602: "no visitor is signed in on this session",
	605: "the session is invalid or has expired; create a new one",
	903: "the organisation needs a name and a nature",
	904: "no such organisation",
}

// fields names the input a code is about, for BAD_USER_INPUT errors.
var fields = map[int]string{518: "email", 523: "password", 524: "passwordConfirmation", 527: "email", 528: "currentPassword", 529: "newPassword"}

// statusError builds the typed error of a "ko" statut.
func statusError(op string, code int, vendorMsg, detail string) error {
	kind, ok := statusKinds[code]
	if !ok {
		kind = errs.Unavailable
	}
	msg := messages[code]
	if msg == "" {
		msg = vendorMsg
	}
	args := []any{errs.Op(op), kind, errs.Code(strconv.Itoa(code)), errs.Msg(msg)}
	if f := fields[code]; f != "" {
		args = append(args, errs.Field(f))
	}
	if detail != "" || vendorMsg != "" {
		args = append(args, &vendorError{Message: vendorMsg, Detail: detail})
	}
	return errs.E(args...)
}

// vendorError keeps the vendor's own wording for the operator's logs.
type vendorError struct{ Message, Detail string }

func (e *vendorError) Error() string {
	if e.Detail == "" {
		return "vendor: " + e.Message
	}
	return "vendor: " + e.Message + " (" + e.Detail + ")"
}

// StatusKind reports the kind of a "ko" code (for tests and tooling).
func StatusKind(code int) errs.Kind {
	if k, ok := statusKinds[code]; ok {
		return k
	}
	return errs.Unavailable
}
