package billetterie

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"sort"
	"time"

	"github.com/guichet/guichet/errs"
)

// Export types of ws_liste_fiches_modifiees (type_export).
const (
	ExportAll           = ""                // full records (no type_export)
	ExportContacts      = "liste_contact"   // ids of contacts
	ExportOrganisations = "liste_organisme" // ids of organisations
	ExportLinks         = "liste_lien"      // ids of links
	ExportIDs           = "liste_fiches"    // ids of every kind
)

// FichesQuery asks the API host for the records changed since a date.
type FichesQuery struct {
	Since        time.Time // ts, AAAA-MM-DDTHH:MM:SS in Paris (required)
	Export       string    // type_export, one of the Export constants
	FiltreClient *bool     // Filtre_client: records whose criterion champ_35 is true (1) or not (0)
}

// Lien is a link record (liste_liens).
type Lien struct {
	ID          ID   `json:"id"`
	IDContact   ID   `json:"id_contact"`   // "" when the link has no contact (spec: "vide si pas de contact")
	IDOrganisme ID   `json:"id_organisme"` // "" when it has no organisation
	Fonction    Text `json:"fonction"`
	Service     Text `json:"service"`
	Telephone   Text `json:"telephone"`
	Portable    Text `json:"portable"`
	Email       Text `json:"email"`
}

// FichesModifiees are the changed records: full ones (no type_export) or
// their ids (with type_export).
type FichesModifiees struct {
	ListeContacts         List[ContactInfo]    `json:"liste_contacts"`
	ListeOrganismes       List[Organisme]      `json:"liste_organismes"`
	ListeAdresses         List[Adresse]        `json:"liste_adresses"`
	ListeLiens            List[Lien]           `json:"liste_liens"`
	ListeEnvois           List[Choix]          `json:"liste_envois"`
	ListeInterets         List[Choix]          `json:"liste_interets"`
	ListeNiveauxRelations List[NiveauRelation] `json:"liste_niveaux_relations"`

	Contacts         LenientIDs `json:"liste_contacts_id"`
	Organismes       LenientIDs `json:"liste_organismes_id"`
	Adresses         LenientIDs `json:"liste_adresses_id"`
	Liens            LenientIDs `json:"liste_liens_id"`
	Envois           LenientIDs `json:"liste_envois_id"`
	Interets         LenientIDs `json:"liste_interets_id"`
	NiveauxRelations LenientIDs `json:"liste_niveaux_relations_id"`
}

// UnmarshalJSON reads the changed records leniently: the spec prints the
// ids of a type_export answer under liste_X_id in its example but under
// liste_X in its table, and calls each list an "Objet" of objects; so a
// list may be an array or an object of records, and a bare id found in a
// record list is an id. A record that cannot be read is skipped.
func (f *FichesModifiees) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if json.Unmarshal(b, &raw) != nil {
		*f = FichesModifiees{}
		return nil
	}
	out := FichesModifiees{}
	kinds := []struct {
		key    string
		ids    *LenientIDs
		record func(json.RawMessage)
	}{
		{"liste_contacts", &out.Contacts, func(r json.RawMessage) { appendRecord(&out.ListeContacts, r) }},
		{"liste_organismes", &out.Organismes, func(r json.RawMessage) { appendRecord(&out.ListeOrganismes, r) }},
		{"liste_adresses", &out.Adresses, func(r json.RawMessage) { appendRecord(&out.ListeAdresses, r) }},
		{"liste_liens", &out.Liens, func(r json.RawMessage) { appendRecord(&out.ListeLiens, r) }},
		{"liste_envois", &out.Envois, func(r json.RawMessage) { appendRecord(&out.ListeEnvois, r) }},
		{"liste_interets", &out.Interets, func(r json.RawMessage) { appendRecord(&out.ListeInterets, r) }},
		{"liste_niveaux_relations", &out.NiveauxRelations, func(r json.RawMessage) { appendRecord(&out.ListeNiveauxRelations, r) }},
	}
	for _, k := range kinds {
		if r, ok := raw[k.key+"_id"]; ok {
			k.ids.UnmarshalJSON(r)
		}
		for _, el := range elements(raw[k.key]) {
			if t := bytes.TrimSpace(el); len(t) > 0 && t[0] == '{' {
				k.record(el)
				continue
			}
			var id ID
			id.UnmarshalJSON(el)
			if id != "" {
				*k.ids = append(*k.ids, id)
			}
		}
	}
	*f = out
	return nil
}

// elements are the members of a JSON array, or the values of an object (in
// no set order); nothing for anything else.
func elements(raw json.RawMessage) []json.RawMessage {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return nil
	}
	switch t[0] {
	case '[':
		var l []json.RawMessage
		json.Unmarshal(t, &l)
		return l
	case '{':
		var m map[string]json.RawMessage
		json.Unmarshal(t, &m)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		l := make([]json.RawMessage, 0, len(m))
		for _, k := range keys {
			l = append(l, m[k])
		}
		return l
	}
	return nil
}

func appendRecord[T any](dst *List[T], raw json.RawMessage) {
	var v T
	if json.Unmarshal(raw, &v) == nil {
		*dst = append(*dst, v)
	} else {
		unreadable.Add(1)
	}
}

// FichesModifieesSince calls ws_liste_fiches_modifiees through the API host
// (<BILLETTERIE_API_URL>/ws_execute_programme, always GET, its own
// x_rsi_login and x_rsi_api_key).
func (c *Client) FichesModifieesSince(ctx context.Context, q FichesQuery) (*FichesModifiees, error) {
	const op = "billetterie.ws_liste_fiches_modifiees"
	if c.api == "" || c.cfg.APILogin == "" || c.cfg.APIKey == "" {
		return nil, errs.E(errs.Op(op), errs.Internal, errs.Msg("BILLETTERIE_API_URL, BILLETTERIE_API_LOGIN and BILLETTERIE_API_KEY are required"))
	}
	if q.Since.IsZero() {
		return nil, invalid(op, "ts", "is required")
	}
	switch q.Export {
	case ExportAll, ExportContacts, ExportOrganisations, ExportLinks, ExportIDs:
	default:
		return nil, invalid(op, "type_export", "must be liste_contact, liste_organisme, liste_lien or liste_fiches")
	}
	form := url.Values{"x_rsi_modele": {"ws_liste_fiches_modifiees"}, "x_rsi_client": {c.cfg.Client},
		"x_rsi_login": {c.cfg.APILogin}, "x_rsi_api_key": {c.cfg.APIKey}, "ts": {q.Since.In(Paris).Format("2006-01-02T15:04:05")}}
	if q.Export != "" {
		form.Set("type_export", q.Export)
	}
	if q.FiltreClient != nil {
		form.Set("Filtre_client", map[bool]string{true: "1", false: "0"}[*q.FiltreClient])
	}
	raw, err := c.fetch(ctx, c.api, "ws_execute_programme", form, true)
	if err != nil {
		return nil, errs.E(errs.Op(op), err)
	}
	return decodeFiches(raw)
}

func decodeFiches(raw []byte) (*FichesModifiees, error) {
	const op = "billetterie.ws_liste_fiches_modifiees"
	var doc struct {
		Statut *rawStatus      `json:"statut"`
		Data   json.RawMessage `json:"data"`
		Retour json.RawMessage `json:"retour"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(raw), &doc); err != nil {
		return nil, errs.E(errs.Op(op), errs.Unavailable, errs.Msg("the API host answered something that is not JSON"))
	}
	if doc.Statut == nil && len(doc.Retour) > 0 { // a site wrapping it like the other services
		env, err := DecodeEnvelope("ws_liste_fiches_modifiees", raw)
		if err != nil {
			return nil, err
		}
		doc.Data = env.Message
		var inner struct {
			Data json.RawMessage `json:"data"`
		}
		if json.Unmarshal(env.Retour, &inner) == nil && len(inner.Data) > 0 {
			doc.Data = inner.Data
		}
	} else {
		if doc.Statut == nil || doc.Statut.Traitement == nil {
			return nil, errs.E(errs.Op(op), errs.Unavailable, errs.Msg("the API host answered without a status"))
		}
		st := Status{Traitement: *doc.Statut.Traitement}
		if doc.Statut.Code != nil {
			st.Code = int(*doc.Statut.Code)
		}
		if doc.Statut.Message != nil {
			st.Message = string(*doc.Statut.Message)
		}
		if !st.OK() {
			code := st.Code
			if code == 0 {
				code = 1
			}
			return nil, statusError(op, code, st.Message, "")
		}
	}
	var f FichesModifiees
	if err := decodePart("ws_liste_fiches_modifiees", doc.Data, &f); err != nil {
		return nil, err
	}
	return &f, nil
}

// ListeFichesModifiees returns the ids of every kind of record changed
// since a date (type_export=liste_fiches; kept for existing callers).
func (c *Client) ListeFichesModifiees(ctx context.Context, since time.Time) (*FichesModifiees, error) {
	return c.FichesModifieesSince(ctx, FichesQuery{Since: since, Export: ExportIDs})
}
