package billetterie

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/guichet/guichet/boxoffice"
	"github.com/guichet/guichet/catalogue"
	"github.com/guichet/guichet/errs"
)

// BoxOffice implements boxoffice.Service and boxoffice.Relations over the
// client: the one place where vendor records become box-office records.
type BoxOffice struct{ C *Client }

var (
	_ boxoffice.Service   = BoxOffice{}
	_ boxoffice.Relations = BoxOffice{}
)

// contactFields are the API names (boxoffice.Registration, ContactChange)
// of the contact parameters (annex 4.1) that the client's checks and the
// vendor's codes name in a refusal. w_identifiant is sent as the email.
var contactFields = map[string]string{
	fCivilite: "title", fNom: "lastName", fPrenom: "firstName", fMail: "email", fIdentifiant: "email", fTelPort: "mobile",
	fTelPerso: "phone", fAdr1: "addressLines", fAdr2: "addressLines", fAdr3: "addressLines", fCP: "postalCode",
	fVille: "city", fPays: "country", "v_passe": "password", "v_passec": "passwordConfirmation", "liste[]": "lists",
	"code_envoi[]": "mailings", "interet[]": "interests",
}

// passwordFields are ws_modification_pwd's names of the current and the
// new password.
var passwordFields = map[string]string{"v_ancien_passe": "currentPassword", "v_passe_actuel": "currentPassword",
	"v_passe": "newPassword", "v_passec": "newPassword"}

// organisationFields are the API names (boxoffice.OrganisationInput, then
// the organisation id and the contacts attached) of annex 4.4's attributes;
// "organisme" (code 903, a required attribute missing) names no one field.
var organisationFields = map[string]string{
	"organisme.intitule": "name", "organisme.intitule2": "name2", "organisme.nature": "nature", "organisme.type": "type",
	"organisme.raison_sociale": "legalName", "organisme.email_structure": "email", "organisme.remarque_struc": "remark",
	"organisme": "", "id_organisme": "organisationId", "contacts.id_contact": "contacts", "contacts.email_lien": "contacts",
}

// apiField names the field of a refusal as the API does: the client's own
// checks and the vendor's codes name the vendor's parameters. A field not
// in names (or named "") is dropped rather than shown under a vendor name.
func apiField(err error, names map[string]string) error {
	e := errs.Find(err)
	if e == nil || e.Field == "" {
		return err
	}
	name := names[e.Field]
	args := []any{errs.Op(e.Op), errs.KindOf(err), errs.Code(e.Code), errs.Msg(strings.TrimPrefix(e.Message, e.Field+": ")), err}
	if name != "" {
		args = append(args, errs.Field(name))
	}
	return errs.E(args...)
}

func eur(c Cents) catalogue.Money { return catalogue.EUR(int64(c)) }

// num is an id as text; the vendor's 0 and "" both mean none.
func num(n ID) string {
	if s := strings.TrimSpace(n.String()); s != "0" {
		return s
	}
	return ""
}

func session(token string, s *SessionInfo) *boxoffice.Session {
	out := &boxoffice.Session{Token: token, Active: s.Status == 1,
		Remaining: time.Duration(s.TempsRestant) * time.Second, LoggedIn: bool(s.Login)}
	if s.Contact != nil {
		// The visitor is the fiche contact (id_contact); contact.id is the
		// fiche lien and is never taken for it.
		out.ContactID = num(s.Contact.IDContact)
		out.LinkID = num(s.Contact.ID)
	}
	if s.Commande != nil && s.Commande.ID != "" {
		out.Basket = &boxoffice.Basket{ID: s.Commande.ID.String(), Remaining: time.Duration(s.Commande.TempsRestant) * time.Second, Status: boxoffice.BasketStatus(s.Commande.Status)}
	}
	if !out.Active {
		out.Remaining = 0
	}
	return out
}

func (b BoxOffice) CreateSession(ctx context.Context) (*boxoffice.Session, error) {
	s, err := b.C.IDSession(ctx)
	if err != nil {
		return nil, err
	}
	return &boxoffice.Session{Token: s.Jeton, Active: true, Remaining: time.Duration(s.TempsRestant) * time.Second}, nil
}

func (b BoxOffice) Session(ctx context.Context, token string) (*boxoffice.Session, error) {
	s, err := b.C.StatusSession(ctx, token)
	if err != nil {
		return nil, err
	}
	return session(token, s), nil
}

// ensure returns the given session token, or opens a new session.
func (b BoxOffice) ensure(ctx context.Context, token string) (string, error) {
	if token != "" {
		return token, nil
	}
	s, err := b.C.IDSession(ctx)
	if err != nil {
		return "", err
	}
	return s.Jeton, nil
}

func (b BoxOffice) Login(ctx context.Context, token, email, password string) (*boxoffice.Session, error) {
	token, err := b.ensure(ctx, token)
	if err != nil {
		return nil, err
	}
	if _, err := b.C.Login(ctx, token, email, password); err != nil {
		return nil, err
	}
	return b.Session(ctx, token)
}

func (b BoxOffice) Logout(ctx context.Context, token string) error {
	return b.C.DeconnexionSession(ctx, token)
}

func fields(c boxoffice.Registration) ContactFields {
	f := ContactFields{Civilite: c.Title, Nom: c.LastName, Prenom: c.FirstName, Mail: c.Email,
		TelPerso: c.Phone, TelPort: c.Mobile, CodePostal: c.PostalCode, Ville: c.City, Pays: c.Country}
	lines := append(append([]string{}, c.Address...), "", "", "")
	f.Adress1, f.Adress2, f.Adress3 = lines[0], lines[1], lines[2]
	return f
}

func (b BoxOffice) Register(ctx context.Context, token string, r boxoffice.Registration) (*boxoffice.Session, error) {
	token, err := b.ensure(ctx, token)
	if err != nil {
		return nil, err
	}
	n := NewContact{Token: token, Fields: fields(r), Password: r.Password, Confirmation: r.Password, Lists: r.Lists,
		CodesEnvoi: r.Mailings, Interets: r.Interests}
	if _, err := b.C.CreateContact(ctx, n); err != nil {
		return nil, apiField(err, contactFields)
	}
	return b.Session(ctx, token)
}

// contact converts a vendor contact. Its ID is id_contact only: annex 4.1
// says "id" is the fiche lien (id_clistru), kept as LinkID. When the record
// carries no id_contact (ws_info_contact's own example), the caller fills
// ID from the session (the signed-in visitor).
func contact(ci *ContactInfo) *boxoffice.Contact {
	c := &boxoffice.Contact{ID: num(ci.IDContact), LinkID: num(ci.ID), Title: string(ci.Civilite), FirstName: string(ci.Surname), LastName: string(ci.Name), Email: string(ci.Mail),
		WebLogin: string(ci.WebIdentifiant), Phone: string(ci.TelPerso), Mobile: string(ci.TelPort), PostalCode: string(ci.CodePostal), City: string(ci.Ville), Country: string(ci.Pays)}
	for _, l := range []string{string(ci.Adress1), string(ci.Adress2), string(ci.Adress3)} {
		if l != "" {
			c.Address = append(c.Address, l)
		}
	}
	conv := func(in []Choix) []boxoffice.Choice {
		out := []boxoffice.Choice{}
		for _, x := range in {
			out = append(out, boxoffice.Choice{ID: x.ID.String(), Code: string(x.Code), Label: string(x.Label), Selected: bool(x.Checked)})
		}
		return out
	}
	c.Mailings, c.Interests = conv(ci.CodeEnvoi), conv(ci.Interet)
	return c
}

// Me reads the session's visitor. ws_info_contact may carry only the link
// id: the contact id then stays empty and the API layer takes it from the
// session's id_contact (loaded beside it), never from the link id.
func (b BoxOffice) Me(ctx context.Context, token string) (*boxoffice.Contact, error) {
	ci, err := b.C.InfoContactSession(ctx, token)
	if err != nil {
		return nil, err
	}
	return contact(ci), nil
}

// boxoffice.Contact reads a contact by id_contact (back office): the id asked for is
// the contact's, whatever id the record carries.
func (b BoxOffice) Contact(ctx context.Context, id string) (*boxoffice.Contact, error) {
	ci, err := b.C.InfoContact(ctx, id)
	if err != nil {
		return nil, err
	}
	c := contact(ci)
	if got := c.ID; got != "" && got != strings.TrimSpace(id) {
		return nil, errs.E(errs.Op("boxoffice.Contact"), errs.Unavailable, errs.Msg("the ticketing system answered another contact"))
	}
	c.ID = strings.TrimSpace(id)
	return c, nil
}

func (b BoxOffice) UpdateMe(ctx context.Context, token string, ch boxoffice.ContactChange) error {
	var f ContactFields
	set := func(dst *string, p *string) {
		if p != nil {
			*dst = *p
		}
	}
	set(&f.Civilite, ch.Title)
	set(&f.Prenom, ch.FirstName)
	set(&f.Nom, ch.LastName)
	set(&f.TelPerso, ch.Phone)
	set(&f.TelPort, ch.Mobile)
	set(&f.CodePostal, ch.PostalCode)
	set(&f.Ville, ch.City)
	set(&f.Pays, ch.Country)
	if ch.Address != nil {
		lines := append(append([]string{}, ch.Address...), "", "", "")
		f.Adress1, f.Adress2, f.Adress3 = lines[0], lines[1], lines[2]
	}
	return apiField(b.C.ModificationContact(ctx, token, f, ChoiceUpdate(ch.Mailings), ChoiceUpdate(ch.Interests)), contactFields)
}

func (b BoxOffice) ChangePassword(ctx context.Context, token, current, next string) error {
	return apiField(b.C.ModificationPwd(ctx, token, current, next), passwordFields)
}

func (b BoxOffice) DeleteAccount(ctx context.Context, token string) error {
	return b.C.SuppressionCompte(ctx, token)
}

var pendingReasons = map[int]string{0: "to collect at the box office", 100: "waiting for a proof of reduced price", 101: "proof accepted; to collect at the box office"}

func (b BoxOffice) Tickets(ctx context.Context, token string) ([]boxoffice.Ticket, error) {
	t, err := b.C.InfoTelechargement(ctx, token)
	if err != nil {
		return nil, err
	}
	out := []boxoffice.Ticket{}
	conv := func(x Telechargement, downloadable bool) boxoffice.Ticket {
		start, _ := ParseISOLocal(string(x.DTSTART))
		tk := boxoffice.Ticket{ID: x.IDDetail.String(), OrderID: x.Commande.String(), Downloadable: downloadable, Label: string(x.Texte), Category: string(x.Libelle),
			Price: eur(x.Prix), Seat: string(x.NumeroDePlace), Zone: string(x.ZoneTarifaire), Access: string(x.Acces), StartsAt: start,
			Kind: boxoffice.TicketKind(x.Type), PerformanceID: num(x.CodeRep), ShowID: num(x.NumSpectacle), Venue: string(x.NomPourBillet), City: string(x.Ville)}
		if downloadable {
			tk.DownloadURL, tk.QRCode = string(x.Lien), string(x.QRCode)
		} else {
			tk.PendingReason = pendingReasons[int(x.Statut)]
		}
		if tk.Kind < boxoffice.KindCard || tk.Kind > boxoffice.KindSingle {
			tk.Kind = boxoffice.KindSingle
		}
		return tk
	}
	for _, x := range t.Telechargeables {
		out = append(out, conv(x, true))
	}
	for _, x := range t.NonTelechargeables {
		out = append(out, conv(x, false))
	}
	return out, nil
}

func (b BoxOffice) OrderLines(ctx context.Context, contactID string) ([]boxoffice.OrderLine, error) {
	lines, err := b.C.RecapAchat(ctx, contactID)
	if err != nil {
		return nil, err
	}
	out := []boxoffice.OrderLine{}
	for _, l := range lines {
		start, _ := ParseISOLocal(string(l.DateHeure))
		ol := boxoffice.OrderLine{ID: l.IDDetail.String(), OrderID: l.IDCaddy.String(), Label: string(l.Libelle), FullLabel: string(l.LibelleComplet), Quantity: int(l.Qtte),
			UnitPrice: eur(l.PrixUnitaire), Total: eur(l.PrixTotal), Fee: eur(l.Frais), Category: num(l.RefCateg),
			StartsAt: start, Seat: string(l.ListePlace), Delivery: string(l.ModeRetrait), ETicket: bool(l.ETicket), DownloadURL: string(l.LienTelechargement)}
		switch {
		case bool(l.Carte):
			ol.Kind = boxoffice.LineCard
		case num(l.RefRep) != "":
			ol.Kind, ol.PerformanceID, ol.ShowID = boxoffice.LineTicket, num(l.RefRep), num(l.RefSpect)
		case num(l.RefArticle) != "":
			ol.Kind, ol.ArticleID = boxoffice.LineArticle, num(l.RefArticle)
		default:
			ol.Kind = boxoffice.LineFee
		}
		out = append(out, ol)
	}
	return out, nil
}

func fee(p Prestation) boxoffice.OrderLine {
	return boxoffice.OrderLine{ID: p.IDDetail, Kind: boxoffice.LineFee, Label: p.Libelle, Quantity: int(p.Qtte), UnitPrice: catalogue.EUR(int64(p.PrixUnitaire)), Total: catalogue.EUR(int64(p.PrixTotal)), Fee: catalogue.EUR(0)}
}

func ticket(t Billet) boxoffice.OrderLine {
	start, _ := ParseISOLocal(t.DateHeure)
	return boxoffice.OrderLine{ID: t.IDDetail, Kind: boxoffice.LineTicket, Label: t.Libelle, FullLabel: strings.TrimSpace(t.Spectacle + " " + t.Libelle),
		Quantity: int(t.Qtte), UnitPrice: catalogue.EUR(int64(t.PrixUnitaire)), Total: catalogue.EUR(int64(t.PrixTotal)), Fee: catalogue.EUR(int64(t.Frais)),
		Category: t.RefCateg, PerformanceID: t.RefRep, ShowID: t.RefSpect, StartsAt: start, Seat: t.ListePlace,
		Delivery: t.ModeRetrait, ETicket: strings.EqualFold(t.ModeRetrait, "E-ticket")}
}

func order(c *Caddy, detailed bool) boxoffice.Order {
	sold, _ := ParseISOLocal(c.Transaction.DateVente)
	o := boxoffice.Order{ID: c.ID, Option: c.XRsiOption, SoldAt: sold, Amount: catalogue.EUR(int64(c.Transaction.Montant)),
		Paid: strings.EqualFold(c.Transaction.Paye, "OK"), Detailed: detailed, Lines: []boxoffice.OrderLine{},
		Buyer: boxoffice.Buyer{Title: c.Contact.Genre, FirstName: c.Contact.Prenom, LastName: c.Contact.Nom, Email: c.Contact.Email, WebID: c.Contact.Identifiant}}
	// Lines are built without their order id, set once below for every level.
	for _, cd := range c.Produits.Cartes {
		l := boxoffice.OrderLine{ID: cd.IDDetail, Kind: boxoffice.LineCard, Label: cd.Libelle, FullLabel: cd.Libelle, Quantity: int(cd.Qtte),
			UnitPrice: catalogue.EUR(int64(cd.PrixUnitaire)), Total: catalogue.EUR(int64(cd.PrixTotal)), Fee: catalogue.EUR(0), Category: cd.RefCateg}
		for _, t := range cd.Billets {
			l.Children = append(l.Children, ticket(t))
		}
		for _, p := range cd.Prestations {
			l.Children = append(l.Children, fee(p))
		}
		o.Lines = append(o.Lines, l)
	}
	for _, t := range c.Produits.Billets {
		o.Lines = append(o.Lines, ticket(t))
	}
	for _, a := range c.Produits.Articles {
		l := boxoffice.OrderLine{ID: a.IDDetail, Kind: boxoffice.LineArticle, Label: a.Libelle, FullLabel: a.Libelle, Quantity: int(a.Qtte),
			UnitPrice: catalogue.EUR(int64(a.PrixUnitaire)), Total: catalogue.EUR(int64(a.PrixTotal)), Fee: catalogue.EUR(0), ArticleID: a.RefArticle}
		for _, p := range a.Prestations {
			l.Children = append(l.Children, fee(p))
		}
		o.Lines = append(o.Lines, l)
	}
	for _, p := range c.Produits.Prestations {
		o.Lines = append(o.Lines, fee(p))
	}
	setOrderID(o.Lines, c.ID)
	return o
}

func setOrderID(lines []boxoffice.OrderLine, id string) {
	for i := range lines {
		lines[i].OrderID = id
		setOrderID(lines[i].Children, id)
	}
}

func (b BoxOffice) Order(ctx context.Context, id string) (*boxoffice.Order, error) {
	c, err := b.C.DetAchat(ctx, id)
	if err != nil {
		return nil, err
	}
	o := order(c, true)
	return &o, nil
}

func (b BoxOffice) Orders(ctx context.Context, from, to time.Time, state boxoffice.OrderState) ([]boxoffice.Order, error) {
	if !to.IsZero() && to.In(Paris).Format(time.DateOnly) <= from.In(Paris).Format(time.DateOnly) {
		// One day: the vendor takes date_fin only after date_debut, and
		// date_debut alone lists that day (§2.4.1.2). date_fin itself is a
		// whole day already: adding one listed the day after too.
		to = time.Time{}
	}
	list, err := b.C.CatHistoAchat(ctx, HistoFilter{Invalid: state == boxoffice.StateInvalid, From: from, To: to})
	if err != nil {
		return nil, err
	}
	out := make([]boxoffice.Order, 0, len(list))
	for i := range list {
		out = append(out, order(&list[i], false))
	}
	return out, nil
}

func (b BoxOffice) SeatsLeft(ctx context.Context, performanceID string) (int, error) {
	r, err := b.C.DetRepresentation(ctx, performanceID)
	if err != nil {
		return 0, err
	}
	if r.Dispo < 0 {
		return 0, errs.E(errs.Op("boxoffice.SeatsLeft"), errs.Unavailable, errs.Msg("the ticketing system gave no seat count"))
	}
	return r.Dispo, nil
}

// boxoffice.Relations.

func organisation(o *Organisme) *boxoffice.Organisation {
	out := &boxoffice.Organisation{ID: num(o.IDOrganisme), Name: string(o.Intitule), Name2: string(o.Intitule2), Nature: string(o.Nature), Type: string(o.Type),
		LegalName: string(o.RaisonSociale), Email: string(o.EmailStructure), Remark: string(o.RemarqueStruc),
		Addresses: []boxoffice.OrgAddress{}, Relations: []boxoffice.Relation{}, Criteria: []boxoffice.Criterion{}, Contacts: []boxoffice.OrgContact{}}
	out.CreatedAt, _ = time.ParseInLocation(time.DateOnly, string(o.DateCreation), Paris)
	// Annex 4.4 writes date_modif with a T; some sites send a space.
	for _, layout := range []string{"2006-01-02T15:04:05", time.DateTime} {
		if t, err := time.ParseInLocation(layout, string(o.DateModif), Paris); err == nil {
			out.ModifiedAt = t
			break
		}
	}
	if o.Criteres != nil {
		for _, c := range o.Criteres.ListeChamps {
			out.Criteria = append(out.Criteria, boxoffice.Criterion{Field: string(c.Nom), Label: string(c.Libelle), Value: critereValue(c)})
		}
	}
	for _, a := range o.Adresses {
		lines := []string{}
		for _, l := range []string{string(a.Adress1), string(a.Adress2), string(a.Adress3)} {
			if l != "" {
				lines = append(lines, l)
			}
		}
		out.Addresses = append(out.Addresses, boxoffice.OrgAddress{Kind: string(a.TypeAdresse), Lines: lines, PostalCode: string(a.CodePostal), City: string(a.Ville), Country: string(a.Pays), Phone: string(a.Tel1), Primary: bool(a.Prioritaire)})
	}
	for _, r := range o.NiveauDeRelations {
		out.Relations = append(out.Relations, boxoffice.Relation{Name: string(r.NiveauRelation), Checked: bool(r.Checked)})
	}
	for _, c := range o.Contacts {
		if num(c.IDContact) == "" {
			continue // a link without a contact ("vide si pas de contact"): nothing to show
		}
		out.Contacts = append(out.Contacts, boxoffice.OrgContact{LinkID: num(c.ID), ContactID: num(c.IDContact), Function: string(c.Fonction), Service: string(c.Service), Phone: string(c.Telephone), Mobile: string(c.Portable), Email: string(c.Email)})
	}
	return out
}

// critereValue is a criterion's answer as text: the text itself, or the
// labels of the chosen enumeration values.
func critereValue(c Critere) string {
	if vs := c.Values(); vs != nil {
		labels := make([]string, len(vs))
		for i, v := range vs {
			labels[i] = string(v.Libelle)
		}
		return strings.Join(labels, ", ")
	}
	return c.Text()
}

func organisme(in boxoffice.OrganisationInput) Organisme {
	d := func(p *string) Text {
		if p == nil {
			return ""
		}
		return Text(*p)
	}
	return Organisme{Intitule: d(in.Name), Intitule2: d(in.Name2), Nature: d(in.Nature), Type: d(in.Type),
		RaisonSociale: d(in.LegalName), EmailStructure: d(in.Email), RemarqueStruc: d(in.Remark)}
}

func attachements(in []boxoffice.Attachment) []Attachement {
	out := make([]Attachement, len(in))
	for i, a := range in {
		x := Attachement{IDContact: json.Number(a.ContactID), Fonction: a.Function,
			Service: a.Service, TelephoneLien: a.Phone, PortableLien: a.Mobile, EmailLien: a.Email}
		// Attaching a function attaches the contact if it is not yet
		// (spec 2.6.4.3); adding action_attachement=attacher as well would
		// attach an attached contact "une deuxième fois". Detaching with a
		// function removes that function and keeps the contact attached.
		switch {
		case a.Attach && a.Function != "":
			x.ActionFonction = "attacher"
		case a.Attach:
			x.ActionAttachement = "attacher"
		case a.Function != "":
			x.ActionFonction = "detacher"
		default:
			x.ActionAttachement = "detacher"
		}
		out[i] = x
	}
	return out
}

func (b BoxOffice) Organisation(ctx context.Context, id string) (*boxoffice.Organisation, error) {
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return nil, errs.E(errs.Op("boxoffice.Organisation"), errs.NotFound, errs.Msg("no such organisation"))
	}
	o, err := b.C.InfoOrganisme(ctx, id)
	if err != nil {
		return nil, err
	}
	return organisation(o), nil
}

func (b BoxOffice) CreateOrganisation(ctx context.Context, in boxoffice.OrganisationInput, attach []boxoffice.Attachment) (*boxoffice.Organisation, error) {
	o, err := b.C.OrganismeCreation(ctx, organisme(in), attachements(attach))
	if err != nil {
		return nil, apiField(err, organisationFields)
	}
	return b.Organisation(ctx, num(o.IDOrganisme))
}

func (b BoxOffice) UpdateOrganisation(ctx context.Context, id string, in boxoffice.OrganisationInput) (*boxoffice.Organisation, error) {
	if in.Name == nil || in.Nature == nil {
		// The client sends name and nature with every change (the vendor
		// requires them): keep the current ones when the caller omits them.
		cur, err := b.Organisation(ctx, id)
		if err != nil {
			return nil, err
		}
		if in.Name == nil {
			in.Name = &cur.Name
		}
		if in.Nature == nil {
			in.Nature = &cur.Nature
		}
	}
	if err := b.C.OrganismeModification(ctx, id, organisme(in)); err != nil {
		return nil, apiField(err, organisationFields)
	}
	return b.Organisation(ctx, id)
}

func (b BoxOffice) AttachContacts(ctx context.Context, organisationID string, changes []boxoffice.Attachment) error {
	return apiField(b.C.OrganismeContacts(ctx, organisationID, attachements(changes)), organisationFields)
}

func (b BoxOffice) MailingLists(ctx context.Context) ([]boxoffice.MailingList, error) {
	l, err := b.C.CatListes(ctx)
	if err != nil {
		return nil, err
	}
	out := []boxoffice.MailingList{}
	for _, x := range l {
		out = append(out, boxoffice.MailingList{ID: x.ID.String(), Name: string(x.TitreCourt), Type: string(x.Type), Event: !bool(x.Liste)})
	}
	return out, nil
}

func (b BoxOffice) ListMembers(ctx context.Context, listID string) ([]boxoffice.ListMember, error) {
	l, err := b.C.CatContactsListe(ctx, listID)
	if err != nil {
		return nil, err
	}
	out := []boxoffice.ListMember{}
	for _, x := range l {
		m := boxoffice.ListMember{ID: x.ID.String(), LinkID: num(x.IDClistru), Email: string(x.MailEnvoi)}
		if x.Contact != nil {
			m.ContactID, m.Title, m.FirstName, m.LastName = num(x.Contact.ID), string(x.Contact.Genre), string(x.Contact.Prenom), string(x.Contact.Nom)
		}
		if x.Structure != nil {
			m.OrganisationID, m.OrganisationName = num(x.Structure.ID), string(x.Structure.Structure)
		}
		out = append(out, m)
	}
	return out, nil
}

func (b BoxOffice) ChangedSince(ctx context.Context, since time.Time) (*boxoffice.Changes, error) {
	f, err := b.C.ListeFichesModifiees(ctx, since)
	if err != nil {
		return nil, err
	}
	ids := func(in LenientIDs) []string { return in.Strings() }
	return &boxoffice.Changes{Contacts: ids(f.Contacts), Organisations: ids(f.Organismes), Addresses: ids(f.Adresses), Links: ids(f.Liens),
		Mailings: ids(f.Envois), Interests: ids(f.Interets), Relations: ids(f.NiveauxRelations)}, nil
}
