package boxoffice

import "testing"

func TestPasswordRules(t *testing.T) {
	for pw, ok := range map[string]bool{
		"Guichet2026": true, "Abcdefg1": true,
		"Abcdef1": false, "abcdefg1": false, "ABCDEFG1": false, "Abcdefgh": false, "Abcd@efg1": false, "": false,
	} {
		if got := PasswordProblem(pw) == ""; got != ok {
			t.Errorf("%q: accepted=%v, want %v (%s)", pw, got, ok, PasswordProblem(pw))
		}
	}
}

func TestEmailRules(t *testing.T) {
	for e, ok := range map[string]bool{
		"camille.martin@exemple.fr": true, "a@b.co": true,
		"pas-un-email": false, "a@b": false, "Camille <c@d.fr>": false, "": false,
	} {
		if got := EmailProblem(e) == ""; got != ok {
			t.Errorf("%q: accepted=%v, want %v", e, got, ok)
		}
	}
}
