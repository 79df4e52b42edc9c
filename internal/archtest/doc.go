// Package archtest holds the tests of Guichet's layering: which packages may
// import which, and where vendor names may appear. It has no code of its own.
//
//	graph (GraphQL)             ──▶ domain: crm, boxoffice, catalogue
//	adapters: soap, billetterie ──▶ domain
//	package main (wiring)       ──▶ all of them, sandboxes included
//
// No arrow runs back up: a domain package knows no adapter nor sandbox, and
// graph knows none either (their tests neither: they run over fakes of the
// domain services), an adapter knows no other adapter. A rule that cannot
// hold yet may be given a Todo, its reason, and is then reported and
// skipped (imports_test.go); none has one. Vendor names are checked in the
// code, not the comments, of graph/ and the domain packages
// (vendornames_test.go).
package archtest
