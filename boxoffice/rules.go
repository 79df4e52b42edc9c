package boxoffice

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// EmailProblem returns why an email address is not usable, or "".
func EmailProblem(email string) string {
	a, err := mail.ParseAddress(email)
	// No dot required in the domain: the vendor's own example address
	// (assistance@ressources-sfr) has none.
	if err != nil || a.Address != email {
		return "is not an email address"
	}
	if len(email) > 100 {
		return "is longer than 100 characters"
	}
	return ""
}

// PasswordProblem returns why a website password breaks the ticketing
// system's rules (annex 4.7: at least 8 characters, an upper-case letter,
// a lower-case letter, a digit, no '@'), or "" when it is acceptable.
func PasswordProblem(pw string) string {
	var up, low, dig bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			up = true
		case unicode.IsLower(r):
			low = true
		case unicode.IsDigit(r):
			dig = true
		}
	}
	switch {
	case utf8.RuneCountInString(pw) < 8:
		return "needs at least 8 characters"
	case strings.Contains(pw, "@"):
		return "must not contain @"
	case !up || !low || !dig:
		return "needs an upper-case letter, a lower-case letter and a digit"
	}
	return ""
}
