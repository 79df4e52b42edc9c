package soap

import (
	"fmt"
	"log/slog"
	"strconv"
	"time"

	cs "github.com/guichet/guichet/soap/clientservice"
)

// SubscriberType is typeClient.
type SubscriberType int

const (
	TypeNormal     SubscriberType = 0 // Client / Normal
	TypeThirdParty SubscriberType = 1 // Tiers: pays for others
	TypePaidBy     SubscriberType = 2 // Payé par: needs PayerCode
	TypeProspect   SubscriberType = 3
	TypePrescriber SubscriberType = 4
	// TypeOther is a typeClient AboWeb sent outside the documented 0..4 (or
	// not a number): read, never sent.
	TypeOther SubscriberType = -1
)

// Subscriber is the AboWeb client record in Guichet's words. It holds personal
// data: its String, GoString and LogValue show the code only.
type Subscriber struct {
	Code        int            // codeClient; 0 on create
	Email       string         // email
	Title       string         // civilite: M, MME, MLLE
	FirstName   string         // prenom
	LastName    string         // nom
	Company     string         // societe
	Address1    string         // adresse1: complement line
	Address2    string         // adresse2: street line
	Address3    string         // adresse3: extra line, at most 40 characters
	PostalCode  string         // cp
	City        string         // ville
	CountryCode string         // codeIsoPays, ISO 3166-1 alpha-2
	Phone       string         // telephone
	Mobile      string         // portable
	Fax         string         // telecopie
	Type        SubscriberType // typeClient
	PayerCode   int            // codeTiers: the paying Tiers when Type is TypePaidBy
	Origin      string         // origineAbm
	TranscoCode string         // codeClientTransco (GUESS name)
	LegacyCode  string         // ancienCode (GUESS name)
	NII         string         // codeNii
	SIRET       string         // siret
	// PortalPassword is motPasseAbm, the customer's portal password (clear on the wire).
	PortalPassword string
	NoSharing      bool    // nePasDiffuser
	NoEmailing     bool    // pasEmailing
	NoMailing      bool    // pasMailing
	AutoRenew      bool    // reaboAuto
	RemindPaidBy   bool    // relancerPaye
	UndeliveredAt  bool    // npai
	DiscountRate   float64 // tauxRemiseAbo, percent

	// Read-only, maintained by AboWeb.
	EmailInError   bool      // erreurAel
	UndeliveredNb  int       // nbNpai
	UndeliveredLvl int       // noteNpai
	StateNote      string    // noteEtat, as sent: a number or a word ("Ok", "Radié")
	CreatedAt      time.Time // creation
	ModifiedAt     time.Time // modification
}

func (s Subscriber) String() string       { return fmt.Sprintf("soap.Subscriber{Code:%d}", s.Code) }
func (s Subscriber) GoString() string     { return s.String() }
func (s Subscriber) LogValue() slog.Value { return slog.IntValue(s.Code) }

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
	put  func(s *Subscriber, w *cs.WsClient)
	zero func(s *Subscriber) bool
}

func strF(name Field, get func(*Subscriber) *string, set func(*cs.WsClient, *string)) fieldSpec {
	return fieldSpec{name,
		func(s *Subscriber, w *cs.WsClient) { v := *get(s); set(w, &v) },
		func(s *Subscriber) bool { return *get(s) == "" }}
}

// Every wire field is text (gowsdlfix fix 5); what is sent keeps the form
// of the WSDL's types: xs:boolean true/false, xs:int and xs:double digits.
func boolF(name Field, get func(*Subscriber) *bool, set func(*cs.WsClient, *string)) fieldSpec {
	return fieldSpec{name,
		func(s *Subscriber, w *cs.WsClient) { set(w, bstr(*get(s))) },
		func(s *Subscriber) bool { return !*get(s) }}
}

func bstr(b bool) *string { v := strconv.FormatBool(b); return &v }

func istr(n int) *string { v := strconv.Itoa(n); return &v }

// fstr writes a double as encoding/xml wrote the former float64 field.
func fstr(x float64) *string { v := strconv.FormatFloat(x, 'g', -1, 64); return &v }

var writable = []fieldSpec{
	strF(FieldAddress1, func(s *Subscriber) *string { return &s.Address1 }, func(w *cs.WsClient, v *string) { w.Adresse1 = v }),
	strF(FieldAddress2, func(s *Subscriber) *string { return &s.Address2 }, func(w *cs.WsClient, v *string) { w.Adresse2 = v }),
	strF(FieldAddress3, func(s *Subscriber) *string { return &s.Address3 }, func(w *cs.WsClient, v *string) { w.Adresse3 = v }),
	strF(FieldLegacyCode, func(s *Subscriber) *string { return &s.LegacyCode }, func(w *cs.WsClient, v *string) { w.AncienCode = v }),
	strF(FieldTitle, func(s *Subscriber) *string { return &s.Title }, func(w *cs.WsClient, v *string) { w.Civilite = v }),
	strF(FieldTranscoCode, func(s *Subscriber) *string { return &s.TranscoCode }, func(w *cs.WsClient, v *string) { w.CodeClientTransco = v }),
	strF(FieldCountryCode, func(s *Subscriber) *string { return &s.CountryCode }, func(w *cs.WsClient, v *string) { w.CodeIsoPays = v }),
	strF(FieldNII, func(s *Subscriber) *string { return &s.NII }, func(w *cs.WsClient, v *string) { w.CodeNii = v }),
	{FieldPayerCode, func(s *Subscriber, w *cs.WsClient) { w.CodeTiers = istr(s.PayerCode) }, func(s *Subscriber) bool { return s.PayerCode == 0 }},
	strF(FieldPostalCode, func(s *Subscriber) *string { return &s.PostalCode }, func(w *cs.WsClient, v *string) { w.Cp = v }),
	strF(FieldEmail, func(s *Subscriber) *string { return &s.Email }, func(w *cs.WsClient, v *string) { w.Email = v }),
	strF(FieldPortalPassword, func(s *Subscriber) *string { return &s.PortalPassword }, func(w *cs.WsClient, v *string) { w.MotPasseAbm = v }),
	boolF(FieldNoSharing, func(s *Subscriber) *bool { return &s.NoSharing }, func(w *cs.WsClient, v *string) { w.NePasDiffuser = v }),
	strF(FieldLastName, func(s *Subscriber) *string { return &s.LastName }, func(w *cs.WsClient, v *string) { w.Nom = v }),
	boolF(FieldUndelivered, func(s *Subscriber) *bool { return &s.UndeliveredAt }, func(w *cs.WsClient, v *string) { w.Npai = v }),
	strF(FieldOrigin, func(s *Subscriber) *string { return &s.Origin }, func(w *cs.WsClient, v *string) { w.OrigineAbm = v }),
	boolF(FieldNoEmailing, func(s *Subscriber) *bool { return &s.NoEmailing }, func(w *cs.WsClient, v *string) { w.PasEmailing = v }),
	boolF(FieldNoMailing, func(s *Subscriber) *bool { return &s.NoMailing }, func(w *cs.WsClient, v *string) { w.PasMailing = v }),
	strF(FieldMobile, func(s *Subscriber) *string { return &s.Mobile }, func(w *cs.WsClient, v *string) { w.Portable = v }),
	strF(FieldFirstName, func(s *Subscriber) *string { return &s.FirstName }, func(w *cs.WsClient, v *string) { w.Prenom = v }),
	boolF(FieldAutoRenew, func(s *Subscriber) *bool { return &s.AutoRenew }, func(w *cs.WsClient, v *string) { w.ReaboAuto = v }),
	boolF(FieldRemindPaidBy, func(s *Subscriber) *bool { return &s.RemindPaidBy }, func(w *cs.WsClient, v *string) { w.RelancerPaye = v }),
	strF(FieldSIRET, func(s *Subscriber) *string { return &s.SIRET }, func(w *cs.WsClient, v *string) { w.Siret = v }),
	strF(FieldCompany, func(s *Subscriber) *string { return &s.Company }, func(w *cs.WsClient, v *string) { w.Societe = v }),
	{FieldDiscountRate, func(s *Subscriber, w *cs.WsClient) { w.TauxRemiseAbo = fstr(s.DiscountRate) }, func(s *Subscriber) bool { return s.DiscountRate == 0 }},
	strF(FieldFax, func(s *Subscriber) *string { return &s.Fax }, func(w *cs.WsClient, v *string) { w.Telecopie = v }),
	strF(FieldPhone, func(s *Subscriber) *string { return &s.Phone }, func(w *cs.WsClient, v *string) { w.Telephone = v }),
	// typeClient is always sent on create: 0 is a real value (Normal).
	{FieldType, func(s *Subscriber, w *cs.WsClient) { w.TypeClient = istr(int(s.Type)) }, func(*Subscriber) bool { return false }},
	strF(FieldCity, func(s *Subscriber) *string { return &s.City }, func(w *cs.WsClient, v *string) { w.Ville = v }),
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
func toWire(s *Subscriber, fields []Field, skipZero bool) *cs.WsClient {
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
func fromWire(w *cs.WsClient, r fieldReader) *Subscriber {
	if w == nil {
		return nil
	}
	return &Subscriber{
		Code: r.int("codeClient", w.CodeClient), Email: deref(w.Email), Title: deref(w.Civilite), FirstName: deref(w.Prenom),
		LastName: deref(w.Nom), Company: deref(w.Societe), Address1: deref(w.Adresse1), Address2: deref(w.Adresse2),
		Address3: deref(w.Adresse3), PostalCode: deref(w.Cp), City: deref(w.Ville), CountryCode: deref(w.CodeIsoPays),
		Phone: deref(w.Telephone), Mobile: deref(w.Portable), Fax: deref(w.Telecopie),
		Type: r.subscriberType(w.TypeClient), PayerCode: r.int("codeTiers", w.CodeTiers), Origin: deref(w.OrigineAbm),
		TranscoCode: deref(w.CodeClientTransco), LegacyCode: deref(w.AncienCode), NII: deref(w.CodeNii), SIRET: deref(w.Siret),
		PortalPassword: deref(w.MotPasseAbm), NoSharing: r.bool("nePasDiffuser", w.NePasDiffuser),
		NoEmailing: r.bool("pasEmailing", w.PasEmailing), NoMailing: r.bool("pasMailing", w.PasMailing),
		AutoRenew: r.bool("reaboAuto", w.ReaboAuto), RemindPaidBy: r.bool("relancerPaye", w.RelancerPaye),
		UndeliveredAt: r.bool("npai", w.Npai), EmailInError: r.bool("erreurAel", w.ErreurAel),
		UndeliveredNb: r.int("nbNpai", w.NbNpai), UndeliveredLvl: r.int("noteNpai", w.NoteNpai), StateNote: text(w.NoteEtat),
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
