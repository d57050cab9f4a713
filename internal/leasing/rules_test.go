package leasing

import (
	"testing"

	"github.com/parkos/parkos/internal/apperr"
)

// A lease may run twenty years and not a day more (《民法典》第七百零五条), counted as lease months
// are: from 2026-03-31 the last day allowed is 2046-03-30.
func TestTermAtMostTwentyYears(t *testing.T) {
	for end, refused := range map[string]bool{"2046-03-30": false, "2046-03-31": true, "2126-03-30": true} {
		c := Contract{Number: "HT-1", EnterpriseID: "e", StartOn: day("2026-03-31"), EndOn: day(end), Price: 50000,
			Units: []ContractUnit{{UnitID: "u", Area: 10000}}}
		err := c.Validate()
		e, _ := apperr.As(err)
		got := e != nil && len(e.Fields) == 1 && e.Fields[0].Field == "end_on" && e.Fields[0].Code == "term_too_long"
		if got != refused || (!refused && err != nil) {
			t.Errorf("ending %s: %v, want refused %v", end, err, refused)
		}
	}
}
