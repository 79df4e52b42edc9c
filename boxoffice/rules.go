package boxoffice

import (
	"net/mail"
	"strings"
	"unicode"
)

// PasswordProblem returns why a website password breaks the ticketing
// system's rules (spec 4.7), or "" when it is acceptable: at least 8
// characters, an upper-case and a lower-case letter, a digit, and no '@'.
func PasswordProblem(pw string) string {
	var upper, lower, digit bool
	for _, r := range pw {
		upper = upper || unicode.IsUpper(r)
		lower = lower || unicode.IsLower(r)
		digit = digit || unicode.IsDigit(r)
	}
	switch {
	case len([]rune(pw)) < 8:
		return "needs at least 8 characters"
	case strings.Contains(pw, "@"):
		return "must not contain @"
	case !upper || !lower || !digit:
		return "needs an upper-case letter, a lower-case letter and a digit"
	}
	return ""
}

// EmailProblem returns why an email address is not usable, or "".
func EmailProblem(email string) string {
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") {
		return "is not an email address"
	}
	if len(email) > 100 {
		return "is longer than 100 characters"
	}
	return ""
}
