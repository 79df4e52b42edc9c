package soap

// Test helpers shared with the external contract tests (package soap_test,
// which must be external: sandbox/aboweb imports this package for its WSDL).
var (
	CheckErr      = checkErr
	NewTestClient = newTestClient
	Bg            = bg
	HTTPGet       = httptestGet
)
