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

// appendOnly writes what encoding/json writes for it; embedsAppendOnly has its AppendJSON, which
// knows nothing of Extra.
type appendOnly struct{ Name string }

func (a appendOnly) AppendJSON(b []byte) []byte {
	return append(jsonw.String(append(b, `{"Name":`...), a.Name), '}')
}

type embedsAppendOnly struct {
	appendOnly
	Extra int `json:"extra"`
}

type plain struct {
	N int    `json:"n"`
	S string `json:"s"`
}

func TestPageJSONIsWhatEncodingJSONWrites(t *testing.T) {
	for _, c := range []struct {
		page    any
		appends bool // whether WriteJSON may send it through AppendJSON
	}{
		{Page[selfEncoded]{Items: []selfEncoded{{"a"}, {"<b>"}}, NextCursor: "eyJ"}, true},
		{Page[selfEncoded]{}, true},
		{Page[plain]{Items: []plain{{1, "x"}, {2, "\u2028"}}}, false},
		{Page[plain]{Items: []plain{}}, false},
		{Page[appendOnly]{Items: []appendOnly{{"a"}}}, true},
		{Page[embedsAppendOnly]{Items: []embedsAppendOnly{{appendOnly{"a"}, 7}}}, false},
	} {
		want, err := json.Marshal(c.page)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.page.(jsonw.Appender).AppendJSON(nil); string(got) != string(want) {
			t.Errorf("%T: AppendJSON %s, encoding/json %s", c.page, got, want)
		}
		if jsonw.Appends(c.page) != c.appends {
			t.Errorf("%T: Appends says %v", c.page, !c.appends)
		}
	}
}
