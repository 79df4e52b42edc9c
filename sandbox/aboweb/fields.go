package aboweb

// The WSClient record as the simulator stores and sends it. The 2015 request
// template (33 elements, alphabetical) is the evidence for the names; the
// kinds of most fields and the read-only set are GUESSES, all kept here so
// one edit fixes them when a real WSDL or capture arrives.

type kind int

const (
	kString kind = iota
	kInt
	kBool
	kDouble
	kDateTime
)

type fieldSpec struct {
	name     string
	kind     kind
	readOnly bool // maintained by AboWeb: ignored on input
	maxLen   int  // 0 = no limit checked
}

// clientFields in wire order (alphabetical, as the 2015 template).
// codeClient is the key and creation/modification are stored as times: they
// are listed for the order and the kind, handled apart.
var clientFields = []fieldSpec{
	{name: "adresse1"},
	{name: "adresse2"},
	{name: "adresse3", maxLen: 40}, // ebdo truncates to 40 (evidence)
	{name: "ancienCode"},           // GUESS: implied by getClientByAncienCode
	{name: "civilite"},
	{name: "codeClient", kind: kInt},
	{name: "codeClientTransco"}, // GUESS: implied by getClientsByCodeClientTransco
	{name: "codeIsoPays"},
	{name: "codeNii"},
	{name: "codeTiers", kind: kInt},
	{name: "cp"},
	{name: "creation", kind: kDateTime, readOnly: true},
	{name: "email"},
	{name: "erreurAel", kind: kBool, readOnly: true},
	{name: "modification", kind: kDateTime, readOnly: true},
	{name: "motPasseAbm"},
	{name: "nbNpai", kind: kInt, readOnly: true},
	{name: "nePasDiffuser", kind: kBool},
	{name: "nom"},
	{name: "noteEtat", kind: kInt, readOnly: true},
	{name: "noteNpai", kind: kInt, readOnly: true},
	{name: "npai", kind: kBool},
	{name: "origineAbm"},
	{name: "pasEmailing", kind: kBool},
	{name: "pasMailing", kind: kBool},
	{name: "portable"},
	{name: "prenom"},
	{name: "reaboAuto", kind: kBool},
	{name: "relancerPaye", kind: kBool},
	{name: "siret"},
	{name: "societe"},
	{name: "tauxRemiseAbo", kind: kDouble},
	{name: "telecopie"},
	{name: "telephone"},
	{name: "typeClient", kind: kInt},
	{name: "ville"},
}

var fieldByName = func() map[string]fieldSpec {
	m := make(map[string]fieldSpec, len(clientFields))
	for _, f := range clientFields {
		m[f.name] = f
	}
	return m
}()

// Client types (typeClient), from the spec's getClientsWithCriteria comments.
const (
	TypeNormal       = 0 // "Client"
	TypeTiers        = 1 // third party that pays for others
	TypePayePar      = 2 // paid by a Tiers: codeTiers is mandatory
	TypeProspect     = 3
	TypePrescripteur = 4
)
