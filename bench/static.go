package main

import (
	"log"
	"net/http"
	"os"
	"strings"
)

// shortPath prefixes the static server's path for scenario 7's bytes.
const shortPath = "/short"

// staticHandler writes the bytes of Guichet's scenario-1 answer to any
// request (those of scenario 7 under shortPath): the physical limit of
// serving that listing over HTTP here.
func staticHandler(file, shortFile string) http.Handler {
	read := func(f string) []byte {
		if f == "" {
			return nil
		}
		b, err := os.ReadFile(f)
		if err != nil {
			log.Fatal(err)
		}
		return b
	}
	body, short := read(file), read(shortFile)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasPrefix(r.URL.Path, shortPath+"/") {
			w.Write(short)
			return
		}
		w.Write(body)
	})
}
