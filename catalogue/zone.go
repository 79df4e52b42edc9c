package catalogue

import "time"

// Paris is the venue's zone: performances start and records change in
// Paris time, and the snapshot shows its dates there.
var Paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err) // time/tzdata is linked by the binary
	}
	return l
}()
