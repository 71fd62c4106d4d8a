#!/bin/sh
# Builds the oracle in GOPATH mode against Debian's Go sources (no network):
#   apt-get install golang-go golang-github-masterminds-sprig-dev golang-k8s-sigs-yaml-dev golang-sslmate-src-go-pkcs12-dev golang-gopkg-square-go-jose.v2-dev
# Debian installs sprig and semver without their /v3 module suffix, so a temp GOPATH
# links them under the import paths the code uses.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-/tmp/template-oracle}
gp=$(mktemp -d)
trap 'rm -rf "$gp"' EXIT
mkdir -p "$gp/src/github.com/Masterminds/sprig" "$gp/src/github.com/Masterminds/semver" "$gp/src/oracle"
for d in /usr/share/gocode/src/*; do
  [ "$(basename "$d")" = github.com ] || ln -s "$d" "$gp/src/$(basename "$d")"
done
mkdir -p "$gp/src/github.com"
for d in /usr/share/gocode/src/github.com/*; do
  [ "$(basename "$d")" = Masterminds ] || ln -s "$d" "$gp/src/github.com/$(basename "$d")"
done
ln -s /usr/share/gocode/src/github.com/Masterminds/goutils "$gp/src/github.com/Masterminds/goutils"
ln -s /usr/share/gocode/src/github.com/Masterminds/sprig "$gp/src/github.com/Masterminds/sprig/v3"
ln -s /usr/share/gocode/src/github.com/Masterminds/semver "$gp/src/github.com/Masterminds/semver/v3"
cp "$here/main.go" "$gp/src/oracle/"
cd "$gp/src/oracle"
GO111MODULE=off GOPATH="$gp" GOCACHE="${GOCACHE:-/tmp/go-cache}" go build -o "$out" .
echo "$out"
