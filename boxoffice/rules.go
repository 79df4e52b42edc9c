package boxoffice

import (
	"net/mail"
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
