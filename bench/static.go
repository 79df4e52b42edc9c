package main

import (
	"log"
	"net/http"
	"os"
)

// staticHandler writes the bytes of Guichet's scenario-1 answer to any
// request: the physical limit of serving that listing over HTTP here.
func staticHandler(file string) http.Handler {
	body, err := os.ReadFile(file)
	if err != nil {
		log.Fatal(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
}
