package soap

import _ "embed"

// WSDL is the ClientService contract this package is generated from. The
// simulator in sandbox/aboweb serves these same bytes, so client and
// simulator cannot drift apart silently.
//
//go:embed ClientService.wsdl
var WSDL []byte
