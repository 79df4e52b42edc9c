package billetterie

import "net/url"

// specAliases maps, per service, the parameter names of the vendor spec
// (annex 4.1, ws_login, ws_modification_pwd) onto the names the handlers
// read (those of /work/brief/wire.md). Both are accepted: a real caller
// written from the vendor document sends the spec's names.
var specAliases = map[string][][2]string{
	"ws_login":                {{"web_ident", "login"}, {"web_passe", "password"}},
	"ws_ccontact":             contactAliases,
	"ws_modification_contact": contactAliases,
}

var contactAliases = [][2]string{
	{"web_civil", "v_civilite"}, {"v_adr1", "v_adress1"}, {"v_adr2", "v_adress2"}, {"v_adr3", "v_adress3"},
	{"v_adr4", "v_adress4"}, {"v_cp", "v_code_postal"},
	{"Adresses", "adresses"}, // §2.3.1.2 prints it capitalised, annex 4.3.1 in lower case
}

// applySpecAliases copies a spec-named parameter onto its handler name when
// the latter is absent, so the handler name wins when both are sent.
func applySpecAliases(service string, form url.Values) {
	for _, a := range specAliases[service] {
		if vs, ok := form[a[0]]; ok {
			if _, set := form[a[1]]; !set {
				form[a[1]] = vs
			}
		}
	}
}
