package page

import (
	"encoding/json"
	"testing"

	"github.com/parkos/parkos/internal/jsonw"
)

type selfEncoded struct{ Name string }

func (s selfEncoded) MarshalJSON() ([]byte, error) { return s.AppendJSON(nil), nil }
func (s selfEncoded) AppendJSON(b []byte) []byte {
	return append(jsonw.String(append(b, `{"name":`...), s.Name+"!"), '}')
}

type plain struct {
	N int    `json:"n"`
	S string `json:"s"`
}

func TestPageJSONIsWhatEncodingJSONWrites(t *testing.T) {
	for _, p := range []any{
		Page[selfEncoded]{Items: []selfEncoded{{"a"}, {"<b>"}}, NextCursor: "eyJ"},
		Page[selfEncoded]{},
		Page[plain]{Items: []plain{{1, "x"}, {2, "\u2028"}}},
		Page[plain]{Items: []plain{}},
	} {
		want, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.(jsonw.Appender).AppendJSON(nil); string(got) != string(want) {
			t.Errorf("%T: AppendJSON %s, encoding/json %s", p, got, want)
		}
	}
}
