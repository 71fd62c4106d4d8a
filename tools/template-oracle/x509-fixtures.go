//go:build ignore

// Writes test/template/fixtures/go-*.der: certificates made by Go's x509.CreateCertificate from
// Sprig's templates (getBaseCertTemplate + the CA overrides) with fixed serials, times and the
// committed keys, so test/template/x509.test.ts can check our encoder byte for byte. RSA
// PKCS#1 v1.5 and Ed25519 signatures are deterministic, so whole certificates compare.
// Debian's Go is 1.19; ESO's Go (1.25+) derives a CA's SubjectKeyId from SHA-256 instead of
// SHA-1, so that value is set explicitly here the 1.25 way.
//
//	cd test/template/fixtures && GO111MODULE=off go run ../../../tools/template-oracle/x509-fixtures.go
package main

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"time"
)

func key(path string) crypto.Signer {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	blk, _ := pem.Decode(b)
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		panic(err)
	}
	return k.(crypto.Signer)
}

func base(cn string, ips []net.IP, dns []string, serial int64, notBefore time.Time, days int) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber:          new(big.Int).Lsh(big.NewInt(serial), 64),
		Subject:               pkix.Name{CommonName: cn},
		IPAddresses:           ips,
		DNSNames:              dns,
		NotBefore:             notBefore,
		NotAfter:              notBefore.Add(time.Hour * 24 * time.Duration(days)),
		KeyUsage:              x509.KeyUsageKeyEncipherment | x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
	}
}

func sha256Skid(pub crypto.PublicKey) []byte {
	der, _ := x509.MarshalPKIXPublicKey(pub)
	var spki struct {
		Alg asn1.RawValue
		Key asn1.BitString
	}
	asn1.Unmarshal(der, &spki)
	h := sha256.Sum256(spki.Key.Bytes)
	return h[:20]
}

func write(name string, t, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) []byte {
	der, err := x509.CreateCertificate(rand.Reader, t, parent, pub, signer)
	if err != nil {
		panic(err)
	}
	if err := os.WriteFile(name, der, 0o644); err != nil {
		panic(err)
	}
	return der
}

func main() {
	rsaKey := key("rsa.key")
	edKey := key("ed25519.pkcs8.pem")
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

	ca := base("fixture-ca", nil, nil, 0x0123456789abcdef, t0, 365)
	ca.KeyUsage |= x509.KeyUsageCertSign
	ca.IsCA = true
	ca.SubjectKeyId = sha256Skid(rsaKey.Public())
	caDer := write("go-ca-rsa.der", ca, ca, rsaKey.Public(), rsaKey)
	parent, _ := x509.ParseCertificate(caDer)

	leaf := base("fixture leaf & co", []net.IP{net.ParseIP("10.0.0.1"), net.ParseIP("::1"), net.ParseIP("::ffff:192.0.2.1")}, []string{"leaf.example", "*.leaf.example"}, 0x7edcba9876543210, t0, 30)
	write("go-leaf-ed25519.der", leaf, parent, edKey.Public(), rsaKey)

	self := base("", []net.IP{net.ParseIP("192.0.2.7")}, nil, 1, t0, 9000)
	write("go-self-ed25519.der", self, self, edKey.Public(), edKey)
}
