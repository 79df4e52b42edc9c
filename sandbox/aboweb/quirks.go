package aboweb

import (
	"strconv"
	"strings"
)

// Vendor quirks (Config.Quirks). The vendor prints no type for any WSClient
// field, and public code saw only a few values (booleans false, 0.0 for
// tauxRemiseAbo, 0 for typeClient). Where nothing is documented a real
// server may well send text, so this mode answers every client record with
// the liberties such a server could take, while the documented parts
// (codeClient, typeClient's 0..4, the text fields) stay exact:
//
//   - noteEtat as the word the vendor's UI shows: "Ok", or "Suspendu";
//   - noteNpai as a label ("Niveau 1") when the address is flagged NPAI;
//   - nbNpai empty (<nbNpai/>) when zero, padded with spaces otherwise;
//   - erreurAel and npai as digits 0/1;
//   - tauxRemiseAbo with a French decimal comma ("10,0");
//   - creation and modification in local time, no offset, no milliseconds;
//   - elements our WSDL does not know: <statut> out of alphabetical order,
//     <iban/>, and the client's <codesSelection> (the abmWeb shape).
func writeQuirkyClient(b *strings.Builder, r *record) {
	b.WriteString("<client>")
	for _, fs := range clientFields {
		v, ok := r.f[fs.name]
		switch fs.name {
		case "codeClient":
			elem(b, "codeClient", strconv.Itoa(r.code))
			continue
		case "creation":
			elem(b, "creation", r.creation.In(paris).Format("2006-01-02T15:04:05"))
			continue
		case "modification":
			elem(b, "modification", r.modification.In(paris).Format("2006-01-02T15:04:05"))
			continue
		case "noteEtat":
			note := "Ok"
			if r.code%11 == 0 {
				note = "Suspendu"
			}
			elem(b, "noteEtat", note)
			continue
		case "noteNpai":
			if r.f["npai"] == "true" {
				elem(b, "noteNpai", "Niveau 1")
			}
			continue
		case "nbNpai":
			if ok && (v == "0" || v == "") {
				b.WriteString("<nbNpai/>")
			} else if ok {
				elem(b, "nbNpai", " "+v+" ")
			}
			continue
		case "erreurAel", "npai":
			switch v {
			case "true":
				v = "1"
			case "false":
				v = "0"
			}
		case "tauxRemiseAbo":
			v = strings.Replace(v, ".", ",", 1)
		case "nom":
			if ok {
				elem(b, "nom", v)
			}
			b.WriteString("<statut>ACTIF</statut>")
			continue
		}
		if ok {
			elem(b, fs.name, v)
		}
	}
	b.WriteString("<iban/>")
	for i, sel := range r.selections {
		b.WriteString("<codesSelection><refCs>" + strconv.Itoa(i+1) + "</refCs>")
		elem(b, "libelle", sel)
		b.WriteString("</codesSelection>")
	}
	b.WriteString("</client>")
}
