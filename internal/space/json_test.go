package space

import (
	"testing"

	"github.com/parkos/parkos/internal/jsonw/jsonwtest"
)

func TestJSONIsWhatEncodingJSONWrites(t *testing.T) {
	jsonwtest.SameAsEncodingJSON[Park](t)
	jsonwtest.SameAsEncodingJSON[Unit](t)
	jsonwtest.SameAsEncodingJSON[Facilities](t)
}
