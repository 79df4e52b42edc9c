package route

import (
	"net/http"

	"github.com/rs/cors"

	"github.com/guichet/guichet/obs"
)

// CORSMaxAge is how long browsers may cache a preflight answer (seconds).
const CORSMaxAge = 600

// CORS is the browser access policy of every route: it lets browsers on origins (exact origins, "*" or "https://*.example.fr"
// wildcards) call the API with the headers Guichet reads. With no origins
// it returns next unchanged: browsers then allow same-origin calls only.
// No credentials mode: Guichet authenticates with headers, not cookies.
func CORS(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return next
	}
	return cors.New(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Content-Type", "Authorization", "X-Session-Token"},
		ExposedHeaders: []string{obs.RequestIDHeader},
		MaxAge:         CORSMaxAge,
	}).Handler(next)
}
