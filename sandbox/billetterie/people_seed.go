package billetterie

import (
	"fmt"
	"strconv"
	"time"

	"github.com/guichet/guichet/sandbox/fixture"
)

// option is a code envoi or an interest the contact form offers.
type option struct {
	id          int
	code, label string
}

var codesEnvoi = []option{{96, "NL", "Lettre d'information"}, {97, "PRO", "Dossier pédagogique"}}
var interets = []option{{301, "THEA", "Théâtre"}, {302, "DANS", "Danse"}}

type contact struct {
	id, lien                         int
	civilite, nom, prenom, mail, pwd string
	telPerso, telPort                string
	adress1, adress2, adress3        string
	adress4                          string
	codePostal, ville, pays          string
	envoi, interet                   map[int]bool
	adresses                         []address // annex 4.3, beside the main address fields
	niveaux                          []niveau
	modified                         time.Time
}

type ticket struct {
	detail  int
	perf    *perf
	categ   int // audience category index
	zone    int
	seat    string
	price   int // cents
	frais   int
	eticket bool
}

type card struct {
	detail  int
	label   string
	price   int
	tickets []ticket
}

type prestation struct {
	detail, ref, typ, price int
	label                   string
}

type order struct {
	id      string
	contact int
	sold    time.Time
	paid    bool
	tickets []ticket
	cards   []card
	prests  []prestation
}

func (o *order) total() int {
	t := 0
	for _, tk := range o.tickets {
		t += tk.price + tk.frais
	}
	for _, c := range o.cards {
		t += c.price
		for _, tk := range c.tickets {
			t += tk.price + tk.frais
		}
	}
	for _, p := range o.prests {
		t += p.price
	}
	return t
}

type orgContact struct {
	contact                          int
	fonction, service, tel, port, em string
}

// address is annex 4.3's object, rendered in its attribute order.
type address struct {
	Adress1     string `json:"adress1"`
	Adress2     string `json:"adress2"`
	Adress3     string `json:"adress3"`
	Adress4     string `json:"adress4"`
	Cedex       string `json:"cedex"`
	CodePostal  string `json:"code_postal"`
	DateDebut   string `json:"date_debut"`
	DateFin     string `json:"date_fin"`
	Fax         string `json:"fax"`
	IDAdresse   int    `json:"id_adresse"`
	IDContact   int    `json:"id_contact"`
	IDOrganisme int    `json:"id_organisme"`
	Pays        string `json:"pays"`
	Prioritaire bool   `json:"prioritaire"`
	Tel1        string `json:"tel1"`
	Tel2        string `json:"tel2"`
	Type        string `json:"type_adresse"`
	Ville       string `json:"ville"`
}

type organisation struct {
	id                               int
	intitule, intitule2, nature, typ string
	raison, email, remarque          string
	created, modified                time.Time
	adresses                         []address
	niveaux                          []niveau
	criteres                         criteres
	contacts                         []orgContact
}

type mailingList struct {
	id      int
	titre   string
	members []int
}

var niveauxRelation = []string{"Partenaire", "Mécène", "Scolaire"}

var orgSeeds = []struct{ name, nature string }{
	{"Lycée Ampère", "Établissement scolaire"},
	{"Collège Jean Moulin", "Établissement scolaire"},
	{"Comité d'entreprise Berliet", "Comité d'entreprise"},
	{"Association Les Amis du théâtre", "Association"},
	{"Médiathèque de Bron", "Collectivité"},
	{"Université Lumière Lyon 2", "Établissement scolaire"},
	{"Maison des jeunes de Décines", "Association"},
	{"Fondation Rhône-Culture", "Mécène"},
	{"Mairie de Caluire-et-Cuire", "Collectivité"},
	{"École de musique de Vénissieux", "Association"},
}

var fonctions = []string{"Professeur·e relais", "Chargé·e de mission", "Président·e", "Documentaliste"}
var orgServices = []string{"Culture", "Pédagogie", "Communication"}

func (s *Server) seedPeople(now time.Time) {
	day := now.Truncate(time.Second)
	for i := 0; i < fixture.Contacts; i++ {
		p := fixture.At(i)
		c := &contact{
			id: firstContactID + i, lien: 700001 + i,
			civilite: p.Title, nom: p.LastName, prenom: p.FirstName, mail: p.Email, pwd: p.Password,
			telPerso: p.Phone, telPort: p.Mobile, adress1: p.Street, codePostal: p.PostalCode, ville: p.City, pays: p.Country,
			envoi:    map[int]bool{96: i%2 == 0, 97: i%5 == 0},
			interet:  map[int]bool{301: i%3 != 1, 302: i%4 == 0},
			modified: day.Add(-time.Hour - time.Duration((i*617)%(59*24*60))*time.Minute),
		}
		s.addContact(c)
	}
	// Orders: contact i has i%3+1 of them (the demo contact gets 3), each
	// with 1–3 tickets and the web booking fee; every 4th contact also holds
	// a season card with two tickets on it.
	detail := 900001
	nextDetail := func() int { detail++; return detail - 1 }
	seq := 0
	mkTicket := func(k int, onCard bool) ticket {
		p := s.perfs[(k*53+11)%len(s.perfs)]
		g := s.grids[p.grid]
		cat, zone := k%3, (k/3)%2
		return ticket{
			detail: nextDetail(), perf: p, categ: cat, zone: zone,
			seat:    fmt.Sprintf("Rang %c place %d", 'A'+rune(k%12), 1+k%30),
			price:   g.prices[cat][zone],
			frais:   g.frais,
			eticket: k%3 != 0,
		}
	}
	for i := 0; i < fixture.Contacts; i++ {
		n := i%3 + 1
		if i == 0 {
			n = 3
		}
		withCard := i%4 == 0
		total := n
		if withCard {
			total++
		}
		for o := 0; o < total; o++ {
			seq++
			od := &order{
				id:      fmt.Sprintf("%012d", 260000000000+seq*7919),
				contact: firstContactID + i,
				sold:    day.Add(-time.Duration((seq*1871)%(60*24*60)) * time.Minute),
				paid:    seq%7 != 0,
			}
			if o < n {
				for t := 0; t < 1+(i+o)%3; t++ {
					od.tickets = append(od.tickets, mkTicket(seq*5+t, false))
				}
			} else {
				c := card{detail: nextDetail(), label: "Carte Saison", price: 1500}
				for t := 0; t < 2; t++ {
					c.tickets = append(c.tickets, mkTicket(seq*5+t+3, true))
				}
				od.cards = append(od.cards, c)
			}
			od.prests = append(od.prests, prestation{detail: nextDetail(), ref: 12, typ: 3, price: 240, label: "FRAIS DOSSIER WEB"})
			s.orders = append(s.orders, od)
			s.orderByID[od.id] = od
		}
	}
	s.nextDetail = detail

	for i, os := range orgSeeds {
		org := &organisation{
			id: 5001 + i, intitule: os.name, nature: os.nature, typ: "Structure",
			raison: os.name, email: fmt.Sprintf("contact@structure%d.exemple.fr", i+1),
			created:  day.AddDate(-1-i%3, 0, -i*11),
			modified: day.Add(-time.Hour - time.Duration((i*4153)%(59*24*60))*time.Minute),
			adresses: []address{{IDAdresse: 40001 + i, IDOrganisme: 5001 + i, Type: "Principale", Adress1: fmt.Sprintf("%d rue de la Poste", 3+i*7),
				CodePostal: "69003", Ville: "Lyon", Pays: "FR", Tel1: fmt.Sprintf("04 72 %02d %02d %02d", 10+i, 20+i, 30+i), Prioritaire: true}},
		}
		for k, nv := range niveauxRelation {
			if (i+k)%3 == 0 {
				s.nextNiveau++
				org.niveaux = append(org.niveaux, niveau{s.nextNiveau, nv})
			}
		}
		if i%2 == 0 { // half the organisations carry criteria (annex 4.6)
			org.criteres = criteres{"champ_1": 603 + i%3, "champ_2": []int{607 + i%2}}
		}
		for k := 0; k < 1+i%3; k++ {
			ci := (i*17 + k*5 + 1) % fixture.Contacts
			c := s.contactByID[firstContactID+ci]
			org.contacts = append(org.contacts, orgContact{contact: c.id, fonction: fonctions[(i+k)%len(fonctions)], service: orgServices[(i+k)%len(orgServices)], tel: c.telPerso, port: c.telPort, em: c.mail})
		}
		s.orgs = append(s.orgs, org)
		s.orgByID[org.id] = org
	}
	s.nextOrg = 5001 + len(orgSeeds)
	s.nextAddress = 40000 + len(orgSeeds)
	s.lists = []*mailingList{
		{id: 16, titre: "Newsletter saison", members: []int{20001, 20003, 20005, 20008, 20013, 20021, 20034}},
		{id: 17, titre: "Invitations première", members: []int{20001, 20002, 20010, 20020, 20030, 20040}},
	}
}

func (s *Server) addContact(c *contact) {
	s.contacts = append(s.contacts, c)
	s.contactByID[c.id] = c
	s.contactByMail[lower(c.mail)] = c
}

func itoa(n int) string { return strconv.Itoa(n) }
