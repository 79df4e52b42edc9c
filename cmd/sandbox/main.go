// Command sandbox runs the two back-office simulators on their own, so that
// tests, benchmarks and other GraphQL tools can target them over HTTP:
//
//	go run ./cmd/sandbox -billetterie :9101 -aboweb :9102
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/guichet/guichet/sandbox"
	abosandbox "github.com/guichet/guichet/sandbox/aboweb"
	bilsandbox "github.com/guichet/guichet/sandbox/billetterie"
)

func main() {
	bilAddr := flag.String("billetterie", "127.0.0.1:9101", "listen address of the L@billetterie simulator (empty: off)")
	aboAddr := flag.String("aboweb", "127.0.0.1:9102", "listen address of the AboWeb simulator (empty: off)")
	guichet := flag.String("guichet", "http://127.0.0.1:8080", "base URL of the Guichet the simulated pushes go to (empty: no push)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if *bilAddr != "" {
		cfg := bilsandbox.DefaultConfig()
		// Pushes (a sale, a printed card) go to Guichet's hooks, which
		// need the secret Guichet is started with: taken from the
		// environment, or a fresh one printed below.
		secret := os.Getenv("GUICHET_HOOK_SECRET")
		shown := "(from the environment)" // a secret given to us is not echoed
		if *guichet != "" {
			if secret == "" {
				b := make([]byte, 16)
				rand.Read(b)
				secret = hex.EncodeToString(b)
				shown = secret
			}
			root := strings.TrimSuffix(*guichet, "/") + "/hooks/billetterie/" + secret + "/"
			cfg.Callbacks = bilsandbox.Callbacks{Order: root + "purchase", Card: root + "card"}
		}
		r, err := sandbox.StartTicketing(*bilAddr, cfg)
		if err != nil {
			log.Fatalf("billetterie sandbox: %v", err)
		}
		defer r.Close()
		fmt.Printf("L@billetterie sandbox: %s\n  BILLETTERIE_URL=%s BILLETTERIE_LOGIN=%s BILLETTERIE_PASSWORD=%s BILLETTERIE_CLIENT=%s\n  BILLETTERIE_API_URL=%s BILLETTERIE_API_LOGIN=%s BILLETTERIE_API_KEY=%s BILLETTERIE_PWD_KEY=%s\n",
			r.BaseURL, r.BaseURL, r.Login, r.Password, r.Client, r.APIURL, r.APILogin, r.APIKey, r.PwdKey)
		if cfg.Callbacks.Order != "" {
			fmt.Printf("  GUICHET_HOOK_SECRET=%s (pushes go to %s; POST %s/_sandbox/purchase simulates a sale)\n",
				shown, strings.TrimSuffix(*guichet, "/")+"/hooks/billetterie/<secret>/…", r.URL)
		}
	}
	if *aboAddr != "" {
		cfg := abosandbox.DefaultConfig()
		r, err := sandbox.StartCRM(*aboAddr, cfg)
		if err != nil {
			log.Fatalf("aboweb sandbox: %v", err)
		}
		defer r.Close()
		fmt.Printf("AboWeb sandbox: %s (WSDL at ?wsdl)\n  ABOWEB_URL=%s ABOWEB_USERNAME=%s ABOWEB_PASSWORD=%s\n",
			r.Endpoint, r.Endpoint, r.Username, r.Password)
	}
	fmt.Println("Fault injection: /_sandbox/faults; call counters: /_sandbox/calls. Ctrl-C stops.")
	<-ctx.Done()
	os.Stdout.Sync()
}
