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
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"hash"
	"os"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	jose "gopkg.in/square/go-jose.v2"
	"sigs.k8s.io/yaml"
	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

type testCase struct {
	Name       string            `json:"name"`
	Template   string            `json:"template"`
	Data       map[string]string `json:"data"`
	DataB64    map[string]string `json:"dataB64"`
	MissingKey string            `json:"missingKey"`
	Delims     []string          `json:"delims"`
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
	for k, v := range esoFuncs() {
		m[k] = v
	}
	return m
}

// esoFuncs: a few of ESO's own template functions, written here from their documented
// behaviour on top of the same Go libraries (encoding/pem, crypto/x509, sigs.k8s.io/yaml,
// go-pkcs12), to cross-check the TypeScript port. Not ESO's code.
func esoFuncs() template.FuncMap {
	return template.FuncMap{
		"toYaml": func(v interface{}) string {
			data, err := yaml.Marshal(v)
			if err != nil {
				return ""
			}
			return strings.TrimSuffix(string(data), "\n")
		},
		"fromYaml": func(s string) map[string]interface{} {
			m := map[string]interface{}{}
			if err := yaml.Unmarshal([]byte(s), &m); err != nil {
				m["Error"] = err.Error()
			}
			return m
		},
		"filterPEM": func(pemType, input string) (string, error) {
			if i := strings.Index(input, "-----BEGIN"); i >= 0 {
				input = input[i:]
			}
			data := []byte(input)
			var out []byte
			var rest []byte
			for {
				var block *pem.Block
				block, rest = pem.Decode(data)
				data = rest
				if block == nil {
					break
				}
				if !strings.EqualFold(block.Type, pemType) {
					continue
				}
				out = append(out, pem.EncodeToMemory(block)...)
			}
			if len(out) == 0 && len(rest) != 0 {
				return "", errors.New("error filtering pem: found junk")
			}
			return string(out), nil
		},
		"certSANs": func(input string) ([]string, error) {
			if i := strings.Index(input, "-----BEGIN"); i >= 0 {
				input = input[i:]
			}
			block, _ := pem.Decode([]byte(input))
			if block == nil {
				return nil, fmt.Errorf("failed to decode PEM block")
			}
			cert, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("failed to parse certificate: %w", err)
			}
			sans := append([]string{}, cert.DNSNames...)
			for _, ip := range cert.IPAddresses {
				sans = append(sans, ip.String())
			}
			sans = append(sans, cert.EmailAddresses...)
			for _, u := range cert.URIs {
				sans = append(sans, u.String())
			}
			return sans, nil
		},
		"pkcs12key":      func(input string) (string, error) { return p12key("", input) },
		"pkcs12cert":     func(input string) (string, error) { return p12cert("", input) },
		// ESO parses JWKs with lestrrat jwx (not in Debian); go-jose yields the same Go key
		// types, which is what decides the PEM bytes (x509.Marshal*).
		"jwkPublicKeyPem": func(j string) (string, error) {
			var k jose.JSONWebKey
			if err := k.UnmarshalJSON([]byte(j)); err != nil {
				return "", err
			}
			der, err := x509.MarshalPKIXPublicKey(k.Key)
			if err != nil {
				return "", err
			}
			return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), nil
		},
		"jwkPrivateKeyPem": func(j string) (string, error) {
			var k jose.JSONWebKey
			if err := k.UnmarshalJSON([]byte(j)); err != nil {
				return "", err
			}
			der, err := x509.MarshalPKCS8PrivateKey(k.Key)
			if err != nil {
				return "", err
			}
			return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
		},
		"pkcs12certPass": p12cert,
		"filterCertChain": func(certType, input string) (string, error) {
			ordered, err := chainOf([]byte(input))
			if err != nil {
				return "", err
			}
			isRoot := func(c *x509.Certificate) bool {
				return c.AuthorityKeyId == nil || bytes.Equal(c.AuthorityKeyId, c.SubjectKeyId)
			}
			enc := func(c *x509.Certificate) string {
				return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
			}
			switch certType {
			case "leaf":
				c := ordered[0]
				if c.AuthorityKeyId != nil && !bytes.Equal(c.AuthorityKeyId, c.SubjectKeyId) {
					return enc(c), nil
				}
			case "intermediate":
				out := ""
				for _, c := range ordered[min1(len(ordered)):] {
					if isRoot(c) {
						break
					}
					out += enc(c)
				}
				return out, nil
			case "root":
				c := ordered[len(ordered)-1]
				if isRoot(c) {
					return enc(c), nil
				}
			}
			return "", nil
		},
		"pkcs12keyPass": p12key,
		"rsaDecrypt": func(scheme, hashName, in, key string) (string, error) {
			if scheme == "None" {
				return in, nil
			}
			if scheme != "RSA-OAEP" {
				return "", fmt.Errorf("decryption scheme %v is not supported", scheme)
			}
			block, _ := pem.Decode([]byte(key))
			if block == nil {
				return "", fmt.Errorf("failed to decode PEM block")
			}
			var k interface{}
			var err error
			if k, err = x509.ParsePKCS1PrivateKey(block.Bytes); err != nil {
				if k, err = x509.ParsePKCS8PrivateKey(block.Bytes); err != nil {
					if k, err = x509.ParseECPrivateKey(block.Bytes); err != nil {
						return "", errors.New("could not parse private key: unable to parse private key type")
					}
				}
			}
			rk, ok := k.(*rsa.PrivateKey)
			if !ok {
				return "", errors.New("could not parse RSA private key")
			}
			var h hash.Hash = sha256.New()
			if hashName == "SHA1" {
				h = sha1.New()
			}
			out, err := rsa.DecryptOAEP(h, nil, rk, []byte(in), nil)
			if err != nil {
				return "", fmt.Errorf("error decrypting data with RSA: %v", err)
			}
			return string(out), nil
		},
	}
}

func min1(n int) int {
	if n < 2 {
		return n
	}
	return 1
}

// chainOf orders PEM certificates leaf → root by matching AuthorityKeyId to SubjectKeyId
// (nil and empty compare equal, as bytes.Equal does).
func chainOf(data []byte) ([]*x509.Certificate, error) {
	type node struct {
		cert     *x509.Certificate
		parent   *node
		isParent bool
	}
	var nodes []*node
	for {
		block, rest := pem.Decode(data)
		data = rest
		if block == nil {
			break
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		nodes = append(nodes, &node{cert: c})
	}
	for i := range nodes {
		for j := range nodes {
			if i != j && bytes.Equal(nodes[i].cert.AuthorityKeyId, nodes[j].cert.SubjectKeyId) {
				nodes[j].isParent = true
				nodes[i].parent = nodes[j]
				break
			}
		}
	}
	var leaf *node
	for _, n := range nodes {
		if !n.isParent {
			if leaf != nil {
				return nil, errors.New("found multiple leaf or disjunct certificates")
			}
			leaf = n
		}
	}
	if leaf == nil {
		return nil, errors.New("no leaf certificate found")
	}
	var out []*x509.Certificate
	for n, k := leaf, 0; n != nil; n, k = n.parent, k+1 {
		if k >= len(nodes) {
			return nil, errors.New("constructing chain resulted in cycle")
		}
		out = append(out, n.cert)
	}
	return out, nil
}

func p12cert(pass, input string) (string, error) {
	_, cert, cas, err := pkcs12.DecodeChain([]byte(input), pass)
	if err != nil {
		return "", fmt.Errorf("unable to decode pkcs12 certificate with password: %s", err)
	}
	all := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}))
	for _, c := range cas {
		all += string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
	}
	ordered, err := chainOf([]byte(all))
	if err != nil {
		return all, nil
	}
	out := ""
	for _, c := range ordered {
		out += string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}))
	}
	return out, nil
}

func p12key(pass, input string) (string, error) {
	key, _, _, err := pkcs12.DecodeChain([]byte(input), pass)
	if err != nil {
		return "", fmt.Errorf("unable to decode pkcs12 with password: %s", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
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
	if len(c.Delims) == 2 {
		t = t.Delims(c.Delims[0], c.Delims[1])
	}
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
