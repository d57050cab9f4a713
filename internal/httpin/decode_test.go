package httpin

import (
	"testing"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/civil"
	"github.com/parkos/parkos/internal/measure"
)

type part struct {
	Area measure.Area `json:"area"`
}

type body struct {
	Company string       `json:"company"`
	Area    measure.Area `json:"area"`
	Day     civil.Date   `json:"day"`
	Price   measure.Price
	Parts   []part `json:"parts"`
}

// TestDecodeStrictRefusesWhatTheDocumentDoes: keys in another case, keys given twice, decimals
// that are not plain decimal strings and an empty day are refused naming the field; numbers for
// decimals (a documented leniency) and trailing zeros are read exactly.
func TestDecodeStrictRefusesWhatTheDocumentDoes(t *testing.T) {
	for in, field := range map[string]string{
		`{"company":"A","Company":"B"}`:       "Company",
		`{"company":"A","company":"B"}`:       "company",
		`{"parts":[{"area":"1","area":"2"}]}`: "parts[0].area",
		`{"parts":[{"AREA":"1"}]}`:            "parts[0].AREA",
		`{"area":" 12"}`:                      "area",
		`{"area":"+5"}`:                       "area",
		`{"area":".5"}`:                       "area",
		`{"area":"1e5"}`:                      "area",
		`{"day":""}`:                          "day",
	} {
		err := DecodeStrict([]byte(in), &body{})
		e, ok := apperr.As(err)
		if !ok || len(e.Fields) == 0 || e.Fields[0].Field != field {
			t.Errorf("%s: %v, want an error on %s", in, err, field)
		}
	}
	var b body
	if err := DecodeStrict([]byte(`{"company":"A","day":null,"Price":4.5,"parts":[{"area":"12.3400"},{"area":7}]}`), &b); err != nil {
		t.Fatal(err)
	}
	if b.Parts[0].Area != 1234 || b.Parts[1].Area != 700 || b.Price != 45000 || !b.Day.IsZero() {
		t.Errorf("read %+v", b)
	}
}
