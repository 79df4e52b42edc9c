// Command gowsdlfix corrects the code gowsdl v0.5.0 generates from
// soap/ClientService.wsdl so that it speaks to a JAX-WS endpoint. It is a step
// of `go generate ./soap/...`, never run by hand on edited files: the same WSDL
// and the same gowsdl output always give the same bytes.
//
// Fixes applied to the generated file (numbers from toolchain-notes.md):
//
//  1. XMLName is dropped from complex types that no global element uses
//     (wsClient, wsCriteria): the name they carry ("wsClient") conflicts with
//     the element they really appear under (<client>, <criteria>).
//  2. Every request wrapper gets a MarshalXML (written to a second file) that
//     emits <ges:op xmlns:ges="http://www.gesmag.com/"> instead of
//     <op xmlns="http://www.gesmag.com/">, so its children stay unqualified
//     as elementFormDefault="unqualified" requires.
//  3. soapAction "”" becomes `""`, the SOAP 1.1 empty action.
//  4. omitempty is removed from fields the schema requires (minOccurs
//     absent), so a legitimate 0 (offset 0, typeClient 0) is sent.
//  5. Every child of the client record (wsClient) is generated as *string:
//     the vendor documents none of their types, so Guichet reads them as
//     text and converts them where used (package soap), and an unexpected
//     value spoils one field, never the answer. The WSDL keeps its guesses.
//
// Defects 5-7 (req.Close, faults as HTTPError, the WSS header) live in
// gowsdl's runtime, not in generated code: the soap package handles them.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	wsdlPath := flag.String("wsdl", "ClientService.wsdl", "WSDL the code was generated from")
	file := flag.String("file", "clientservice/clientservice.go", "gowsdl output, rewritten in place")
	wrappers := flag.String("wrappers", "clientservice/wrappers_gen.go", "file receiving the request wrappers' MarshalXML")
	flag.Parse()

	if err := run(*wsdlPath, *file, *wrappers); err != nil {
		fmt.Fprintln(os.Stderr, "gowsdlfix:", err)
		os.Exit(1)
	}
}

func run(wsdlPath, file, wrappers string) error {
	wsdl, err := os.ReadFile(wsdlPath)
	if err != nil {
		return err
	}
	src, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	fixed, wrap, err := Fix(wsdl, src)
	if err != nil {
		return err
	}
	if err := os.WriteFile(file, fixed, 0o644); err != nil {
		return err
	}
	return os.WriteFile(wrappers, wrap, 0o644)
}
