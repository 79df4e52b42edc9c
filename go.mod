module github.com/guichet/guichet

go 1.26.8

require (
	github.com/99designs/gqlgen v0.17.95
	github.com/graph-gophers/dataloader/v7 v7.2.0
	github.com/hooklift/gowsdl v0.5.0
	github.com/redis/go-redis/v9 v9.17.2
	github.com/vektah/gqlparser/v2 v2.5.37
	golang.org/x/text v0.41.0
)

require (
	github.com/agnivade/levenshtein v1.2.1 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/coder/websocket v1.8.15 // indirect
	github.com/dgryski/go-rendezvous v0.0.0-20200823014737-9f7001d12a5f // indirect
	github.com/go-viper/mapstructure/v2 v2.5.0 // indirect
	github.com/goccy/go-yaml v1.19.2 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/hashicorp/golang-lru/v2 v2.0.7 // indirect
	github.com/sosodev/duration v1.4.0 // indirect
	github.com/urfave/cli/v3 v3.11.0 // indirect
	golang.org/x/mod v0.40.0 // indirect
	golang.org/x/sync v0.22.0 // indirect
	golang.org/x/tools v0.49.0 // indirect
)
