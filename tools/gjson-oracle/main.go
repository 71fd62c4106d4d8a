// gjson oracle: reads JSON lines {"json": <base64 payload>, "path": "..."} and prints, per line,
// {"exists", "type", "str": <base64 Result.String()>, "raw": <base64 Raw>} from tidwall/gjson.Get
// (type "PANIC" if gjson panics). Used to check src/providers/gjson.ts; see build.sh.
package main

import (
	"bufio"
	"encoding/json"
	"os"

	"github.com/tidwall/gjson"
)

type in struct {
	JSON []byte `json:"json"`
	Path string `json:"path"`
}

type out struct {
	Exists bool   `json:"exists"`
	Type   string `json:"type"`
	Str    []byte `json:"str"`
	Raw    []byte `json:"raw"`
}

func main() {
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for sc.Scan() {
		var i in
		if err := json.Unmarshal(sc.Bytes(), &i); err != nil {
			panic(err)
		}
		func() {
			defer func() {
				if e := recover(); e != nil {
					_ = enc.Encode(out{Type: "PANIC"})
				}
			}()
			r := gjson.Get(string(i.JSON), i.Path)
			_ = enc.Encode(out{r.Exists(), r.Type.String(), []byte(r.String()), []byte(r.Raw)})
		}()
	}
}
