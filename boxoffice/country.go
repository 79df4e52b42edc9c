package boxoffice

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// countryNames are the country names a French venue's file commonly holds,
// folded (upper case, no accents, no punctuation), with their ISO 3166-1
// alpha-2 code. The ticketing system keeps v_pays as free text ("France",
// "FRANCE"), so this is a best effort for display, never a contract.
var countryNames = map[string]string{
	"FRANCE": "FR", "BELGIQUE": "BE", "SUISSE": "CH", "LUXEMBOURG": "LU", "MONACO": "MC", "ALLEMAGNE": "DE",
	"ESPAGNE": "ES", "ITALIE": "IT", "PORTUGAL": "PT", "PAYS BAS": "NL", "ROYAUME UNI": "GB", "ANGLETERRE": "GB",
	"IRLANDE": "IE", "AUTRICHE": "AT", "CANADA": "CA", "ETATS UNIS": "US", "USA": "US", "ANDORRE": "AD",
	"MAROC": "MA", "ALGERIE": "DZ", "TUNISIE": "TN", "SENEGAL": "SN", "JAPON": "JP", "CHINE": "CN", "BRESIL": "BR",
	"POLOGNE": "PL", "GRECE": "GR", "SUEDE": "SE", "NORVEGE": "NO", "DANEMARK": "DK", "FINLANDE": "FI",
	"GERMANY": "DE", "SPAIN": "ES", "ITALY": "IT", "BELGIUM": "BE", "SWITZERLAND": "CH", "UNITED KINGDOM": "GB",
	"UNITED STATES": "US", "NETHERLANDS": "NL",
}

// CountryCode derives an ISO 3166-1 alpha-2 code from a country as stored
// (a name or already a code); "" when it is not recognised.
func CountryCode(country string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.TrimSpace(country)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r):
			b.WriteRune(unicode.ToUpper(r))
		default:
			b.WriteRune(' ')
		}
	}
	k := strings.Join(strings.Fields(b.String()), " ")
	if len(k) == 2 && k[0] >= 'A' && k[0] <= 'Z' && k[1] >= 'A' && k[1] <= 'Z' {
		return k
	}
	return countryNames[k]
}
