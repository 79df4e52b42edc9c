package boxoffice

import (
	"net/mail"
	"strings"
)

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
