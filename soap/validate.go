package soap

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/guichet/guichet/errs"
	cs "github.com/guichet/guichet/soap/clientservice"
)

// maxAdresse3 is the length AboWeb accepts for adresse3 (ebdo had to cut it).
const maxAdresse3 = 40

func invalid(op string, f Field, msg string) error {
	return errs.E(errs.Op("soap."+op), errs.Invalid, errs.Field(string(f)), errs.Msg(msg))
}

// validEmail is a shape check only: one @, a dotted domain, no spaces.
func validEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " \t\r\n<>,;\"") {
		return false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || strings.Contains(domain, "@") {
		return false
	}
	dot := strings.LastIndexByte(domain, '.')
	return dot > 0 && dot < len(domain)-2 && !strings.Contains(domain, "..")
}

func checkEmail(op, email string) error {
	if !validEmail(email) {
		return invalid(op, FieldEmail, "not a valid email address")
	}
	return nil
}

// validCountry accepts ISO 3166-1 alpha-2 country codes only.
func validCountry(s string) bool {
	if len(s) != 2 || s != strings.ToUpper(s) {
		return false
	}
	r, err := language.ParseRegion(s)
	return err == nil && r.IsCountry()
}

// maxLength is the most characters sent in each text field of a record.
// GUESS: the vendor documents no lengths (only adresse3's 40 is known, from
// a client that had to cut it). They bound what a caller sends (checked
// before the read-modify-write merge, so AboWeb's own stored values are never
// re-validated); they keep a 16,000-character name from reaching AboWeb.
var maxLength = map[Field]int{
	FieldAddress1: 255, FieldAddress2: 255, FieldAddress3: maxAdresse3,
	FieldLegacyCode: 100, FieldTitle: 50, FieldTranscoCode: 100, FieldCountryCode: 2,
	FieldNII: 100, FieldPostalCode: 20, FieldEmail: 254, FieldPortalPassword: 128,
	FieldLastName: 255, FieldOrigin: 100, FieldMobile: 50, FieldFirstName: 255,
	FieldSIRET: 20, FieldCompany: 255, FieldFax: 50, FieldPhone: 50, FieldCity: 255,
}

// textFields lists the text fields of a wire record with their names.
func textFields(w *cs.WsClient) []struct {
	f Field
	v *string
} {
	return []struct {
		f Field
		v *string
	}{
		{FieldAddress1, w.Adresse1}, {FieldAddress2, w.Adresse2}, {FieldAddress3, w.Adresse3},
		{FieldLegacyCode, w.AncienCode}, {FieldTitle, w.Civilite}, {FieldTranscoCode, w.CodeClientTransco},
		{FieldCountryCode, w.CodeIsoPays}, {FieldNII, w.CodeNii}, {FieldPostalCode, w.Cp},
		{FieldEmail, w.Email}, {FieldPortalPassword, w.MotPasseAbm}, {FieldLastName, w.Nom},
		{FieldOrigin, w.OrigineAbm}, {FieldMobile, w.Portable}, {FieldFirstName, w.Prenom},
		{FieldSIRET, w.Siret}, {FieldCompany, w.Societe}, {FieldFax, w.Telecopie},
		{FieldPhone, w.Telephone}, {FieldCity, w.Ville},
	}
}

// checkText bounds every text field and refuses control characters other
// than tabs and line breaks (which AboWeb's own data may hold; the GraphQL
// layer refuses them in what clients send).
func checkText(op string, w *cs.WsClient) error {
	for _, t := range textFields(w) {
		if t.v == nil {
			continue
		}
		if max := maxLength[t.f]; max > 0 && utf8.RuneCountInString(*t.v) > max {
			return invalid(op, t.f, fmt.Sprintf("at most %d characters", max))
		}
		if strings.IndexFunc(*t.v, func(r rune) bool { return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f }) >= 0 {
			return invalid(op, t.f, "control characters are not allowed")
		}
	}
	return nil
}

// validateRecord checks what is about to be sent, before any call.
func validateRecord(op string, w *wireView) error {
	if v, ok := w.str(FieldEmail); ok && v != "" && !validEmail(v) {
		return invalid(op, FieldEmail, "not a valid email address")
	}
	if v, ok := w.str(FieldAddress3); ok && utf8.RuneCountInString(v) > maxAdresse3 {
		return invalid(op, FieldAddress3, "at most 40 characters")
	}
	if err := checkText(op, w.w); err != nil {
		return err
	}
	if v, ok := w.str(FieldCountryCode); ok && v != "" && !validCountry(v) {
		return invalid(op, FieldCountryCode, "not an ISO 3166-1 alpha-2 country code such as FR")
	}
	if t, ok := w.int(FieldType); ok {
		if t < int(TypeNormal) || t > int(TypePrescriber) {
			return invalid(op, FieldType, "subscriber type must be 0 to 4")
		}
		if t == int(TypePaidBy) {
			if p, ok := w.int(FieldPayerCode); !ok || p <= 0 {
				return invalid(op, FieldPayerCode, "a paid-by subscriber needs the code of its paying third party")
			}
		}
	}
	return nil
}
