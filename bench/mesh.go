package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// The Mesh operations: root fields named <Service>_<Service>_<Port>_<op> by
// @graphql-mesh/soap, the payer and the order lines through the additional
// resolvers of bench/mesh/.meshrc.yaml. meshMe asks the ticketing services
// for what Guichet's qMe returns (contact, tickets, cards, order lines), in
// the services' own field names: Mesh maps no names or units.
const (
	meshMe = `query Me($token: String!) {
  infoContact(token: $token) { retour { statut { code message } message { contact { id_contact surname name mail
    recapAchat { retour { statut { code message } message { id_detail id_caddy type_produit libelle_complet qtte prix_unitaire prix_total dateheure liste_place } } } } } } }
  infoTelechargement(token: $token) { retour { code message
    liste_telechargement { id_detail commande spectacle libelle Zone_Tarifaire Numero_de_place DTSTART prix }
    liste_non_telechargeable { id_detail commande spectacle libelle Zone_Tarifaire Numero_de_place DTSTART prix } } }
  historiqueContact(token: $token) { retour { traitement historique { id libelle prix liste_billets { Id_rep spectacle dateheure } } } } }`
	meshPaidBy = `query PaidBy { ClientService_ClientService_ClientServicePort_getClientsByType(getClientsByType: {typeClient: 2, offset: 0}) {
  client { codeClient nom prenom typeClient payer { codeClient nom prenom typeClient } } } }`
	meshSubscriber = `query Sub($code: Int!) { ClientService_ClientService_ClientServicePort_getClient(getClient: {codeClient: $code}) {
  client { codeClient email nom prenom typeClient } } }`
)

// startMesh builds and starts GraphQL Mesh from bench/mesh when installed;
// otherwise it says why it is not measured.
func (e *env) startMesh(root string) (*server, string) {
	dir := filepath.Join(root, "bench", "mesh")
	bin := filepath.Join(dir, "node_modules", ".bin", "mesh")
	if _, err := os.Stat(bin); err != nil {
		return nil, "not installed (run bench/install-mesh.sh)"
	}
	if _, err := exec.LookPath("node"); err != nil {
		return nil, "node is not installed"
	}
	build := exec.Command(bin, "build")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		return nil, "mesh build failed: " + tail(string(out), 300)
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err.Error()
	}
	port := addr[strings.LastIndexByte(addr, ':')+1:]
	cmd := exec.Command(bin, "start", "--port", port)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), e.backendEnv()...), "PORT="+port, "NODE_ENV=production")
	s, err := start("mesh", cmd, "http://127.0.0.1:"+port, "/healthcheck*", 90*time.Second)
	if err != nil {
		return nil, err.Error()
	}
	// The master answers before its forked workers do: wait for a real answer.
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		req, _ := gqlRequest(s.url, meshSubscriber, map[string]any{"code": 240001}, nil)
		if b, st, err := fetch(req); err == nil && st == http.StatusOK && strings.Contains(string(b), `"codeClient":240001`) {
			return s, ""
		}
	}
	s.stop()
	return nil, "Mesh started but never answered a getClient:\n" + tail(s.logs.String(), 500)
}

// okMeshAccount accepts an account page with all four services' data: the
// ticketing services answer a refusal (bad token, missing parameter) as a
// 200 envelope, which Mesh passes on as data, not as a GraphQL error.
func okMeshAccount(status int, body []byte) error {
	if err := okGraphQL(0)(status, body); err != nil {
		return err
	}
	for _, want := range []string{`"id_contact":`, `"prix_total":`, `"liste_telechargement":[{`, `"historique":[{`} {
		if !bytes.Contains(body, []byte(want)) {
			return fmt.Errorf("no %s in %s", want, tail(string(body), 300))
		}
	}
	return nil
}
