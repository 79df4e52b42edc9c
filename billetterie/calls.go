package billetterie

import (
	"context"
	"net/url"
	"strings"

	"github.com/guichet/guichet/upstream"
)

// describe puts what a call is in its context for the resilient transport,
// the spans and the metrics: the service (for ws_execute_programme, the
// programme named by x_rsi_modele) and whether it only reads.
func describe(ctx context.Context, service string, form url.Values) context.Context {
	op, read := service, readService(service)
	if service == "ws_execute_programme" {
		op, read = service, false
		if m := form.Get("x_rsi_modele"); strings.HasPrefix(m, "ws_") {
			op, read = m, readProgrammes[m]
		}
	}
	return upstream.WithCall(ctx, upstream.Call{Backend: upstream.Billetterie.Name, Operation: op, Read: read})
}

// readServices are the services that only read; ws_cat_*, ws_det_* and
// ws_info_* are reads by the vendor's naming (catalogues, details, infos).
//
// ws_idsession is not a read although it carries no visitor data: it
// creates a session on the engine, only idempotent reads may be replayed,
// and its callers (createSession, login, registerContact) go on with
// mutations that are never replayed either, so a retry would buy little and
// add sessions to an engine that is already struggling.
var readServices = map[string]bool{
	"ws_programmation":      true,
	"ws_status_session":     true,
	"ws_recap_achat":        true,
	"ws_historique_contact": true,
}

// readProgrammes are the ws_execute_programme models that only read.
var readProgrammes = map[string]bool{"ws_liste_fiches_modifiees": true}

var readPrefixes = []string{"ws_cat_", "ws_det_", "ws_info_"}

// readService reports whether a service (or programme) only reads.
func readService(op string) bool {
	if readServices[op] {
		return true
	}
	for _, pre := range readPrefixes {
		if strings.HasPrefix(op, pre) {
			return true
		}
	}
	return false
}
