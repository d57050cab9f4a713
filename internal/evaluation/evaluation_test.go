package evaluation

import (
	"testing"

	"github.com/parkos/parkos/internal/indicator"
)

// The shipped templates are valid schemes over the catalog.
func TestTemplatesAreValidSchemes(t *testing.T) {
	known := func(code string) bool {
		for _, ind := range indicator.BuiltIns {
			if ind.Code == code {
				return true
			}
		}
		return false
	}
	for _, tpl := range Templates {
		if err := (SchemeInput{Name: tpl.NameZh, Definition: tpl.Definition}).Validate(known); err != nil {
			t.Errorf("%s: %v", tpl.Key, err)
		}
	}
	if len(Templates[1].Definition.Dimensions) != 5 {
		t.Error("the national structure has five first-level dimensions")
	}
}
