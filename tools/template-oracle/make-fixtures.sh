#!/bin/sh
# Generates the certificate/key fixtures for ESO's template functions with OpenSSL, plus the
# expectations derived from OpenSSL itself (independent of our code). Dev-only; output committed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$(cd "$(dirname "$0")/../../test/template/fixtures" && pwd)}
cd "$out"
rm -f ./*
days=36500
cat > ext.cnf <<'CNF'
[ca]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
[leaf]
basicConstraints=CA:FALSE
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid:always
subjectAltName=DNS:foo.example.com,DNS:bar.example.com,IP:10.0.0.1,IP:2001:db8::1,email:ops@example.com,URI:spiffe://example.com/ns/x
CNF
openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.crt -subj /CN=root -days $days -addext subjectKeyIdentifier=hash -addext basicConstraints=critical,CA:TRUE 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout inter.key -out inter.csr -subj /CN=intermediate 2>/dev/null
openssl x509 -req -in inter.csr -CA root.crt -CAkey root.key -CAcreateserial -out inter.crt -days $days -extfile ext.cnf -extensions ca 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out leaf-sec1.key
openssl pkcs8 -topk8 -nocrypt -in leaf-sec1.key -out leaf.key
openssl req -new -key leaf.key -out leaf.csr -subj /CN=foo.example.com 2>/dev/null
openssl x509 -req -in leaf.csr -CA inter.crt -CAkey inter.key -CAcreateserial -out leaf.crt -days $days -extfile ext.cnf -extensions leaf 2>/dev/null
cat root.crt leaf.crt inter.crt > chain-unordered.pem
cat root.crt inter.crt > cas-unordered.pem
cat leaf.crt inter.crt root.crt > chain-ordered.pem
# PKCS#12: modern (AES/PBKDF2/SHA-256 MAC) without and with a password, and legacy (RC2-40 + 3DES, SHA-1 MAC)
openssl pkcs12 -export -inkey leaf.key -in leaf.crt -certfile inter.crt -passout pass: -out leaf-nopass.p12
openssl pkcs12 -export -inkey leaf.key -in leaf.crt -certfile cas-unordered.pem -passout pass:1234 -out leaf-pass.p12
openssl req -x509 -newkey rsa:2048 -nodes -keyout rsa.key -out rsa.crt -subj /CN=rsa -days $days 2>/dev/null
openssl pkcs12 -export -legacy -inkey rsa.key -in rsa.crt -passout pass:legacy -out rsa-legacy.p12 2>/dev/null || \
  openssl pkcs12 -export -certpbe PBE-SHA1-RC2-40 -keypbe PBE-SHA1-3DES -macalg sha1 -inkey rsa.key -in rsa.crt -passout pass:legacy -out rsa-legacy.p12
# Expectations from OpenSSL: PKCS#8 of the keys, and the leaf cert re-encoded
openssl pkey -in leaf.key -out leaf.pkcs8.pem
openssl pkey -in rsa.key -out rsa.pkcs8.pem
openssl rsa -in rsa.key -traditional -out rsa-pkcs1.key 2>/dev/null
openssl pkey -in rsa.key -pubout -out rsa.pub.pem
# RSA-OAEP ciphertexts of "s3cr3t"
printf 's3cr3t' > plain.txt
openssl pkeyutl -encrypt -pubin -inkey rsa.pub.pem -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256 -in plain.txt -out oaep-sha256.bin
openssl pkeyutl -encrypt -pubin -inkey rsa.pub.pem -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha1 -pkeyopt rsa_mgf1_md:sha1 -in plain.txt -out oaep-sha1.bin
# JWKs made with node:crypto from the same keys
node -e '
const c = require("node:crypto"); const fs = require("node:fs");
const j = (k) => JSON.stringify(k);
const rsa = c.createPrivateKey(fs.readFileSync("rsa.key"));
fs.writeFileSync("rsa.jwk", j({...rsa.export({format:"jwk"}), kid:"k1"}));
fs.writeFileSync("rsa-pub.jwk", j(c.createPublicKey(rsa).export({format:"jwk"})));
const ec = c.createPrivateKey(fs.readFileSync("leaf.key"));
fs.writeFileSync("ec.jwk", j(ec.export({format:"jwk"})));
fs.writeFileSync("ec-pub.jwk", j(c.createPublicKey(ec).export({format:"jwk"})));
const ed = c.generateKeyPairSync("ed25519").privateKey;
fs.writeFileSync("ed25519.jwk", j(ed.export({format:"jwk"})));
fs.writeFileSync("ed25519.pkcs8.pem", ed.export({type:"pkcs8",format:"pem"}));
fs.writeFileSync("ed25519-pub.jwk", j(c.createPublicKey(ed).export({format:"jwk"})));
fs.writeFileSync("ed25519.pub.pem", c.createPublicKey(ed).export({type:"spki",format:"pem"}));
fs.writeFileSync("ec.pub.pem", c.createPublicKey(ec).export({type:"spki",format:"pem"}));
const k256 = c.generateKeyPairSync("ec", {namedCurve: "secp256k1"}).privateKey;
fs.writeFileSync("secp256k1.jwk", j(k256.export({format:"jwk"})));
'
rm -f ./*.csr ./*.srl ext.cnf plain.txt inter.key root.key
# PKCS#12 files made by our encoders, for the Go decoder in the oracle
(cd "$here/../.." && node --import tsx tools/template-oracle/make-ours.ts)
ls
