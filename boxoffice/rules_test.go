package boxoffice

import "testing"

func TestEmailRules(t *testing.T) {
	for e, ok := range map[string]bool{
		"camille.martin@exemple.fr": true, "a@b.co": true,
		"pas-un-email": false, "a@b": true, "assistance@ressources-sfr": true, "a@": false, "@b": false, "Camille <c@d.fr>": false, "": false,
	} {
		if got := EmailProblem(e) == ""; got != ok {
			t.Errorf("%q: accepted=%v, want %v", e, got, ok)
		}
	}
}

func TestPasswordRules(t *testing.T) {
	for pw, ok := range map[string]bool{"Del457DEL": true, "Étéçà2026x": true, "Abcdefg1": true, "Abcdef1": false, "ABCDEFG1": false,
		"abcdefg1": false, "Abcdefgh": false, "Abc@efg1": false, "": false} {
		if got := PasswordProblem(pw) == ""; got != ok {
			t.Errorf("%q: %v", pw, PasswordProblem(pw))
		}
	}
}
