// Package soap is Guichet's client for the AboWeb subscriber CRM
// (SOAP 1.1 ClientService with a WS-Security UsernameToken).
//
// ClientService.wsdl is written by us (the vendor publishes none); the types
// and calls in ./clientservice are generated from it by gowsdl v0.5.0 and then
// corrected by ./internal/gowsdlfix (see generate.go). This package is the thin
// layer over them: per-call security header, fault mapping to errs kinds,
// validation, paging, and the mapping of its records and errors to the crm
// package, which Client implements as crm.Service (service.go).
package soap
