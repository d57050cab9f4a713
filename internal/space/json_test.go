package space

import (
	"math"
	"testing"

	"github.com/parkos/parkos/internal/apperr"
	"github.com/parkos/parkos/internal/jsonw/jsonwtest"
)

func TestJSONIsWhatEncodingJSONWrites(t *testing.T) {
	jsonwtest.SameAsEncodingJSON[Park](t)
	jsonwtest.SameAsEncodingJSON[Unit](t)
	jsonwtest.SameAsEncodingJSON[Facilities](t)
}

// A coordinate that is not a number is out of range: encoding/json could not write it, and the
// audit trail writes parks through AppendJSON, which does not check.
func TestCoordinatesThatAreNotNumbersAreRefused(t *testing.T) {
	for field, p := range map[string]Park{"latitude": {Code: "P", NameZh: "园", Latitude: math.NaN()},
		"longitude": {Code: "P", NameZh: "园", Longitude: math.Inf(1)}} {
		e, ok := apperr.As(p.Validate())
		if !ok || len(e.Fields) != 1 || e.Fields[0].Field != field {
			t.Errorf("%s %v/%v: %+v", field, p.Latitude, p.Longitude, e)
		}
	}
}
