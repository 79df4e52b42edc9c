// Command sandbox runs the two back-office simulators on their own, so that
// tests, benchmarks and other GraphQL tools can target them over HTTP:
//
//	go run ./cmd/sandbox -billetterie :9101 -aboweb :9102
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/guichet/guichet/sandbox"
	abosandbox "github.com/guichet/guichet/sandbox/aboweb"
	bilsandbox "github.com/guichet/guichet/sandbox/billetterie"
)

func main() {
	bilAddr := flag.String("billetterie", "127.0.0.1:9101", "listen address of the L@billetterie simulator (empty: off)")
	aboAddr := flag.String("aboweb", "127.0.0.1:9102", "listen address of the AboWeb simulator (empty: off)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if *bilAddr != "" {
		cfg := bilsandbox.DefaultConfig()
		r, err := sandbox.Serve(*bilAddr, bilsandbox.New(cfg))
		if err != nil {
			log.Fatalf("billetterie sandbox: %v", err)
		}
		defer r.Close()
		fmt.Printf("L@billetterie sandbox: %s/\n  BILLETTERIE_URL=%s/ BILLETTERIE_LOGIN=%s BILLETTERIE_PASSWORD=%s BILLETTERIE_CLIENT=%s\n  BILLETTERIE_API_URL=%s/ BILLETTERIE_API_LOGIN=%s BILLETTERIE_API_KEY=%s BILLETTERIE_PWD_KEY=%s\n",
			r.URL, r.URL, cfg.Login, cfg.Password, cfg.Client, r.URL, cfg.APILogin, cfg.APIKey, cfg.PwdKey)
	}
	if *aboAddr != "" {
		cfg := abosandbox.DefaultConfig()
		r, err := sandbox.Serve(*aboAddr, abosandbox.New(cfg))
		if err != nil {
			log.Fatalf("aboweb sandbox: %v", err)
		}
		defer r.Close()
		fmt.Printf("AboWeb sandbox: %s/ClientService (WSDL at ?wsdl)\n  ABOWEB_URL=%s/ClientService ABOWEB_USERNAME=%s ABOWEB_PASSWORD=%s\n",
			r.URL, r.URL, cfg.Username, cfg.Password)
	}
	fmt.Println("Fault injection: /_sandbox/faults; call counters: /_sandbox/calls. Ctrl-C stops.")
	<-ctx.Done()
	os.Stdout.Sync()
}
