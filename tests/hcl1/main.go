// Reads HCL from stdin with HCL 1 (github.com/hashicorp/hcl v1, hcl.Decode: what
// `consul config write` parses with, command/helpers/decode_shim.go) and prints it as JSON.
// With -batch, stdin is a JSON array of HCL documents and the output a JSON array of
// {"value": …} or {"error": "…"}, one per document.
//
// Run in GOPATH mode against Debian's golang-github-hashicorp-hcl-dev:
//   GOPATH=/usr/share/gocode GO111MODULE=off go run tests/hcl1/main.go < entry.hcl
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io/ioutil"
	"os"

	"github.com/hashicorp/hcl"
)

type result struct {
	Value interface{} `json:"value,omitempty"`
	Error string      `json:"error,omitempty"`
}

func decode(text string) result {
	var raw map[string]interface{}
	if err := hcl.Decode(&raw, text); err != nil {
		return result{Error: err.Error()}
	}
	if raw == nil {
		raw = map[string]interface{}{}
	}
	return result{Value: raw}
}

func main() {
	batch := flag.Bool("batch", false, "stdin is a JSON array of HCL documents")
	flag.Parse()
	input, err := ioutil.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var out interface{}
	if *batch {
		var docs []string
		if err := json.Unmarshal(input, &docs); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		results := make([]result, len(docs))
		for i, doc := range docs {
			results[i] = decode(doc)
		}
		out = results
	} else {
		r := decode(string(input))
		if r.Error != "" {
			fmt.Fprintln(os.Stderr, r.Error)
			os.Exit(1)
		}
		out = r.Value
	}
	encoded, err := json.Marshal(out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Println(string(encoded))
}
