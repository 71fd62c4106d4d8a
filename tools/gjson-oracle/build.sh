#!/bin/sh
# Builds the gjson oracle in GOPATH mode (no module download). Needs checkouts of the versions ESO's
# providers pin (providers/v1/aws/go.mod): tidwall/gjson v1.18.0, tidwall/match (v1.2.0 or later;
# MatchLimit), tidwall/pretty v1.2.1. Debian's golang-github-tidwall-gjson-dev is 1.14.4: too old.
#   tools/gjson-oracle/build.sh GJSON_DIR MATCH_DIR PRETTY_DIR [OUT]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${4:-/tmp/gjson-oracle-bin}
gp=$(mktemp -d)
trap 'rm -rf "$gp"' EXIT
mkdir -p "$gp/src/github.com/tidwall" "$gp/src/oracle"
ln -s "$(cd "$1" && pwd)" "$gp/src/github.com/tidwall/gjson"
ln -s "$(cd "$2" && pwd)" "$gp/src/github.com/tidwall/match"
ln -s "$(cd "$3" && pwd)" "$gp/src/github.com/tidwall/pretty"
cp "$here/main.go" "$gp/src/oracle/"
cd "$gp/src/oracle"
GO111MODULE=off GOPATH="$gp" GOCACHE="${GOCACHE:-/tmp/go-cache}" go build -o "$out" .
echo "$out"
