// Dev-only oracle: renders a JSON corpus with real Go text/template + Sprig (Debian's
// golang-github-masterminds-sprig-dev 3.2.3), the way ESO executes templates
// (runtime/template/v2/template.go: map[string]string data, Option("missingkey=error")).
// Build in GOPATH mode against /usr/share/gocode (no network); see regen.mjs.
//
// stdin:  [{"name", "template", "data": {k: v}, "dataB64": {k: base64}, "missingKey": "error"|"default"}]
// stdout: [{"name", "outputB64", "error"}]
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"text/template"

	"github.com/Masterminds/sprig/v3"
)

type testCase struct {
	Name       string            `json:"name"`
	Template   string            `json:"template"`
	Data       map[string]string `json:"data"`
	DataB64    map[string]string `json:"dataB64"`
	MissingKey string            `json:"missingKey"`
}

type result struct {
	Name      string `json:"name"`
	OutputB64 string `json:"outputB64"`
	Error     string `json:"error,omitempty"`
}

func funcs() template.FuncMap {
	m := sprig.TxtFuncMap()
	// ESO removes these (runtime/template/v2/sprig is a copy without them).
	delete(m, "env")
	delete(m, "expandenv")
	delete(m, "getHostByName")
	return m
}

func run(c testCase) (res result) {
	res.Name = c.Name
	defer func() {
		if r := recover(); r != nil {
			res.Error = "PANIC"
		}
	}()
	data := map[string]string{}
	for k, v := range c.Data {
		data[k] = v
	}
	for k, v := range c.DataB64 {
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			panic(err)
		}
		data[k] = string(b)
	}
	t := template.New(c.Name).Funcs(funcs())
	if c.MissingKey != "default" {
		t = t.Option("missingkey=error")
	}
	t, err := t.Parse(c.Template)
	if err != nil {
		res.Error = err.Error()
		return
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		res.Error = err.Error()
		return
	}
	res.OutputB64 = base64.StdEncoding.EncodeToString(buf.Bytes())
	return
}

func main() {
	var cases []testCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		panic(err)
	}
	out := make([]result, 0, len(cases))
	for _, c := range cases {
		out = append(out, run(c))
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		panic(err)
	}
}
