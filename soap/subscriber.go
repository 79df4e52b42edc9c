package soap

import (
	"fmt"
	"log/slog"
	"time"

	gsoap "github.com/hooklift/gowsdl/soap"

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
	StateNote      int       // noteEtat
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

func boolF(name Field, get func(*Subscriber) *bool, set func(*cs.WsClient, *bool)) fieldSpec {
	return fieldSpec{name,
		func(s *Subscriber, w *cs.WsClient) { v := *get(s); set(w, &v) },
		func(s *Subscriber) bool { return !*get(s) }}
}

var writable = []fieldSpec{
	strF(FieldAddress1, func(s *Subscriber) *string { return &s.Address1 }, func(w *cs.WsClient, v *string) { w.Adresse1 = v }),
	strF(FieldAddress2, func(s *Subscriber) *string { return &s.Address2 }, func(w *cs.WsClient, v *string) { w.Adresse2 = v }),
	strF(FieldAddress3, func(s *Subscriber) *string { return &s.Address3 }, func(w *cs.WsClient, v *string) { w.Adresse3 = v }),
	strF(FieldLegacyCode, func(s *Subscriber) *string { return &s.LegacyCode }, func(w *cs.WsClient, v *string) { w.AncienCode = v }),
	strF(FieldTitle, func(s *Subscriber) *string { return &s.Title }, func(w *cs.WsClient, v *string) { w.Civilite = v }),
	strF(FieldTranscoCode, func(s *Subscriber) *string { return &s.TranscoCode }, func(w *cs.WsClient, v *string) { w.CodeClientTransco = v }),
	strF(FieldCountryCode, func(s *Subscriber) *string { return &s.CountryCode }, func(w *cs.WsClient, v *string) { w.CodeIsoPays = v }),
	strF(FieldNII, func(s *Subscriber) *string { return &s.NII }, func(w *cs.WsClient, v *string) { w.CodeNii = v }),
	{FieldPayerCode, func(s *Subscriber, w *cs.WsClient) { w.CodeTiers = i32(s.PayerCode) }, func(s *Subscriber) bool { return s.PayerCode == 0 }},
	strF(FieldPostalCode, func(s *Subscriber) *string { return &s.PostalCode }, func(w *cs.WsClient, v *string) { w.Cp = v }),
	strF(FieldEmail, func(s *Subscriber) *string { return &s.Email }, func(w *cs.WsClient, v *string) { w.Email = v }),
	strF(FieldPortalPassword, func(s *Subscriber) *string { return &s.PortalPassword }, func(w *cs.WsClient, v *string) { w.MotPasseAbm = v }),
	boolF(FieldNoSharing, func(s *Subscriber) *bool { return &s.NoSharing }, func(w *cs.WsClient, v *bool) { w.NePasDiffuser = v }),
	strF(FieldLastName, func(s *Subscriber) *string { return &s.LastName }, func(w *cs.WsClient, v *string) { w.Nom = v }),
	boolF(FieldUndelivered, func(s *Subscriber) *bool { return &s.UndeliveredAt }, func(w *cs.WsClient, v *bool) { w.Npai = v }),
	strF(FieldOrigin, func(s *Subscriber) *string { return &s.Origin }, func(w *cs.WsClient, v *string) { w.OrigineAbm = v }),
	boolF(FieldNoEmailing, func(s *Subscriber) *bool { return &s.NoEmailing }, func(w *cs.WsClient, v *bool) { w.PasEmailing = v }),
	boolF(FieldNoMailing, func(s *Subscriber) *bool { return &s.NoMailing }, func(w *cs.WsClient, v *bool) { w.PasMailing = v }),
	strF(FieldMobile, func(s *Subscriber) *string { return &s.Mobile }, func(w *cs.WsClient, v *string) { w.Portable = v }),
	strF(FieldFirstName, func(s *Subscriber) *string { return &s.FirstName }, func(w *cs.WsClient, v *string) { w.Prenom = v }),
	boolF(FieldAutoRenew, func(s *Subscriber) *bool { return &s.AutoRenew }, func(w *cs.WsClient, v *bool) { w.ReaboAuto = v }),
	boolF(FieldRemindPaidBy, func(s *Subscriber) *bool { return &s.RemindPaidBy }, func(w *cs.WsClient, v *bool) { w.RelancerPaye = v }),
	strF(FieldSIRET, func(s *Subscriber) *string { return &s.SIRET }, func(w *cs.WsClient, v *string) { w.Siret = v }),
	strF(FieldCompany, func(s *Subscriber) *string { return &s.Company }, func(w *cs.WsClient, v *string) { w.Societe = v }),
	{FieldDiscountRate, func(s *Subscriber, w *cs.WsClient) { v := s.DiscountRate; w.TauxRemiseAbo = &v }, func(s *Subscriber) bool { return s.DiscountRate == 0 }},
	strF(FieldFax, func(s *Subscriber) *string { return &s.Fax }, func(w *cs.WsClient, v *string) { w.Telecopie = v }),
	strF(FieldPhone, func(s *Subscriber) *string { return &s.Phone }, func(w *cs.WsClient, v *string) { w.Telephone = v }),
	// typeClient is always sent on create: 0 is a real value (Normal).
	{FieldType, func(s *Subscriber, w *cs.WsClient) { w.TypeClient = i32(int(s.Type)) }, func(*Subscriber) bool { return false }},
	strF(FieldCity, func(s *Subscriber) *string { return &s.City }, func(w *cs.WsClient, v *string) { w.Ville = v }),
}

var fieldByWire = func() map[string]fieldSpec {
	m := map[string]fieldSpec{"codeClient": {}}
	for _, f := range writable {
		m[string(f.name)] = f
	}
	return m
}()

func i32(v int) *int32 { x := int32(v); return &x }

// toWire builds the record to send: the named fields, or when none are named
// every writable field (skipZero leaves unset ones out, for creates).
func toWire(s *Subscriber, fields []Field, skipZero bool) *cs.WsClient {
	w := &cs.WsClient{}
	if s.Code != 0 {
		w.CodeClient = i32(s.Code)
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

// fromWire maps a record read from AboWeb; absent fields stay zero.
func fromWire(w *cs.WsClient) *Subscriber {
	if w == nil {
		return nil
	}
	s := &Subscriber{
		Code: deref32(w.CodeClient), Email: deref(w.Email), Title: deref(w.Civilite), FirstName: deref(w.Prenom),
		LastName: deref(w.Nom), Company: deref(w.Societe), Address1: deref(w.Adresse1), Address2: deref(w.Adresse2),
		Address3: deref(w.Adresse3), PostalCode: deref(w.Cp), City: deref(w.Ville), CountryCode: deref(w.CodeIsoPays),
		Phone: deref(w.Telephone), Mobile: deref(w.Portable), Fax: deref(w.Telecopie),
		Type: SubscriberType(deref32(w.TypeClient)), PayerCode: deref32(w.CodeTiers), Origin: deref(w.OrigineAbm),
		TranscoCode: deref(w.CodeClientTransco), LegacyCode: deref(w.AncienCode), NII: deref(w.CodeNii), SIRET: deref(w.Siret),
		PortalPassword: deref(w.MotPasseAbm), NoSharing: derefB(w.NePasDiffuser), NoEmailing: derefB(w.PasEmailing),
		NoMailing: derefB(w.PasMailing), AutoRenew: derefB(w.ReaboAuto), RemindPaidBy: derefB(w.RelancerPaye),
		UndeliveredAt: derefB(w.Npai), EmailInError: derefB(w.ErreurAel), UndeliveredNb: deref32(w.NbNpai),
		UndeliveredLvl: deref32(w.NoteNpai), StateNote: deref32(w.NoteEtat),
		CreatedAt: derefT(w.Creation), ModifiedAt: derefT(w.Modification),
	}
	if w.TauxRemiseAbo != nil {
		s.DiscountRate = *w.TauxRemiseAbo
	}
	return s
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func deref32(p *int32) int {
	if p == nil {
		return 0
	}
	return int(*p)
}

func derefB(p *bool) bool { return p != nil && *p }

func derefT(p *gsoap.XSDDateTime) time.Time {
	if p == nil {
		return time.Time{}
	}
	return p.ToGoTime()
}
