package billetterie

import (
	"fmt"
	"strconv"
	"time"
)

type site struct{ id, name, city, address string }

type room struct{ id, siteID, name, address string }

type grid struct {
	label  string
	prices [3][2]int // cents per audience category and zone
	frais  int       // booking fee in cents
}

var categories = [3]string{"Plein tarif", "Tarif réduit", "Moins de 26 ans"}
var zones = [2]string{"Zone 1", "Zone 2"}

type show struct {
	id, title, subtitle, festival, typ, catWeb, desc string
	modified                                         time.Time
	perfs                                            []*perf
}

type perf struct {
	id       string
	show     *show
	at       time.Time
	duration string // hh:mm:ss
	room     string
	grid     int
	seats    int
}

type pass struct {
	id, name, typ string
	price         int
	// The categories the spec's catalogue_abonnement filters and
	// ws_historique_contact's filters compare (categorie, categ_sec_un,
	// categ_sec_deux, code_regroup).
	catWeb, catSecUn, catSecDeux, codeRegroup string
}

type item struct {
	id, name, family string
	price            int
	gift             bool
}

var siteSeeds = []site{
	{"1", "Théâtre des Célestins", "Lyon", "4 rue Charles Dullin"},
	{"2", "Le Toboggan", "Décines-Charpieu", "14 avenue Jean Macé"},
	{"3", "Théâtre de la Croix-Rousse", "Lyon", "place Joannès Ambre"},
	{"4", "Espace Albert Camus", "Bron", "1 rue Maryse Bastié"},
	{"5", "Le Radiant-Bellevue", "Caluire-et-Cuire", "1 rue Jean Moulin"},
}

var roomNames = [2]string{"Grande salle", "Petite salle"}

// showSeed is a title, its subtitle (author or company) and its genre.
type showSeed struct{ title, subtitle, typ string }

var showSeeds = []showSeed{
	{"Le Misanthrope", "Molière — Cie du Rhône", "THEATRE"},
	{"Bérénice", "Jean Racine — mise en scène Hélène Vautrin", "THEATRE"},
	{"La Cerisaie", "Anton Tchekhov — Théâtre du Fracas", "THEATRE"},
	{"Cyrano de Bergerac", "Edmond Rostand — Cie des Épées", "THEATRE"},
	{"Les Fourberies de Scapin", "Molière — Troupe de l'Échappée", "THEATRE"},
	{"Phèdre", "Jean Racine — Cie Séléné", "THEATRE"},
	{"L'Éveil du printemps", "Frank Wedekind — Collectif Brûlant", "THEATRE"},
	{"Le Jeu de l'amour et du hasard", "Marivaux — Cie À demi-mot", "THEATRE"},
	{"Électre", "Sophocle — Théâtre de l'Arsenal", "THEATRE"},
	{"En attendant Godot", "Samuel Beckett — Cie Fragile", "THEATRE"},
	{"La Mouette", "Anton Tchekhov — Cie des Célestes", "THEATRE"},
	{"Ruy Blas", "Victor Hugo — Cie du Château", "THEATRE"},
	{"Le Lac des cygnes", "Ballet de l'Opéra de Lyon", "DANSE"},
	{"Boléro et autres révolutions", "Cie Käfig — chorégraphie Mourad", "DANSE"},
	{"Sacre", "Cie Dérives — chorégraphie Élise Roux", "DANSE"},
	{"Corps à corps", "Cie Hélice", "DANSE"},
	{"Danses de l'été éternel", "Ballet Préljocaj junior", "DANSE"},
	{"Rêverie pour deux pianos", "Duo Garnier-Lefèvre", "DANSE"},
	{"Tempête de plumes", "Cie L'Envolée", "DANSE"},
	{"Les Quatre Saisons", "Orchestre de chambre de Lyon", "MUSIQUE"},
	{"Chansons à la française", "Émilie Loiseau et ses musiciens", "MUSIQUE"},
	{"Requiem de Fauré", "Chœur et orchestre des Célestins", "MUSIQUE"},
	{"Jazz à la Croix-Rousse", "Quintette Bérard", "MUSIQUE"},
	{"Fado, saudade et café", "Ana Lúcia Trio", "MUSIQUE"},
	{"Nuit électro-acoustique", "Ensemble Récréation", "MUSIQUE"},
	{"Mélodies françaises", "Clémence Dufour, soprano", "MUSIQUE"},
	{"Carmen en concert", "Orchestre national de Lyon", "MUSIQUE"},
	{"Le Cirque à l'envers", "Cie Équinoxe", "CIRQUE"},
	{"Voltiges", "Collectif Acrobatès", "CIRQUE"},
	{"Fil d'été", "Cie Funambulè", "CIRQUE"},
	{"Le Grand Chapiteau", "Cirque Métèque", "CIRQUE"},
	{"Jongleries célestes", "Cie Les Mains Légères", "CIRQUE"},
	{"Trapèze et tendresse", "Cie Hauteurs", "CIRQUE"},
	{"Pinocchio", "d'après Collodi — Cie Bois Flotté", "JEUNE PUBLIC"},
	{"Le Petit Prince", "d'après Saint-Exupéry — Cie Étoilée", "JEUNE PUBLIC"},
	{"La Sorcière du placard à balais", "Pierre Gripari — Cie Grimoire", "JEUNE PUBLIC"},
	{"Boucle d'or et les trois ours", "Cie Pâquerette", "JEUNE PUBLIC"},
	{"Le Garçon qui rêvait d'étoiles", "Cie Lune Bleue", "JEUNE PUBLIC"},
	{"Ça déménage !", "Cie Fourmilière", "JEUNE PUBLIC"},
	{"Alice au pays des merveilles", "d'après Lewis Carroll — Cie Miroir", "JEUNE PUBLIC"},
	{"Les Musiciens de Brême", "Ensemble Grimm & Cie", "JEUNE PUBLIC"},
	{"Le Voyage de Célestin", "Cie Bagage", "JEUNE PUBLIC"},
}

var catWeb = map[string]string{
	"THEATRE": "Théâtre", "DANSE": "Danse", "MUSIQUE": "Musique", "CIRQUE": "Cirque", "JEUNE PUBLIC": "Jeune public",
}

var durations = []string{"01:30:00", "02:00:00", "01:15:00", "02:30:00", "00:55:00"}

var passSeeds = []pass{
	{"7", "Abonnement Découverte 4 spectacles", "ABONNEMENT", 8800, "Tout public", "Abonnement", "", "ABO"},
	{"8", "Abonnement Passion 8 spectacles", "ABONNEMENT", 15200, "Tout public", "Abonnement", "", "ABO"},
	{"9", "Adhésion Ami·e du théâtre", "ADHESION", 2000, "Tout public", "Adhésion", "", "ADH"},
	{"10", "Abonnement Famille 3 spectacles", "ABONNEMENT", 4500, "Tout public", "Abonnement", "Jeune public", "ABO"},
}

var itemSeeds = []item{
	{"16", "Programme de saison illustré", "Librairie", 500, false},
	{"17", "Molière, œuvres choisies", "Librairie", 1500, false},
	{"18", "Bon cadeau 30 €", "Bons cadeaux", 3000, true},
	{"19", "Bon cadeau 60 €", "Bons cadeaux", 6000, true},
	{"20", "Affiche « Nuits d'hiver »", "Boutique", 800, false},
	{"21", "Tote bag brodé", "Boutique", 1200, false},
}

// seasonStart is 1 September of the season containing now.
func seasonStart(now time.Time) time.Time {
	y := now.Year()
	if now.Month() < time.September {
		y--
	}
	return time.Date(y, time.September, 1, 0, 0, 0, 0, now.Location())
}

// seedCatalogue fills sites, rooms, grids, shows and performances from indexes
// and now only.
func (s *Server) seedCatalogue(now time.Time) {
	s.sites = append([]site(nil), siteSeeds...)
	for i, st := range s.sites {
		for j, n := range roomNames {
			s.rooms = append(s.rooms, room{id: strconv.Itoa((i+1)*10 + j + 1), siteID: st.id, name: n, address: st.address})
		}
	}
	for g := 0; g < 4; g++ {
		gr := grid{label: "TARIF " + string(rune('A'+g)), frais: 100 + 50*g}
		base := 3200 - 500*g
		for c := 0; c < 3; c++ {
			for z := 0; z < 2; z++ {
				gr.prices[c][z] = base - c*600 - z*400
			}
		}
		s.grids = append(s.grids, gr)
	}
	start := seasonStart(now)
	end := time.Date(start.Year()+1, time.June, 30, 0, 0, 0, 0, now.Location())
	days := int(end.Sub(start).Hours() / 24)
	nShows := len(showSeeds)
	perfIdx := 0
	for i, sd := range showSeeds {
		sh := &show{
			id:       strconv.Itoa(1001 + i),
			title:    sd.title,
			subtitle: sd.subtitle,
			typ:      sd.typ,
			catWeb:   catWeb[sd.typ],
			desc:     fmt.Sprintf("%s (%s) : un spectacle de la saison, à découvrir en famille ou entre amis. Durée et accès précisés à la réservation.", sd.title, sd.subtitle),
			// Spread over the past four months, at whole seconds.
			modified: now.Truncate(time.Second).Add(-time.Duration((i*2927)%(120*24*60)) * time.Minute).Add(-time.Hour),
		}
		if i%5 == 2 {
			sh.festival = "Nuits d'hiver"
		}
		n := 6 + i%5 // 6..10 performances
		// Each show plays a run starting at a day spread over the season.
		first := (i * (days - 60)) / nShows
		rm := s.rooms[(i*3)%len(s.rooms)]
		for k := 0; k < n; k++ {
			day := start.AddDate(0, 0, first+k*(3+i%4))
			var at time.Time
			switch wd := day.Weekday(); {
			case wd == time.Saturday || wd == time.Sunday:
				at = time.Date(day.Year(), day.Month(), day.Day(), 15, 0, 0, 0, day.Location())
			case (i+k)%2 == 0:
				at = time.Date(day.Year(), day.Month(), day.Day(), 20, 0, 0, 0, day.Location())
			default:
				at = time.Date(day.Year(), day.Month(), day.Day(), 20, 30, 0, 0, day.Location())
			}
			p := &perf{
				id:       strconv.Itoa(50001 + perfIdx),
				show:     sh,
				at:       at,
				duration: durations[i%len(durations)],
				room:     rm.id,
				grid:     i % 4,
				seats:    20 + (perfIdx*37)%381,
			}
			if (perfIdx+1)%9 == 0 {
				p.seats = 0
			}
			perfIdx++
			sh.perfs = append(sh.perfs, p)
			s.perfs = append(s.perfs, p)
			s.perfByID[p.id] = p
		}
		s.shows = append(s.shows, sh)
		s.showByID[sh.id] = sh
	}
	s.passes = append([]pass(nil), passSeeds...)
	s.items = append([]item(nil), itemSeeds...)
}
