package enterprise

import (
	"testing"

	"github.com/parkos/parkos/internal/jsonw/jsonwtest"
)

func TestJSONIsWhatEncodingJSONWrites(t *testing.T) {
	jsonwtest.SameAsEncodingJSON[Enterprise](t)
}
