package api

import _ "embed"

// openAPIDocument is the OpenAPI 3.1 document of the API, served at
// /openapi.json. The tests validate every response they see against it.
//
//go:embed openapi.json
var openAPIDocument []byte
