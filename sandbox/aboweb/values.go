package aboweb

import (
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris on machines without a zone database
)

// paris is the server's zone: a JAXB server renders dates in its local
// offset (GUESS: AboWeb runs in France).
var paris = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.FixedZone("CET", 3600)
}()

// wireTime is the xs:dateTime form sent: local offset, milliseconds.
func wireTime(t time.Time) string { return t.In(paris).Format("2006-01-02T15:04:05.000-07:00") }

// parseDateTime accepts the xs:dateTime forms clients send (Z or offset,
// with or without fraction, or no zone = server local) and a bare xs:date.
func parseDateTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02", "2006-01-02Z07:00"} {
		if t, err := time.ParseInLocation(layout, s, paris); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// intParam reads an optional xs:int parameter. A malformed number is fault
// 202 (the vendor's "invalid data") rather than the silent 0 JAXB may give.
func intParam(p params, name string) (n int, present bool, f *soapFault) {
	v, ok := p.get(name)
	if !ok || strings.TrimSpace(v) == "" {
		return 0, false, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, false, invalid(name + " n'est pas un entier")
	}
	return n, true, nil
}

// offsetParam is the list index of the first element; absent means 0.
func offsetParam(p params) (int, *soapFault) {
	n, _, f := intParam(p, "offset")
	if f != nil {
		return 0, f
	}
	if n < 0 {
		return 0, invalid("offset négatif")
	}
	return n, nil
}

// normalize checks a field's text against its kind and returns its canonical
// wire form; null reports that JAXB would read it as null (empty non-string).
func normalize(fs fieldSpec, v string) (out string, null bool, f *soapFault) {
	if fs.kind == kString {
		return v, false, nil
	}
	t := strings.TrimSpace(v)
	if t == "" {
		return "", true, nil
	}
	switch fs.kind {
	case kInt:
		n, err := strconv.Atoi(t)
		if err != nil {
			return "", false, invalid(fs.name + " n'est pas un entier")
		}
		return strconv.Itoa(n), false, nil
	case kBool:
		switch t {
		case "true", "1":
			return "true", false, nil
		case "false", "0":
			return "false", false, nil
		}
		return "", false, invalid(fs.name + " n'est pas un booléen")
	case kDouble:
		x, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return "", false, invalid(fs.name + " n'est pas un nombre")
		}
		return formatDouble(x), false, nil
	case kDateTime:
		d, ok := parseDateTime(t)
		if !ok {
			return "", false, invalid(fs.name + " n'est pas une date")
		}
		return wireTime(d), false, nil
	}
	return t, false, nil
}

// formatDouble renders like Java's Double.toString for ordinary values
// (0.0, 12.5).
func formatDouble(x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}

// validEmail is the shape check of the coherence control: one @, a
// non-empty local part, a dotted domain, no spaces.
func validEmail(e string) bool {
	at := strings.IndexByte(e, '@')
	if at <= 0 || at != strings.LastIndexByte(e, '@') || strings.ContainsAny(e, " \t\r\n,;<>") || len(e) > 255 {
		return false
	}
	dom := e[at+1:]
	dot := strings.LastIndexByte(dom, '.')
	return dot > 0 && dot < len(dom)-1 && !strings.Contains(dom, "..")
}

// isoCountries is ISO 3166-1 alpha-2 (officially assigned codes).
var isoCountries = func() map[string]bool {
	const list = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
		"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
		"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
		"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
		"NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
		"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ " +
		"UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
	m := map[string]bool{}
	for _, c := range strings.Fields(list) {
		m[c] = true
	}
	return m
}()
