// Package archtest holds the tests of Guichet's layering: which packages may
// import which, and where vendor names may appear. It has no code of its own.
//
//	graph (GraphQL)          ──▶ domain: crm, boxoffice, catalogue
//	adapters: soap, billetterie ──▶ domain
//	package main (wiring)    ──▶ all of them, sandboxes included
//
// No arrow runs back up: a domain package knows no adapter, graph knows no
// adapter nor sandbox, an adapter knows no other adapter.
package archtest
