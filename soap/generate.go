package soap

// The generated client: gowsdl's raw output, then the deterministic corrections
// of internal/gowsdlfix (see its package comment). Both files in clientservice/
// are output only; TestGeneratedCodeIsReproducible checks they match.
//go:generate go run github.com/hooklift/gowsdl/cmd/gowsdl -d . -p clientservice -o clientservice.go ClientService.wsdl
//go:generate go run ./internal/gowsdlfix -wsdl ClientService.wsdl -file clientservice/clientservice.go -wrappers clientservice/wrappers_gen.go
