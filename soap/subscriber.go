package soap

import (
	"strconv"

	"github.com/guichet/guichet/crm"
	cs "github.com/guichet/guichet/soap/clientservice"
)

// TypeCode is a typeClient value as AboWeb numbers it.
type TypeCode int

const (
	TypeNormal     TypeCode = 0 // Client / Normal
	TypeThirdParty TypeCode = 1 // Tiers: pays for others
	TypePaidBy     TypeCode = 2 // Payé par: needs codeTiers
	TypeProspect   TypeCode = 3
	TypePrescriber TypeCode = 4
)

// typeCodes maps the API's types to typeClient; crm.TypeOther has none (it
// stands for a code outside this table and is never sent).
var typeCodes = map[crm.Type]TypeCode{
	crm.TypeNormal: TypeNormal, crm.TypeThirdParty: TypeThirdParty, crm.TypePaidBy: TypePaidBy,
	crm.TypeProspect: TypeProspect, crm.TypePrescriber: TypePrescriber,
}

func typeOfCode(n int) (crm.Type, bool) {
	for t, c := range typeCodes {
		if int(c) == n {
			return t, true
		}
	}
	return crm.TypeOther, false
}

// Field names a record field by its wire name, to say what an update sends.
type Field string

const (
	FieldAddress1       Field = "adresse1"
	FieldAddress2       Field = "adresse2"
	FieldAddress3       Field = "adresse3"
	FieldLegacyCode     Field = "ancienCode"
	FieldTitle          Field = "civilite"
	FieldTranscoCode    Field = "codeClientTransco"
	FieldCountryCode    Field = "codeIsoPays"
	FieldNII            Field = "codeNii"
	FieldPayerCode      Field = "codeTiers"
	FieldPostalCode     Field = "cp"
	FieldEmail          Field = "email"
	FieldPortalPassword Field = "motPasseAbm"
	FieldNoSharing      Field = "nePasDiffuser"
	FieldLastName       Field = "nom"
	FieldUndelivered    Field = "npai"
	FieldOrigin         Field = "origineAbm"
	FieldNoEmailing     Field = "pasEmailing"
	FieldNoMailing      Field = "pasMailing"
	FieldMobile         Field = "portable"
	FieldFirstName      Field = "prenom"
	FieldAutoRenew      Field = "reaboAuto"
	FieldRemindPaidBy   Field = "relancerPaye"
	FieldSIRET          Field = "siret"
	FieldCompany        Field = "societe"
	FieldDiscountRate   Field = "tauxRemiseAbo"
	FieldFax            Field = "telecopie"
	FieldPhone          Field = "telephone"
	FieldType           Field = "typeClient"
	FieldCity           Field = "ville"
)

// writable is every field an update may send, with how to copy it from a
// Subscriber into the wire record and whether it is set.
type fieldSpec struct {
	name Field
	put  func(s *crm.Subscriber, w *cs.WsClient)
	zero func(s *crm.Subscriber) bool
}

func strF(name Field, get func(*crm.Subscriber) *string, set func(*cs.WsClient, *string)) fieldSpec {
	return fieldSpec{name,
		func(s *crm.Subscriber, w *cs.WsClient) { v := *get(s); set(w, &v) },
		func(s *crm.Subscriber) bool { return *get(s) == "" }}
}

// Every wire field is text (gowsdlfix fix 5); what is sent keeps the form
// of the WSDL's types: xs:boolean true/false, xs:int and xs:double digits.
func boolF(name Field, get func(*crm.Subscriber) *bool, set func(*cs.WsClient, *string)) fieldSpec {
	return fieldSpec{name,
		func(s *crm.Subscriber, w *cs.WsClient) { set(w, bstr(*get(s))) },
		func(s *crm.Subscriber) bool { return !*get(s) }}
}

func bstr(b bool) *string { v := strconv.FormatBool(b); return &v }

func istr(n int) *string { v := strconv.Itoa(n); return &v }

// fstr writes a double as encoding/xml wrote the former float64 field.
func fstr(x float64) *string { v := strconv.FormatFloat(x, 'g', -1, 64); return &v }

// writable maps the crm record to the client record. Two element names are
// GUESSes (codeClientTransco, ancienCode); motPasseAbm travels in clear.
var writable = []fieldSpec{
	strF(FieldAddress1, func(s *crm.Subscriber) *string { return &s.Address1 }, func(w *cs.WsClient, v *string) { w.Adresse1 = v }),
	strF(FieldAddress2, func(s *crm.Subscriber) *string { return &s.Address2 }, func(w *cs.WsClient, v *string) { w.Adresse2 = v }),
	strF(FieldAddress3, func(s *crm.Subscriber) *string { return &s.Address3 }, func(w *cs.WsClient, v *string) { w.Adresse3 = v }),
	strF(FieldLegacyCode, func(s *crm.Subscriber) *string { return &s.OldCode }, func(w *cs.WsClient, v *string) { w.AncienCode = v }),
	strF(FieldTitle, func(s *crm.Subscriber) *string { return &s.Title }, func(w *cs.WsClient, v *string) { w.Civilite = v }),
	strF(FieldTranscoCode, func(s *crm.Subscriber) *string { return &s.TranscoCode }, func(w *cs.WsClient, v *string) { w.CodeClientTransco = v }),
	strF(FieldCountryCode, func(s *crm.Subscriber) *string { return &s.Country }, func(w *cs.WsClient, v *string) { w.CodeIsoPays = v }),
	strF(FieldNII, func(s *crm.Subscriber) *string { return &s.NII }, func(w *cs.WsClient, v *string) { w.CodeNii = v }),
	{FieldPayerCode, func(s *crm.Subscriber, w *cs.WsClient) { w.CodeTiers = istr(s.PayerCode) }, func(s *crm.Subscriber) bool { return s.PayerCode == 0 }},
	strF(FieldPostalCode, func(s *crm.Subscriber) *string { return &s.PostalCode }, func(w *cs.WsClient, v *string) { w.Cp = v }),
	strF(FieldEmail, func(s *crm.Subscriber) *string { return &s.Email }, func(w *cs.WsClient, v *string) { w.Email = v }),
	strF(FieldPortalPassword, func(s *crm.Subscriber) *string { return &s.PortalPassword }, func(w *cs.WsClient, v *string) { w.MotPasseAbm = v }),
	boolF(FieldNoSharing, func(s *crm.Subscriber) *bool { return &s.DoNotShare }, func(w *cs.WsClient, v *string) { w.NePasDiffuser = v }),
	strF(FieldLastName, func(s *crm.Subscriber) *string { return &s.LastName }, func(w *cs.WsClient, v *string) { w.Nom = v }),
	boolF(FieldUndelivered, func(s *crm.Subscriber) *bool { return &s.Undeliverable }, func(w *cs.WsClient, v *string) { w.Npai = v }),
	strF(FieldOrigin, func(s *crm.Subscriber) *string { return &s.Origin }, func(w *cs.WsClient, v *string) { w.OrigineAbm = v }),
	boolF(FieldNoEmailing, func(s *crm.Subscriber) *bool { return &s.NoEmailing }, func(w *cs.WsClient, v *string) { w.PasEmailing = v }),
	boolF(FieldNoMailing, func(s *crm.Subscriber) *bool { return &s.NoPostalMailing }, func(w *cs.WsClient, v *string) { w.PasMailing = v }),
	strF(FieldMobile, func(s *crm.Subscriber) *string { return &s.Mobile }, func(w *cs.WsClient, v *string) { w.Portable = v }),
	strF(FieldFirstName, func(s *crm.Subscriber) *string { return &s.FirstName }, func(w *cs.WsClient, v *string) { w.Prenom = v }),
	boolF(FieldAutoRenew, func(s *crm.Subscriber) *bool { return &s.AutoRenew }, func(w *cs.WsClient, v *string) { w.ReaboAuto = v }),
	boolF(FieldRemindPaidBy, func(s *crm.Subscriber) *bool { return &s.RemindPaidBy }, func(w *cs.WsClient, v *string) { w.RelancerPaye = v }),
	strF(FieldSIRET, func(s *crm.Subscriber) *string { return &s.Siret }, func(w *cs.WsClient, v *string) { w.Siret = v }),
	strF(FieldCompany, func(s *crm.Subscriber) *string { return &s.Company }, func(w *cs.WsClient, v *string) { w.Societe = v }),
	{FieldDiscountRate, func(s *crm.Subscriber, w *cs.WsClient) { w.TauxRemiseAbo = fstr(s.DiscountRate) }, func(s *crm.Subscriber) bool { return s.DiscountRate == 0 }},
	strF(FieldFax, func(s *crm.Subscriber) *string { return &s.Fax }, func(w *cs.WsClient, v *string) { w.Telecopie = v }),
	strF(FieldPhone, func(s *crm.Subscriber) *string { return &s.Phone }, func(w *cs.WsClient, v *string) { w.Telephone = v }),
	// typeClient is always sent on create: 0 is a real value (Normal).
	{FieldType, func(s *crm.Subscriber, w *cs.WsClient) { w.TypeClient = istr(int(typeCodes[s.Type])) }, func(*crm.Subscriber) bool { return false }},
	strF(FieldCity, func(s *crm.Subscriber) *string { return &s.City }, func(w *cs.WsClient, v *string) { w.Ville = v }),
}

var fieldByWire = func() map[string]fieldSpec {
	m := map[string]fieldSpec{"codeClient": {}}
	for _, f := range writable {
		m[string(f.name)] = f
	}
	return m
}()

// toWire builds the record to send: the named fields, or when none are named
// every writable field (skipZero leaves unset ones out, for creates).
func toWire(s *crm.Subscriber, fields []Field, skipZero bool) *cs.WsClient {
	w := &cs.WsClient{}
	if s.Code != 0 {
		w.CodeClient = istr(s.Code)
	}
	if len(fields) > 0 {
		for _, f := range fields {
			fieldByWire[string(f)].put(s, w)
		}
		return w
	}
	for _, f := range writable {
		if skipZero && f.zero(s) {
			continue
		}
		f.put(s, w)
	}
	return w
}

// fromWire maps a record read from AboWeb; absent fields stay zero and
// unreadable ones are zero too, reported through r.
func fromWire(w *cs.WsClient, r fieldReader) *crm.Subscriber {
	if w == nil {
		return nil
	}
	return &crm.Subscriber{
		Code: r.int("codeClient", w.CodeClient), Email: deref(w.Email), Title: deref(w.Civilite), FirstName: deref(w.Prenom),
		LastName: deref(w.Nom), Company: deref(w.Societe), Address1: deref(w.Adresse1), Address2: deref(w.Adresse2),
		Address3: deref(w.Adresse3), PostalCode: deref(w.Cp), City: deref(w.Ville), Country: deref(w.CodeIsoPays),
		Phone: deref(w.Telephone), Mobile: deref(w.Portable), Fax: deref(w.Telecopie),
		Type: r.subscriberType(w.TypeClient), PayerCode: r.int("codeTiers", w.CodeTiers), Origin: deref(w.OrigineAbm),
		TranscoCode: deref(w.CodeClientTransco), OldCode: deref(w.AncienCode), NII: deref(w.CodeNii), Siret: deref(w.Siret),
		PortalPassword: deref(w.MotPasseAbm), DoNotShare: r.bool("nePasDiffuser", w.NePasDiffuser),
		NoEmailing: r.bool("pasEmailing", w.PasEmailing), NoPostalMailing: r.bool("pasMailing", w.PasMailing),
		AutoRenew: r.bool("reaboAuto", w.ReaboAuto), RemindPaidBy: r.bool("relancerPaye", w.RelancerPaye),
		Undeliverable: r.bool("npai", w.Npai), EmailInError: r.bool("erreurAel", w.ErreurAel),
		UndeliveredCount: r.int("nbNpai", w.NbNpai), UndeliveredScore: r.int("noteNpai", w.NoteNpai), StateNote: text(w.NoteEtat),
		DiscountRate: r.float("tauxRemiseAbo", w.TauxRemiseAbo),
		CreatedAt:    r.time("creation", w.Creation), ModifiedAt: r.time("modification", w.Modification),
	}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
