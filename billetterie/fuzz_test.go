package billetterie

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"

	"github.com/guichet/guichet/errs"
)

// Seeds live in testdata/fuzz/<Target>; without -fuzz these run as tests.

func FuzzFlux(f *testing.F) {
	f.Add(read(f, "flux_latin1.xml"))
	f.Fuzz(func(t *testing.T, b []byte) {
		n := 0
		err := ParseFlux(bytes.NewReader(b), func(it Item) error {
			set := 0
			for _, p := range []bool{it.Salle != nil, it.Grille != nil, it.Spectacle != nil, it.Abonnement != nil, it.Article != nil} {
				if p {
					set++
				}
			}
			if set != 1 {
				t.Fatalf("item with %d parts", set)
			}
			n++
			return nil
		})
		if err == nil {
			// What parses streamed must parse collected, to the same count.
			fl, err := Collect(bytes.NewReader(b))
			if err != nil || len(fl.Salles)+len(fl.Grilles)+len(fl.Spectacles)+len(fl.Abonnements)+len(fl.Articles) != n {
				t.Fatalf("collect disagrees: %v", err)
			}
		}
	})
}

func FuzzEnvelope(f *testing.F) {
	for _, name := range []string{"idsession.json", "info_telechargement.json", "modification_pwd.json", "organisme_contacts.json"} {
		f.Add(read(f, "spec/"+name))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		env, err := DecodeEnvelope("ws_fuzz", b)
		if err != nil {
			e := errs.Find(err)
			if e == nil || e.Op != "billetterie.ws_fuzz" || e.Kind == errs.Other || e.Message == "" {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if !env.Status.OK() {
			t.Fatalf("ko status without error: %+v", env.Status)
		}
		var s SessionInfo
		decodePart("ws_fuzz", env.Message, &s)
	})
}

func FuzzNotification(f *testing.F) {
	f.Add(read(f, "spec/notify.xml"))
	f.Add(read(f, "spec/det_achat.xml"))
	h := NotificationHandler(func(context.Context, Notification) error { return nil })
	f.Fuzz(func(t *testing.T, b []byte) {
		n, err := ParseNotification(b)
		if err == nil && (n.Card == nil) == (n.Order == nil) {
			t.Fatalf("notification with %+v", n)
		}
		if err != nil && !errs.Is(errs.Invalid, err) {
			t.Fatalf("kind %v", errs.KindOf(err))
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/notify", bytes.NewReader(b)))
		// The handler also reads form-encoded pushes, so only XML bodies have a fixed answer.
		if xmlBody := bytes.HasPrefix(bytes.TrimSpace(b), []byte("<")); xmlBody && w.Code != map[bool]int{true: 200, false: 400}[err == nil] {
			t.Fatalf("status %d for parse error %v", w.Code, err)
		}
	})
}

// FuzzTypedAnswers feeds every typed reading of the spec's answers with
// arbitrary bytes: nothing panics, and a reading through the envelope fails
// only with a typed error.
func FuzzTypedAnswers(f *testing.F) {
	names := make([]string, 0, len(specDecoders))
	enveloped := map[string]bool{} // answers read through DecodeEnvelope
	for name := range specDecoders {
		names = append(names, name)
		seed := read(f, "spec/"+name)
		f.Add(seed)
		enveloped[name] = bytes.Contains(seed, []byte(`"retour"`))
	}
	sort.Strings(names)
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, name := range names {
			_, err := specDecoders[name](b)
			if err != nil && enveloped[name] && errs.Find(err) == nil {
				t.Fatalf("%s: untyped error %v", name, err)
			}
		}
	})
}
